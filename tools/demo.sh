#!/usr/bin/env bash
# make demo: the traffic light and voter system of fblocks/crossing3.st on
# three local Erlang nodes in hidden mode (sensors, field, crossing: one
# IEC 61499 device each), with a live terminal view that ends by itself
# after about 20 s. The controller (tools/demo/plc_demo.erl, on a hidden node
# of its own) starts the nodes with OTP peer, has each start its device
# (plc:start_system/2, mode => hidden), and shows the lamps, the sensors and
# the vote, events/s and connections per node, through a scenario: red,
# red-yellow, green; at 6 s two sensors are pressed, the vote on field cuts
# green short (yellow at 8 s, not 11 s); at 10 s the field node is killed
# and restarted, and rejoins while the others run on; at 15 s the new field
# votes again (yellow at 17 s).
#
# On a terminal the view is redrawn in place; otherwise it prints one line
# per change (tools/demo_test.sh checks them).
#   tools/demo.sh [--local]      --local: the three devices in one VM
#   PLC_DEMO_EBIN=DIR            use the plc application in DIR (no rebar3 compile)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

if [ -n "${PLC_DEMO_EBIN:-}" ]; then
  ebin=$PLC_DEMO_EBIN
else
  if ! log=$(rebar3 compile 2>&1); then
    printf '%s\n' "$log" >&2
    echo "demo: rebar3 compile failed" >&2
    exit 2
  fi
  ebin=$root/_build/default/lib/plc/ebin
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/plc_demo.XXXXXX")
cleanup() {
  [ -t 1 ] && printf '\033[?25h'   # the view hides the cursor
  rm -rf "$tmp"
}
trap cleanup EXIT
erlc -o "$tmp" tools/demo/*.erl

view=(--plain)
if [ -t 1 ]; then
  view=(--tty)
  size=$(stty size 2>/dev/null </dev/tty || true)   # "rows cols"
  [ -n "$size" ] && view+=(--size $size)
fi
rc=0
# +Bd: Ctrl-C stops the controller at once; its peer nodes stop with it.
erl -sname "plc_demo_$$" -hidden -noshell +Bd -pa "$ebin" -pa "$tmp" \
    -run plc_demo main -extra "${view[@]}" --root "$root" --logdir "$tmp" --ebin "$ebin" --demo-ebin "$tmp" "$@" || rc=$?
if [ "$rc" -ne 0 ]; then
  for f in "$tmp"/*.log; do
    [ -s "$f" ] || continue
    echo "--- $(basename "$f") (last lines)" >&2
    tail -n 40 "$f" >&2
  done
fi
exit "$rc"
