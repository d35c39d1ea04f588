#!/usr/bin/env bash
# The 4diac IDE's standard type library as a regression test: runs
#   plc check --lib LIBRARY FILE
# for every .fbt/.adp of LIBRARY, counts the files that check clean and fails when
# the count falls below the floor committed in tests/fourdiac_library_floor.txt;
# its resource and device types (.res, .dev) must all check clean.
# Prints "BENCH fourdiac_library_clean N files" and the total.
#
# usage: tools/fourdiac_library_check.sh [-v] [PLC_BINARY [LIBRARY [FLOOR_FILE]]]
#   (without PLC_BINARY it builds //tools/plc:plc)
#   -v also lists the files that do not check clean,
#   with their first error.
# One process per file (a file's errors are then its own), two at a time;
# a file counts as clean when plc check exits 0 (warnings allowed). A hang
# (20 s), a crash, an error line without its file (and line:col when
# it has one), or a warning that a native type's body is not one 4diac
# ships (on 4diac's own library: runtime/fourdiac/standard_body.cc misses
# this version of the file) fails the run whatever the count.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 2

verbose=0
if [ "${1:-}" = "-v" ]; then
  verbose=1
  shift
fi
plc=${1:-}
library=${2:-../shared/4diac-typelibrary}
floor_file=${3:-tests/fourdiac_library_floor.txt}

if [ -z "$plc" ]; then
  bazel build --noshow_progress //tools/plc:plc >/dev/null 2>&1 || {
    echo "the build failed: bazel build //tools/plc:plc" >&2
    exit 2
  }
  plc=$(bazel info bazel-bin 2>/dev/null)/tools/plc/plc
fi
if [ ! -x "$plc" ]; then
  echo "$plc: no plc binary; run: bazel build //tools/plc:plc" >&2
  exit 2
fi
if [ ! -d "$library" ]; then
  echo "$library is missing: put the 4diac IDE's typelibrary folder there" >&2
  exit 2
fi
floor=$(grep -v '^#' "$floor_file" | tr -dc '0-9')
if [ -z "$floor" ]; then
  echo "$floor_file: no number in it" >&2
  exit 2
fi

plc=$(cd "$(dirname "$plc")" && pwd)/$(basename "$plc")
results=$(mktemp)
trap 'rm -f "$results"' EXIT

# Each line of $results: "ok FILE" or "fail FILE: first error".
# shellcheck disable=SC2016 # $1 and $PLC belong to the inner sh
(cd "$library" && find . -type f \( -iname '*.fbt' -o -iname '*.adp' \) -print0 |
  sort -z |
  PLC="$plc" xargs -0 -P 2 -n 1 sh -c '
    f=${1#./}
    out=$(timeout 20 "$PLC" check --lib . "$f" 2>&1)
    rc=$?
    if [ $rc -eq 0 ]; then echo "ok $f"
    elif [ $rc -eq 124 ]; then echo "fail $f: hangs (killed after 20 s)"; echo "broken $f: hangs"
    elif [ $rc -gt 128 ]; then echo "fail $f: crashed (signal $((rc - 128)))"; echo "broken $f: crashed"
    else echo "fail $f: $(printf "%s\n" "$out" | head -n 1)"; fi
    # Every error names its file, and its line and column when it has one.
    printf "%s\n" "$out" | grep "error:" | grep -Ev "^[^ :]+(:[0-9]+:[0-9]+)?: error:" |
      sed "s|^|broken $f: unlocated: |"
    printf "%s\n" "$out" | grep "is a native type of plc" | sed "s|^|broken $f: not in standard_body.cc: |"' check) >"$results"

total=$(grep -c '^ok \|^fail ' "$results")
clean=$(grep -c '^ok ' "$results")
if [ "$verbose" = 1 ]; then grep '^fail ' "$results" | sort; fi
echo "BENCH fourdiac_library_clean $clean files"
echo "$clean of $total .fbt/.adp files check clean (floor $floor)"
if [ "$total" -eq 0 ]; then
  echo "no files found in $library" >&2
  exit 1
fi
if grep -q '^broken ' "$results"; then
  grep '^broken ' "$results" | sed 's/^broken //' >&2
  echo "a file crashed, hung or got an error without a location" >&2
  exit 1
fi
if [ "$clean" -lt "$floor" ]; then
  echo "regression: $clean files check clean, fewer than the floor $floor ($floor_file)" >&2
  exit 1
fi
# The resource and device types (.res, .dev) are few and must all be clean.
types_failed=0
while IFS= read -r -d '' f; do
  if ! out=$(cd "$library" && timeout 20 "$plc" check --lib . "${f#./}" 2>&1); then
    echo "${f#./}: $(printf "%s\n" "$out" | head -n 1)" >&2
    types_failed=1
  fi
done < <(cd "$library" && find . -type f \( -iname '*.res' -o -iname '*.dev' \) -print0 | sort -z)
if [ "$types_failed" -ne 0 ]; then
  echo "a resource or device type of the library does not check clean" >&2
  exit 1
fi
