#!/usr/bin/env bash
# RETAIN under kill -9, by hand: runs plc_retain_kill_SUITE with KILLS kills
# (default 100) of a node counting a retained counter, at random moments
# drawn from SEED (default 1), and prints the loss per kill (the events
# seen before the kill that the restored count does not hold). make test
# runs the same suite with 10 kills.
#   tools/retain_kill_test.sh [KILLS [SEED]]
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
report=$(mktemp /tmp/plc-retain-kill.XXXXXX)
trap 'rm -f "$report"' EXIT
cd "$repo"
PLC_RETAIN_KILLS=${1:-100} PLC_RETAIN_SEED=${2:-1} PLC_RETAIN_REPORT=$report \
  rebar3 ct --suite=erlang/test/plc_retain_kill_SUITE
cat "$report"
