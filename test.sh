#!/usr/bin/env bash
# Runs every test of the solution on a fresh machine.
# 1. Installs the test prerequisites that are missing (Debian packages: redis-server for the web-farm
#    tests, chromium for the real-browser test). 2. Runs `dotnet test` on the solution. 3. Packs every
#    package and checks it (eng/check-packages.sh).
set -euo pipefail
cd "$(dirname "$0")"

SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi

missing=()
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
if [ ${#missing[@]} -gt 0 ]; then
  echo "test.sh: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
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
