#!/usr/bin/env bash
# B1: requests/s of UseSignedStaticFiles (/protected) against the framework's UseStaticFiles (/public),
# served by one Release Kestrel host on 127.0.0.1 over the very same 10 KB and 200 KB files.
# Two link patterns: the same signed link repeated (a page reload, a PDF fetched in ranges; also measured against
# /public-headers, UseStaticFiles with the same six headers and query string, to split the design's cost from the
# package's), and a fresh link per request (a Lua script cycling through 10,000 pre-minted links; the /public
# baseline of that pattern goes through the same Lua script). Runs of /public and /protected alternate (the order
# flips every round), RUNS rounds of DURATION each; prints the median requests/s and the ratio.
#
# Usage (from anywhere in a clean clone): tests/SignedStaticFiles.Benchmarks/load/compare.sh
# Per-round figures go to stderr. Tunables (environment): RUNS=3 DURATION=10s THREADS=1 CONNECTIONS=32 PORT=5180 SIZES="10k 200k"
# PATTERNS="repeated fresh"
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../../.." && pwd)"
RUNS="${RUNS:-3}"
DURATION="${DURATION:-10s}"
WARMUP="${WARMUP:-15s}"
THREADS="${THREADS:-1}"
CONNECTIONS="${CONNECTIONS:-32}"
PORT="${PORT:-5180}"
SIZES="${SIZES:-10k 200k}"
PATTERNS="${PATTERNS:-repeated fresh}"
LINK_COUNT=10000
BASE="http://127.0.0.1:$PORT"

. "$HERE/host.sh"
. "$HERE/measure.sh"
require_tools wrk curl
build_host
start_host root "$PORT"
HOST_PID="$LAST_PID"
WORK="$LOAD_WORK"
measure() { # url [links-file]
  if [ -n "${2:-}" ]; then
    LINKS="$2" wrk_cpu "$HOST_PID" -s "$HERE/links.lua" "$BASE"
  else
    wrk_cpu "$HOST_PID" "$1"
  fi
}

echo "Machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), .NET $(dotnet --list-runtimes | awk '/Microsoft.AspNetCore.App/ { v = $2 } END { print v }')"
echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION, $RUNS alternated rounds, $(date -u +%Y-%m-%dT%H:%MZ)"
echo
echo "ratio: median protected req/s / median public req/s (the B1 figure);"
echo "paired: median over rounds of (protected / public) of the two runs of one round;"
echo "cpu: median host CPU µs per public request / per protected request (higher is better, 1 = same cost)."
printf '\n%-6s %-9s %11s %11s %7s %7s %9s %9s %6s\n' size pattern public/s protected/s ratio paired 'cpu pub' 'cpu prot' cpu

