#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

namespace {
FbNetwork cycle(const char* dt) { return {{{"C", "E_CYCLE", {{"DT", dt}}, ""}}, {}, {}}; }
}  // namespace

TEST_CASE("E_CYCLE emits EO DT after START and then every DT", "[stdfb][E_CYCLE]") {
  Rig rig(cycle("T#100us"));
  CHECK(rig.fire("C", "START") == Events{});
  CHECK(rig.advance(99us) == Events{});
  CHECK(rig.advance(1us) == Events{"C.EO"});  // 100 us
  CHECK(rig.advance(100us - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"C.EO"});    // 200 us
  CHECK(rig.advance(100us) == Events{"C.EO"});  // 300 us
}

TEST_CASE("E_CYCLE does not drift over 10000 cycles", "[stdfb][E_CYCLE]") {
  Rig rig(cycle("T#100us"));
  rig.fire("C", "START");
  int early = 0, missed = 0;
  for (int k = 1; k <= 10000; ++k) {
    early += int(!rig.advance(100us - 1ns).empty());
    missed += int(rig.advance(1ns) != Events{"C.EO"});
  }
  CHECK(early == 0);
  CHECK(missed == 0);
  CHECK(rig.res->now() == Time{1s});
  CHECK(rig.res->next_deadline() == Time{1s + 100us});
}

TEST_CASE("E_CYCLE keeps its deadlines when steps come late", "[stdfb][E_CYCLE]") {
  // A step 250 us late fires the due cycles at once; the next one is still
  // on the 100 us grid.
  Rig rig(cycle("T#100us"));
  rig.fire("C", "START");
  CHECK(rig.advance(350us) == Events{"C.EO", "C.EO", "C.EO"});
  CHECK(rig.res->next_deadline() == Time{400us});
  CHECK(rig.advance(50us - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"C.EO"});
}

TEST_CASE("E_CYCLE ignores START while running", "[stdfb][E_CYCLE]") {
  Rig rig(cycle("T#100us"));
  rig.fire("C", "START");
  rig.advance(50us);
  CHECK(rig.fire("C", "START") == Events{});
  CHECK(rig.advance(50us) == Events{"C.EO"});  // 100 us, not 150 us
  CHECK(rig.advance(100us) == Events{"C.EO"});
}

TEST_CASE("E_CYCLE takes the DT of a START while running as the period from the next cycle", "[stdfb][E_CYCLE]") {
  Rig rig(cycle("T#100us"));
  rig.fire("C", "START");
  rig.advance(50us);
  rig.var("C", "DT") = Value::of_int(Duration(30us).count());
  rig.fire("C", "START");
  CHECK(rig.advance(50us) == Events{"C.EO"});  // 100 us: the pending EO stays
  CHECK(rig.advance(30us - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"C.EO"});   // 130 us
  CHECK(rig.advance(30us) == Events{"C.EO"});  // 160 us
}

TEST_CASE("E_CYCLE STOP ends the events and START begins a new cycle", "[stdfb][E_CYCLE]") {
  Rig rig(cycle("T#100us"));
  rig.fire("C", "START");
  REQUIRE(rig.advance(100us) == Events{"C.EO"});
  rig.advance(30us);
  CHECK(rig.fire("C", "STOP") == Events{});
  CHECK(rig.advance(1s) == Events{});
  rig.fire("C", "START");
  CHECK(rig.advance(100us - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"C.EO"});
}

TEST_CASE("E_CYCLE STOP from its own EO ends the cycle after one event", "[stdfb][E_CYCLE]") {
  Rig rig({{{"C", "E_CYCLE", {{"DT", "T#1ms"}}, ""}}, {{"C.EO", "C.STOP", ""}}, {}});
  rig.fire("C", "START");
  CHECK(rig.advance(10ms) == Events{"C.EO"});
}

TEST_CASE("E_CYCLE with DT <= 0 has a period of one nanosecond, the engine's tick", "[stdfb][E_CYCLE]") {
  for (const char* dt : {"T#0s", "T#-100ms"}) {
    Rig rig(cycle(dt));
    CHECK(rig.fire("C", "START") == Events{});
    CHECK(rig.advance(1ns) == Events{"C.EO"});
    CHECK(rig.advance(4ns) == Events{"C.EO", "C.EO", "C.EO", "C.EO"});
    rig.fire("C", "STOP");
    CHECK(rig.advance(1s) == Events{});
  }
}
