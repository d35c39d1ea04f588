#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

namespace {
FbNetwork train(const char* dt, const char* n) { return {{{"T", "E_TRAIN", {{"DT", dt}, {"N", n}}, ""}}, {}, {}}; }
}  // namespace

TEST_CASE("E_TRAIN emits N events DT apart, CV counting 0..N-1", "[stdfb][E_TRAIN]") {
  Rig rig(train("T#10ms", "3"));
  CHECK(rig.fire("T", "START") == Events{});
  CHECK(rig.advance(10ms - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"T.EO(CV=0)"});  // 10 ms
  CHECK(rig.advance(10ms - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"T.EO(CV=1)"});   // 20 ms
  CHECK(rig.advance(10ms) == Events{"T.EO(CV=2)"});  // 30 ms
  CHECK(rig.advance(10s) == Events{});
  CHECK(rig.var("T", "CV").u == 3);
}

TEST_CASE("E_TRAIN STOP cancels the rest of the train", "[stdfb][E_TRAIN]") {
  Rig rig(train("T#10ms", "3"));
  rig.fire("T", "START");
  REQUIRE(rig.advance(10ms) == Events{"T.EO(CV=0)"});
  CHECK(rig.fire("T", "STOP") == Events{});
  CHECK(rig.advance(10s) == Events{});
  CHECK(rig.var("T", "CV").u == 1);
}

TEST_CASE("E_TRAIN START after a train runs a new one from CV 0", "[stdfb][E_TRAIN]") {
  Rig rig(train("T#10ms", "2"));
  rig.fire("T", "START");
  REQUIRE(rig.advance(1s) == Events{"T.EO(CV=0)", "T.EO(CV=1)"});
  rig.fire("T", "START");
  CHECK(rig.advance(10ms) == Events{"T.EO(CV=0)"});
  CHECK(rig.advance(10ms) == Events{"T.EO(CV=1)"});
  CHECK(rig.advance(1s) == Events{});
}

TEST_CASE("E_TRAIN START during a train restarts the count but keeps the pending event", "[stdfb][E_TRAIN]") {
  // As the standard's network: CTR.R clears CV, DLY ignores START.
  Rig rig(train("T#10ms", "3"));
  rig.fire("T", "START");
  REQUIRE(rig.advance(10ms) == Events{"T.EO(CV=0)"});
  rig.advance(5ms);
  CHECK(rig.fire("T", "START") == Events{});
  CHECK(rig.advance(5ms) == Events{"T.EO(CV=0)"});  // 20 ms, as before
  CHECK(rig.advance(10ms) == Events{"T.EO(CV=1)"});
  CHECK(rig.advance(10ms) == Events{"T.EO(CV=2)"});
  CHECK(rig.advance(1s) == Events{});
}

TEST_CASE("E_TRAIN with N = 0 emits one event, as the standard's network does", "[stdfb][E_TRAIN]") {
  Rig rig(train("T#10ms", "0"));
  rig.fire("T", "START");
  CHECK(rig.advance(10ms) == Events{"T.EO(CV=0)"});
  CHECK(rig.advance(10s) == Events{});
}

TEST_CASE("E_TRAIN keeps exact deadlines over a long train", "[stdfb][E_TRAIN]") {
  Rig rig(train("T#1ms", "1000"));
  rig.fire("T", "START");
  CHECK(rig.advance(999ms + 999999ns).size() == 999);
  CHECK(rig.advance(1ns) == Events{"T.EO(CV=999)"});  // exactly 1 s
  CHECK(rig.advance(1s) == Events{});
}

TEST_CASE("E_TRAIN with DT <= 0 spaces its events one nanosecond apart", "[stdfb][E_TRAIN]") {
  Rig rig(train("T#0s", "3"));
  rig.fire("T", "START");
  CHECK(rig.advance(1ns) == Events{"T.EO(CV=0)"});
  CHECK(rig.advance(1ns) == Events{"T.EO(CV=1)"});
  CHECK(rig.advance(1s) == Events{"T.EO(CV=2)"});
}

TEST_CASE("E_TRAIN sends CV with each EO to the receiver", "[stdfb][E_TRAIN]") {
  // CV travels with EO into a demultiplexer: EO1, EO2, EO3 in turn after EO0.
  Rig rig({{{"T", "E_TRAIN", {{"DT", "T#1ms"}, {"N", "4"}}, ""}, {"D", "E_DEMUX", {}, ""}},
           {{"T.EO", "D.EI", ""}},
           {{"T.CV", "D.K", ""}}});
  rig.fire("T", "START");
  CHECK(rig.advance(1s) ==
        Events{"T.EO(CV=0)", "D.EO0", "T.EO(CV=1)", "D.EO1", "T.EO(CV=2)", "D.EO2", "T.EO(CV=3)", "D.EO3"});
}
