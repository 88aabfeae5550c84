#!/usr/bin/env bash
# Packs every package of the repository into a temporary folder and checks what a user of the gallery gets:
#   - the pack gives zero warnings;
#   - every project under src/ produced a package and a symbol package (.snupkg with a PDB per assembly);
#   - each nuspec has its id, version, authors, description, licence expression, copyright, tags, icon, readme
#     (a PACKAGE.md with absolute links only) and release notes, and the files they name are in the package;
#   - THIRD-PARTY-NOTICES.txt is in every package; a package that ships licence texts under licenses/ has a
#     licence expression naming more than MIT, and one naming more than MIT ships its licence texts;
#   - project and repository URLs are exactly SignedStaticFilesRepositoryUrl when it is set, and absent
#     otherwise (never an address of the build machine);
#   - one version for every package, and every dependency between our packages pinned exactly: [x.y.z];
#   - the core package (SignedStaticFiles) depends on no SixLabors package once the image engine has its own
#     project (src/SignedStaticFiles.ImageSharp/*.csproj).
# Usage: eng/check-packages.sh [extra dotnet pack arguments]   (exit status 0 when every check passes)
# Packaging rules live in eng/Packaging.props and eng/Packaging.targets.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"

if ! command -v unzip >/dev/null 2>&1; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO="sudo"; fi
  echo "check-packages: installing unzip"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends unzip >/dev/null
fi

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
work="$(mktemp -d "${TMPDIR:-/tmp}/ssf-packages.XXXXXX")"
trap 'rm -rf "$work"' EXIT
out="$work/packages"

failures=0
fail() { echo "check-packages: FAIL $*" >&2; failures=$((failures + 1)); }

# 1. Pack. The solution holds every project; the packable ones are those under src/ (eng/Packaging.props).
log="$work/pack.log"
if ! dotnet pack SignedStaticFiles.sln -c Release -o "$out" -nologo "$@" >"$log" 2>&1; then
  cat "$log" >&2
  echo "check-packages: dotnet pack failed" >&2
  exit 1
fi
warnings=$(grep -E ': warning [A-Z]*[0-9]*:|: warning :' "$log" | sort -u || true)
if [ -n "$warnings" ]; then
  fail "dotnet pack gave warnings:"
  echo "$warnings" >&2
fi