floor_rows=()
split_rows=()
for size in $SIZES; do
  public_url="$BASE/public/$size.bin"
  curl -fsS "$BASE/links?path=/protected/$size.bin&count=$LINK_COUNT" >"$WORK/protected-$size.txt"
  yes "/public/$size.bin" | head -n "$LINK_COUNT" >"$WORK/public-$size.txt" || true
  repeated_url="$BASE$(head -n 1 "$WORK/protected-$size.txt")"
  # The framework's static files with the six headers of a protected answer and the same query string: what
  # the repeated link costs above it is the package's own work (the rest is the design's headers and URL).
  headers_url="$BASE/public-headers/$size.bin?${repeated_url#*\?}"
  token_length=$(( $(head -n 1 "$WORK/protected-$size.txt" | sed 's/.*token=//' | wc -c) - 1 ))
  curl -fsS "$BASE/floor-links?path=/floor/$size.bin&count=$LINK_COUNT&length=$token_length" >"$WORK/floor-$size.txt"
  floor_status="$(curl -s -o /dev/null -w '%{http_code}' "$BASE$(head -n 1 "$WORK/floor-$size.txt")")"
  [ "$floor_status" = 200 ] || { echo "compare.sh: a floor link answered $floor_status" >&2; exit 1; }
  status="$(curl -s -o /dev/null -w '%{http_code}' "$repeated_url")"
  [ "$status" = 200 ] || { echo "compare.sh: a signed link answered $status" >&2; exit 1; }

  # Warm-up, not reported: until tiered compilation has rewritten the hot paths (measured on 2 busy
  # cores: the host's CPU per request still fell by a third between the 10th and the 40th second).
  DURATION="$WARMUP" measure "$public_url" >/dev/null
  DURATION="$WARMUP" measure "$repeated_url" >/dev/null
  DURATION="$WARMUP" measure "$headers_url" >/dev/null
  DURATION="$WARMUP" measure "$BASE" "$WORK/protected-$size.txt" >/dev/null
  DURATION="$WARMUP" measure "$BASE" "$WORK/public-$size.txt" >/dev/null
  DURATION="$WARMUP" measure "$BASE" "$WORK/floor-$size.txt" >/dev/null

  for pattern in $PATTERNS; do
    pub=() prot=() pubcpu=() protcpu=() paired=() floorcpu=() headerscpu=() cpudiff=()
    for round in $(seq 1 "$RUNS"); do
      if [ "$pattern" = repeated ]; then a=("$public_url"); b=("$repeated_url")
      else a=("$public_url" "$WORK/public-$size.txt"); b=("$repeated_url" "$WORK/protected-$size.txt"); fi
      if [ $((round % 2)) -eq 1 ]; then
        read -r p pc <<<"$(measure "${a[@]}")"
        if [ "$pattern" = fresh ]; then read -r f fc <<<"$(measure "$BASE" "$WORK/floor-$size.txt")"; floorcpu+=("$fc"); fi
        if [ "$pattern" = repeated ]; then read -r h hc <<<"$(measure "$headers_url")"; headerscpu+=("$hc"); fi
        read -r q qc <<<"$(measure "${b[@]}")"
      else
        read -r q qc <<<"$(measure "${b[@]}")"
        if [ "$pattern" = fresh ]; then read -r f fc <<<"$(measure "$BASE" "$WORK/floor-$size.txt")"; floorcpu+=("$fc"); fi
        if [ "$pattern" = repeated ]; then read -r h hc <<<"$(measure "$headers_url")"; headerscpu+=("$hc"); fi
        read -r p pc <<<"$(measure "${a[@]}")"
      fi
      pub+=("$p"); prot+=("$q"); pubcpu+=("$pc"); protcpu+=("$qc")
      paired+=("$(awk -v p="$p" -v q="$q" 'BEGIN { print q / p }')")
      cpudiff+=("$(awk -v p="$pc" -v q="$qc" 'BEGIN { print q - p }')")
      echo "  $size $pattern round $round: public $p req/s ($pc µs CPU/req), protected $q req/s ($qc µs CPU/req)" >&2
    done
    mp="$(echo "${pub[*]}" | median)"; mq="$(echo "${prot[*]}" | median)"
    cp="$(echo "${pubcpu[*]}" | median)"; cq="$(echo "${protcpu[*]}" | median)"
    printf '%-6s %-9s %11.0f %11.0f %7.3f %7.3f %9.1f %9.1f %6.3f\n' "$size" "$pattern" "$mp" "$mq" \
      "$(awk -v p="$mp" -v q="$mq" 'BEGIN { print q / p }')" "$(echo "${paired[*]}" | median)" \
      "$cp" "$cq" "$(awk -v p="$cp" -v q="$cq" 'BEGIN { print p / q }')"
    if [ "$pattern" = repeated ]; then
      ch="$(echo "${headerscpu[*]}" | median)"
      split_rows+=("$(printf '%-6s %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f %9.1f' "$size" "$cp" "$ch" "$cq" \
        "$(awk -v p="$cp" -v h="$ch" 'BEGIN { print h - p }')" "$(awk -v h="$ch" -v q="$cq" 'BEGIN { print q - h }')" \
        "$(awk -v p="$cp" -v q="$cq" 'BEGIN { print q - p }')" "$(echo "${cpudiff[*]}" | median)")")
    fi
    if [ "$pattern" = fresh ]; then
      cf="$(echo "${floorcpu[*]}" | median)"
      floor_rows+=("$(printf '%-6s %9.1f %9.1f %9.1f %9.1f %9.1f %7.2f' "$size" "$cp" "$cf" "$cq" \
        "$(awk -v p="$cp" -v f="$cf" 'BEGIN { print f - p }')" "$(awk -v p="$cp" -v q="$cq" 'BEGIN { print q - p }')" \
        "$(awk -v p="$cp" -v f="$cf" -v q="$cq" 'BEGIN { print (q - p) / (f - p) }')")")
    fi
  done
done
echo
if [ ${#split_rows[@]} -gt 0 ]; then
  echo "Repeated link split (host CPU µs per request, medians of the same rounds): 'static+' is UseStaticFiles with the"
  echo "six headers of a protected answer and the same query string; design = static+ - public, package = protected - static+;"
  echo "above = protected - public (the B1 repeated figure, bar <= +2 µs), paired = the median of each round's own difference"
  echo "(the two runs of a round are adjacent in time, so a slow spell of the machine cancels out):"
  printf '%-6s %9s %9s %9s %9s %9s %9s %9s\n' size public static+ protected design package above paired
  for row in "${split_rows[@]}"; do echo "$row"; done
fi
if [ ${#floor_rows[@]} -gt 0 ]; then
  echo
  echo "Fresh link against the DataProtection floor (host CPU µs per request, medians of the same rounds):"
  printf '%-6s %9s %9s %9s %9s %9s %7s\n' size public floor fresh floor-pub fresh-pub ratio
  for row in "${floor_rows[@]}"; do echo "$row"; done
  echo "Bar (B1 fresh): ratio = (fresh - public) / (floor - public) <= 1.10."
fi
echo
echo "Bars (B1): ratio >= 0.95 repeated, >= 0.85 fresh."
