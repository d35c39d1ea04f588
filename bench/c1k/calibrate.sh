#!/usr/bin/env bash
# Calibration of the shaped carrier with plain OTP (no plc): N nodes join a
# seed and register 10 names each in global (N = 5, 15, 30), and a hidden
# ring of 15 passes a token, at 20 ms one-way and 100 Mbit/s. Compare with
# 1.4 / 4.3 / 8.6 s and 0.6 s measured on a real network.
#   CAL_NS=5,15 CAL_LATENCY_MS=5 bench/c1k/calibrate.sh
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p ebin
erlc -o ebin plc_shaped_dist.erl c1k_peers.erl c1k_calibrate.erl
exec erl -noshell -pa "$PWD/ebin" -run c1k_calibrate main
