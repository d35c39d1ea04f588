#!/usr/bin/env bash
# plc check finds the types a .st file uses the way a 4diac file finds its
# own: in the file's folder (and its subfolders) and in each --lib folder,
# a type NAME in name.st. Exact diagnostics and exit codes.
set -uo pipefail
# From Bazel: the binary's path, from the runfiles root, which holds fblocks/.
plc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
fblocks=$PWD/fblocks
work=${TEST_TMPDIR:-$(mktemp -d)}
failures=0

# expect NAME STATUS STDERR -- plc ARGS...: runs plc ARGS in $work, checks
# its exit status and its whole standard error.
expect() {
  local name=$1 status=$2 want=$3
  shift 4
  local got rc
  got=$(cd "$work" && "$plc" "$@" 2>&1 >/dev/null) && rc=0 || rc=$?
  if [ "$rc" != "$status" ] || [ "$got" != "$want" ]; then
    printf 'FAIL %s\n  want (exit %s):\n%s\n  got (exit %s):\n%s\n' "$name" "$status" "$want" "$rc" "$got"
    failures=$((failures + 1))
  else
    echo "ok   $name"
  fi
}

mkdir -p "$work/fblocks" "$work/alone" "$work/nested/types" "$work/broken"
cp "$fblocks"/*.st "$work/fblocks/"
cp "$fblocks/crossing3.st" "$work/alone/"
cp "$fblocks/crossing3.st" "$work/nested/"
cp "$fblocks/voter.st" "$fblocks/ampel.st" "$work/nested/types/"
cp "$fblocks/crossing3.st" "$fblocks/ampel.st" "$work/broken/"
sed 's/State := A AND B OR/State := A AND Bee OR/' "$fblocks/voter.st" >"$work/broken/voter.st"
grep -q 'Bee' "$work/broken/voter.st" || { echo "FAIL: the broken voter.st was not made"; exit 1; }

expect "crossing3.st alone finds VOTER and AMPEL in its folder" 0 \
  "1 file: 0 errors, 0 warnings" -- check fblocks/crossing3.st
expect "the same with the files it uses named too" 0 \
  "3 files: 0 errors, 0 warnings" -- check fblocks/crossing3.st fblocks/voter.st fblocks/ampel.st
expect "types in subfolders are found" 0 \
  "1 file: 0 errors, 0 warnings" -- check nested/crossing3.st
expect "types in a --lib folder are found" 0 \
  "1 file: 0 errors, 0 warnings" -- check --lib fblocks alone/crossing3.st
# Where crossing3.st declares its VOTER and AMPEL instances (line:column).
at() { grep -n -E "^  $1 : $2( |;)" "$fblocks/crossing3.st" | awk -F: '{ print $1 ":3" }'; }
vote=$(at Vote VOTER)
light=$(at Light AMPEL)
[ -n "$vote" ] && [ -n "$light" ] || { echo "FAIL: crossing3.st no longer declares Vote and Light"; exit 1; }
expect "without the folder's types, the compiler reports each where it is used" 1 \
  "alone/crossing3.st:$vote: error: unknown FB type 'VOTER' for instance 'Vote'
alone/crossing3.st:$light: error: unknown FB type 'AMPEL' for instance 'Light'
1 file: 2 errors, 0 warnings" -- check alone/crossing3.st
bad=$(grep -n 'Bee' "$work/broken/voter.st" | cut -d: -f1)
badcol=$(grep 'Bee' "$work/broken/voter.st" | awk '{ print index($0, "Bee") }')
expect "an error in a type loaded from the folder is reported in its own file" 1 \
  "broken/voter.st:$bad:$badcol: error: unknown variable 'Bee'
broken/crossing3.st:$vote: error: unknown FB type 'VOTER' for instance 'Vote'
1 file: 2 errors, 0 warnings" -- check broken/crossing3.st

[ "$failures" -eq 0 ] || { echo "$failures failed"; exit 1; }
echo "all passed"
