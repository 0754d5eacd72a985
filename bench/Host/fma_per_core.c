// Each virtual CPU's FMA rate over time, both at once: shows whether one core runs slower than the other (the
// host's "slow state" in docs/performance.md). Prints 40 samples per CPU as "cpu0/cpu1" GFLOP/s, each sample 2M
// iterations of 12 independent Vector512 FMA chains.
//   gcc -O3 -funroll-all-loops -mavx512f -mfma -fopenmp bench/Host/fma_per_core.c -o /tmp/fma_per_core && /tmp/fma_per_core
#define _GNU_SOURCE
#include <immintrin.h>
#include <omp.h>
#include <sched.h>
#include <stdio.h>

int main(void)
{
    double rate[2][40];
#pragma omp parallel num_threads(2)
    {
        int t = omp_get_thread_num();
        cpu_set_t set;
        CPU_ZERO(&set);
        CPU_SET(t, &set);
        sched_setaffinity(0, sizeof set, &set);
        __m512 acc[12];
        for (int i = 0; i < 12; i++) acc[i] = _mm512_set1_ps(i * 0.001f);
        __m512 b = _mm512_set1_ps(0.999f), c = _mm512_set1_ps(0.0001f);
        for (int r = 0; r < 40; r++) {
            double start = omp_get_wtime();
            for (long k = 0; k < 2000000; k++)
                for (int i = 0; i < 12; i++) acc[i] = _mm512_fmadd_ps(acc[i], b, c);
            rate[t][r] = 2000000.0 * 12 * 32 / (omp_get_wtime() - start) / 1e9;
        }
        float sink = 0;
        for (int i = 0; i < 12; i++) sink += _mm512_reduce_add_ps(acc[i]);
        if (sink == 1234.5f) printf("!");
    }
    for (int r = 0; r < 40; r++) printf("%5.0f/%-5.0f%s", rate[0][r], rate[1][r], r % 10 == 9 ? "\n" : " ");
    return 0;
}
