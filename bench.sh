#!/usr/bin/env bash
# Benchmarks (see bench/Purview.Bench): ./bench.sh storage [--entities N] | ./bench.sh scan [--blobs N] [--runs M] [--quick]
# ./bench.sh classify [--files N] (classification throughput, sampler memory)
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
exec dotnet run -c Release --project bench/Purview.Bench -- "$@"
