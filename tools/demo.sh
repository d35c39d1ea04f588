#!/usr/bin/env bash
# make demo: the pedestrian crossing of fblocks/myapp.st on the Erlang VM
# (two devices, Field and Crossing, each a resource under OTP supervision).
# The light starts red, turns red-yellow at 4 s and green at 5 s; at 6 s two
# of the three pedestrian sensors report someone waiting (process-image
# inputs written from the standard input), the 2-out-of-3 VOTER on Field
# votes yes, the request crosses to Crossing and cuts green short: yellow
# at 8 s (instead of 11 s), red again at 9 s. Exits by itself after 10 s.
# The sensors are written by --write (a line `I0.0 := TRUE` on the standard
# input of bin/plc run does the same).
set -euo pipefail
cd "$(dirname "$0")/.."
rebar3 compile >/dev/null
exec bin/plc run --for 10 --write 6 I0.0 TRUE --write 6 I0.1 TRUE fblocks/myapp.st </dev/null
