#!/usr/bin/env bash
# Issue #11: an app that references the core package (SignedStaticFiles) AND a newer SixLabors.ImageSharp (4.x)
# starts and serves. v1's core depended on SixLabors.ImageSharp >= 2.1.13 (open-ended) and built its watermark
# pipeline eagerly, so such an app failed at startup with
#   TypeLoadException: Could not load type 'SixLabors.ImageSharp.IConfigurationModule' ...
#
# What it proves, end to end, in a temporary folder (removed on exit, with the app process):
#   1. packs the core (src/SignedStaticFiles) as a package into a local folder feed;
#   2. generates and packs a STAND-IN "SixLabors.ImageSharp" 4.0.0 into the same feed (see below);
#   3. generates a minimal web app (Microsoft.NET.Sdk.Web, net10.0) referencing both packages, which loads the
#      4.0.0 assembly at startup (it prints a type from it), then AddSignedStaticFiles/UseSignedStaticFiles over a
#      folder holding hello.txt and card.jpg, and mints links with ISignedUrlGenerator at /mint/{name};
#   4. checks that restore resolved SixLabors.ImageSharp 4.0.0, and only it, from the local feed
#      (obj/project.assets.json, the app's deps.json, the package's .nupkg.metadata);
#   5. runs the app on a loopback port and checks: the loaded imaging assembly is version 4.0.0.0; a minted link
#      answers 200 with the file's exact bytes (both files); a bare link (no token) and a tampered token answer 403.
# Exits non-zero with a "check-newer-imagesharp: FAIL ..." line on any failure.
#
# Why a stand-in: the real SixLabors.ImageSharp 4.x cannot be obtained on this machine (its package registry
# serves only 2.1.13; 3.x and newer are under a paid licence). The stand-in is a tiny generated class library
# with the real one's identity -- package id SixLabors.ImageSharp, version 4.0.0, assembly
# "SixLabors.ImageSharp, Version=4.0.0.0", public-signed with SixLabors' PUBLIC key (the public key of the
# 2.1.13 assembly, so the public key token d998eea7b14cab13 is the real one) -- but a different API: two
# types, and neither SixLabors.ImageSharp.IConfigurationModule nor SixLabors.ImageSharp.Configuration.
# That reproduces v1's failure mechanism: NuGet resolves the highest requested version (the app's 4.0.0 wins
# over a ">= 2.1.13" dependency of the core), the runtime binds every reference to SixLabors.ImageSharp 2.0.0.0
# to the 4.0.0.0 assembly, and a core compiled against ImageSharp 2.x types would fail with a TypeLoadException
# the moment it touched one. A core that references no imaging library (v2) starts and serves.
#
# The temporary NuGet config adds the local feed beside the machine's configured sources (no <clear/>) and maps
# SixLabors.* and SignedStaticFiles* to the local feed only (packageSourceMapping), so no registry's
# SixLabors.ImageSharp can win. The app is restored into a NUGET_PACKAGES folder of its own, so neither the
# stand-in nor this locally packed core ever enters the shared package cache (which keeps the first build of a
# version it saw: docs/development.md).
#
# Usage: eng/check-newer-imagesharp.sh   (run by test.sh after eng/check-packages.sh; exit status 0 on success)
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
started=$SECONDS

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

