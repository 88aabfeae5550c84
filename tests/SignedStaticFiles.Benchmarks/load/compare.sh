#!/usr/bin/env bash
# B1: requests/s of UseSignedStaticFiles (/protected) against the framework's UseStaticFiles (/public),
# served by one Release Kestrel host on 127.0.0.1 over the very same 10 KB and 200 KB files.
# Two link patterns: the same signed link repeated (a page reload, a PDF fetched in ranges), and a
# fresh link per request (a Lua script cycling through 10,000 pre-minted links; the /public baseline of
# that pattern goes through the same Lua script). Runs of /public and /protected alternate (the order
# flips every round), RUNS rounds of DURATION each; prints the median requests/s and the ratio.
#
# Usage (from anywhere in a clean clone): tests/SignedStaticFiles.Benchmarks/load/compare.sh
# Tunables (environment): RUNS=3 DURATION=10s THREADS=1 CONNECTIONS=32 PORT=5180 SIZES="10k 200k"
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
RUNS="${RUNS:-3}"
DURATION="${DURATION:-10s}"
THREADS="${THREADS:-1}"
CONNECTIONS="${CONNECTIONS:-32}"
PORT="${PORT:-5180}"
SIZES="${SIZES:-10k 200k}"
LINK_COUNT=10000
BASE="http://127.0.0.1:$PORT"

missing=()
command -v wrk >/dev/null 2>&1 || missing+=(wrk)
command -v curl >/dev/null 2>&1 || missing+=(curl)
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  echo "compare.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
HOST_PROJECT="$REPO/tests/SignedStaticFiles.Benchmarks.Host"
echo "Building the host (Release)..."
dotnet build "$HOST_PROJECT" -c Release -nologo -v quiet >/dev/null

WORK="$(mktemp -d)"
HOST_PID=""
cleanup() {
  if [ -n "$HOST_PID" ]; then kill "$HOST_PID" 2>/dev/null || true; wait "$HOST_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

ASPNETCORE_ENVIRONMENT=Production dotnet "$HOST_PROJECT/bin/Release/net10.0/SignedStaticFiles.Benchmarks.Host.dll" \
  --urls "$BASE" --root "$WORK/root" >"$WORK/host.log" 2>&1 &
HOST_PID=$!
for _ in $(seq 1 60); do
  curl -fsS -o /dev/null "$BASE/public/10k.bin" 2>/dev/null && break
  kill -0 "$HOST_PID" 2>/dev/null || { cat "$WORK/host.log"; echo "compare.sh: the host did not start" >&2; exit 1; }
  sleep 0.5
done

# Runs wrk once; prints requests/s. Refuses to report a run with any non-2xx/3xx answer or socket error.
measure() { # url [links-file]
  local out
  if [ -n "${2:-}" ]; then
    out="$(LINKS="$2" wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" -s "$HERE/links.lua" "$BASE")"
  else
    out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$1")"
  fi
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
    echo "$out" >&2
    echo "compare.sh: errors during the run of $1" >&2
    exit 1
  fi
  awk '/^Requests\/sec:/ { print $2 }' <<<"$out"
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), .NET $(dotnet --list-runtimes | awk '/Microsoft.AspNetCore.App/ { v = $2 } END { print v }')"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $RUNS alternated rounds, $(date -u +%Y-%m-%dT%H:%MZ)"
printf '\n%-6s %-9s %14s %14s %7s   %s\n' size pattern public/s protected/s ratio "runs (public | protected)"

for size in $SIZES; do
  public_url="$BASE/public/$size.bin"
  curl -fsS "$BASE/links?path=/protected/$size.bin&count=$LINK_COUNT" >"$WORK/protected-$size.txt"
  yes "/public/$size.bin" | head -n "$LINK_COUNT" >"$WORK/public-$size.txt" || true
  repeated_url="$BASE$(head -n 1 "$WORK/protected-$size.txt")"
  status="$(curl -s -o /dev/null -w '%{http_code}' "$repeated_url")"
  [ "$status" = 200 ] || { echo "compare.sh: a signed link answered $status" >&2; exit 1; }

  # Warm-up (JIT, tiering, caches), not reported.
  DURATION=3s measure "$public_url" >/dev/null
  DURATION=3s measure "$repeated_url" >/dev/null
  DURATION=3s measure "$BASE" "$WORK/protected-$size.txt" >/dev/null

  for pattern in repeated fresh; do
    pub=() prot=()
    for round in $(seq 1 "$RUNS"); do
      if [ "$pattern" = repeated ]; then a=("$public_url"); b=("$repeated_url")
      else a=("$public_url" "$WORK/public-$size.txt"); b=("$repeated_url" "$WORK/protected-$size.txt"); fi
      if [ $((round % 2)) -eq 1 ]; then
        pub+=("$(measure "${a[@]}")"); prot+=("$(measure "${b[@]}")")
      else
        prot+=("$(measure "${b[@]}")"); pub+=("$(measure "${a[@]}")")
      fi
    done
    mp="$(echo "${pub[*]}" | median)"; mq="$(echo "${prot[*]}" | median)"
    printf '%-6s %-9s %14.0f %14.0f %7.3f   %s | %s\n' "$size" "$pattern" "$mp" "$mq" \
      "$(awk -v p="$mp" -v q="$mq" 'BEGIN { print q / p }')" "${pub[*]}" "${prot[*]}"
  done
done
echo
echo "Bars (B1): ratio >= 0.95 repeated, >= 0.85 fresh."
