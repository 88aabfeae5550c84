#!/usr/bin/env bash
# B3 (cached): requests/s of a cached watermarked variant (/protected, WatermarkMode.Always, the same
# signed link repeated) against the framework's UseStaticFiles (/public) serving the original of the same
# 2000x1300 JPEG, from one Release Kestrel host on 127.0.0.1. Runs alternate (order flips every round);
# prints the median of RUNS rounds and the ratio. Target: protected/public >= 0.8.
# Usage: tests/SignedStaticFiles.Benchmarks/wrk-watermark.sh
# Tunables: RUNS=5 DURATION=10s THREADS=1 CONNECTIONS=32 PORT=5190
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
RUNS="${RUNS:-5}" DURATION="${DURATION:-10s}" THREADS="${THREADS:-1}" CONNECTIONS="${CONNECTIONS:-32}" PORT="${PORT:-5190}"
BASE="http://127.0.0.1:$PORT"
command -v wrk >/dev/null || { echo "wrk is required (Debian package wrk)"; exit 1; }

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PROJECT="$REPO/tests/SignedStaticFiles.Benchmarks"
dotnet build "$PROJECT" -c Release -nologo -v quiet >/dev/null
WORK="$(mktemp -d)"
HOST_PID=""
cleanup() { if [ -n "$HOST_PID" ]; then kill "$HOST_PID" 2>/dev/null || true; wait "$HOST_PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT

dotnet "$PROJECT/bin/Release/net10.0/SignedStaticFiles.Benchmarks.dll" watermark-host \
  --urls "$BASE" --root "$WORK" --links "$WORK/links.txt" >"$WORK/host.log" 2>&1 &
HOST_PID=$!
for _ in $(seq 1 300); do grep -q '^ready' "$WORK/host.log" 2>/dev/null && break; sleep 0.2; done
LINK="$(head -n1 "$WORK/links.txt")"

public_bytes=$(curl -s -o /dev/null -w '%{size_download}' "$BASE/public/photo.jpg")
variant_bytes=$(curl -s -o /dev/null -w '%{size_download}' "$BASE$LINK")   # renders and caches the variant
echo "original $public_bytes bytes, watermarked variant $variant_bytes bytes"

run() { wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$1" | awk '/Requests\/sec/ {print $2}'; }
wrk -t1 -c8 -d3s "$BASE/public/photo.jpg" >/dev/null; wrk -t1 -c8 -d3s "$BASE$LINK" >/dev/null   # warm-up
pub=() prot=()
for i in $(seq 1 "$RUNS"); do
  if [ $((i % 2)) -eq 1 ]; then pub+=("$(run "$BASE/public/photo.jpg")"); prot+=("$(run "$BASE$LINK")")
  else prot+=("$(run "$BASE$LINK")"); pub+=("$(run "$BASE/public/photo.jpg")"); fi
  echo "round $i: public ${pub[-1]} req/s, protected+watermark (cached) ${prot[-1]} req/s"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mp=$(median "${pub[@]}"); mr=$(median "${prot[@]}")
echo "median public $mp req/s ($(awk -v r="$mp" -v b="$public_bytes" 'BEGIN{printf "%.0f", r*b/1048576}') MiB/s)"
echo "median protected (cached watermark) $mr req/s ($(awk -v r="$mr" -v b="$variant_bytes" 'BEGIN{printf "%.0f", r*b/1048576}') MiB/s)"
echo "ratio req/s $(awk -v a="$mr" -v b="$mp" 'BEGIN{printf "%.3f", a/b}')"
curl -s "$BASE/stats"; echo
