#!/usr/bin/env bash
# Instructions per event, counted by valgrind's callgrind (repeatable on a
# noisy machine, unlike time): each network runs twice, with N1 and N2
# events, and (I2 - I1) / (E2 - E1) cancels start-up and loading.
set -euo pipefail
cd "$(dirname "$0")/.."
bazel build -c opt //bench:event_driver >/dev/null 2>&1
driver="$(bazel info -c opt bazel-bin 2>/dev/null)/bench/event_driver"
n1=${N1:-200000}
n2=${N2:-1200000}

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
done
