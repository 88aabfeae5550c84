#!/usr/bin/env bash
# B7: the revocation check under load. Two Release Kestrel hosts on 127.0.0.1, identical but for the revocations
# they hold: none, and REVOCATIONS (100,000 by default: a third each link ids, users, folders, none matching the
# file). The same signed link is requested over and over (B1's "repeated" pattern, 10 KB file) from each host in
# turn, the order flipping every round; prints the median requests/s and host CPU µs per request of both, and
# their ratios. The bar: B1 repeated with revocations held is within noise of B1 without (CPU ≤ +2 µs/request).
#
# Usage (from anywhere in a clean clone, on a quiet machine): tests/SignedStaticFiles.Benchmarks/load/b7-revocations.sh
# Per-round figures go to stderr. Tunables (environment): RUNS=5 DURATION=10s WARMUP=15s THREADS=1 CONNECTIONS=32
# PORT=5180 (the second host takes PORT+1) REVOCATIONS=100000
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
RUNS="${RUNS:-5}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-15s}"
THREADS="${THREADS:-1}"
CONNECTIONS="${CONNECTIONS:-32}"
PORT="${PORT:-5180}"
REVOCATIONS="${REVOCATIONS:-100000}"

. "$HERE/host.sh"
. "$HERE/measure.sh"
require_tools wrk curl
build_host
start_host none "$PORT" --revocations 0
NONE_PID="$LAST_PID"
start_host held "$((PORT + 1))" --revocations "$REVOCATIONS"
HELD_PID="$LAST_PID"
measure() { wrk_cpu "$2" "$1"; } # url pid -> "requests/s cpu-µs-per-request"

none_url="http://127.0.0.1:$PORT$(curl -fsS "http://127.0.0.1:$PORT/links?path=/protected/10k.bin&count=1")"
held_url="http://127.0.0.1:$((PORT + 1))$(curl -fsS "http://127.0.0.1:$((PORT + 1))/links?path=/protected/10k.bin&count=1")"
for url in "$none_url" "$held_url"; do
  status="$(curl -s -o /dev/null -w '%{http_code}' "$url")"
  [ "$status" = 200 ] || { echo "b7-revocations.sh: a signed link answered $status" >&2; exit 1; }
done

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $RUNS alternated rounds, repeated link, 10 KB, $(date -u +%Y-%m-%dT%H:%MZ)"

DURATION="$WARMUP" measure "$none_url" "$NONE_PID" >/dev/null
DURATION="$WARMUP" measure "$held_url" "$HELD_PID" >/dev/null

none=() held=() nonecpu=() heldcpu=()
for round in $(seq 1 "$RUNS"); do
  if [ $((round % 2)) -eq 1 ]; then
    read -r p pc <<<"$(measure "$none_url" "$NONE_PID")"; read -r q qc <<<"$(measure "$held_url" "$HELD_PID")"
  else
    read -r q qc <<<"$(measure "$held_url" "$HELD_PID")"; read -r p pc <<<"$(measure "$none_url" "$NONE_PID")"
  fi
  none+=("$p"); held+=("$q"); nonecpu+=("$pc"); heldcpu+=("$qc")
  echo "  round $round: no revocations $p req/s ($pc µs CPU/req), $REVOCATIONS held $q req/s ($qc µs CPU/req)" >&2
done

mp="$(echo "${none[*]}" | median)"; mq="$(echo "${held[*]}" | median)"
cp="$(echo "${nonecpu[*]}" | median)"; cq="$(echo "${heldcpu[*]}" | median)"
printf '\n%-22s %11s %12s\n' '' 'req/s' 'CPU µs/req'
printf '%-22s %11.0f %12.1f\n' 'no revocations' "$mp" "$cp"
printf '%-22s %11.0f %12.1f\n' "$REVOCATIONS revocations" "$mq" "$cq"
printf '%-22s %11.3f %+12.1f\n' 'held / none' "$(awk -v p="$mp" -v q="$mq" 'BEGIN { print q / p }')" "$(awk -v p="$cp" -v q="$cq" 'BEGIN { print q - p }')"
echo
echo "Bar (B7): B1 repeated unchanged within noise with $REVOCATIONS revocations held (CPU ≤ +2 µs/request)."
