#!/usr/bin/env bash
# The c1k start-up benchmark (make bench-c1k): N nodes on this machine, a
# system of N devices x 100 FB instances, start-up time, connections and
# memory per node, in modes hidden / standard / global, over the shaped
# carrier (one-way latency, 100 Mbit/s per link direction).
#   bench/c1k/run.sh                                  every mode, N 5..200, 0/5/20 ms
#   MODES=hidden,global NS=15 LATENCY_MS=20 bench/c1k/run.sh
#   NS=5,200 bench/c1k/run.sh selftest                one node, mode local: the
#                                                     generated systems start, the probe arrives
# Other knobs: MBIT (100), OUT (bench/c1k/out: results.csv, c1k_startup.png,
# the generated systems), RUN_TIMEOUT_S (300), SETTLE_MS (2000), SETTLE_MAX_S (60),
# BOOT_BATCH (4), PREPARE_CONC (2), SKIP_BUILD=1 (no rebar3 compile),
# MEM_MAX_PCT (90: a run stops beyond this much of the machine's memory in use;
# N = 1000 peaks at 80-81% on a 24 GB machine,
# and one whose NODE_MB (19) per node would not fit is refused), C1K_VM_ARGS
# (more node flags), C1K_MALLOC_ARENA_MAX (1).
# The failure mode: FAIL_PCT (0: off; 10: kill -9 10% of the nodes, never the
# probe's ends), FAIL_SEED (1), FAIL_AT_MS (300 after the window starts),
# FAIL_RESTART_MS (3000: each is booted again and deployed this long after),
# FAIL_START_TIMEOUT_MS (1000: START without a neighbour that is not there).
set -euo pipefail
cd "$(dirname "$0")/../.."
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  rebar3 compile >/dev/null
fi
mkdir -p bench/c1k/ebin
erlc -o bench/c1k/ebin bench/c1k/*.erl
# Above the default 1024 open files when a node holds many connections.
ulimit -n 65536 2>/dev/null || true
if [ "${1:-}" = selftest ]; then
  # The generated system on this one node, every device here (mode local).
  exec erl -noshell -pa "$PWD/bench/c1k/ebin" -run c1k selftest
fi
exec erl -noshell +S 2 -pa "$PWD/bench/c1k/ebin" -run c1k main
