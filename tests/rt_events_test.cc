// 4diac's rtevents/ blocks (rt_events.cc): FORTE's INIT/QI/QO service
// handling around the standard event blocks' behaviour.
#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

namespace {

FbNetwork one(const char* type, std::vector<Parameter> params = {}) { return {{{"B", type, params, ""}}, {}, {}}; }

// INIT with QI := qi; returns what it emitted.
Events init(Rig& rig, bool qi) {
  rig.var("B", "QI") = Value::of_bool(qi);
  return rig.fire("B", "INIT");
}

}  // namespace

TEST_CASE("An RT_E block ignores its events before INIT", "[stdfb][rtevents]") {
  Rig rig(one("RT_E_MERGE"));
  CHECK(rig.fire("B", "EI1") == Events{});
  CHECK(init(rig, true) == Events{"B.INITO(QO=TRUE)"});
  CHECK(rig.fire("B", "EI1") == Events{"B.EO"});
  CHECK(rig.fire("B", "EI2") == Events{"B.EO"});
}

TEST_CASE("INIT with QI FALSE stops an RT_E block and sets QO FALSE", "[stdfb][rtevents]") {
  Rig rig(one("RT_E_SPLIT"));
  REQUIRE(init(rig, true) == Events{"B.INITO(QO=TRUE)"});
  CHECK(rig.fire("B", "EI") == Events{"B.EO1", "B.EO2"});
  CHECK(init(rig, false) == Events{"B.INITO(QO=FALSE)"});
  CHECK(rig.fire("B", "EI") == Events{});
  CHECK(init(rig, true) == Events{"B.INITO(QO=TRUE)"});
  CHECK(rig.fire("B", "EI") == Events{"B.EO1", "B.EO2"});
}

TEST_CASE("RT_E_EC_COUPLER passes EI to EO once initialized", "[stdfb][rtevents]") {
  Rig rig(one("RT_E_EC_COUPLER"));
  CHECK(rig.fire("B", "EI") == Events{});
  init(rig, true);
  CHECK(rig.fire("B", "EI") == Events{"B.EO"});
}

TEST_CASE("RT_E_PERMIT emits EO only when PERMIT is TRUE", "[stdfb][rtevents]") {
  Rig rig(one("RT_E_PERMIT"));
  init(rig, true);
  CHECK(rig.fire("B", "EI") == Events{});
  rig.var("B", "PERMIT") = Value::of_bool(true);
  CHECK(rig.fire("B", "EI") == Events{"B.EO"});
}

TEST_CASE("RT_E_SELECT passes EI0 when G is FALSE and EI1 when G is TRUE", "[stdfb][rtevents]") {
  Rig rig(one("RT_E_SELECT"));
  init(rig, true);
  CHECK(rig.fire("B", "EI0") == Events{"B.EO"});
  CHECK(rig.fire("B", "EI1") == Events{});
  rig.var("B", "G") = Value::of_bool(true);
  CHECK(rig.fire("B", "EI0") == Events{});
  CHECK(rig.fire("B", "EI1") == Events{"B.EO"});
}

TEST_CASE("RT_E_SWITCH sends EI to EO1 when G is FALSE and to EO2 when TRUE", "[stdfb][rtevents]") {
  Rig rig(one("RT_E_SWITCH"));
  init(rig, true);
  CHECK(rig.fire("B", "EI") == Events{"B.EO1"});
  rig.var("B", "G") = Value::of_bool(true);
  CHECK(rig.fire("B", "EI") == Events{"B.EO2"});
}

TEST_CASE("RT_E_DEMUX sends EI to EO[K] and drops it for K above 3", "[stdfb][rtevents]") {
  Rig rig(one("RT_E_DEMUX"));
  init(rig, true);
  for (uint64_t k = 0; k < 4; ++k) {
    rig.var("B", "K") = Value::of_uint(k);
    CHECK(rig.fire("B", "EI") == Events{"B.EO" + std::to_string(k)});
  }
  rig.var("B", "K") = Value::of_uint(4);
  CHECK(rig.fire("B", "EI") == Events{});
  rig.var("B", "K") = Value::of_uint(65535);
  CHECK(rig.fire("B", "EI") == Events{});
}

TEST_CASE("RT_E_R_TRIG emits EO on a rising edge of QI", "[stdfb][rtevents]") {
  Rig rig(one("RT_E_R_TRIG"));
  init(rig, true);  // QI is TRUE now, but the edge is seen at EI
  CHECK(rig.fire("B", "EI") == Events{"B.EO"});
  CHECK(rig.fire("B", "EI") == Events{});
  rig.var("B", "QI") = Value::of_bool(false);
  CHECK(rig.fire("B", "EI") == Events{});  // FALSE: the block is still initialized
  rig.var("B", "QI") = Value::of_bool(true);
  CHECK(rig.fire("B", "EI") == Events{"B.EO"});
}

