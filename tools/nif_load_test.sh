#!/usr/bin/env bash
# The NIF loads in erl from the Bazel build too: points plc_nif at
# bazel-bin/nif/plc_nif.so through PLC_NIF and runs a counter through it.
set -euo pipefail
cd "$(dirname "$0")/.."
bazel build //nif:plc_nif.so >/dev/null 2>&1
lib="$(bazel info bazel-bin 2>/dev/null)/nif/plc_nif"
out=$(PLC_NIF="$lib" erl -noshell -pa _build/default/lib/plc/ebin -eval '
  {ok, H} = plc_nif:resource_new(#{fbs => [{<<"C">>, <<"E_CTU">>, [{<<"PV">>, <<"1">>}]}]}),
  ok = plc_nif:subscribe(H, <<"C">>, <<"CUO">>, self()),
  ok = plc_nif:post(H, <<"C">>, <<"CU">>, []),
  receive plc_wake -> ok after 2000 -> error(no_wake) end,
  idle = plc_nif:run(H),
  Me = self(),
  receive {plc_event, Me, <<"C.CUO">>, D} -> io:format("~s ~0p~n", [plc_nif:library_path(), D]) end,
  init:stop().')
expected="$lib #{<<\"CV\">> => 1,<<\"Q\">> => true}"
if [ "$out" != "$expected" ]; then
  echo "Bazel NIF load test FAILED: got '$out', expected '$expected'" >&2
  exit 1
fi
echo "Bazel NIF load test passed: $out"
