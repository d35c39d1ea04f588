// The ECC rules of IEC 61499-1 5.2.2 (see runtime/ecc.h), one TEST_CASE each.
#include "runtime/fb_type_builder.h"
#include "runtime/scheduler.h"
#include "tests/fixtures/voter.h"
#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {

FbNetwork one(const char* name, const char* type) { return {{{name, type, {}, ""}}, {}, {}}; }

// An algorithm that sets `var` to `value`.
FbTypeBuilder::AlgorithmBody set(const char* var, uint64_t value) {
  return [=](AlgorithmBuilder& b) { b.op(Op::kMov, b.var(var), b.constant(Value::of_uint(value))); };
}

// A loop that adds 1 to N until N = LIMIT (a counted WHILE loop).
FbTypeBuilder::AlgorithmBody count_to_limit() {
  return [](AlgorithmBuilder& b) {
    uint16_t one = b.constant(Value::of_uint(1)), done = b.temp();
    auto top = b.new_label(), out = b.new_label();
    b.bind(top);
    b.op(Op::kEq, done, b.var("N"), b.var("LIMIT"));
    b.jump(Op::kJnz, done, out);
    b.op(Op::kAdd, b.var("N"), b.var("N"), one);
    b.jump(Op::kJmp, 0, top);
    b.bind(out);
  };
}

// LOOP: E counts N up to LIMIT, then DONE.
TypeLibrary loop_library() {
  return library_with({FbTypeBuilder("LOOP")
                           .event_input("E", {"LIMIT"})
                           .event_output("DONE", {"N"})
                           .input("LIMIT", DataType::kUdint)
                           .output("N", DataType::kUdint)
                           .algorithm("Count", count_to_limit())
                           .on("E", "Count", {"DONE"})
                           .build()});
}

}  // namespace

TEST_CASE("the voter votes, reports Voted with State, and waits for Reset after a positive vote", "[ecc][voter]") {
  TypeLibrary lib = library_with({fixtures::voter()});
  Rig rig(one("V", "VOTER"), {}, lib);
  rig.var("V", "A") = Value::of_bool(true);
  rig.var("V", "B") = Value::of_bool(false);
  CHECK(rig.fire("V", "Vote") == Events{"V.Voted(State=FALSE)"});  // back to Ready
  rig.var("V", "C") = Value::of_bool(true);
  CHECK(rig.fire("V", "Vote") == Events{"V.Voted(State=TRUE)"});  // now in VotedPos
  CHECK(rig.fire("V", "Vote") == Events{});                       // VotedPos ignores Vote
  CHECK(rig.fire("V", "Reset") == Events{"V.Ready(State=FALSE)"});
  CHECK(rig.fire("V", "Vote") == Events{"V.Voted(State=TRUE)"});
}

TEST_CASE("an input event is consumed by the first evaluation only", "[ecc]") {
  // S0 -E-> S1 -E-> S2: one E moves the ECC one state, not two.
  TypeLibrary lib = library_with({FbTypeBuilder("T")
                                      .event_input("E")
                                      .event_output("O1")
                                      .event_output("O2")
                                      .state("S0")
                                      .state("S1", {{"", "O1"}})
                                      .state("S2", {{"", "O2"}})
                                      .transition("S0", "S1", "E")
                                      .transition("S1", "S2", "E")
                                      .build()});
  Rig rig(one("X", "T"), {}, lib);
  CHECK(rig.fire("X", "E") == Events{"X.O1"});
  CHECK(rig.fire("X", "E") == Events{"X.O2"});
}

TEST_CASE("transitions without an event keep firing while one is enabled", "[ecc]") {
  // S0 -E-> S1 -1-> S2 -[N = 2]-> S3: one E runs through to S3 once N is 2.
  TypeLibrary lib = library_with({FbTypeBuilder("T")
                                      .event_input("E", {"N"})
                                      .event_output("O1")
                                      .event_output("O2")
                                      .event_output("O3")
                                      .input("N", DataType::kUint)
                                      .algorithm("NIs2",
                                                 [](AlgorithmBuilder& b) {
                                                   uint16_t t = b.temp();
                                                   b.op(Op::kEq, t, b.var("N"), b.constant(Value::of_uint(2)));
                                                   b.op(Op::kRet, t);
                                                 })
                                      .state("S0")
                                      .state("S1", {{"", "O1"}})
                                      .state("S2", {{"", "O2"}})
                                      .state("S3", {{"", "O3"}})
                                      .transition("S0", "S1", "E")
                                      .transition("S1", "S2", "")
                                      .transition("S2", "S3", "", "NIs2")
                                      .transition("S3", "S0", "E")
                                      .build()});
  Rig rig(one("X", "T"), {}, lib);
  CHECK(rig.fire("X", "E") == Events{"X.O1", "X.O2"});  // rests in S2: N = 0
  CHECK(rig.var("X", "$state").u == 2);
  // Any event re-evaluates S2's event-less guard, which now holds; S3 then
  // waits for an E that has been consumed already.
  rig.var("X", "N") = Value::of_uint(2);
  CHECK(rig.fire("X", "E") == Events{"X.O3"});
  CHECK(rig.var("X", "$state").u == 3);
}

