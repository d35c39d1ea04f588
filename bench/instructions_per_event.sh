#!/usr/bin/env bash
# Instructions per event, counted by valgrind's callgrind (repeatable on a
# noisy machine, unlike time): each network runs twice, with N1 and N2
# events, and (I2 - I1) / (E2 - E1) cancels start-up and loading.
#
#   bench/instructions_per_event.sh            # make bench: BENCH lines
#   bench/instructions_per_event.sh --check    # make test: fails over budget
#
# --check compares each figure with its budget in
# bench/instruction_budgets.txt and exits 1 when one is over. The counts are
# the same from run to run for one build (they do not depend on the
# machine's load), so a budget a few percent above today's figure catches a
# change that makes dispatch slower as soon as it is made.
set -euo pipefail
cd "$(dirname "$0")/.."
bazel build -c opt //bench:event_driver >/dev/null 2>&1 || bazel build -c opt //bench:event_driver
driver="$(bazel info -c opt bazel-bin 2>/dev/null)/bench/event_driver"
n1=${N1:-200000}
n2=${N2:-1200000}
budgets=bench/instruction_budgets.txt
check=false
[ "${1:-}" = --check ] && check=true
over=()

count() {  # network events -> "instructions dispatched"
  local log; log=$(mktemp)
  local done
  done=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$driver" "$1" "$2" 2>"$log")
  local ir; ir=$(grep -oE 'Collected : [0-9]+' "$log" | grep -oE '[0-9]+')
  rm -f "$log"
  echo "$ir $done"
}

for net in dispatch ring_merge ring_counter basic_fb; do
  read -r i1 e1 < <(count "$net" "$n1")
  read -r i2 e2 < <(count "$net" "$n2")
  per=$(awk -v a="$i1" -v b="$i2" -v x="$e1" -v y="$e2" 'BEGIN { printf "%.1f", (b - a) / (y - x) }')
  echo "$net: $per instructions/event ($e1 and $e2 events)"
  echo "BENCH instructions_per_event_$net $per instructions/event"
  if $check; then
    budget=$(awk -v n="$net" '$1 == n { print $2 }' "$budgets")
    [ -n "$budget" ] || { echo "$budgets has no budget for $net" >&2; exit 1; }
    if awk -v p="$per" -v b="$budget" 'BEGIN { exit !(p > b) }'; then
      over+=("$net: $per > $budget")
    fi
  fi
done
if [ ${#over[@]} -gt 0 ]; then
  printf 'over budget (%s): %s\n' "$budgets" "${over[@]}" >&2
  exit 1
fi
