#!/usr/bin/env bash
# The issue 15 figure (not part of make test): a counter/E_SWITCH loop of
# 50 million iterations timed by E_STOPWATCH, as a boot file in 4diac IDE's
# style (stopwatch_loop.fboot), run on `bin/plc device -f' as FORTE runs it
# with `forte -f'. The device prints the stopwatch's TD and the counter's CV
# (OUT_ANY_CONSOLE) and exits 0 at STEST_END; this prints them and
#   BENCH fboot_stopwatch_loop_seconds <TD in s> s
#   BENCH fboot_stopwatch_loop_ns_per_iteration <TD / iterations> ns
# The counter is F_ADD of a UDINT fed back into itself (E_CTU's CV is a UINT,
# at most 65535), F_LT against the count, and E_SWITCH looping back while
# it is less: three FBs per iteration.
#   ITERATIONS=1000000 bench/fboot/run.sh     a shorter run
set -euo pipefail
cd "$(dirname "$0")/../.."
n=${ITERATIONS:-50000000}
file=$(mktemp --suffix=.fboot)
trap 'rm -f "$file"' EXIT
sed "s/UDINT#50000000/UDINT#$n/" bench/fboot/stopwatch_loop.fboot >"$file"
out=$(bin/plc device -c localhost:0 -f "$file")
echo "$out" | grep -E ' (TD|CV) = '
cv=$(echo "$out" | sed -n 's/^INFO: T#[0-9]*:  CV = \([0-9]*\)$/\1/p')
td=$(echo "$out" | sed -n 's/^INFO: T#[0-9]*:  TD = T#\(.*\)$/\1/p')
if [ "$cv" != "$n" ] || [ -z "$td" ]; then
  echo "bench/fboot/run.sh: expected CV = $n and a TD line" >&2
  exit 1
fi
# T#2s178ms467us263ns -> ns
ns=$(echo "$td" | awk '{
  s = $0; total = 0
  split("d h m s ms us ns", u, " "); split("86400000000000 3600000000000 60000000000 1000000000 1000000 1000 1", f, " ")
  while (match(s, /^[0-9]+(d|h|ms|m|s|us|ns)/)) {
    part = substr(s, 1, RLENGTH); s = substr(s, RLENGTH + 1)
    num = part; sub(/[a-z]+$/, "", num); unit = substr(part, length(num) + 1)
    for (k = 1; k <= 7; k++) if (u[k] == unit) total += num * f[k]
  }
  printf "%.0f", total }')
awk -v ns="$ns" -v n="$n" 'BEGIN {
  printf "BENCH fboot_stopwatch_loop_seconds %.3f s\n", ns / 1e9
  printf "BENCH fboot_stopwatch_loop_ns_per_iteration %.1f ns\n", ns / n }'