TEST_CASE("transitions are evaluated in declaration order and the first enabled one fires", "[ecc]") {
  TypeLibrary lib = library_with({FbTypeBuilder("T")
                                      .event_input("E")
                                      .event_output("FIRST")
                                      .event_output("SECOND")
                                      .state("S0")
                                      .state("A", {{"", "FIRST"}})
                                      .state("B", {{"", "SECOND"}})
                                      .transition("S0", "A", "E")
                                      .transition("S0", "B", "E")
                                      .transition("A", "S0", "")
                                      .transition("B", "S0", "")
                                      .build()});
  Rig rig(one("X", "T"), {}, lib);
  CHECK(rig.fire("X", "E") == Events{"X.FIRST"});
  CHECK(rig.fire("X", "E") == Events{"X.FIRST"});
}

TEST_CASE("a state's actions run in order, each algorithm before its output event", "[ecc]") {
  TypeLibrary lib = library_with({FbTypeBuilder("T")
                                      .event_input("E")
                                      .event_output("O", {"V"})
                                      .output("V", DataType::kUint)
                                      .algorithm("One", set("V", 1))
                                      .algorithm("Two", set("V", 2))
                                      .state("S0")
                                      .state("S1", {{"One", "O"}, {"Two", "O"}, {"", "O"}})
                                      .transition("S0", "S1", "E")
                                      .transition("S1", "S0", "")
                                      .build()});
  Rig rig(one("X", "T"), {}, lib);
  CHECK(rig.fire("X", "E") == Events{"X.O(V=1)", "X.O(V=2)", "X.O(V=2)"});
}

TEST_CASE("each queued event carries the output values of its own action", "[ecc][with]") {
  // The receiver runs after both emissions; it must still see 1 then 2.
  TypeLibrary lib =
      library_with({FbTypeBuilder("SRC")
                        .event_input("E")
                        .event_output("O", {"V"})
                        .output("V", DataType::kUint)
                        .algorithm("One", set("V", 1))
                        .algorithm("Two", set("V", 2))
                        .state("S0")
                        .state("S1", {{"One", "O"}, {"Two", "O"}})
                        .transition("S0", "S1", "E")
                        .transition("S1", "S0", "")
                        .build(),
                    FbTypeBuilder("SINK")
                        .event_input("E", {"IN"})
                        .event_output("O", {"OUT"})
                        .input("IN", DataType::kUint)
                        .output("OUT", DataType::kUint)
                        .algorithm("Copy", [](AlgorithmBuilder& b) { b.op(Op::kMov, b.var("OUT"), b.var("IN")); })
                        .on("E", "Copy", {"O"})
                        .build()});
  Rig rig({{{"S", "SRC", {}, ""}, {"K", "SINK", {}, ""}}, {{"S.O", "K.E", ""}}, {{"S.V", "K.IN", ""}}}, {}, lib);
  CHECK(rig.fire("S", "E") == Events{"S.O(V=1)", "S.O(V=2)", "K.O(OUT=1)", "K.O(OUT=2)"});
}

TEST_CASE("a simple FB runs the event's algorithm and then emits its outputs", "[simple]") {
  TypeLibrary lib =
      library_with({FbTypeBuilder("ADD1")
                        .event_input("REQ", {"IN"})
                        .event_input("NOP")
                        .event_output("CNF", {"OUT"})
                        .input("IN", DataType::kInt)
                        .output("OUT", DataType::kInt)
                        .algorithm("REQ",
                                   [](AlgorithmBuilder& b) {
                                     b.op(Op::kAdd, b.var("OUT"), b.var("IN"), b.constant(Value::of_int(1)));
                                     b.op(Op::kSext, b.var("OUT"), 0, 0, 16);
                                   })
                        .on("REQ", "REQ", {"CNF"})
                        .on("NOP", "", {})
                        .build()});
  Rig rig(one("X", "ADD1"), {}, lib);
  rig.var("X", "IN") = Value::of_int(32767);
  CHECK(rig.fire("X", "REQ") == Events{"X.CNF(OUT=-32768)"});  // INT wraps
  CHECK(rig.fire("X", "NOP") == Events{});
}

