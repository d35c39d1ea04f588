#!/usr/bin/env bash
# make demo, checked: the crossing of fblocks/myapp.st on the Erlang VM must
# show the light's phases in order, the sensors' request crossing devices,
# and green cut short (yellow at 8 s, not 11 s).
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(tools/demo.sh 2>&1)
got=$(printf '%s\n' "$out" | grep -E 'CTL.CHANGE|Vote.Voted|Permit.EO|^\[ *[0-9.]+s\] input' | sed -E 's/^\[ *[0-9.]+s\] //')
expected='Crossing.Main Light.CTL.CHANGE GREEN=FALSE RED=TRUE YELLOW=FALSE
Crossing.Main Light.CTL.CHANGE GREEN=FALSE RED=TRUE YELLOW=TRUE
Crossing.Main Light.CTL.CHANGE GREEN=TRUE RED=FALSE YELLOW=FALSE
input I0.0 := TRUE
input I0.1 := TRUE
Field.Main Vote.Voted State=FALSE
Field.Main Vote.Voted State=TRUE
Field.Main Permit.EO
Crossing.Main Light.CTL.CHANGE GREEN=FALSE RED=FALSE YELLOW=TRUE
Crossing.Main Light.CTL.CHANGE GREEN=FALSE RED=TRUE YELLOW=FALSE'
if [ "$got" != "$expected" ]; then
  printf 'demo test FAILED. Output:\n%s\n--- expected (key lines):\n%s\n--- got:\n%s\n' "$out" "$expected" "$got" >&2
  exit 1
fi
# Yellow comes 2 s after the request (T_GREEN_SHORT), at about 8 s.
yellow=$(printf '%s\n' "$out" | grep 'YELLOW=TRUE' | grep 'RED=FALSE' | sed -E 's/^\[ *([0-9.]+)s\].*/\1/')
if ! awk -v t="$yellow" 'BEGIN { exit !(t >= 7.9 && t <= 8.6) }'; then
  echo "demo test FAILED: yellow at ${yellow}s, expected about 8 s" >&2
  exit 1
fi
echo "demo test passed: yellow at ${yellow}s"
