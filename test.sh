#!/usr/bin/env bash
# Runs every test: installs what is missing (npm packages), builds everything with warnings as errors - the Functions
# app with its real packages included - runs all test projects (each starts its own Azurite), prints a summary, exits
# non-zero on failure.
# The dashboard is built first (its browser tests drive /usr/bin/chromium; without it they report themselves skipped).
#   ./test.sh                 everything
#   ./test.sh --filter EXPR   only tests matching a dotnet test filter (e.g. FullyQualifiedName~Tables)
set -euo pipefail
cd "$(dirname "$0")"

filter=()
while [ $# -gt 0 ]; do
  case "$1" in
    --filter) filter=(--filter "$2"); shift 2 ;;
    -h|--help) sed -n '2,6p' "$0"; exit 0 ;;
    *) echo "unknown option: $1" >&2; exit 2 ;;
  esac
done

command -v dotnet >/dev/null || { echo "The .NET SDK 10 is required (dotnet not found)." >&2; exit 1; }
command -v node >/dev/null || { echo "Node.js 20+ is required (node not found)." >&2; exit 1; }

# npm ci only when node_modules does not match package-lock.json (a stamp of its hash, not file times).
lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ ! -d node_modules/azurite ] || [ "$(cat node_modules/.purview-lock-hash 2>/dev/null)" != "$lock_hash" ]; then
  echo "==> npm ci (Azurite and the official Azure JavaScript clients)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$lock_hash" > node_modules/.purview-lock-hash
fi

# The dashboard (src/Purview.Web, its own package.json): npm ci there only when its lock changed, then vite build.
web_lock_hash=$(sha256sum src/Purview.Web/package-lock.json | cut -d' ' -f1)
if [ ! -d src/Purview.Web/node_modules/vite ] || [ "$(cat src/Purview.Web/node_modules/.purview-lock-hash 2>/dev/null)" != "$web_lock_hash" ]; then
  echo "==> npm ci in src/Purview.Web (Vite, TypeScript, Chart.js)"
  (cd src/Purview.Web && npm ci --no-audit --no-fund --loglevel=error)
  echo "$web_lock_hash" > src/Purview.Web/node_modules/.purview-lock-hash
fi
echo "==> building the dashboard (src/Purview.Web/dist)"
(cd src/Purview.Web && npm run --silent build >/dev/null)

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
echo "==> dotnet restore"
restore_log=$(mktemp)
if ! dotnet restore Purview.Local.slnf -nologo >"$restore_log" 2>&1; then
  grep -E "error" "$restore_log" | sed 's/^ *//' | sort -u | head -20
  echo "FAILED: the NuGet restore failed (the errors above say which package and why)"
  rm -f "$restore_log"
  exit 1
fi
rm -f "$restore_log"

echo "==> dotnet build (warnings are errors; the Functions app is built with its real packages)"
dotnet build Purview.Local.slnf -c Release --no-restore -nologo -v minimal
metadata=src/Purview.Functions/bin/Release/net10.0/functions.metadata
functions=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).length)' "$metadata")
built="BUILT Purview.Functions ($functions functions in functions.metadata)"
echo "$built"

log=$(mktemp)
trap 'rm -f "$log"' EXIT
echo "==> dotnet test"
status=0
dotnet test Purview.Local.slnf -c Release --no-build -nologo "${filter[@]}" --logger "console;verbosity=minimal" 2>&1 | tee "$log" || status=$?

echo
echo "==> Summary"
echo "$built"
grep -E "^(Passed|Failed)!|^\s*(Passed|Failed)!" "$log" | sed 's/^ *//' || true
if [ "$status" -ne 0 ] || grep -qE "Failed!" "$log"; then
  echo "TESTS FAILED"
  exit 1
fi
echo "ALL TESTS PASSED"
