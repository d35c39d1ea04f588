#!/usr/bin/env bash
# Checks the shaped distribution carrier (bench/c1k/plc_shaped_dist.erl):
# starts pairs of nodes on this machine and prints the figures:
#   latency 20 ms, 100 Mbit/s: connection set-up >= 2 RTTs, ping 40..60 ms,
#   12.5 MB in 1 KB messages >= 0.9 s; latency 0 and no cap within 2x of
#   plain inet_tcp's throughput; -name + -hidden work.
# Exits non-zero when a check fails.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p ebin
erlc -o ebin plc_shaped_dist.erl shaped_check.erl
exec erl -noshell -pa "$PWD/ebin" -run shaped_check main
