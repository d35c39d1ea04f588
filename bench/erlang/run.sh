#!/usr/bin/env bash
# The Erlang-side figures (make bench runs this after the C++ benchmarks):
# round trip inject -> subscriber, injection throughput (batch and single),
# E_CYCLE jitter and drift under a busy VM, events/s between two nodes
# against raw Erlang messages, PUBLISH -> SUBSCRIBE over plc[GROUP] and UDP.
# Each escript prints a summary
# and `BENCH <name> <value> <unit>' lines. Builds the OTP application
# (and the NIF) with rebar3 first.
#   CYCLES=500 bench/erlang/run.sh      a shorter E_CYCLE run (default 10000 x 10 ms = 100 s)
# Other knobs: RT_SAMPLES, RT_WARMUP, INJECT_BATCH, INJECT_SINGLE, PERIOD_MS, BUSY,
# CROSS_EVENTS, CROSS_ROUNDS, COM_SAMPLES, COM_BURST.
set -euo pipefail
cd "$(dirname "$0")/../.."
rebar3 compile >/dev/null
escript bench/erlang/round_trip.escript
escript bench/erlang/inject.escript
escript bench/erlang/cycle_jitter.escript
escript bench/erlang/cross_node.escript
escript bench/erlang/com_publish.escript
