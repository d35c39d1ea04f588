#!/usr/bin/env bash
# make test: examples/bazel_workspace, a Bazel workspace of its own that
# depends on plc (local_repository) and tests its own .st FB with
# plc_fb_test, passes; and fails, naming the line, once one of its expected
# values is changed. The script is restored afterwards.
set -euo pipefail
cd "$(dirname "$0")/../examples/bazel_workspace"
script=debounce_test.fbtest
backup=$(mktemp)
cp "$script" "$backup"
restore() { cp "$backup" "$script"; rm -f "$backup"; bazel shutdown >/dev/null 2>&1 || true; }
trap restore EXIT

bazel test --noshow_progress //:debounce_test

sed -i 's/^expect COUNT = 2$/expect COUNT = 3/' "$script"
grep -q '^expect COUNT = 3$' "$script"
set +e
out=$(bazel test --noshow_progress --test_output=all //:debounce_test 2>&1)
rc=$?
set -e
if [ "$rc" -ne 3 ]; then
  echo "$out"
  echo "bazel_workspace_test: a changed expectation should fail the test (exit 3), got exit $rc" >&2
  exit 1
fi
echo "$out" | grep -q "debounce_test.fbtest:[0-9]*: FAIL: expected COUNT = 3, got 2" || {
  echo "$out"
  echo "bazel_workspace_test: the failure does not name the line and the values" >&2
  exit 1
}
echo "bazel_workspace_test: passes as written, fails with 'expected COUNT = 3, got 2' when changed"
