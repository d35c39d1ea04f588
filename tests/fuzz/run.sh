#!/usr/bin/env bash
# Builds the four fuzz targets with clang (libFuzzer + ASan + UBSan):
# language_fuzz (the textual language's front end), fourdiac_fuzz (the
# 4diac XML importer: one .fbt, .adp, .dtp or .sys checked as `plc check`
# does), remote_event_fuzz (the decoder of events from other nodes,
# runtime/remote_event.h) and fbdk_asn1_fuzz (the decoder of what a
# communication block receives over IP, runtime/fbdk_asn1.h). Replays the
# regression inputs of each, then fuzzes each for a quarter of
# FUZZ_SECONDS (default 60, so 15 s each):
#
#   target          seeds                                         regressions
#   language_fuzz   corpus/, fblocks/*.st                         regressions/*
#   fourdiac_fuzz   corpus_fourdiac/, ../shared/conformance/      regressions/fourdiac/*
#                   4diac-reference and ../shared/4diac-typelibrary
#                   (read only, when present)
#   remote_event_fuzz corpus_remote_event/ (real events, encoded:    regressions/remote_event/*
#                   REMOTE_EVENT_FUZZ_SEEDS=DIR remote_event_fuzz -runs=0 writes them)
#   fbdk_asn1_fuzz  corpus_fbdk_asn1/ (a message of each layout:     regressions/fbdk_asn1/*
#                   FBDK_ASN1_FUZZ_SEEDS=DIR fbdk_asn1_fuzz -runs=0 writes them)
#
#   tests/fuzz/run.sh                 # make test runs this
#   FUZZ_SECONDS=600 tests/fuzz/run.sh
#
# Objects are cached in FUZZ_BUILD_DIR (default under /tmp, one folder per
# work tree), so a rerun recompiles only what changed (make, with the
# headers each object includes). The corpora the fuzzers grow are kept
# there too, so each run starts where the last one ended. Exits non-zero
# when a regression input still fails or a fuzzer finds a crash, a leak, a
# hang (-timeout) or an out-of-memory; a new finding is copied into the
# target's regressions folder (commit it with the fix). tests/fuzz/pending/
# holds findings whose fix is not in yet: kept, but not replayed.
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
# the code under test (runtime/language, runtime/fourdiac, the targets) is
# optimised (-O1); the engine, which the checker only loads networks into,
# is not (-O0 compiles in a third of the time). Both are fully
# instrumented. The two targets share every object but their own and the
# importer's (conformance.cc, the reference examples' runner, is left
# out: nothing here calls it). The headers of prefix.h are precompiled once
# per level; at -O0 the inline functions they define are also compiled
# once, into pch/loaded.o (-fpch-codegen), instead of into each of the 24
# small standard block files. Line tables are enough for file:line in stacks.
rules=$(cat <<'MAKE'
FLAGS := -std=c++20 -gline-tables-only -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
         -fno-omit-frame-pointer -I. -Wall -Wno-unused-parameter -Wno-missing-field-initializers \
         -Wno-unused-private-field -Wno-unused-command-line-argument
LANGUAGE := $(sort $(wildcard runtime/language/*.cc))
FOURDIAC := $(filter-out runtime/fourdiac/conformance.cc,$(sort $(wildcard runtime/fourdiac/*.cc)))
TARGETS := tests/fuzz/language_fuzz.cc tests/fuzz/fourdiac_fuzz.cc tests/fuzz/remote_event_fuzz.cc \
           tests/fuzz/fbdk_asn1_fuzz.cc
DECODER := runtime/remote_event.cc runtime/fbdk_asn1.cc
FUZZED := $(LANGUAGE) $(FOURDIAC) $(TARGETS) $(DECODER)
LOADED := $(filter-out $(DECODER),$(sort $(wildcard runtime/*.cc runtime/stdfb/*.cc)))
obj = $(patsubst %.cc,$(BUILD)/obj/%.o,$(1))

all: $(BUILD)/language_fuzz $(BUILD)/fourdiac_fuzz $(BUILD)/remote_event_fuzz $(BUILD)/fbdk_asn1_fuzz

$(BUILD)/language_fuzz: $(call obj,tests/fuzz/language_fuzz.cc $(LANGUAGE) $(LOADED)) $(BUILD)/pch/loaded.o
	$(CXX) $(FLAGS) -o $@ $^ -lboost_context -pthread

$(BUILD)/remote_event_fuzz: $(call obj,tests/fuzz/remote_event_fuzz.cc $(LANGUAGE) $(LOADED) $(DECODER)) $(BUILD)/pch/loaded.o
	$(CXX) $(FLAGS) -o $@ $^ -lboost_context -pthread

$(BUILD)/fbdk_asn1_fuzz: $(call obj,tests/fuzz/fbdk_asn1_fuzz.cc $(LANGUAGE) $(LOADED) $(DECODER)) $(BUILD)/pch/loaded.o
	$(CXX) $(FLAGS) -o $@ $^ -lboost_context -pthread

$(BUILD)/fourdiac_fuzz: $(call obj,tests/fuzz/fourdiac_fuzz.cc $(FOURDIAC) $(LANGUAGE) $(LOADED)) $(BUILD)/pch/loaded.o
	$(CXX) $(FLAGS) -o $@ $^ -lpugixml -lboost_context -pthread

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
echo "fuzz: built $build/language_fuzz, fourdiac_fuzz, remote_event_fuzz and fbdk_asn1_fuzz ($((SECONDS - start)) s)"

export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

# Each target's regressions: the files directly in its folder (the
# language's is the top folder, so the subfolders are not its).
regressions_of() {
  case $1 in
    language_fuzz) echo "$fuzz/regressions" ;;
    fourdiac_fuzz) echo "$fuzz/regressions/fourdiac" ;;
    remote_event_fuzz) echo "$fuzz/regressions/remote_event" ;;
    fbdk_asn1_fuzz) echo "$fuzz/regressions/fbdk_asn1" ;;
  esac
}
targets=(language_fuzz fourdiac_fuzz remote_event_fuzz fbdk_asn1_fuzz)

# ---------------------------------------------------------------- replay
# Files as arguments: libFuzzer runs each one once and stops at the first
# that fails.
replay_failed=0
for t in "${targets[@]}"; do
  mapfile -t inputs < <(find "$(regressions_of "$t")" -maxdepth 1 -type f ! -name '.*' 2>/dev/null | sort)
  [ ${#inputs[@]} -gt 0 ] || continue
  if ! "$build/$t" "${limits[@]}" "${inputs[@]}" >"$build/replay-$t.log" 2>&1; then
    cat "$build/replay-$t.log"
    echo "fuzz: $t: a regression input fails again (see above)"
    replay_failed=1
  else
    echo "fuzz: $t: replayed ${#inputs[@]} regression inputs, all pass"
  fi
done
[ "$replay_failed" -eq 0 ] || exit 1

# ---------------------------------------------------------------- fuzz
# The first corpus folder is the one the fuzzer adds to; the others (4diac's
# reference examples) are only read.
share=$((seconds / ${#targets[@]}))
[ "$share" -ge 1 ] || share=1  # 0 would mean no limit
failed=()
for t in "${targets[@]}"; do
  corpus="$build/corpus-$t"
  artifacts="$build/artifacts-$t"
  log="$build/fuzz-$t.log"
  regressions=$(regressions_of "$t")
  mkdir -p "$corpus" "$artifacts"
  rm -f "$artifacts"/*
  extra=()
  case $t in
    language_fuzz)
      options=(-max_len=4096 -dict="$fuzz/language.dict")
      cp "$fuzz"/corpus/* "$root"/fblocks/*.st "$corpus"/ ;;
    fourdiac_fuzz)
      options=(-max_len=8192 -dict="$fuzz/fourdiac.dict")
      cp "$fuzz"/corpus_fourdiac/* "$corpus"/
      reference="$root/../shared/conformance/4diac-reference"
      [ ! -d "$reference" ] || extra+=("$reference")
      library="$root/../shared/4diac-typelibrary"
      [ ! -d "$library" ] || extra+=("$library") ;;
    remote_event_fuzz)
      # The wire form is at most 103 bytes; a little more finds trailing bytes.
      options=(-max_len=160)
      cp "$fuzz"/corpus_remote_event/* "$corpus"/ ;;
    fbdk_asn1_fuzz)
      # A UDP datagram can be 64 KiB; what finds the bugs is far shorter.
      options=(-max_len=512)
      cp "$fuzz"/corpus_fbdk_asn1/* "$corpus"/ ;;
  esac
  find "$regressions" -maxdepth 1 -type f ! -name '.*' -exec cp {} "$corpus"/ \; 2>/dev/null || true

  status=0
  "$build/$t" "${limits[@]}" "${options[@]}" -max_total_time="$share" -artifact_prefix="$artifacts/" \
    -print_final_stats=1 "$corpus" "${extra[@]}" >"$log" 2>&1 || status=$?

  mkdir -p "$regressions"
  for f in "$artifacts"/*; do
    [ -e "$f" ] || continue
    cp "$f" "$regressions/"
    echo "fuzz: $t: new finding saved as ${regressions#"$root"/}/$(basename "$f")"
  done
  if [ "$status" -ne 0 ]; then
    grep -v '^#[0-9]' "$log" | tail -n 80
    echo "fuzz: $t: FAILED (the whole log: $log)"
    failed+=("$t")
    continue
  fi
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(grep -oE 'cov: [0-9]+ ft: [0-9]+' "$log" | tail -n 1)
  echo "fuzz: $t: ${runs:-?} inputs in ${share} s (${rate:-?} exec/s, ${cov:-cov: ?}), corpus $(ls "$corpus" | wc -l) files, no crash"
done
[ ${#failed[@]} -eq 0 ] || { echo "fuzz: FAILED: ${failed[*]}"; exit 1; }
echo "fuzz: no crash ($((SECONDS - start)) s in all)"
