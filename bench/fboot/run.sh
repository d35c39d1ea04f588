#!/usr/bin/env bash
# The issue 15 figure (not part of make test): a counter/E_SWITCH loop of
# 50 million iterations timed by E_STOPWATCH, as a boot file in 4diac IDE's
# style (stopwatch_loop.fboot), run on `bin/plc device -f' as FORTE runs it
# with `forte -f'. The device prints the stopwatch's TD and the counter's CV
# (OUT_ANY_CONSOLE) and exits 0 at STEST_END; this prints them and
#   BENCH fboot_stopwatch_loop_seconds <TD in s> s
#   BENCH fboot_stopwatch_loop_ns_per_iteration <TD / iterations> ns
# The counter is F_ADD of a UDINT fed back into itself (E_CTU's CV is a UINT,
# at most 65535; its IN1 starts as UDINT#0 so that FORTE, whose ANY input
# has no type before its first value, adds too), F_LT against the count, and
# E_SWITCH looping back while it is less: three FBs per iteration.
#   ITERATIONS=1000000 bench/fboot/run.sh     a shorter run
#   FORTE=path/to/forte bench/fboot/run.sh    the same file on FORTE too,
#     alternately, ROUNDS times (default 3): BENCH fboot_stopwatch_loop_forte_*
#     and BENCH fboot_stopwatch_loop_ratio (plc time / FORTE time, the median
#     of each; below 1: plc is faster)
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${ITERATIONS:-50000000}
rounds=${ROUNDS:-3}
file=$(mktemp --suffix=.fboot)
trap 'rm -f "$file"' EXIT
sed "s/UDINT#50000000/UDINT#$n/" bench/fboot/stopwatch_loop.fboot >"$file"

# T#2s178ms467us263ns (plc), T#8.932ms (FORTE 2.x) -> ns
to_ns() {
  awk '{
    s = $0; total = 0
    split("d h m s ms us ns", u, " "); split("86400000000000 3600000000000 60000000000 1000000000 1000000 1000 1", f, " ")
    while (match(s, /^[0-9.]+(d|h|ms|m|s|us|ns)/)) {
      part = substr(s, 1, RLENGTH); s = substr(s, RLENGTH + 1)
      num = part; sub(/[a-z]+$/, "", num); unit = substr(part, length(num) + 1)
      for (k = 1; k <= 7; k++) if (u[k] == unit) total += num * f[k]
    }
    printf "%.0f", total }'
}

# Runs the file on one device command; prints TD in ns.
measure() { # name, command...
  local name=$1 out cv td
  shift
  out=$("$@" 2>&1 || true)
  cv=$(echo "$out" | sed -n "s/^INFO: T#[0-9]*:  '\{0,1\}CV'\{0,1\} = \([0-9]*\)$/\1/p")
  td=$(echo "$out" | sed -n "s/^INFO: T#[0-9]*:  '\{0,1\}TD'\{0,1\} = T#\(.*\)$/\1/p")
  if [ "$cv" != "$n" ] || [ -z "$td" ]; then
    echo "bench/fboot/run.sh: $name: expected CV = $n and a TD line, got:" >&2
    echo "$out" | grep -v DEBUG | tail -5 >&2
    exit 1
  fi
  echo "$name: TD = T#$td, CV = $cv" >&2
  echo "$td" | to_ns
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

plc_ns=()
forte_ns=()
for ((r = 0; r < (${FORTE:+1} + 0 ? rounds : 1); r++)); do
  plc_ns+=("$(measure plc bin/plc device -c localhost:0 -f "$file")")
  if [ -n "${FORTE:-}" ]; then
    forte_ns+=("$(measure forte "$FORTE" -c "localhost:$((61560 + r))" -f "$file")")
  fi
done
p=$(printf '%s\n' "${plc_ns[@]}" | median)
awk -v ns="$p" -v n="$n" 'BEGIN {
  printf "BENCH fboot_stopwatch_loop_seconds %.3f s\n", ns / 1e9
  printf "BENCH fboot_stopwatch_loop_ns_per_iteration %.1f ns\n", ns / n }'
if [ -n "${FORTE:-}" ]; then
  f=$(printf '%s\n' "${forte_ns[@]}" | median)
  awk -v ns="$f" -v p="$p" -v n="$n" 'BEGIN {
    printf "BENCH fboot_stopwatch_loop_forte_seconds %.3f s\n", ns / 1e9
    printf "BENCH fboot_stopwatch_loop_forte_ns_per_iteration %.1f ns\n", ns / n
    printf "BENCH fboot_stopwatch_loop_ratio %.2f x\n", p / ns }'
fi
