#!/usr/bin/env bash
# The C++ warning flags have one home, PLC_COPTS in tools/copts.bzl: Bazel
# loads it, nif/Makefile reads it with sed. This checks that the Makefile's
# reading is the whole list, in order (a flag written in a form the sed does
# not match, or a flag added to the Makefile by hand, fails here), by
# comparing it with the list as Python reads the file (Starlark's list
# syntax is Python's). make test runs it.
set -euo pipefail
cd "$(dirname "$0")/.."
bzl=$(python3 - tools/copts.bzl <<'PY'
import ast, sys
tree = ast.parse(open(sys.argv[1]).read())
lists = [ast.literal_eval(n.value) for n in tree.body
         if isinstance(n, ast.Assign) and any(getattr(t, "id", "") == "PLC_COPTS" for t in n.targets)]
if len(lists) != 1:
    sys.exit("copts: tools/copts.bzl must assign PLC_COPTS exactly once")
print("\n".join(lists[0]))
PY
)
make=$(make -s -C nif print-copts)
if [ "$bzl" != "$make" ]; then
  echo "copts: nif/Makefile does not build with tools/copts.bzl's PLC_COPTS:" >&2
  diff <(printf '%s\n' "$bzl") <(printf '%s\n' "$make") | sed 's/^</  copts.bzl:/; s/^>/  Makefile: /' >&2 || true
  exit 1
fi
# Every flag of the Makefile's compile line that is not one of the list's
# is one of these (the NIF's own, not warnings).
extra=$(make -s -C nif -pn 2>/dev/null | sed -n 's/^CXXFLAGS := //p' | head -n 1)
for f in $extra; do
  case "$f" in
    -O2 | -fPIC | -fvisibility=hidden) ;;
    *) grep -qxF -- "$f" <<<"$bzl" || { echo "copts: nif/Makefile adds $f by hand; put it in tools/copts.bzl" >&2; exit 1; } ;;
  esac
done
echo "copts: nif/Makefile builds with tools/copts.bzl's $(wc -l <<<"$bzl") flags"
