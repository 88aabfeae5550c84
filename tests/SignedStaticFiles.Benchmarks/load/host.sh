# Sourced by compare.sh, b7-revocations.sh and profile.sh: the tools a load run needs, the Release load host
# (tests/SignedStaticFiles.Benchmarks.Host) built once, and hosts started on loopback and stopped on exit.
# Needs REPO set by the caller. Sets LOAD_WORK (a temporary folder removed on exit) and HOST_PROJECT.

SCRIPT_NAME="$(basename "$0")"

# require_tools <Debian package>...: installs the packages whose command is missing (the package linux-perf
# brings the command perf), with sudo when not root.
require_tools() {
  local missing=() package command
  for package in "$@"; do
    command="$package"
    [ "$package" = linux-perf ] && command=perf
    command -v "$command" >/dev/null 2>&1 || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return
  local sudo=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
  echo "$SCRIPT_NAME: installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
HOST_PROJECT="$REPO/tests/SignedStaticFiles.Benchmarks.Host"

build_host() {
  echo "Building the host (Release)..."
  dotnet build "$HOST_PROJECT" -c Release -nologo -v quiet >/dev/null
}

LOAD_WORK="$(mktemp -d)"
HOST_PIDS=()
stop_hosts() {
  local pid
  for pid in "${HOST_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  rm -rf "$LOAD_WORK"
}
trap stop_hosts EXIT

# start_host <name> <port> [host arguments...]: starts a host whose content root is $LOAD_WORK/<name> and waits until
# it serves /public/10k.bin; sets LAST_PID. Environment assignments before the call reach the host
# (ASPNETCORE_ENVIRONMENT is Production unless given).
LAST_PID=""
start_host() {
  local name="$1" port="$2"
  shift 2
  ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Production}" \
    dotnet "$HOST_PROJECT/bin/Release/net10.0/SignedStaticFiles.Benchmarks.Host.dll" \
    --urls "http://127.0.0.1:$port" --root "$LOAD_WORK/$name" "$@" >"$LOAD_WORK/$name.log" 2>&1 &
  LAST_PID=$!
  HOST_PIDS+=("$LAST_PID")
  for _ in $(seq 1 240); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/public/10k.bin" 2>/dev/null && return
    kill -0 "$LAST_PID" 2>/dev/null || { cat "$LOAD_WORK/$name.log" >&2; echo "$SCRIPT_NAME: host $name did not start" >&2; exit 1; }
    sleep 0.5
  done
  echo "$SCRIPT_NAME: host $name did not answer" >&2
  exit 1
}
