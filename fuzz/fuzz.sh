#!/usr/bin/env bash
# Builds the harnesses, instruments the service's assemblies with SharpFuzz and runs AFL++ on each target in
# turn, one process at a time. Usage: fuzz/fuzz.sh <work folder> <seconds per target> [target ...]
# Needs: apt-get install -y afl++; dotnet tool install SharpFuzz.CommandLine --version 2.3.0 (sharpfuzz on PATH
# or SHARPFUZZ=/path/to/sharpfuzz).
set -euo pipefail
work=$(realpath -m "${1:?work folder}")
seconds=${2:?seconds per target}
shift 2
targets=("${@:-image onnx spec v2}")
targets=(${targets[*]})
here=$(cd "$(dirname "$0")" && pwd)
sharpfuzz=${SHARPFUZZ:-sharpfuzz}

# Two copies: "plain" replays findings and writes seeds (instrumented code needs AFL's shared memory to run).
dotnet build "$here/ConvService.Fuzz.csproj" -c Release -o "$work/plain" -v quiet
rm -rf "$work/bin" && cp -r "$work/plain" "$work/bin"
for assembly in ConvService.Api ConvService.Inference ConvService.Contracts SixLabors.ImageSharp Google.Protobuf; do
    "$sharpfuzz" "$work/bin/$assembly.dll"
done

if [ ! -d "$work/seeds" ]; then
    dotnet "$work/plain/ConvService.Fuzz.dll" seeds "$work/seeds"
    mkdir -p "$work/seeds/onnx"
    cp "$here"/../tests/Inference.Tests/ExporterModels/opset*.onnx "$work/seeds/onnx/"
fi

export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
for target in "${targets[@]}"; do
    # -t 5000+: an input taking over 5 s is a hang (the service's own budgets are shorter); slow seeds are skipped.
    afl-fuzz -i "$work/seeds/$target" -o "$work/out-$target" -t 5000+ -m none -V "$seconds" \
        -- dotnet "$work/bin/ConvService.Fuzz.dll" "$target" > "$work/afl-$target.log" 2>&1 || true
    grep -E "execs_done|paths_total|corpus_count|saved_crashes|saved_hangs|run_time" "$work/out-$target/default/fuzzer_stats" || true
done
