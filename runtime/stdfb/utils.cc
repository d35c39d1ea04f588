// 4diac's non-generic utility blocks that FORTE implements natively
// (src/modules/utils): the array <-> values converters for two LREALs,
// the test-support blocks, and FB_RANDOM (math/ in 4diac's library, a
// BasicFB whose algorithms are C++ text; the type folder reads only the
// interface of a file that names a native type, so this block runs).
//
// ARRAY2ARRAY_2_LREAL   REQ: OUT := IN (ARRAY[0..1] OF LREAL), CNF.
// ARRAY2VALUES_2_LREAL  REQ: OUT_1 := IN[0], OUT_2 := IN[1], CNF.
// VALUES2ARRAY_2_LREAL  REQ: OUT[0] := IN_1, OUT[1] := IN_2, CNF.
// TEST_CONDITION        REQ (with check): a test; CNF. Prints FORTE's log
//                       line for it (utils_text_form.h put_log_prefix):
//                       "INFO: T#<ns>:  ------------------------------
//                       [TEST_CONDITION_PASSED] FB passed" on the standard
//                       output for a TRUE check, "ERROR: T#<ns>:
//                       ------------------------------ [TEST_CONDITION_FAILED]
//                       FB failed ------------------------------" on the
//                       standard error for a FALSE one (FORTE's system tests
//                       look for these). FORTE names the FB RESOURCE.FB; a
//                       block here does not know its resource's name, so the
//                       line names the FB. A failed test is also a fault of
//                       the block, "TEST_CONDITION failed" at REQ, counted in
//                       the resource's Stats::faults and reported to
//                       ResourceObserver::on_fault (the BEAM host's
//                       {plc_fault, Fb, <<"REQ">>, What} alarm). FORTE's
//                       final report of all tests at exit is not printed.
// STEST_END             REQ: the test run is over. FORTE kills its device;
//                       a block cannot stop plc's device from inside, so it
//                       counts it (Stats::test_ends) and calls
//                       ResourceObserver::on_test_end: the BEAM host's
//                       management server ends the device.
// E_STOPWATCH           START: notes the engine's time; the STOP after it:
//                       TD := the time since START, EO. A STOP without a
//                       START before it, or a second START, is ignored (the
//                       ECC of 4diac's E_STOPWATCH.fbt, which older
//                       projects carry as a bare interface FORTE ran
//                       natively).
// FB_RANDOM             INIT (with SEED): seeds the block's generator, with
//                       SEED or, for SEED = 0, the resource's time; INITO.
//                       REQ: VAL := the next number in [0, 1), CNF. Before
//                       any INIT the sequence is that of SEED = 0 at time 0,
//                       always the same, as FORTE's before srand.
//   Differences from FORTE, on purpose: each instance has its own
//   generator (splitmix64, in an internal variable) instead of the
//   process's rand(), so instances and resources do not disturb each other
//   and a seed gives the same sequence on every platform; VAL is below 1
//   (FORTE's rand()/RAND_MAX reaches 1.0).
#include <cstdio>
#include <string>

#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"
#include "runtime/stdfb/utils_text_form.h"
#include "runtime/type_library.h"

