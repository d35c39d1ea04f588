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
suite "consumer app" tools/consumer_test.sh
suite "nif from bazel" tools/nif_load_test.sh
suite "language fuzzer" tests/fuzz/run.sh

if [ ${#failed[@]} -gt 0 ]; then
  echo "make test: FAILED: ${failed[*]}"
  exit 1
fi
echo "make test: all suites passed"
