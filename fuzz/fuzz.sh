#!/usr/bin/env bash
# Builds the harnesses, instruments the service's assemblies with SharpFuzz and runs AFL++ on each target in
# turn, one process at a time. Usage: fuzz/fuzz.sh <work folder> <seconds per target> [target ...]
# Needs: apt-get install -y afl++; dotnet tool install SharpFuzz.CommandLine --version 2.3.0 (sharpfuzz on PATH
# or SHARPFUZZ=/path/to/sharpfuzz).
set -euo pipefail
work=$(realpath -m "${1:?work folder}")
seconds=${2:?seconds per target}
shift 2
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(image onnx spec v2)
here=$(cd "$(dirname "$0")" && pwd)
sharpfuzz=${SHARPFUZZ:-sharpfuzz}

if [ -z "${SKIP_BUILD:-}" ]; then
    # Two copies: "plain" replays findings and writes seeds (instrumented code needs AFL's shared memory to run).
    dotnet build "$here/ConvService.Fuzz.csproj" -c Release -o "$work/plain" -v quiet
    rm -rf "$work/bin" && cp -r "$work/plain" "$work/bin"
    for assembly in ConvService.Api ConvService.Inference ConvService.Contracts SixLabors.ImageSharp Google.Protobuf; do
        "$sharpfuzz" "$work/bin/$assembly.dll"
    done
fi

if [ ! -d "$work/seeds" ]; then
    dotnet "$work/plain/ConvService.Fuzz.dll" seeds "$work/seeds"
    mkdir -p "$work/seeds/onnx"
    cp "$here"/../tests/Inference.Tests/ExporterModels/opset*.onnx "$work/seeds/onnx/"
fi

export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1
for target in "${targets[@]}"; do
    started=$(date +%s)
    input="$work/seeds/$target"
    attempt=0
    # An input past the timeout can take SharpFuzz's fork server down with it; that input is kept as a hang and
    # the campaign resumes from its queue until the time is used up.
    while left=$(( seconds - ($(date +%s) - started) )); [ "$left" -gt 10 ]; do
        # -t 5000: an input taking over 5 s is a hang; no single input should need that long.
        afl-fuzz -i "$input" -o "$work/out-$target" -t 5000 -m none -V "$left" \
            -- dotnet "$work/bin/ConvService.Fuzz.dll" "$target" >> "$work/afl-$target.log" 2>&1 && break
        attempt=$((attempt + 1))
        mkdir -p "$work/aborted-$target"
        cp "$work/out-$target/default/.cur_input" "$work/aborted-$target/input-$attempt" 2>/dev/null || true
        input=-
    done
    echo "$target: $(( $(date +%s) - started )) s wall, $attempt restart(s)"
    grep -E "run_time|execs_done|corpus_count|saved_crashes|saved_hangs|bitmap_cvg|stability" "$work/out-$target/default/fuzzer_stats" || true
done
