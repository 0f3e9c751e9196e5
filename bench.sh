#!/usr/bin/env bash
# Benchmarks (bench/Purview.Bench, docs/PERFORMANCE.md): ./bench.sh [all|storage|links|scan|classify|connectors|soak|tracing] [--quick] [sizes]; ./bench.sh help
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
exec dotnet run -c Release --project bench/Purview.Bench -- "$@"
