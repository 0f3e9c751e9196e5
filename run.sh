#!/usr/bin/env bash
# Starts Purview Monitor on this machine: installs what is missing, starts Azurite (data under .azurite/)
# unless AzureWebJobsStorage points to a real account, builds and starts the local host, stops both on Ctrl-C.
#   ./run.sh                      start on http://127.0.0.1:7071 (PORT=... to change)
#   ./run.sh --demo               the same, after seeding a demo data set (weeks of scan runs, links, connector imports)
#   ./run.sh token <principal>    print a development bearer token for <principal> (e.g. alice@contoso.com)
# The dashboard is at the same address (/); in Development it offers a sign-in by principal name.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

command -v dotnet >/dev/null || { echo "The .NET SDK 10 is required (dotnet not found): https://dot.net" >&2; exit 1; }
command -v node >/dev/null || { echo "Node.js 20+ is required (node not found)." >&2; exit 1; }
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
port="${PORT:-7071}"
url="http://127.0.0.1:${port}"
host_dll="src/Purview.LocalHost/bin/Release/net10.0/Purview.LocalHost.dll"

build_host() {
  echo "==> building the local host"
  dotnet build src/Purview.LocalHost/Purview.LocalHost.csproj -c Release -nologo -v quiet
}

if [ "${1:-}" = "token" ]; then
  shift
  [ $# -ge 1 ] || { echo "usage: ./run.sh token <principal> [--hours N]" >&2; exit 2; }
  [ -f "$host_dll" ] || build_host >&2
  exec dotnet "$host_dll" token "$@"
fi

host_args=()
case "${1:-}" in
  --demo) host_args+=(--demo); shift ;;
  "") ;;
  *) echo "unknown option: $1 (usage: ./run.sh [--demo] | ./run.sh token <principal>)" >&2; exit 2 ;;
esac

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

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pids=()
cleanup() {
  trap - INT TERM EXIT
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "==> stopped"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

storage="${AzureWebJobsStorage:-UseDevelopmentStorage=true}"
if [[ "$storage" == *UseDevelopmentStorage=true* ]]; then
  if port_open 10000 && port_open 10001 && port_open 10002; then
    echo "==> Azurite already answers on 10000-10002: using it"
  else
    mkdir -p .azurite
    echo "==> starting Azurite (data in .azurite/, log in .azurite/azurite.log)"
    node node_modules/azurite/dist/src/azurite.js --location "$root/.azurite" --blobPort 10000 --queuePort 10001 --tablePort 10002 \
      --disableTelemetry --skipApiVersionCheck --loose --silent >"$root/.azurite/azurite.log" 2>&1 &
    pids+=($!)
    for _ in $(seq 1 100); do port_open 10002 && port_open 10001 && port_open 10000 && break; sleep 0.2; done
    port_open 10002 || { echo "Azurite did not start; see .azurite/azurite.log" >&2; exit 1; }
  fi
else
  echo "==> using the storage account from AzureWebJobsStorage"
fi

build_host
echo "==> starting the local host on $url ($ASPNETCORE_ENVIRONMENT)"
ASPNETCORE_URLS="$url" dotnet "$host_dll" --contentRoot "$root/src/Purview.LocalHost" "${host_args[@]}" &
pids+=($!)

for _ in $(seq 1 300); do
  if curl -fsS -o /dev/null "$url/healthz" 2>/dev/null; then break; fi
  if ! kill -0 "${pids[-1]}" 2>/dev/null; then echo "The local host exited; see its log above." >&2; exit 1; fi
  sleep 0.5
done
if curl -fsS -o /dev/null "$url/healthz" 2>/dev/null; then
  echo
  echo "Purview Monitor is running at $url   (dashboard: $url/, health: $url/healthz, OpenAPI: $url/openapi/v1.json)"
  echo "Press Ctrl-C to stop."
else
  echo "The local host started but $url/healthz is not 200 yet:"; curl -sS "$url/healthz" || true; echo
fi
wait -n "${pids[@]}" || true
