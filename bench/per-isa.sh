#!/bin/bash
# Every figure docs/performance.md gives per instruction set, for one view of this CPU, in one run:
# the FMA peak, ResNet-18 against ONNX Runtime (batch 1 and 8, 1 and 2 threads), the filters against OpenCV's
# filter2D, and the end-to-end 1920x1080 filter request against OpenCV's decode + filter2D + encode.
#   bench/per-isa.sh avx512     the widest level this CPU runs
#   bench/per-isa.sh avx2       DOTNET_EnableAVX512=0: the runtime's AVX-512 off, so the engine runs Vector256, and
#                               ONNX Runtime's AVX-512 kernels off too (bench/ort_without_avx512.py): both at AVX2
#   bench/per-isa.sh vector128  the engine forced to Vector128 (ARM64's width) on this x86 CPU
#   bench/per-isa.sh VIEW resnet  only the FMA peak and ResNet-18 (after a change to the engine alone)
# OpenCV reads the CPU itself and keeps its widest kernels in every view; so does ONNX Runtime, except in the AVX2 view.
# Build first: dotnet build -c Release bench. Needs python3-opencv for the OpenCV lines.
cd "$(dirname "$0")/.." || exit 1
view=${1:?usage: bench/per-isa.sh avx512|avx2|vector128 [resnet]}
only=${2:-}
level=""
out=bench/bin/Release/net10.0
case "$view" in
  avx512) unset DOTNET_EnableAVX512 CONVSERVICE_BENCH_SIMD ;;
  avx2) export DOTNET_EnableAVX512=0; unset CONVSERVICE_BENCH_SIMD
    # A copy of the build whose ONNX Runtime runs the kernels MLAS picks on a machine without AVX-512.
    rm -rf bench/bin/Release/ort-avx2 && cp -r "$out" bench/bin/Release/ort-avx2 || exit 1
    native=runtimes/linux-x64/native/libonnxruntime.so
    /usr/bin/python3 bench/ort_without_avx512.py "$out/$native" "bench/bin/Release/ort-avx2/$native" || exit 1
    out=bench/bin/Release/ort-avx2 ;;
  vector128) unset DOTNET_EnableAVX512; export CONVSERVICE_BENCH_SIMD=Vector128; level=Vector128 ;;
  *) echo "unknown view $view" >&2; exit 2 ;;
esac
bench() { dotnet "$out/ConvService.Bench.dll" "$@"; }
echo "## $view view: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git rev-parse --short HEAD)"
echo "load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), flags: $(grep -o 'avx512[a-z]*\|avx2\|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')"
echo "### FMA peak"
bench --fma-peak 15
echo "### ResNet-18 against ONNX Runtime"
for batch in 1 8; do
  for threads in 1 2; do
    rounds=$([ "$batch" = 1 ] && echo 10 || echo 4)
    echo "=== batch $batch, $threads thread(s), $rounds rounds"
    bench --network-probe "$threads" "$batch" "$rounds" $level 2>&1 | head -5
  done
done
if [ "$only" = resnet ]; then
  echo "load: $(cut -d' ' -f1-3 /proc/loadavg), end $(date -u '+%H:%M UTC')"
  exit 0
fi
echo "### Filters (3840x2160 RGB float32)"
bench --filter '*FilterBenchmarks*' --inProcess --warmupCount 2 --iterationCount 8 2>&1 | sed -n '/^| Method/,/^$/p'
/usr/bin/python3 bench/Filters/opencv_filter2d.py
echo "### Filter request end to end (1920x1080 sobel-x, one core)"
bench --filter '*ImageResponseBenchmarks*' --inProcess --warmupCount 3 --iterationCount 10 2>&1 | sed -n '/^| Method/,/^$/p'
/usr/bin/python3 bench/Images/opencv_image_response.py
echo "load: $(cut -d' ' -f1-3 /proc/loadavg), end $(date -u '+%H:%M UTC')"
