# Sourced by compare.sh and b7-revocations.sh: one wrk run measured as requests/s and the host's CPU per request.
# Needs THREADS, CONNECTIONS and DURATION set by the caller.

TICK_US=$((1000000 / $(getconf CLK_TCK)))

# The CPU time (user + system, clock ticks) the process has used so far.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

# wrk_cpu <host pid> <wrk arguments...>: runs wrk once; prints "requests/s cpu-µs-per-request", the second being
# the host process's CPU time over the requests wrk completed: on a machine whose cores are shared with other
# work, throughput mostly measures the wait for a core, the CPU cost per request does not. Refuses to report a
# run with any non-2xx/3xx answer or socket error.
wrk_cpu() {
  local pid="$1" out before after
  shift
  before="$(cpu_ticks "$pid")"
  out="$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" "$@")"
  after="$(cpu_ticks "$pid")"
  if grep -qE 'Non-2xx|Socket errors' <<<"$out"; then
    echo "$out" >&2
    echo "$(basename "$0"): errors during the run of ${*: -1}" >&2
    exit 1
  fi
  awk -v ticks="$((after - before))" -v tick="$TICK_US" '
    /requests in/ { n = $1 }
    /^Requests\/sec:/ { rps = $2 }
    END { printf "%s %.1f\n", rps, ticks * tick / n }' <<<"$out"
}

# The median of the numbers on standard input (separated by spaces or lines).
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
