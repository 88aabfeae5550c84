#!/usr/bin/env bash
# B6, one command: a 1 MB object through ServeFromS3 / ServeFromAzureBlobs vs the SDK reading it directly (median
# ratio of alternated rounds), and the bytes a 1 KB Range costs the store (counted by a TCP proxy).
# Needs the store servers in .tools (./test.sh installs them). Run it alone, on a quiet machine.
#   tests/SignedStaticFiles.Stores.Benchmarks/run.sh                      # defaults: both stores, 7 rounds x 1000 requests, 4 at a time
#   tests/SignedStaticFiles.Stores.Benchmarks/run.sh --rounds 1 --requests 2   # a dry run
set -euo pipefail
cd "$(dirname "$0")"
dotnet run -c Release -- "$@"
