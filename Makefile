# plc: the two commands of the README, plus the pieces they are made of.
#   make demo   the main job: fblocks/crossing3.st on three hidden Erlang nodes, live view, exits by itself
#   make test   every test: the format check, Catch2 (also under ASan+UBSan, the threaded
#               ones under TSan), xref, dialyzer, EUnit, the consumer app,
#               the NIF loaded from the Bazel build, make demo checked, the fuzzers
#               (language, 4diac XML, remote events and FBDK ASN.1, a quarter of FUZZ_SECONDS each)
# Both install missing Debian packages first (tools/install-deps.sh).
SHELL := /bin/bash
EBIN  := _build/default/lib/plc/ebin

.PHONY: all deps build demo test test-cc test-asan test-tsan test-erlang test-consumer test-nif-load check format fuzz bench clean bench-c1k bench-forte

all: build

deps:
	@tools/install-deps.sh

build: deps
	bazel build //...
	rebar3 compile

demo: deps
	@tools/demo.sh

test: deps
	@tools/run_tests.sh

test-cc: deps
	bazel test //...

test-asan: deps
	bazel test --config=asan //tests/...

# The tests that drive resources from several threads, under ThreadSanitizer.
test-tsan: deps
	bazel test --config=tsan //tests:device_test //tests:resource_test //tests:basic_fb_test //tests:algorithm_test

# The static checks of make test: C++ formatting, one list of compiler
# flags, xref and dialyzer.
check: deps
	tools/format_check.sh
	tools/copts_check.sh
	rebar3 xref
	rebar3 dialyzer

# Reformats every tracked .cc/.h with .clang-format (clang-format 14).
format:
	tools/format_check.sh --fix

test-erlang: deps
	rebar3 eunit

test-consumer: deps
	tools/consumer_test.sh

test-nif-load: deps
	rebar3 compile
	tools/nif_load_test.sh

# The fuzzers of the language, of the 4diac importer, of the remote-event
# decoder and of the FBDK ASN.1 decoder (libFuzzer, built with clang outside
# Bazel): replay tests/fuzz/regressions/, then fuzz for FUZZ_SECONDS in all,
# a quarter each
# (make fuzz FUZZ_SECONDS=600).
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh

# Figures, not tests: events/s on FORTE's networks, bytes per instance,
# instructions per event counted by callgrind (repeatable on a noisy machine),
# lines per second of the language compiler on a generated 50 000-line file,
# and messages per second of the FBDK ASN.1 codec (encode, decode).
bench: deps
	bazel run -c opt //bench:engine_dispatch
	bazel run -c opt //bench:language_compile
	bazel run -c opt //bench:fbdk_asn1
	bench/instructions_per_event.sh
	bench/erlang/run.sh

# The same boot file on plc and on 4diac FORTE, alternately (figures, not
# tests): make bench-forte FORTE=path/to/forte [ITERATIONS=...] [ROUNDS=...]
bench-forte: deps
	@test -x "$(FORTE)" || { echo "FORTE=path/to/forte: build 4diac FORTE outside this repository (../shared/4diac-management.md, section 8)" >&2; exit 2; }
	FORTE="$(FORTE)" bench/fboot/run.sh

clean:
	bazel clean
	rm -rf _build priv

# The c1k start-up benchmark (figures, not part of make test): N nodes on
# this machine over a carrier that emulates latency and a 100 Mbit/s link
# (bench/c1k/plc_shaped_dist.erl), N devices x 100 FB instances, modes
# hidden / standard / global; BENCH lines, bench/c1k/out/results.csv and
# c1k_startup.png. Defaults: every mode, N = 5,15,50,100,200, 0/5/20 ms.
#   make bench-c1k MODES=hidden,global NS=15 LATENCY_MS=20
# More knobs (MBIT, OUT, RUN_TIMEOUT_S, ...) in bench/c1k/run.sh;
# bench/c1k/shaped_check.sh checks the carrier, bench/c1k/calibrate.sh
# compares it with plain OTP figures measured on a real network.
bench-c1k: deps
	MODES="$(MODES)" NS="$(NS)" LATENCY_MS="$(LATENCY_MS)" bench/c1k/run.sh
