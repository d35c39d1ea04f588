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
# The README's example module, verbatim.
sed -n '/<!-- consumer-example:begin -->/,/<!-- consumer-example:end -->/p' "$repo/README.md" |
  sed '1,2d;$d' | sed '$d' > "$work/app/src/voting.erl"
grep -q '^-module(voting)' "$work/app/src/voting.erl" || { echo "consumer test: no example module in README.md" >&2; exit 1; }

cd "$work/app"
rebar3 compile >/dev/null
out=$(erl -noshell -pa _build/default/*/*/ebin \
  -eval 'io:format("~0p~n", [voting:run()]), init:stop()')
expected='[{<<"V.Voted">>,#{<<"State">> => true}},{<<"V.Ready">>,#{<<"State">> => false}}]'
if [ "$out" != "$expected" ]; then
  echo "consumer test FAILED: got $out, expected $expected" >&2
  exit 1
fi
echo "consumer test passed: $out"
