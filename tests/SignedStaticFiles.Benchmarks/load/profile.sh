#!/usr/bin/env bash
# Where B1 repeated's CPU goes: the load host under wrk, sampled with perf, /public-headers (UseStaticFiles with the
# six headers of a protected answer and a query string as long as a token) against /protected (the same signed link
# repeated), alternated ROUNDS times. Prints, per symbol, the CPU nanoseconds per request of each and the difference,
# largest first: what the package adds above the design's headers and URL. JIT'd code is named through the runtime's
# perf map (DOTNET_PerfMapEnabled=1; ReadyToRun off so that framework code is named too).
#
# Usage (from anywhere in a clean clone; run alone): tests/SignedStaticFiles.Benchmarks/load/profile.sh
# Tunables (environment): ROUNDS=2 DURATION=15 (seconds) FREQ=1999 (samples/s) TOP=30 PORT=5181
# Needs perf (Debian: linux-perf, installed when missing) and root or kernel.perf_event_paranoid <= 1.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
ROUNDS="${ROUNDS:-2}"
DURATION="${DURATION:-15}"
FREQ="${FREQ:-1999}"
TOP="${TOP:-30}"
PORT="${PORT:-5181}"
BASE="http://127.0.0.1:$PORT"

. "$HERE/host.sh"
require_tools wrk curl linux-perf
build_host
# The perf map names JIT'd methods; write-xor-execute's double mapping would hide them from perf.
DOTNET_PerfMapEnabled=1 DOTNET_ReadyToRun=0 DOTNET_EnableWriteXorExecute=0 start_host root "$PORT"
HOST_PID="$LAST_PID"
WORK="$LOAD_WORK"

LINK="$(curl -fsS "$BASE/links?path=/protected/10k.bin&count=1" | head -n 1)"
declare -A URL=([headers]="/public-headers/10k.bin?${LINK#*\?}" [protected]="$LINK")

# Warm-up: every method reaches its final tier before sampling starts.
for name in headers protected; do wrk -t1 -c32 -d10s "$BASE${URL[$name]}" >/dev/null; done

# One sampled wrk run; appends "name symbol samples" rows and "name #requests n" to $WORK/samples.
sample() {
  local name="$1" data="$WORK/$1.data" out requests
  perf record -F "$FREQ" -p "$HOST_PID" -o "$data" -- sleep "$((DURATION + 1))" >/dev/null 2>&1 &
  local perf_pid=$!
  sleep 0.5
  out="$(wrk -t1 -c32 -d"${DURATION}s" "$BASE${URL[$name]}")"
  wait "$perf_pid" || true
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then echo "$out" >&2; echo "profile.sh: errors during the run of $name" >&2; exit 1; fi
  requests="$(awk '/requests in/ { print $1 }' <<<"$out")"
  echo "$name #requests $requests" >>"$WORK/samples"
  perf report -i "$data" -n --no-children --sort symbol --stdio -g none 2>/dev/null \
    | awk -v name="$name" '/^ *[0-9.]+%/ { samples = $2; $1 = $2 = $3 = ""; sub(/^ +/, ""); sub(/ - -$/, ""); gsub(/\[[^]]*\] ?|instance |class |valuetype /, ""); print name "\t" $0 "\t" samples }' \
    >>"$WORK/samples"
  echo "  $name: $requests requests"
}

for round in $(seq 1 "$ROUNDS"); do
  echo "Round $round"
  if [ $((round % 2)) -eq 1 ]; then sample headers; sample protected; else sample protected; sample headers; fi
done

echo
echo "CPU ns per request by symbol (perf at $FREQ Hz, $ROUNDS rounds of ${DURATION}s each), largest difference first:"
awk -F'\t' -v freq="$FREQ" -v top="$TOP" '
  / #requests / { split($0, f, " "); requests[f[1]] += f[3]; next }
  { samples[$1, $2] += $3; symbols[$2] = 1; total[$1] += $3 }
  END {
    for (s in symbols) {
      h = samples["headers", s] / freq * 1e9 / requests["headers"]
      p = samples["protected", s] / freq * 1e9 / requests["protected"]
      printf "%9.1f %9.1f %9.1f  %s\n", p - h, h, p, substr(s, 1, 150)
    }
    printf "%9.1f %9.1f %9.1f  (all samples of the host)\n", total["protected"] / freq * 1e9 / requests["protected"] - total["headers"] / freq * 1e9 / requests["headers"],
      total["headers"] / freq * 1e9 / requests["headers"], total["protected"] / freq * 1e9 / requests["protected"] > "/dev/stderr"
  }' "$WORK/samples" 2>"$WORK/total" | sort -gr >"$WORK/diff"
printf "%9s %9s %9s  %s\n" "diff" "headers" "protected" "symbol"
head -n "$TOP" "$WORK/diff"
echo "..."
cat "$WORK/total"
echo
echo "The package's own frames (namespace SignedStaticFiles):"
grep 'SignedStaticFiles\.' "$WORK/diff" | head -n "$TOP" || true
