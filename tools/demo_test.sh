#!/usr/bin/env bash
# make demo, checked: tools/demo.sh (fblocks/crossing3.st on three hidden
# nodes) with its output not on a terminal, one line per change. It must
# show, in order: the light's phases; the sensors' events reaching the
# voter on field, its yes vote reaching crossing and cutting green short
# (yellow at about 8 s, not 11 s); the field node killed, started again and
# rejoining while sensors and crossing run on; the new field voting (yellow
# at about 17 s); and connections only between neighbours.
#   tools/demo_test.sh [--local]   --local: accept the one-VM run
set -euo pipefail   # a failed `need` in $(...) ends the script too
cd "$(dirname "$0")/.."

local_ok=false
[ "${1:-}" = "--local" ] && local_ok=true

out=$(timeout 90 tools/demo.sh "$@" 2>&1) && rc=0 || rc=$?
fail() {
  printf '%s\n' "$out" >&2
  echo "demo test FAILED: $*" >&2
  exit 1
}
[ "$rc" -eq 0 ] || fail "tools/demo.sh exited with status $rc"

# The log lines: "[  6.042s] field    Vote.Voted State=TRUE ...".
lines=$(printf '%s\n' "$out" | grep -E '^\[ *([0-9.]+s|setup) *\] ' || true)
at() {   # the time of the first line matching $1 at or after time $2 (or empty)
  printf '%s\n' "$lines" | awk -v re="$1" -v after="${2:--1}" '
    { t = $0; sub(/^\[ */, "", t); sub(/s\].*/, "", t) }
    t != "setup" && t + 0 >= after + 0 && $0 ~ re { print t; exit }'
}
need() {   # need REGEX AFTER WHAT: the time of a line matching REGEX at or after time AFTER
  local t
  t=$(at "$1" "$2")
  [ -n "$t" ] || fail "missing: $3 (no line matching /$1/ after ${2}s)"
  echo "$t"
}
within() {   # within T LO HI WHAT
  awk -v t="$1" -v lo="$2" -v hi="$3" 'BEGIN { exit !(t >= lo && t <= hi) }' ||
    fail "$4 at ${1}s, expected between ${2}s and ${3}s"
}

if printf '%s\n' "$lines" | grep -q 'in ONE VM'; then
  $local_ok || fail "the demo ran in one VM, not on three nodes: $(printf '%s\n' "$lines" | grep -m1 'in ONE VM' | sed 's/.*: //')"
  dist=false
else
  printf '%s\n' "$lines" | grep -q 'on 3 hidden nodes' || fail "no line saying the demo runs on 3 hidden nodes"
  dist=true
fi

# 1. The light: every phase, in order (the lamps as MIO_OUT wrote them).
phases=$(printf '%s\n' "$lines" | sed -nE 's/^\[ *[0-9.]+s\] crossing +lamps: //p' | paste -sd' ' -)
expected='RED RED+YELLOW GREEN YELLOW RED RED+YELLOW GREEN YELLOW RED'
[ "$phases" = "$expected" ] || fail "the lamps went: '$phases', expected: '$expected'"

# 2. The vote at 6 s crosses devices both ways and cuts green short.
t=$(need 'demo +press I0.0 I0.1' 5 "the sensors pressed at 6 s")
within "$t" 5.9 6.3 "the press"
t=$(need 'sensors +Sensor_B.IND I0.1=TRUE' "$t" "Sensor_B's event on sensors")
t=$(need 'field +Vote.Voted State=TRUE' 5 "the yes vote on field")
within "$t" 5.9 6.6 "the yes vote on field"
t=$(need 'field +Permit.EO' 5 "Permit.EO on field")
t=$(need 'crossing +Light.REQ \(from field\)' 5 "the request arriving on crossing")
within "$t" 5.9 6.8 "Light.REQ on crossing"
y1=$(need 'crossing +lamps: YELLOW' 5 "yellow after the vote")
within "$y1" 7.9 8.7 "yellow (green cut short: 2 s after the request)"
need 'field +Vote.Ready: reset' 7.5 "the voter reset by crossing's Light.CHANGE" >/dev/null

# 3. Field killed at 10 s, started again, rejoins; the others run on.
if $dist; then
  t=$(need 'demo +kill -9 field' 9 "the field node killed")
  need 'field +node .* is down' "$t" "the field node seen down" >/dev/null
  t=$(need 'field +Field.Main started on .*\(again\)' "$t" "Field started again on its new node")
  t=$(need 'demo +field rejoined: sensors and crossing see it up and ready; sensors and crossing kept running' \
           "$t" "field rejoining with sensors and crossing untouched")
else
  t=$(need 'demo +exit\(.*kill\): the resource Field.Main' 9 "Field.Main killed")
  t=$(need 'demo +field rejoined; sensors and crossing kept running' "$t" "Field.Main restarted")
fi
within "$t" 10 14.5 "the rejoin"
if printf '%s\n' "$lines" | grep -q 'WARNING: restarted meanwhile'; then
  fail "sensors or crossing was restarted too"
fi

# 4. The restarted field votes: yellow at 17 s, not 20 s.
t=$(need 'field +Vote.Voted State=TRUE' 14.5 "a yes vote from the restarted field")
within "$t" 14.9 15.6 "the second yes vote"
y2=$(need 'crossing +lamps: YELLOW' 14 "yellow after the second vote")
within "$y2" 16.9 17.7 "the second yellow"

# 5. Hidden mode: connections only between neighbours.
if $dist; then
  printf '%s\n' "$lines" | grep -qE 'summary +connections between the device nodes: crossing-field, field-sensors; never: crossing-sensors$' ||
    fail "the device nodes' connections were not exactly crossing-field and field-sensors: $(printf '%s\n' "$lines" | grep 'summary *connections')"
fi
printf '%s\n' "$lines" | grep -q 'FAILED' && fail "the demo reported a failure"

echo "demo test passed: lamps $expected; yellow at ${y1}s and ${y2}s; field restarted and rejoined$($dist && echo '; 3 hidden nodes, links crossing-field, field-sensors only')"
