#!/usr/bin/env bash
# Memory of the service in its container under each GC setting: the resident set (VmRSS) 15 s after the lecture
# networks are built, its high-water mark (VmHWM) after start-up plus a load of ResNet-18 embeddings and image
# filters, and the resident set again 15 s after that load. Figures in docs/deployment.md.
# Usage: deploy/measure-memory.sh [image]; ONLY=text measures only the settings whose name contains it.
set -euo pipefail
cd "$(dirname "$0")/.."
docker=${DOCKER:-/usr/bin/docker}
image=${1:-convservice:latest}
port=18099

settings=(
  "server GC|DOTNET_gcServer=1 DOTNET_GCConserveMemory=0"
  "server GC, 1.5 GB heap hard limit|DOTNET_gcServer=1 DOTNET_GCConserveMemory=0 DOTNET_GCHeapHardLimit=0x60000000"
  "workstation GC|DOTNET_gcServer=0 DOTNET_GCConserveMemory=0"
  "workstation GC, conserve memory 5|DOTNET_gcServer=0 DOTNET_GCConserveMemory=5"
  "no lecture networks, server GC|DOTNET_gcServer=1 DOTNET_GCConserveMemory=0 ConvService__Models__LectureNetworks="
  "no lecture networks, workstation GC, conserve memory 5|DOTNET_gcServer=0 DOTNET_GCConserveMemory=5 ConvService__Models__LectureNetworks="
)

kb() { "$docker" exec convservice-memory sed -n "s/^$1:\s*\([0-9]*\) kB/\1/p" /proc/1/status; }

printf '| setting | idle after start-up (MB) | peak (MB) | idle after load (MB) | load time (s) |\n| --- | --: | --: | --: | --: |\n'
for entry in "${settings[@]}"; do
  name=${entry%%|*}
  [[ -z "${ONLY:-}" || "$name" == *"$ONLY"* ]] || continue
  args=()
  for variable in ${entry#*|}; do args+=(-e "$variable"); done
  "$docker" rm -f convservice-memory >/dev/null 2>&1 || true
  "$docker" run -d --name convservice-memory -p "127.0.0.1:$port:8080" "${args[@]}" "$image" >/dev/null
  for _ in $(seq 300); do
    "$docker" logs convservice-memory 2>&1 | grep -qE 'Model resnet50 Loaded|resnet50 not served' && break
    if [[ "$entry" == *"LectureNetworks="* ]]; then
      "$docker" logs convservice-memory 2>&1 | grep -q 'Model resnet18-features Loaded' && break
    fi
    [[ "$("$docker" inspect -f '{{.State.Running}}' convservice-memory)" == true ]] || break
    sleep 1
  done
  if [[ "$("$docker" inspect -f '{{.State.Running}}' convservice-memory)" != true ]]; then
    printf '| %s | stopped: %s | | | |\n' "$name" "$("$docker" logs convservice-memory 2>&1 | grep -oE '[A-Za-z.]+(Exception|Error)' | head -n 1)"
    continue
  fi
  sleep 15
  idle=$(kb VmRSS)
  start=$(date +%s.%N)
  for worker in 1 2 3 4; do
    (for _ in $(seq 10); do
      curl -s -o /dev/null -F image=@samples/chelsea.png "http://127.0.0.1:$port/api/models/resnet18-features/embed"
      curl -s -o /dev/null -F image=@samples/coffee.png -F kernel=gaussian -F size=15 "http://127.0.0.1:$port/api/filter"
    done) &
  done
  wait
  seconds=$(echo "$(date +%s.%N) - $start" | bc)
  peak=$(kb VmHWM)
  sleep 15
  after=$(kb VmRSS)
  printf '| %s | %d | %d | %d | %.1f |\n' "$name" $((idle / 1024)) $((peak / 1024)) $((after / 1024)) "$seconds"
done
"$docker" rm -f convservice-memory >/dev/null