TEST_CASE("RT_E_F_TRIG emits EO on a falling edge of QI", "[stdfb][rtevents]") {
  Rig rig(one("RT_E_F_TRIG"));
  init(rig, true);
  CHECK(rig.fire("B", "EI") == Events{});
  rig.var("B", "QI") = Value::of_bool(false);
  CHECK(rig.fire("B", "EI") == Events{"B.EO"});
  CHECK(rig.fire("B", "EI") == Events{});
}

TEST_CASE("RT_E_REND emits EO once both inputs arrived and forgets them", "[stdfb][rtevents]") {
  Rig rig(one("RT_E_REND"));
  init(rig, true);
  CHECK(rig.fire("B", "EI1") == Events{});
  CHECK(rig.fire("B", "EI1") == Events{});
  CHECK(rig.fire("B", "EI2") == Events{"B.EO"});
  CHECK(rig.fire("B", "EI2") == Events{});  // FORTE's RT_E_REND emits again here
  CHECK(rig.fire("B", "R") == Events{});
  CHECK(rig.fire("B", "EI2") == Events{});
  CHECK(rig.fire("B", "EI1") == Events{"B.EO"});
}

TEST_CASE("RT_E_DELAY emits EO DT after START once initialized", "[stdfb][rtevents]") {
  Rig rig(one("RT_E_DELAY", {{"DT", "T#250ms"}}));
  CHECK(rig.fire("B", "START") == Events{});
  CHECK(rig.advance(1s) == Events{});  // not initialized: START ignored
  init(rig, true);
  rig.fire("B", "START");
  CHECK(rig.advance(250ms - 1ns) == Events{});
  CHECK(rig.fire("B", "START") == Events{});  // pending: ignored
  CHECK(rig.advance(1ns) == Events{"B.EO"});
  rig.fire("B", "START");
  rig.fire("B", "STOP");
  CHECK(rig.advance(1s) == Events{});
}

TEST_CASE("RT_E_DELAY's pending EO survives INIT with QI FALSE, as in FORTE", "[stdfb][rtevents]") {
  Rig rig(one("RT_E_DELAY", {{"DT", "T#10ms"}}));
  init(rig, true);
  rig.fire("B", "START");
  CHECK(init(rig, false) == Events{"B.INITO(QO=FALSE)"});
  CHECK(rig.advance(10ms) == Events{"B.EO"});
  rig.fire("B", "START");
  CHECK(rig.advance(1s) == Events{});
}

TEST_CASE("RT_E_CYCLE runs without INIT, every DT until STOP", "[stdfb][rtevents]") {
  Rig rig(one("RT_E_CYCLE", {{"DT", "T#100ms"}, {"Deadline", "T#1ms"}}));
  CHECK(rig.fire("B", "START") == Events{});
  CHECK(rig.advance(100ms - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"B.EO"});
  CHECK(rig.advance(100ms) == Events{"B.EO"});
  CHECK(rig.advance(250ms) == Events{"B.EO", "B.EO"});
  CHECK(rig.fire("B", "STOP") == Events{});
  CHECK(rig.advance(1s) == Events{});
  CHECK(rig.var("B", "QO").as_bool() == false);
}

TEST_CASE("RT_E_TRAIN's network (RT_E_CYCLE, E_CTU, E_SWITCH) emits N-1 events", "[stdfb][rtevents]") {
  // 4diac's RT_E_TRAIN.fbt, flattened: CTU.R restarts the cycle, each EO
  // counts, and the count reaching N stops it.
  FbNetwork net{
      {{"C", "RT_E_CYCLE", {{"DT", "T#10ms"}}, ""}, {"N", "E_CTU", {{"PV", "3"}}, ""}, {"S", "E_SWITCH", {}, ""}},
      {{"C.EO", "N.CU", ""}, {"N.RO", "C.START", ""}, {"N.CUO", "S.EI", ""}, {"S.EO1", "C.STOP", ""}},
      {{"N.Q", "S.G", ""}}};
  Rig rig(net);
  rig.fire("N", "R");
  CHECK(rig.advance(10ms) == Events{"C.EO", "N.CUO(Q=FALSE,CV=1)", "S.EO0"});
  CHECK(rig.advance(10ms) == Events{"C.EO", "N.CUO(Q=FALSE,CV=2)", "S.EO0"});
  CHECK(rig.advance(10ms) == Events{"C.EO", "N.CUO(Q=TRUE,CV=3)", "S.EO1"});
  CHECK(rig.advance(1s) == Events{});
}
