#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

namespace {
FbNetwork delay(const char* dt) { return {{{"D", "E_DELAY", {{"DT", dt}}, ""}}, {}, {}}; }
}  // namespace

TEST_CASE("E_DELAY emits EO once, exactly DT after START", "[stdfb][E_DELAY]") {
  Rig rig(delay("T#250ms"));
  CHECK(rig.fire("D", "START") == Events{});
  CHECK(rig.advance(250ms - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"D.EO"});
  CHECK(rig.advance(10s) == Events{});
}

TEST_CASE("E_DELAY ignores START while a delay is pending", "[stdfb][E_DELAY]") {
  Rig rig(delay("T#250ms"));
  rig.fire("D", "START");
  rig.advance(100ms);
  rig.var("D", "DT") = Value::of_int(Duration(10ms).count());
  CHECK(rig.fire("D", "START") == Events{});
  CHECK(rig.advance(150ms - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"D.EO"});  // at 250 ms, as first started
  CHECK(rig.advance(10s) == Events{});
}

TEST_CASE("E_DELAY STOP cancels the pending EO", "[stdfb][E_DELAY]") {
  Rig rig(delay("T#250ms"));
  rig.fire("D", "START");
  rig.advance(100ms);
  CHECK(rig.fire("D", "STOP") == Events{});
  CHECK(rig.advance(10s) == Events{});
  CHECK(rig.fire("D", "STOP") == Events{});
}

TEST_CASE("E_DELAY starts afresh after its EO or a STOP", "[stdfb][E_DELAY]") {
  Rig rig(delay("T#1s"));
  rig.fire("D", "START");
  REQUIRE(rig.advance(1s) == Events{"D.EO"});
  rig.advance(500ms);
  rig.fire("D", "START");
  CHECK(rig.advance(1s - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"D.EO"});
  rig.fire("D", "START");
  rig.fire("D", "STOP");
  rig.advance(300ms);
  rig.fire("D", "START");
  CHECK(rig.advance(1s - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"D.EO"});
}

TEST_CASE("E_DELAY waits the DT it had when START arrived", "[stdfb][E_DELAY]") {
  Rig rig(delay("T#0s"));
  rig.var("D", "DT") = Value::of_int(Duration(2ms).count());
  rig.fire("D", "START");
  rig.var("D", "DT") = Value::of_int(Duration(1s).count());
  CHECK(rig.advance(2ms) == Events{"D.EO"});
}

TEST_CASE("E_DELAY with DT <= 0 waits one nanosecond, the engine's tick", "[stdfb][E_DELAY]") {
  for (const char* dt : {"T#0s", "T#-5ms"}) {
    Rig rig(delay(dt));
    CHECK(rig.fire("D", "START") == Events{});
    CHECK(rig.advance(1ns) == Events{"D.EO"});
    CHECK(rig.advance(1s) == Events{});
  }
}

TEST_CASE("E_DELAY whose EO restarts it is not an endless loop at one instant", "[stdfb][E_DELAY]") {
  Rig rig({{{"D", "E_DELAY", {{"DT", "T#0s"}}, ""}}, {{"D.EO", "D.START", ""}}, {}});
  rig.fire("D", "START");
  CHECK(rig.advance(3ns) == Events{"D.EO", "D.EO", "D.EO"});
}

TEST_CASE("E_DELAY with a deadline beyond the end of time never fires", "[stdfb][E_DELAY]") {
  // 100 years in, a 100000-day delay would overflow the clock: it saturates.
  Rig rig(delay("T#100000d"));
  rig.advance(std::chrono::hours(24 * 365 * 100));
  rig.fire("D", "START");
  CHECK(rig.res->next_deadline() == kNever);
  CHECK(rig.advance(std::chrono::hours(24 * 365 * 100)) == Events{});
}
