#!/usr/bin/env bash
# Benchmarks (see bench/Purview.Bench and docs/PERFORMANCE.md): ./bench.sh storage | scan | classify | links | connectors | soak [--minutes N]
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -d node_modules ]; then
  npm ci --no-audit --no-fund
fi
exec dotnet run -c Release --project bench/Purview.Bench -- "$@"
