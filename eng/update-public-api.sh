#!/usr/bin/env bash
# Adds every public symbol the build reports as undeclared (RS0016) to the project's PublicAPI.Unshipped.txt.
# Usage: eng/update-public-api.sh src/SignedStaticFiles
set -euo pipefail
project="${1:?project folder}"
out=$(dotnet build "$project" -c Debug --no-incremental 2>&1 || true)
grep -oP "error RS0016: Symbol '\K.*(?=' is not part of the declared public API)" <<<"$out" | sort -u >> "$project/PublicAPI.Unshipped.txt" || true
{ head -n1 "$project/PublicAPI.Unshipped.txt"; tail -n +2 "$project/PublicAPI.Unshipped.txt" | sort -u; } > "$project/PublicAPI.tmp" && mv "$project/PublicAPI.tmp" "$project/PublicAPI.Unshipped.txt"
dotnet build "$project" -c Debug 2>&1 | grep -E " error |Build succeeded" | sort -u | head -20
