#!/usr/bin/env bash
# Builds the language fuzzer with clang (libFuzzer + ASan + UBSan), replays
# every file of tests/fuzz/regressions/, then fuzzes for FUZZ_SECONDS
# (default 60) from tests/fuzz/corpus/, the regressions and fblocks/*.st.
#
#   tests/fuzz/run.sh                 # make test runs this
#   FUZZ_SECONDS=600 tests/fuzz/run.sh
#
# Objects are cached in FUZZ_BUILD_DIR (default under /tmp, one folder per
# work tree), so a rerun recompiles only what changed (make, with the
# headers each object includes). The corpus the fuzzer grows is kept there
# too, so each run starts where the last one ended. Exits non-zero when a
# regression input still fails or the fuzzer finds a crash, a leak, a hang
# (-timeout) or an out-of-memory; a new finding is copied into
# tests/fuzz/regressions/ (commit it with the fix).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
fuzz="$root/tests/fuzz"
seconds=${FUZZ_SECONDS:-60}
build=${FUZZ_BUILD_DIR:-${TMPDIR:-/tmp}/plc-fuzz/$(printf '%s' "$root" | md5sum | cut -c1-12)}
cxx=${FUZZ_CXX:-$(command -v clang++-14 || command -v clang++ || true)}
[ -n "$cxx" ] || { echo "fuzz: clang++ not found (tools/install-deps.sh installs clang)" >&2; exit 1; }
jobs=${FUZZ_JOBS:-$(nproc)}
# Bounds that turn a runaway input into a failure instead of a slow run.
limits=(-timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=1024)

mkdir -p "$build"
start=$SECONDS

# ---------------------------------------------------------------- build
# The rules run from the repository root; objects mirror the source tree.
# They are written to the build folder when they (or the compiler) change,
# and every output depends on that file, so a change of flags rebuilds.
# Compile time is what bounds this build (make test runs it from scratch):
# the code under test (runtime/language, the target) is optimised (-O1);
# the engine, which the checker only loads networks into, is not (-O0
# compiles in a third of the time). Both are fully instrumented. The headers
# of prefix.h are precompiled once per level; at -O0 the inline functions
# they define are also compiled once, into pch/loaded.o (-fpch-codegen),
# instead of into each of the 24 small standard block files. Line tables
# are enough for file:line in stacks.
rules=$(cat <<'MAKE'
FLAGS := -std=c++20 -gline-tables-only -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
         -fno-omit-frame-pointer -I. -Wall -Wno-unused-parameter -Wno-missing-field-initializers \
         -Wno-unused-private-field -Wno-unused-command-line-argument
FUZZED := $(sort $(wildcard runtime/language/*.cc)) tests/fuzz/language_fuzz.cc
LOADED := $(sort $(wildcard runtime/*.cc runtime/stdfb/*.cc))
obj = $(patsubst %.cc,$(BUILD)/obj/%.o,$(1))

$(BUILD)/language_fuzz: $(call obj,$(FUZZED) $(LOADED)) $(BUILD)/pch/loaded.o
	$(CXX) $(FLAGS) -o $@ $^ -lboost_context -pthread

$(call obj,$(FUZZED)): LEVEL := fuzzed
$(call obj,$(FUZZED)): OPT := -O1
$(call obj,$(FUZZED)): $(BUILD)/pch/fuzzed.pch
$(call obj,$(LOADED)): LEVEL := loaded
$(call obj,$(LOADED)): OPT := -O0
$(call obj,$(LOADED)): $(BUILD)/pch/loaded.pch

$(BUILD)/obj/%.o: %.cc $(BUILD)/rules.mk
	@mkdir -p $(dir $@)
	$(CXX) $(FLAGS) $(OPT) -include-pch $(BUILD)/pch/$(LEVEL).pch -MMD -MP -c -o $@ $<

$(BUILD)/pch/fuzzed.pch: tests/fuzz/prefix.h $(BUILD)/rules.mk
	@mkdir -p $(dir $@)
	$(CXX) $(FLAGS) -O1 -MMD -MP -x c++-header -o $@ $<

$(BUILD)/pch/loaded.pch: tests/fuzz/prefix.h $(BUILD)/rules.mk
	@mkdir -p $(dir $@)
	$(CXX) $(FLAGS) -O0 -fpch-codegen -MMD -MP -x c++-header -o $@ $<

$(BUILD)/pch/loaded.o: $(BUILD)/pch/loaded.pch
	$(CXX) $(FLAGS) -O0 -c -o $@ $<

-include $(wildcard $(BUILD)/obj/*/*.d $(BUILD)/obj/*/*/*.d $(BUILD)/pch/*.d)
MAKE
)
printf '# compiler: %s\n%s\n' "$cxx" "$rules" >"$build/rules.mk.new"
cmp -s "$build/rules.mk.new" "$build/rules.mk" 2>/dev/null || mv "$build/rules.mk.new" "$build/rules.mk"
rm -f "$build/rules.mk.new"
make -s -C "$root" -j"$jobs" -f "$build/rules.mk" BUILD="$build" CXX="$cxx"
bin="$build/language_fuzz"
echo "fuzz: built $bin ($((SECONDS - start)) s)"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# ---------------------------------------------------------------- replay
# Files as arguments: libFuzzer runs each one once and stops at the first
# that fails.
mapfile -t regressions < <(find "$fuzz/regressions" -type f ! -name '.*' 2>/dev/null | sort)
if [ ${#regressions[@]} -gt 0 ]; then
  if ! "$bin" "${limits[@]}" "${regressions[@]}" >"$build/replay.log" 2>&1; then
    cat "$build/replay.log"
    echo "fuzz: a regression input fails again (see above)"
    exit 1
  fi
  echo "fuzz: replayed ${#regressions[@]} regression inputs, all pass"
fi

# ---------------------------------------------------------------- fuzz
corpus="$build/corpus"
artifacts="$build/artifacts"
mkdir -p "$corpus" "$artifacts"
rm -f "$artifacts"/*
cp "$fuzz"/corpus/* "$corpus"/
cp "$root"/fblocks/*.st "$corpus"/
[ ${#regressions[@]} -eq 0 ] || cp "${regressions[@]}" "$corpus"/

status=0
"$bin" "${limits[@]}" -max_len=4096 -max_total_time="$seconds" -dict="$fuzz/language.dict" \
  -artifact_prefix="$artifacts/" -print_final_stats=1 "$corpus" >"$build/fuzz.log" 2>&1 || status=$?

mkdir -p "$fuzz/regressions"
for f in "$artifacts"/*; do
  [ -e "$f" ] || continue
  name=$(basename "$f")
  cp "$f" "$fuzz/regressions/$name"
  echo "fuzz: new finding saved as tests/fuzz/regressions/$name"
done
grep -E '^(stat::|Done |#[0-9]+ +DONE)' "$build/fuzz.log" || true
if [ "$status" -ne 0 ]; then
  grep -v '^#[0-9]' "$build/fuzz.log" | tail -n 80
  echo "fuzz: FAILED (the whole log: $build/fuzz.log)"
  exit 1
fi
runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$build/fuzz.log")
rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$build/fuzz.log")
echo "fuzz: ${runs:-?} inputs in ${seconds} s (${rate:-?} exec/s), corpus $(ls "$corpus" | wc -l) files, no crash" \
  "($((SECONDS - start)) s in all)"
