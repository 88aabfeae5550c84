#!/usr/bin/env bash
# Runs every test of the solution on a fresh machine.
# 1. Installs the test prerequisites that are missing (Debian packages: redis-server for the web-farm
#    tests, chromium for the real-browser test, fontconfig and the Noto fonts for the stamp's scripts;
#    node packages for the object-store test servers, below).
# 2. Runs `dotnet test` on the solution. 3. Packs every package and checks it (eng/check-packages.sh).
# 4. Runs a generated app referencing the core and a SixLabors.ImageSharp 4.0.0 stand-in (eng/check-newer-imagesharp.sh).
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
# The image engine's text: fontconfig finds system fonts for the scripts the bundled font lacks (CJK,
# Devanagari, Thai, ...); the script tests of SignedStaticFiles.ImageSharp.Tests need them.
for package in fontconfig fonts-noto-core fonts-noto-cjk; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The object-store tests run real servers with node (Debian's nodejs when missing): Azurite and s3rver,
#    pinned to versions that run on node 20 (azurite 3.36+ needs node 21+; s3rver 5 needs node 24), installed
#    into .tools/node_modules (git-ignored) when missing. The tests start and stop them on loopback.
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "test.sh: installing nodejs npm"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends nodejs npm >/dev/null
fi
STORE_SERVERS="azurite@3.35.0 @20minutes/s3rver@4.0.4"
if [ ! -f .tools/node_modules/azurite/package.json ] || [ ! -f .tools/node_modules/@20minutes/s3rver/package.json ] \
  || ! grep -q '"version": "3.35.0"' .tools/node_modules/azurite/package.json \
  || ! grep -q '"version": "4.0.4"' .tools/node_modules/@20minutes/s3rver/package.json; then
  echo "test.sh: installing $STORE_SERVERS into .tools"
  mkdir -p .tools
  npm install --prefix .tools --no-save --no-audit --no-fund --loglevel=error $STORE_SERVERS >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
results="$(pwd)/TestResults"
rm -rf "$results"
status=0
dotnet test SignedStaticFiles.sln -c Release --results-directory "$results" \
  --logger "console;verbosity=normal" --logger trx "$@" || status=$?

# ---- Packages: pack every package and check its nuspec (metadata, readme, notices, exact pins, symbols,
# zero warnings). eng/check-packages.sh says what it checks; a failure fails test.sh.
echo "test.sh: checking the packages (eng/check-packages.sh)"
eng/check-packages.sh || { echo "test.sh: the package check failed" >&2; status=1; }
# ---- end of the package check.

# ---- Issue #11: an app referencing the core and a newer SixLabors.ImageSharp (a 4.0.0 stand-in) starts and
# serves signed files (eng/check-newer-imagesharp.sh says what it proves and why a stand-in); a failure fails test.sh.
echo "test.sh: checking an app with the core and SixLabors.ImageSharp 4.x (eng/check-newer-imagesharp.sh)"
eng/check-newer-imagesharp.sh || { echo "test.sh: the newer-ImageSharp check failed" >&2; status=1; }

# One closing line over every test project: "Tests: N passed, N failed, N skipped".
passed=0 failed=0 total=0
for trx in "$results"/*.trx; do
  [ -f "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  t=$(sed -n 's/.*total="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); total=$((total + ${t:-0}))
done
echo "Tests: $passed passed, $failed failed, $((total - passed - failed)) skipped"
if [ "$total" -eq 0 ] && [ "$status" -eq 0 ]; then echo "test.sh: no test ran" >&2; status=1; fi
exit "$status"
