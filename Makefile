# plc: the two commands of the README, plus the pieces they are made of.
#   make demo   the main job: runs fblocks/myapp.st on the Erlang VM (bin/plc run), shows events, exits
#   make test   every test: Catch2 (also under ASan+UBSan), EUnit, the consumer app,
#               the NIF loaded from the Bazel build, make demo checked, the fuzzers
#               (language and 4diac XML, 30 s each)
# Both install missing Debian packages first (tools/install-deps.sh).
SHELL := /bin/bash
EBIN  := _build/default/lib/plc/ebin

.PHONY: all deps build demo test test-cc test-asan test-erlang test-consumer test-nif-load fuzz bench clean

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

test-erlang: deps
	rebar3 eunit --module=plc_tests

test-consumer: deps
	tools/consumer_test.sh

test-nif-load: deps
	rebar3 compile
	tools/nif_load_test.sh

# The fuzzers of the language and of the 4diac importer (libFuzzer, built
# with clang outside Bazel): replay tests/fuzz/regressions/, then fuzz for
# FUZZ_SECONDS in all, half each (make fuzz FUZZ_SECONDS=600).
FUZZ_SECONDS ?= 60
fuzz: deps
	FUZZ_SECONDS=$(FUZZ_SECONDS) tests/fuzz/run.sh

# Figures, not tests: events/s on FORTE's networks, bytes per instance,
# instructions per event counted by callgrind (repeatable on a noisy machine),
# and lines per second of the language compiler on a generated 50 000-line file.
bench: deps
	bazel run -c opt //bench:engine_dispatch
	bazel run -c opt //bench:language_compile
	bench/instructions_per_event.sh
	bench/erlang/run.sh

clean:
	bazel clean
	rm -rf _build priv
