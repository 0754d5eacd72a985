#!/bin/bash
# ResNet-18 against ONNX Runtime at batch 1 and 8, on 1 and 2 threads, at Vector512 and with the runtime's
# AVX-512 turned off, in one run, with the CPU flags beside it. Build first: dotnet build -c Release bench.
# ONNX Runtime reads the CPU itself, so it keeps its AVX-512 kernels when DOTNET_EnableAVX512=0.
cd "$(dirname "$0")/../.." || exit 1
date -u
uptime
grep -o 'avx512[a-z]*\|avx2\|fma' /proc/cpuinfo | sort -u | tr '\n' ' '
echo
for view in avx512 avx2; do
  for batch in 1 8; do
    for threads in 1 2; do
      rounds=$([ "$batch" = 1 ] && echo 10 || echo 4)
      echo "=== $view, batch $batch, $threads thread(s), $rounds rounds"
      if [ "$view" = avx2 ]; then export DOTNET_EnableAVX512=0; else unset DOTNET_EnableAVX512; fi
      dotnet run -c Release --no-build --project bench -- --network-probe "$threads" "$batch" "$rounds" 2>&1 | head -4
    done
  done
done
date -u
