#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

namespace {
FbNetwork rdelay(const char* dt) { return {{{"D", "E_RDELAY", {{"DT", dt}}, ""}}, {}, {}}; }
}  // namespace

TEST_CASE("E_RDELAY emits EO once, exactly DT after START", "[stdfb][E_RDELAY]") {
  Rig rig(rdelay("T#250ms"));
  CHECK(rig.fire("D", "START") == Events{});
  CHECK(rig.advance(250ms - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"D.EO"});
  CHECK(rig.advance(10s) == Events{});
}

TEST_CASE("E_RDELAY START while pending restarts the delay with the new DT", "[stdfb][E_RDELAY]") {
  Rig rig(rdelay("T#250ms"));
  rig.fire("D", "START");
  rig.advance(200ms);
  rig.var("D", "DT") = Value::of_int(Duration(100ms).count());
  CHECK(rig.fire("D", "START") == Events{});
  CHECK(rig.advance(100ms - 1ns) == Events{});  // 250 ms passed without EO
  CHECK(rig.advance(1ns) == Events{"D.EO"});    // at 300 ms
  CHECK(rig.advance(10s) == Events{});
}

TEST_CASE("E_RDELAY repeated STARTs postpone EO until they stop coming", "[stdfb][E_RDELAY]") {
  Rig rig(rdelay("T#10ms"));
  for (int k = 0; k < 100; ++k) {
    CHECK(rig.fire("D", "START") == Events{});
    CHECK(rig.advance(9ms) == Events{});
  }
  CHECK(rig.advance(1ms) == Events{"D.EO"});
}

TEST_CASE("E_RDELAY STOP cancels the pending EO", "[stdfb][E_RDELAY]") {
  Rig rig(rdelay("T#250ms"));
  rig.fire("D", "START");
  rig.advance(100ms);
  CHECK(rig.fire("D", "STOP") == Events{});
  CHECK(rig.advance(10s) == Events{});
  rig.fire("D", "START");
  CHECK(rig.advance(250ms) == Events{"D.EO"});
}

TEST_CASE("E_RDELAY with DT <= 0 waits one nanosecond, the engine's tick", "[stdfb][E_RDELAY]") {
  for (const char* dt : {"T#0s", "T#-1h"}) {
    Rig rig(rdelay(dt));
    CHECK(rig.fire("D", "START") == Events{});
    CHECK(rig.advance(1ns) == Events{"D.EO"});
    CHECK(rig.advance(1s) == Events{});
  }
}
