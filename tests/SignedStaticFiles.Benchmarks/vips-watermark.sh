#!/usr/bin/env bash
# B3 beside: a comparable diagonal, tiled, 30 % white text watermark of the same 2000x1300 JPEG with the
# libvips command-line tool (Debian libvips-tools), for reference. Each step is one `vips` process
# writing a .v file in a RAM directory; reported: median wall time of the whole chain (text, rotate,
# tile, alpha, composite + JPEG Q85), of the composite step alone (decode + blend + encode), and of a
# plain decode + encode (`vips copy`). Run single-threaded (VIPS_CONCURRENCY=1, like ImageSharp's JPEG
# codec) and with vips' default threads.
# Usage: tests/SignedStaticFiles.Benchmarks/vips-watermark.sh     Tunables: ITERATIONS=15
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
ITERATIONS="${ITERATIONS:-15}"
command -v vips >/dev/null || { echo "vips is required (Debian package libvips-tools)"; exit 1; }
WORK="$(mktemp -d /dev/shm/vips-wm.XXXXXX)"
trap 'rm -rf "$WORK"' EXIT
PROJECT="$REPO/tests/SignedStaticFiles.Benchmarks"
dotnet build "$PROJECT" -c Release -nologo -v quiet >/dev/null
dotnet "$PROJECT/bin/Release/net10.0/SignedStaticFiles.Benchmarks.dll" watermark-host --root "$WORK" --setup-only
PHOTO="$WORK/files/photo.jpg"
TEXT="CONFIDENTIAL · j.doe@bank.example · 2026-11-29 03:14 UTC · Kx3v9QeB0aZ1mL7p"

chain() {
  vips text "$WORK/t.v" "$TEXT" --font "DejaVu Sans 30" --dpi 72
  vips rotate "$WORK/t.v" "$WORK/r.v" 330
  vips embed "$WORK/r.v" "$WORK/cell.v" 0 0 1100 640
  vips replicate "$WORK/cell.v" "$WORK/rep.v" 2 3
  vips crop "$WORK/rep.v" "$WORK/mask.v" 0 0 2000 1300
  vips linear "$WORK/mask.v" "$WORK/alpha.v" 0.3 0 --uchar
  vips linear "$WORK/mask.v" "$WORK/white.v" 0 255 --uchar
  vips bandjoin "$WORK/white.v $WORK/white.v $WORK/white.v $WORK/alpha.v" "$WORK/joined.v"
  vips copy "$WORK/joined.v" "$WORK/overlay.v" --interpretation srgb
  composite
}
composite() { vips composite2 "$PHOTO" "$WORK/overlay.v" "$WORK/out.jpg[Q=85]" over; }
copy() { vips copy "$PHOTO" "$WORK/copy.jpg[Q=85]"; }

measure() {
  local times=()
  for _ in $(seq 1 "$ITERATIONS"); do
    local s e; s=$(date +%s%N); "$1"; e=$(date +%s%N); times+=($(( (e - s) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

chain # warm the page cache and create overlay.v
for threads in 1 default; do
  if [ "$threads" = 1 ]; then export VIPS_CONCURRENCY=1; else unset VIPS_CONCURRENCY; fi
  echo "vips $(vips --version | head -n1), threads=$threads: chain $(measure chain) ms, composite $(measure composite) ms, decode+encode $(measure copy) ms (median of $ITERATIONS, incl. ~process start)"
done
