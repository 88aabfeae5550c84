#!/usr/bin/env bash
# B4: 32 concurrent watermark requests on 32 distinct 12 MP (4000x3000) JPEGs, all cold (distinct
# files, and the default template carries {link}), against one Release Kestrel host with the default
# options (MaxConcurrency = processor count, QueueLength 64). Reports the HTTP status counts, the
# latencies and the host's peak resident set size (VmHWM). Target: peak RSS <= 400 MB, only designed 503s.
# Usage: tests/SignedStaticFiles.Benchmarks/b4-watermark.sh      Tunables: REQUESTS=32 PORT=5191
# Diagnostics (passed to the host): B4_CACHE=<bytes> sets WatermarkOptions.CacheSizeBytes (0: no variant
# cache); B4_TICKS=1 adds the runtime's allocation ticks by type to /stats (where the managed churn comes from).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
REQUESTS="${REQUESTS:-32}" PORT="${PORT:-5191}"
BASE="http://127.0.0.1:$PORT"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
PROJECT="$REPO/tests/SignedStaticFiles.Benchmarks"
dotnet build "$PROJECT" -c Release -nologo -v quiet >/dev/null
DLL="$PROJECT/bin/Release/net10.0/SignedStaticFiles.Benchmarks.dll"
WORK="$(mktemp -d)"
HOST_PID=""
cleanup() { if [ -n "$HOST_PID" ]; then kill "$HOST_PID" 2>/dev/null || true; wait "$HOST_PID" 2>/dev/null || true; fi; rm -rf "$WORK"; }
trap cleanup EXIT

echo "Writing $REQUESTS 12 MP JPEGs (separate process, so that it does not count in the peak RSS)..."
dotnet "$DLL" watermark-host --root "$WORK" --b4 "$REQUESTS" --setup-only
du -sh "$WORK/files" | awk '{print "files: " $1}'

dotnet "$DLL" watermark-host --urls "$BASE" --root "$WORK" --links "$WORK/links.txt" --b4 "$REQUESTS" >"$WORK/host.log" 2>&1 &
HOST_PID=$!
for _ in $(seq 1 300); do grep -q '^ready' "$WORK/host.log" 2>/dev/null && break; sleep 0.2; done
echo "before: $(curl -s "$BASE/stats")"

start=$(date +%s.%N)
tail -n +2 "$WORK/links.txt" | head -n "$REQUESTS" \
  | xargs -P "$REQUESTS" -I{} curl -s -o /dev/null -w '%{http_code} %{time_total}\n' "$BASE{}" >"$WORK/results.txt"
end=$(date +%s.%N)

echo "status counts:"; awk '{print $1}' "$WORK/results.txt" | sort | uniq -c
awk '{print $2}' "$WORK/results.txt" | sort -g | awk '{a[NR]=$1} END {printf "latency s: min %.2f median %.2f max %.2f\n", a[1], a[int((NR+1)/2)], a[NR]}'
echo "wall time: $(awk -v s="$start" -v e="$end" 'BEGIN{printf "%.1f", e-s}') s"
echo "after: $(curl -s "$BASE/stats")"