say() { echo "check-newer-imagesharp: $*"; }
fail() { echo "check-newer-imagesharp: FAIL $*" >&2; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/ssf-imagesharp4.XXXXXX")"
app_pid=""
cleanup() {
  if [ -n "$app_pid" ] && kill -0 "$app_pid" 2>/dev/null; then
    kill "$app_pid" 2>/dev/null || true
    wait "$app_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

feed="$work/feed"
mkdir -p "$feed"
# Stop MSBuild's upward search for Directory.Build.* / Directory.Packages.props at the temporary folder.
echo '<Project />' >"$work/Directory.Build.props"
echo '<Project />' >"$work/Directory.Build.targets"
echo '<Project />' >"$work/Directory.Packages.props"

# Runs a command with its output in a log file; on failure shows the log and fails.
run_logged() {
  local what="$1" log="$2"; shift 2
  if ! "$@" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    fail "$what failed (command: $*)"
  fi
}

# ---- 1. The core, packed from this repository (with the machine's ordinary package cache).
say "packing src/SignedStaticFiles"
run_logged "dotnet pack src/SignedStaticFiles" "$work/pack-core.log" \
  dotnet pack src/SignedStaticFiles/SignedStaticFiles.csproj -c Release -o "$feed" -nologo
core_nupkg=$(find "$feed" -maxdepth 1 -name 'SignedStaticFiles.[0-9]*.nupkg' | head -n1)
[ -n "$core_nupkg" ] || fail "dotnet pack produced no SignedStaticFiles package in $feed"
core_version="$(basename "$core_nupkg" .nupkg)"; core_version="${core_version#SignedStaticFiles.}"

# Everything below restores into a package folder of its own.
export NUGET_PACKAGES="$work/nuget-packages"

# ---- 2. The stand-in SixLabors.ImageSharp 4.0.0.
standin="$work/standin"
mkdir -p "$standin"
# SixLabors' public key, as in SixLabors.ImageSharp 2.1.13 (PublicKeyToken=d998eea7b14cab13). Public data: it
# gives the stand-in the real assembly identity; PublicSign writes the key without signing anything.
sixlabors_public_key=00240000048000009400000006020000002400005253413100040000010001000147E6FE6766715EEC6CFED61F1E7DCDBF69748A3E355C67E9D8DFD953ACAB1D5E012BA34B23308166FDC61EE1D0390D5F36D814A6091DD4B5ED9EDA5A26AFCED924C683B4BFB4B3D64B0586A57EFF9F02B1F84E3CB0DDD518BD1697F2C84DCBB97EB8BB5C7801BE12112ED0EC86DB934B0E9A5171E6BB1384B6D2F7D54DFA97
printf '%b' "$(sed 's/../\\x&/g' <<<"$sixlabors_public_key")" >"$standin/sixlabors-public.snk"
cat >"$standin/StandIn.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <AssemblyName>SixLabors.ImageSharp</AssemblyName>
    <RootNamespace>SixLabors.ImageSharp</RootNamespace>
    <PackageId>SixLabors.ImageSharp</PackageId>
    <Version>4.0.0</Version>
    <AssemblyVersion>4.0.0.0</AssemblyVersion>
    <FileVersion>4.0.0.0</FileVersion>
    <Authors>SignedStaticFiles eng/check-newer-imagesharp.sh</Authors>
    <Product>STAND-IN for SixLabors.ImageSharp 4.x (not SixLabors' package)</Product>
    <Description>STAND-IN generated by SignedStaticFiles' eng/check-newer-imagesharp.sh: the identity of SixLabors.ImageSharp 4.0.0 with a different API (no IConfigurationModule, no Configuration). Never published.</Description>
    <SignAssembly>true</SignAssembly>
    <PublicSign>true</PublicSign>
    <AssemblyOriginatorKeyFile>sixlabors-public.snk</AssemblyOriginatorKeyFile>
    <IncludeSymbols>false</IncludeSymbols>
  </PropertyGroup>
</Project>
XML
cat >"$standin/StandIn.cs" <<'CS'
namespace SixLabors.ImageSharp;

/// <summary>A type that only the stand-in 4.0.0 has: an app that prints it has loaded this assembly.</summary>
public static class StandInImagingApi
{
    public static string Describe() => "stand-in SixLabors.ImageSharp 4.0.0 (no IConfigurationModule, no Configuration)";
}

/// <summary>A second type of the "newer" API.</summary>
public sealed class PixelSurface(int width, int height)
{
    public int Width { get; } = width;
    public int Height { get; } = height;
}
CS
say "packing the stand-in SixLabors.ImageSharp 4.0.0"
run_logged "dotnet pack of the stand-in" "$work/pack-standin.log" \
  dotnet pack "$standin/StandIn.csproj" -c Release -o "$feed" -nologo
[ -f "$feed/SixLabors.ImageSharp.4.0.0.nupkg" ] || fail "the stand-in package SixLabors.ImageSharp.4.0.0.nupkg was not produced"

# ---- The NuGet config of the temporary folder: the local feed added to the configured sources (no <clear/>);
# our packages and SixLabors.* come from the local feed only, everything else from the configured sources.
other_sources=$(cd "$work" && dotnet nuget list source 2>/dev/null \
  | sed -n 's/^ *[0-9][0-9]*\. *\(.*\) \[Enabled\]$/\1/p' || true)
{
  echo '<?xml version="1.0" encoding="utf-8"?>'
  echo '<configuration>'
  echo '  <packageSources>'
  echo "    <add key=\"ssf-check-local\" value=\"$feed\" />"
  echo '  </packageSources>'
  echo '  <packageSourceMapping>'
  echo '    <packageSource key="ssf-check-local">'
  echo '      <package pattern="SixLabors.*" />'
  echo '      <package pattern="SignedStaticFiles" />'
  echo '      <package pattern="SignedStaticFiles.*" />'
  echo '    </packageSource>'
  while IFS= read -r source; do
    [ -n "$source" ] || continue
    echo "    <packageSource key=\"$source\"><package pattern=\"*\" /></packageSource>"
  done <<<"$other_sources"
  echo '  </packageSourceMapping>'
  echo '</configuration>'
} >"$work/nuget.config"

# ---- 3. The app.
app="$work/app"
mkdir -p "$app/protected"
cat >"$app/NewerImageSharpApp.csproj" <<XML
<Project Sdk="Microsoft.NET.Sdk.Web">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <ImplicitUsings>enable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="SignedStaticFiles" Version="[$core_version]" />
    <PackageReference Include="SixLabors.ImageSharp" Version="[4.0.0]" />
  </ItemGroup>
</Project>
XML
cat >"$app/Program.cs" <<'CS'
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using SignedStaticFiles;

// Load the newer imaging assembly first, as an app that uses it would, before the core is set up.
var imaging = typeof(SixLabors.ImageSharp.StandInImagingApi).Assembly.GetName();
var surface = new SixLabors.ImageSharp.PixelSurface(2, 1);
Console.WriteLine($"imaging: {imaging.Name} {imaging.Version} {SixLabors.ImageSharp.StandInImagingApi.Describe()}; a {surface.Width}x{surface.Height} PixelSurface");

var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddDataProtection()
    .SetApplicationName("ssf-check-newer-imagesharp")
    .PersistKeysToFileSystem(new DirectoryInfo(Path.Combine(builder.Environment.ContentRootPath, "keys")));
builder.Services.AddSignedStaticFiles(o =>
{
    o.RequestPath = "/protected";
    o.RootPath = "protected";
});

var app = builder.Build();
app.UseSignedStaticFiles();
app.MapGet("/mint/{name}", (string name, ISignedUrlGenerator signer) =>
    signer.GetSignedUrl($"/protected/{name}", TimeSpan.FromMinutes(2)));
app.Start();
var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
Console.WriteLine($"listening: {addresses.First()}");
app.WaitForShutdown();
CS
printf 'hello from a protected folder\n' >"$app/protected/hello.txt"
# A small .jpg-named file (a JPEG's first bytes; no image engine is registered, so it is served as it is).
printf '\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9' >"$app/protected/card.jpg"

say "building the app (SignedStaticFiles $core_version + SixLabors.ImageSharp [4.0.0])"
run_logged "dotnet build of the app" "$work/build-app.log" \
  dotnet build "$app/NewerImageSharpApp.csproj" -c Release -nologo

# ---- 4. What restore resolved.
assets="$app/obj/project.assets.json"
deps="$app/bin/Release/net10.0/NewerImageSharpApp.deps.json"
[ -f "$assets" ] || fail "no $assets"
[ -f "$deps" ] || fail "no $deps"
resolved=$(grep -o '"SixLabors\.ImageSharp/[^"]*"' "$assets" | sort -u | tr -d '"' | paste -sd' ' - || true)
[ "$resolved" = "SixLabors.ImageSharp/4.0.0" ] \
  || fail "project.assets.json resolved '${resolved:-nothing}', expected exactly SixLabors.ImageSharp/4.0.0"
in_deps=$(grep -o '"SixLabors\.ImageSharp/[^"]*"' "$deps" | sort -u | tr -d '"' | paste -sd' ' - || true)
[ "$in_deps" = "SixLabors.ImageSharp/4.0.0" ] \
  || fail "the app's deps.json has '${in_deps:-nothing}', expected exactly SixLabors.ImageSharp/4.0.0"
grep -q '"assemblyVersion": "4.0.0.0"' "$deps" || fail "the app's deps.json does not list assembly version 4.0.0.0"
grep -qF "\"source\": \"$feed" "$NUGET_PACKAGES/sixlabors.imagesharp/4.0.0/.nupkg.metadata" 2>/dev/null \
  || fail "SixLabors.ImageSharp 4.0.0 was not restored from the local feed ($NUGET_PACKAGES/sixlabors.imagesharp/4.0.0/.nupkg.metadata)"
say "resolved: $resolved from the local feed (deps.json: $in_deps, assembly 4.0.0.0)"

# ---- 5. Run it on a loopback port the system picks, and ask it for files.
log="$work/app.log"
(cd "$app" && exec dotnet bin/Release/net10.0/NewerImageSharpApp.dll --urls http://127.0.0.1:0) >"$log" 2>&1 &
app_pid=$!
base=""
for _ in $(seq 1 300); do
  base=$(sed -n 's/^listening: \(http:[^ ]*\)$/\1/p' "$log" | head -n1)
  [ -n "$base" ] && break
  if ! kill -0 "$app_pid" 2>/dev/null; then
    tail -n 60 "$log" >&2
    fail "the app exited at startup (its output is above)"
  fi
  sleep 0.1
done
[ -n "$base" ] || { tail -n 60 "$log" >&2; fail "the app did not report its address within 30 s"; }
imaging_line=$(grep -m1 '^imaging: ' "$log" || true)
[[ "$imaging_line" == "imaging: SixLabors.ImageSharp 4.0.0.0 stand-in "* ]] \
  || fail "the app did not load the 4.0.0.0 imaging assembly (printed: '${imaging_line:-nothing}')"
say "app started on $base; loaded ${imaging_line#imaging: }"

curl_() { curl --noproxy '*' -sS --max-time 10 "$@"; }
for name in hello.txt card.jpg; do
  link=$(curl_ -f "$base/mint/$name") || fail "GET /mint/$name failed"
  [[ "$link" == "/protected/$name?token="* ]] || fail "GET /mint/$name answered '$link', expected /protected/$name?token=..."
  status=$(curl_ -o "$work/got-$name" -w '%{http_code}' "$base$link") || fail "GET of the minted link to $name failed"
  [ "$status" = "200" ] || fail "the minted link to $name answered $status, expected 200"
  cmp -s "$work/got-$name" "$app/protected/$name" || fail "the minted link to $name did not answer the file's bytes"
  say "minted link /protected/$name?token=… -> 200, $(wc -c <"$work/got-$name") bytes, identical to the file"

  status=$(curl_ -o /dev/null -w '%{http_code}' "$base/protected/$name") || fail "GET of the bare link to $name failed"
  [ "$status" = "403" ] || fail "the bare link /protected/$name answered $status, expected 403"
  # One character changed in the middle of the token (the last one may carry only padding bits).
  token="${link#*\?token=}"; at=$(( ${#link} - ${#token} + ${#token} / 2 ))
  swap=A; [ "${link:at:1}" = "A" ] && swap=B
  tampered="${link:0:at}$swap${link:at+1}"
  status=$(curl_ -o /dev/null -w '%{http_code}' "$base$tampered") || fail "GET of a tampered link to $name failed"
  [ "$status" = "403" ] || fail "a tampered link to $name answered $status, expected 403"
  say "bare link /protected/$name -> 403; tampered token -> 403"
done

kill "$app_pid" 2>/dev/null || true
wait "$app_pid" 2>/dev/null || true
app_pid=""
say "an app referencing SignedStaticFiles $core_version and SixLabors.ImageSharp 4.0.0 (stand-in) starts and serves ($((SECONDS - started)) s)"
