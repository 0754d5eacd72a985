// Memory read bandwidth on one and two threads: 256 MB read with Vector512 loads, best of 5.
//   gcc -O2 -mavx512f -fopenmp bench/Host/read_bandwidth.c -o /tmp/read_bandwidth && /tmp/read_bandwidth
#include <immintrin.h>
#include <omp.h>
#include <stdio.h>
#include <stdlib.h>

int main(void)
{
    size_t n = (size_t)64 << 20;
    float *a = aligned_alloc(64, n * sizeof(float));
    for (size_t i = 0; i < n; i++) a[i] = (float)i;
    for (int threads = 1; threads <= 2; threads++) {
        double best = 1e9;
        for (int r = 0; r < 5; r++) {
            double start = omp_get_wtime(), sum = 0;
#pragma omp parallel for num_threads(threads) reduction(+ : sum)
            for (size_t i = 0; i < n; i += 16) sum += _mm512_reduce_add_ps(_mm512_load_ps(a + i));
            double elapsed = omp_get_wtime() - start;
            if (elapsed < best) best = elapsed;
            if (sum == 1) printf("!");
        }
        printf("%d thread(s): %.1f GB/s\n", threads, n * sizeof(float) / best / 1e9);
    }
    free(a);
    return 0;
}
