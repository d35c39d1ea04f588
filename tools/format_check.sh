#!/usr/bin/env bash
# Checks that every tracked C++ file (.cc, .h) is formatted as .clang-format
# says (clang-format 14). Prints clang-format's complaints and the files, and
# exits non-zero when any file would change. make test runs it.
#
#   tools/format_check.sh          check
#   tools/format_check.sh --fix    reformat those files in place
set -euo pipefail
cd "$(dirname "$0")/.."
cf=$(command -v clang-format-14 || command -v clang-format || true)
[ -n "$cf" ] || { echo "format: clang-format not found (tools/install-deps.sh installs it)" >&2; exit 1; }
case "$("$cf" --version)" in
  *"version 14."*) ;;
  *) echo "format: $cf is not clang-format 14; other versions format differently" >&2; exit 1 ;;
esac
mapfile -t files < <(git ls-files -- '*.cc' '*.h')
if [ "${1:-}" = "--fix" ]; then
  "$cf" -i --style=file "${files[@]}"
  echo "format: reformatted ${#files[@]} files"
  exit 0
fi
log=$("$cf" --dry-run --Werror --style=file "${files[@]}" 2>&1) && status=0 || status=$?
if [ "$status" -ne 0 ]; then
  printf '%s\n' "$log" | head -n 60 || true
  mapfile -t bad < <(printf '%s\n' "$log" | sed -n 's/^\([^: ]*\.\(cc\|h\)\):[0-9]*:[0-9]*: .*/\1/p' | sort -u)
  echo "format: ${#bad[@]} of ${#files[@]} files are not formatted (tools/format_check.sh --fix):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "format: all ${#files[@]} C++ files formatted"