namespace plc::stdfb {
namespace {

constexpr EventId kCnf{0};

// ---- ARRAY2ARRAY_2_LREAL: slots IN[0], IN[1], OUT[0], OUT[1]
void array2array(FbContext& fb, EventId) {
  fb.v[2] = fb.v[0];
  fb.v[3] = fb.v[1];
  fb.emit(kCnf);
}

FbType array2array_2_lreal() {
  return FbTypeBuilder("ARRAY2ARRAY_2_LREAL")
      .comment("Copies an ARRAY[0..1] OF LREAL")
      .event_input("REQ", {"IN"})
      .event_output("CNF", {"OUT"})
      .input_array("IN", DataType::kLreal, 2)
      .output_array("OUT", DataType::kLreal, 2)
      .native({array2array, nullptr})
      .build();
}

// ---- ARRAY2VALUES_2_LREAL: slots IN[0], IN[1], OUT_1, OUT_2;
// ---- VALUES2ARRAY_2_LREAL: slots IN_1, IN_2, OUT[0], OUT[1]: the same copy.
FbType array2values_2_lreal() {
  return FbTypeBuilder("ARRAY2VALUES_2_LREAL")
      .comment("Splits an ARRAY[0..1] OF LREAL into two values")
      .event_input("REQ", {"IN"})
      .event_output("CNF", {"OUT_1", "OUT_2"})
      .input_array("IN", DataType::kLreal, 2)
      .output("OUT_1", DataType::kLreal)
      .output("OUT_2", DataType::kLreal)
      .native({array2array, nullptr})
      .build();
}

FbType values2array_2_lreal() {
  return FbTypeBuilder("VALUES2ARRAY_2_LREAL")
      .comment("Joins two LREAL values into an ARRAY[0..1] OF LREAL")
      .event_input("REQ", {"IN_1", "IN_2"})
      .event_output("CNF", {"OUT"})
      .input("IN_1", DataType::kLreal)
      .input("IN_2", DataType::kLreal)
      .output_array("OUT", DataType::kLreal, 2)
      .native({array2array, nullptr})
      .build();
}

// ---- TEST_CONDITION: slot check
void test_condition(FbContext& fb, EventId) {
  static const std::string kWhere = "REQ";
  static const char kRule[] = "------------------------------";
  const bool passed = fb.v[0].as_bool();
  char buf[256];
  TextSink out(buf, sizeof buf, passed ? stdout : stderr);
  put_log_prefix(out, passed ? "INFO" : "ERROR");
  if (passed) out.put(' ');
  out.put(kRule);
  out.put(passed ? " [TEST_CONDITION_PASSED] " : " [TEST_CONDITION_FAILED] ");
  const std::string& name = fb.resource().name_of(FbIndex{fb.index()});
  out.put(name.data(), name.size());
  out.put(passed ? " passed\n" : " failed ");
  if (!passed) {
    out.put(kRule);
    out.put('\n');
  }
  out.flush();
  std::fflush(passed ? stdout : stderr);
  if (!passed) fb.fault("TEST_CONDITION failed", kWhere);
  fb.emit(kCnf);
}

FbType test_condition_type() {
  return FbTypeBuilder("TEST_CONDITION")
      .comment("A test: fails (a fault) when check is FALSE")
      .event_input("REQ", {"check"})
      .event_output("CNF")
      .input("check", DataType::kBool)
      .native({test_condition, nullptr})
      .build();
}

// ---- STEST_END
void stest_end(FbContext& fb, EventId) { fb.end_test(); }

FbType stest_end_type() {
  return FbTypeBuilder("STEST_END")
      .comment("Ends the test run: the host is told (ResourceObserver::on_test_end)")
      .event_input("REQ")
      .native({stest_end, nullptr})
      .build();
}

// ---- FB_RANDOM: slots SEED, VAL, $state
enum RandomSlot { SEED, VAL, STATE };
enum RandomEvent : uint16_t { INIT, REQ };
enum RandomOutput : uint16_t { INITO, CNF };

uint64_t splitmix64(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15u);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
  return z ^ (z >> 31);
}

void fb_random(FbContext& fb, EventId ei) {
  if (index_of(ei) == INIT) {
    fb.v[STATE].u = fb.v[SEED].u ? fb.v[SEED].u : uint64_t(fb.now().count());
    fb.emit(EventId{INITO});
    return;
  }
  // 24 random bits: exactly representable in a REAL, below 1.
  fb.v[VAL] = Value::of_real(double(splitmix64(fb.v[STATE].u) >> 40) / double(1 << 24));
  fb.emit(EventId{CNF});
}

FbType fb_random_type() {
  return FbTypeBuilder("FB_RANDOM")
      .comment("Random numbers in [0, 1)")
      .event_input("INIT", {"SEED"})
      .event_input("REQ")
      .event_output("INITO")
      .event_output("CNF", {"VAL"})
      .input("SEED", DataType::kUint)
      .output("VAL", DataType::kReal)
      .internal("$state", DataType::kUlint)
      .native({fb_random, nullptr})
      .build();
}

}  // namespace

// ---- E_STOPWATCH
// Internals: the START time, and whether a measurement runs.
enum : uint16_t { kSwTd = 0, kSwStart = 1, kSwRunning = 2 };

void stopwatch(FbContext& fb, EventId ei) {
  Value& running = fb.v[kSwRunning];
  if (index_of(ei) == 0) {  // START
    if (running.as_bool()) return;
    fb.v[kSwStart] = Value::of_int(fb.now().count());
    running = Value::of_bool(true);
    return;
  }
  if (!running.as_bool()) return;  // STOP
  fb.v[kSwTd] = Value::of_int(fb.now().count() - fb.v[kSwStart].i);
  running = Value::of_bool(false);
  fb.emit(EventId{0});
}

FbType e_stopwatch_type() {
  return FbTypeBuilder("E_STOPWATCH")
      .comment("FB for stopping time between events")
      .event_input("START")
      .event_input("STOP")
      .event_output("EO", {"TD"})
      .output("TD", DataType::kTime)
      .internal("startTime", DataType::kTime)
      .internal("$running", DataType::kBool)
      .native({stopwatch, nullptr})
      .build();
}

void add_utils_blocks(TypeLibrary& lib) {
  for (auto make : {array2array_2_lreal, array2values_2_lreal, values2array_2_lreal, test_condition_type,
                    stest_end_type, fb_random_type, e_stopwatch_type})
    lib.add(make());
}

}  // namespace plc::stdfb