TEST_CASE("a division by zero stops the algorithm, is reported, and the ECC goes on", "[ecc][fault]") {
  TypeLibrary lib =
      library_with({FbTypeBuilder("T")
                        .event_input("E", {"D"})
                        .event_output("O", {"Q"})
                        .input("D", DataType::kDint)
                        .output("Q", DataType::kDint)
                        .algorithm("Div",
                                   [](AlgorithmBuilder& b) {
                                     b.op(Op::kMov, b.var("Q"), b.constant(Value::of_int(7)));
                                     b.op(Op::kDivS, b.var("Q"), b.constant(Value::of_int(100)), b.var("D"));
                                   })
                        .state("S0")
                        .state("S1", {{"Div", "O"}})
                        .transition("S0", "S1", "E")
                        .transition("S1", "S0", "")
                        .build()});
  Rig rig(one("X", "T"), {}, lib);
  rig.var("X", "D") = Value::of_int(0);
  CHECK(rig.fire("X", "E") == Events{});
  CHECK(rig.rec->faults == std::vector<std::string>{"X/Div: integer division by zero"});
  CHECK(rig.var("X", "Q").i == 7);  // effects before the fault stay
  CHECK(rig.res->stats().faults == 1);
  rig.var("X", "D") = Value::of_int(3);
  CHECK(rig.fire("X", "E") == Events{});  // the ECC stayed in S1, which waits for nothing
}

TEST_CASE("an ECC that never rests is stopped with a fault when the resource cannot pause", "[ecc][budget]") {
  TypeLibrary lib = library_with({FbTypeBuilder("T")
                                      .event_input("E")
                                      .state("A")
                                      .state("B")
                                      .transition("A", "B", "")
                                      .transition("B", "A", "")
                                      .build()});
  ResourceOptions o;
  o.instruction_budget = 10000;
  Rig rig(one("X", "T"), o, lib);
  rig.fire("X", "E");
  REQUIRE(rig.rec->faults.size() == 1);
  CHECK(rig.rec->faults[0].find("the ECC does not settle") != std::string::npos);
}

TEST_CASE("a long algorithm pauses its slice, resumes where it stopped and finishes", "[ecc][budget][fiber]") {
  TypeLibrary lib = loop_library();
  ResourceOptions o;
  o.instruction_budget = 10000;
  Rig rig(one("X", "LOOP"), o, lib);
  ResourceFiber fiber(*rig.res);
  rig.var("X", "LIMIT") = Value::of_uint(100000);  // ~400k instructions
  REQUIRE(rig.res->inject(rig.fb("X"), EventId{0}));
  int slices = 1;
  while (fiber.run_slice(rig.clock.now()).paused) ++slices;
  CHECK(slices >= 40);
  CHECK(rig.rec->take() == Events{"X.DONE(N=100000)"});
  CHECK(rig.rec->runaways == std::vector<std::string>{"X"});  // reported once for the event
  CHECK(rig.res->stats().budget_pauses == uint64_t(slices - 1));
}

TEST_CASE("an endless algorithm is stopped after max_algorithm_slices pauses", "[ecc][budget][fiber]") {
  TypeLibrary lib = loop_library();
  ResourceOptions o;
  o.instruction_budget = 1000;
  o.max_algorithm_slices = 5;
  Rig rig(one("X", "LOOP"), o, lib);
  ResourceFiber fiber(*rig.res);
  rig.var("X", "N") = Value::of_uint(1);  // counts up from 1 to LIMIT = 0: 2^64 iterations
  REQUIRE(rig.res->inject(rig.fb("X"), EventId{0}));
  int slices = 1;
  while (fiber.run_slice(rig.clock.now()).paused) ++slices;
  CHECK(slices == 6);
  CHECK(rig.rec->faults == std::vector<std::string>{"X/Count: instruction budget exceeded"});
  CHECK(rig.rec->take() == Events{});  // a stopped algorithm emits nothing after it
}

TEST_CASE("a short step pauses quietly when its instructions run out; the event then finishes on the full budget",
          "[ecc][budget][fiber]") {
  TypeLibrary lib = loop_library();
  ResourceOptions o;
  o.instruction_budget = 1000000;
  Rig rig(one("X", "LOOP"), o, lib);
  ResourceFiber fiber(*rig.res);
  rig.var("X", "LIMIT") = Value::of_uint(100000);  // ~400k instructions: fits the full budget
  REQUIRE(rig.res->inject(rig.fb("X"), EventId{0}));
  rig.res->limit_next_step(16, 5000);
  SliceResult first = fiber.run_slice(rig.clock.now());
  CHECK(first.paused);  // after ~5000 instructions
  CHECK(rig.var("X", "N").u < 100000);
  SliceResult second = fiber.run_slice(rig.clock.now());
  CHECK_FALSE(second.paused);
  CHECK(rig.rec->take() == Events{"X.DONE(N=100000)"});
  CHECK(rig.rec->runaways.empty());  // a short step's pause is not a runaway
  CHECK(rig.res->stats().budget_pauses == 0);
  // A short step bounds the events too; the next step has the full budget again.
  for (int k = 0; k < 40; ++k) REQUIRE(rig.res->inject(rig.fb("X"), EventId{0}));  // N = LIMIT: no loop
  rig.res->limit_next_step(16, 5000);
  CHECK(fiber.run_slice(rig.clock.now()).step.dispatched == 16);
  CHECK(fiber.run_slice(rig.clock.now()).step.dispatched == 24);
}
