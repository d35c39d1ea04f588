#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

namespace {
constexpr const char* kSteps = "[T#10ms, T#20ms, T#30ms, T#40ms]";
FbNetwork table(const char* dt, const char* n) { return {{{"T", "E_TABLE", {{"DT", dt}, {"N", n}}, ""}}, {}, {}}; }
}  // namespace

TEST_CASE("E_TABLE emits N events, the k-th DT[k] after the one before, CV counting 0..N-1", "[stdfb][E_TABLE]") {
  Rig rig(table(kSteps, "4"));
  CHECK(rig.fire("T", "START") == Events{});
  CHECK(rig.advance(10ms - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"T.EO(CV=0)"});  // 10 ms
  CHECK(rig.advance(20ms - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"T.EO(CV=1)"});  // 30 ms
  CHECK(rig.advance(30ms - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"T.EO(CV=2)"});  // 60 ms
  CHECK(rig.advance(40ms - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"T.EO(CV=3)"});  // 100 ms
  CHECK(rig.advance(10s) == Events{});
}

TEST_CASE("E_TABLE with N below 4 stops after N events", "[stdfb][E_TABLE]") {
  Rig rig(table(kSteps, "2"));
  rig.fire("T", "START");
  CHECK(rig.advance(10ms) == Events{"T.EO(CV=0)"});
  CHECK(rig.advance(20ms) == Events{"T.EO(CV=1)"});
  CHECK(rig.advance(10s) == Events{});
}

TEST_CASE("E_TABLE with N above 4 emits four events, one per DT entry", "[stdfb][E_TABLE]") {
  Rig rig(table(kSteps, "9"));
  rig.fire("T", "START");
  CHECK(rig.advance(10s) == Events{"T.EO(CV=0)", "T.EO(CV=1)", "T.EO(CV=2)", "T.EO(CV=3)"});
  CHECK(rig.res->next_deadline() == kNever);
}

TEST_CASE("E_TABLE with N = 0 emits nothing", "[stdfb][E_TABLE]") {
  Rig rig(table(kSteps, "0"));
  rig.fire("T", "START");
  CHECK(rig.advance(10s) == Events{});
}

TEST_CASE("E_TABLE STOP cancels the rest of the train", "[stdfb][E_TABLE]") {
  Rig rig(table(kSteps, "4"));
  rig.fire("T", "START");
  REQUIRE(rig.advance(10ms) == Events{"T.EO(CV=0)"});
  CHECK(rig.fire("T", "STOP") == Events{});
  CHECK(rig.advance(10s) == Events{});
  rig.fire("T", "START");
  CHECK(rig.advance(10ms) == Events{"T.EO(CV=0)"});
}

TEST_CASE("E_TABLE START during a train restarts the count but keeps the pending event", "[stdfb][E_TABLE]") {
  // As the standard's network: E_TABLE_CTRL resets CV, E_DELAY ignores START.
  Rig rig(table(kSteps, "2"));
  rig.fire("T", "START");
  rig.advance(5ms);
  CHECK(rig.fire("T", "START") == Events{});
  CHECK(rig.advance(5ms) == Events{"T.EO(CV=0)"});   // 10 ms, as before
  CHECK(rig.advance(20ms) == Events{"T.EO(CV=1)"});  // 30 ms
  CHECK(rig.advance(10s) == Events{});
}

TEST_CASE("E_TABLE waits one nanosecond for a DT entry <= 0", "[stdfb][E_TABLE]") {
  Rig rig(table("[T#0s, T#-1s, T#5ns, T#0s]", "4"));
  rig.fire("T", "START");
  CHECK(rig.advance(1ns) == Events{"T.EO(CV=0)"});
  CHECK(rig.advance(1ns) == Events{"T.EO(CV=1)"});
  CHECK(rig.advance(5ns) == Events{"T.EO(CV=2)"});
  CHECK(rig.advance(1ns) == Events{"T.EO(CV=3)"});
  CHECK(rig.advance(1s) == Events{});
}