# Every src project is in the solution and produced its package.
expected=()
for proj in src/*/*.csproj; do
  expected+=("$(basename "$proj" .csproj)")
done
declare -A version_of=()
for nupkg in "$out"/*.nupkg; do
  [ -f "$nupkg" ] || continue
  name="$(basename "$nupkg" .nupkg)"
  id="${name%%.[0-9]*}"
  version_of["$id"]="${name#"$id".}"
done
for id in "${expected[@]}"; do
  [ -n "${version_of[$id]:-}" ] || fail "$id: no package (is src/$id in SignedStaticFiles.sln?)"
done
[ ${#version_of[@]} -gt 0 ] || { echo "check-packages: no package was produced" >&2; exit 1; }

versions=$(printf '%s\n' "${version_of[@]}" | sort -u)
[ "$(wc -l <<<"$versions")" -eq 1 ] || fail "packages have different versions: $(tr '\n' ' ' <<<"$versions")"

# Reads one element's text from a nuspec (single-line elements; release notes are checked for presence only).
field() { sed -n "/<$2>.*<\/$2>/{s:.*<$2>\(.*\)</$2>.*:\1:p;q}" "$1"; }

repo_url="${SignedStaticFilesRepositoryUrl:-}"
for arg in "$@"; do
  case "$arg" in -p:SignedStaticFilesRepositoryUrl=*|/p:SignedStaticFilesRepositoryUrl=*) repo_url="${arg#*=}" ;; esac
done

image_package_exists=false
compgen -G 'src/SignedStaticFiles.ImageSharp/*.csproj' >/dev/null && image_package_exists=true

for id in "${!version_of[@]}"; do
  version="${version_of[$id]}"
  nupkg="$out/$id.$version.nupkg"
  dir="$work/x/$id"
  mkdir -p "$dir"
  unzip -q -o "$nupkg" -d "$dir"
  nuspec="$dir/$id.nuspec"
  [ -f "$nuspec" ] || { fail "$id: no nuspec in the package"; continue; }

  for element in id version authors description copyright tags icon readme; do
    [ -n "$(field "$nuspec" "$element")" ] || fail "$id: nuspec has no <$element>"
  done
  grep -q '<releaseNotes>[^<]' "$nuspec" || fail "$id: nuspec has no release notes (CHANGELOG.md)"
  # A licence expression (SPDX), or a licence file in the package when a bundled licence has no SPDX id.
  license=$(sed -n 's:.*<license type="expression">\(.*\)</license>.*:\1:p' "$nuspec")
  license_file=$(sed -n 's:.*<license type="file">\(.*\)</license>.*:\1:p' "$nuspec")
  if [ -n "$license_file" ]; then
    [ -f "$dir/$license_file" ] || fail "$id: licence file '$license_file' is not in the package"
    license="file:$license_file"
  fi
  [ -n "$license" ] || fail "$id: nuspec has no licence"

  icon=$(field "$nuspec" icon); readme=$(field "$nuspec" readme)
  [ -z "$icon" ] || [ -f "$dir/$icon" ] || fail "$id: icon '$icon' is not in the package"
  [ -z "$readme" ] || [ -f "$dir/$readme" ] || fail "$id: readme '$readme' is not in the package"
  [ "$readme" = "PACKAGE.md" ] || fail "$id: readme is '$readme', expected the project's PACKAGE.md"
  if [ -n "$readme" ] && [ -f "$dir/$readme" ]; then
    # The gallery shows neither relative images nor relative links: every link target must be absolute.
    # Code (fenced blocks and `spans`) is shown as text, not followed: it is left out of the check.
    relative=$(awk '/^[[:space:]]*```/ { code = !code; print ""; next } { print code ? "" : $0 }' "$dir/$readme" \
      | sed 's/`[^`]*`//g' | grep -noE '\]\([^)#][^)]*\)|<img[^>]*src="[^"]*"' | grep -vE '\]\(https?://|src="https?://' || true)
    [ -z "$relative" ] || fail "$id: $readme has relative links or images: $relative"
    lines=$(wc -l <"$dir/$readme")
    [ "$lines" -le 120 ] || fail "$id: $readme has $lines lines; keep the gallery readme short (<= 120)"
  fi
  [ -f "$dir/THIRD-PARTY-NOTICES.txt" ] || fail "$id: THIRD-PARTY-NOTICES.txt is not in the package"

  shipped_licences=0
  if [ -d "$dir/licenses" ]; then shipped_licences=$(find "$dir/licenses" -type f | wc -l); fi
  if [ "$shipped_licences" -gt 0 ] && [ "$license" = "MIT" ]; then
    fail "$id: ships $shipped_licences third-party licence text(s) under licenses/ but its licence expression is only 'MIT'"
  fi
  if [ "$license" != "MIT" ] && [ "$shipped_licences" -eq 0 ]; then
    fail "$id: licence expression '$license' names more than MIT but no licence text is shipped under licenses/"
  fi

  project_url=$(field "$nuspec" projectUrl)
  repository_url=$(sed -n 's:.*<repository [^>]*url="\([^"]*\)".*:\1:p' "$nuspec")
  if [ -n "$repo_url" ]; then
    [ "$project_url" = "$repo_url" ] || fail "$id: projectUrl '$project_url' is not '$repo_url'"
    [ "$repository_url" = "$repo_url" ] || fail "$id: repository url '$repository_url' is not '$repo_url'"
  else
    [ -z "$project_url" ] || fail "$id: projectUrl '$project_url' set although SignedStaticFilesRepositoryUrl is empty"
    [ -z "$repository_url" ] || fail "$id: repository url '$repository_url' set although SignedStaticFilesRepositoryUrl is empty"
  fi
  if grep -qF "$root" "$nuspec"; then fail "$id: the nuspec contains the build machine's path $root"; fi

  # Dependencies: exact pins on our own packages; no imaging library in the core.
  while IFS= read -r dep; do
    [ -n "$dep" ] || continue
    dep_id=$(sed -n 's:.*id="\([^"]*\)".*:\1:p' <<<"$dep")
    dep_version=$(sed -n 's:.*version="\([^"]*\)".*:\1:p' <<<"$dep")
    if [ -n "${version_of[$dep_id]:-}" ] && [ "$dep_version" != "[${version_of[$dep_id]}]" ]; then
      fail "$id: depends on $dep_id '$dep_version', expected the exact pin '[${version_of[$dep_id]}]'"
    fi
    if [ "$id" = "SignedStaticFiles" ] && [[ "$dep_id" == SixLabors.* ]]; then
      if $image_package_exists; then
        fail "SignedStaticFiles: depends on $dep_id; the core must not depend on an imaging library"
      else
        echo "check-packages: note: SignedStaticFiles still depends on $dep_id (allowed until src/SignedStaticFiles.ImageSharp has a project)"
      fi
    fi
  done < <(grep -o '<dependency [^>]*>' "$nuspec" || true)

  # Symbols: one PDB per assembly.
  snupkg="$out/$id.$version.snupkg"
  if [ ! -f "$snupkg" ]; then
    fail "$id: no symbol package (.snupkg)"
  else
    # Listings are read whole first: `unzip | grep -q` under pipefail fails at random when grep stops early.
    symbols=$(unzip -Z1 "$snupkg")
    for dll in $(unzip -Z1 "$nupkg" | grep -E '^lib/.*\.dll$'); do
      grep -qxF "${dll%.dll}.pdb" <<<"$symbols" || fail "$id: the symbol package has no ${dll%.dll}.pdb"
    done
  fi

  echo "check-packages: $id $version  licence '$license'  $(unzip -Z1 "$nupkg" | grep -cE '^lib/.*\.dll$') assembly(ies)  deps: $(grep -o '<dependency id="[^"]*" version="[^"]*"' "$nuspec" | sed 's/<dependency id="\([^"]*\)" version="\([^"]*\)"/\1 \2/' | paste -sd, - | sed 's/,/, /g')"
done

if [ "$failures" -gt 0 ]; then
  echo "check-packages: $failures check(s) failed" >&2
  exit 1
fi
echo "check-packages: ${#version_of[@]} packages, every check passed"
