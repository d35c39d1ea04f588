#!/usr/bin/env bash
# make test: runs every suite, keeps going after a failure, prints one
# summary line per suite and exits non-zero when any failed.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
suite() {
  local name=$1; shift
  local start=$SECONDS
  echo "=== $name: $*"
  if "$@"; then
    echo "=== $name: passed ($((SECONDS - start)) s)"
  else
    echo "=== $name: FAILED ($((SECONDS - start)) s)"
    failed+=("$name")
  fi
}

suite "bazel build" bazel build //...
suite "catch2" bazel test //...
suite "catch2 asan+ubsan" bazel test --config=asan //tests/...
suite "rebar3 compile" rebar3 compile
suite "eunit" rebar3 eunit --module=plc_tests
suite "common test" rebar3 ct
suite "consumer app" tools/consumer_test.sh
suite "nif from bazel" tools/nif_load_test.sh
suite "make demo (three hidden nodes)" tools/demo_test.sh
suite "language fuzzer" tests/fuzz/run.sh

# 4diac's reference examples (not in this repository): every developer and
# CI machine has them next to the workspace.
reference=../shared/conformance/4diac-reference
if [ -d "$reference" ]; then
  suite "4diac conformance" bazel run --noshow_progress //tools/plc:plc -- conformance "$(cd "$reference" && pwd)"
else
  missing_reference="4diac conformance NOT RUN: $reference is missing"
  echo "!!! ============================================================================ !!!" >&2
  echo "!!! $missing_reference" >&2
  echo "!!! (clone 4diac-examples' reference examples there to run them)" >&2
  echo "!!! ============================================================================ !!!" >&2
fi

if [ ${#failed[@]} -gt 0 ]; then
  echo "make test: FAILED: ${failed[*]}"
  exit 1
fi
if [ -n "${missing_reference:-}" ]; then
  echo "make test: all suites passed, but $missing_reference" >&2
  exit 0
fi
echo "make test: all suites passed"
