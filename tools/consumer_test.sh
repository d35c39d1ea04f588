#!/usr/bin/env bash
# The "used by" proof: a throwaway rebar3 application in a temp dir depends
# on this repository through _checkouts/plc, compiles it (the pre_hook builds
# the NIF) and calls plc from its own code. Fails on any mismatch.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d /tmp/plc-consumer.XXXXXX)
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/app/src" "$work/app/_checkouts"
ln -s "$repo" "$work/app/_checkouts/plc"
cat > "$work/app/rebar.config" <<'CFG'
{deps, [plc]}.
CFG
cat > "$work/app/src/consumer.app.src" <<'SRC'
{application, consumer, [{description, "plc consumer"}, {vsn, "0.0.1"}, {applications, [kernel, stdlib, plc]}]}.
SRC
cat > "$work/app/src/consumer.erl" <<'SRC'
-module(consumer).
-export([main/0]).

%% Counts two events with an E_CTU (PV = 2) and returns what came out.
main() ->
    {ok, _} = application:ensure_all_started(consumer),
    Net = #{fbs => [{<<"C">>, <<"E_CTU">>, [{<<"PV">>, <<"2">>}]}]},
    {ok, R} = plc:start_resource(Net, #{observe => [<<"C.CUO">>], subscribers => [self()]}),
    ok = plc:inject(R, <<"C.CU">>),
    ok = plc:inject(R, <<"C.CU">>),
    [receive {plc_event, R, <<"C.CUO">>, Data} -> Data after 5000 -> timeout end
     || _ <- [1, 2]].
SRC

cd "$work/app"
rebar3 compile >/dev/null
out=$(erl -noshell -pa _build/default/*/*/ebin \
  -eval 'io:format("~p~n", [consumer:main()]), init:stop()')
expected='[#{<<"CV">> => 1,<<"Q">> => false},#{<<"CV">> => 2,<<"Q">> => true}]'
if [ "$out" != "$expected" ]; then
  echo "consumer test FAILED: got $out, expected $expected" >&2
  exit 1
fi
echo "consumer test passed: $out"
