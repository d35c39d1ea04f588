#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

namespace {
constexpr const char* kSteps = "[T#10ms, T#20ms, T#30ms, T#40ms]";
FbNetwork n_table(const char* n) { return {{{"T", "E_N_TABLE", {{"DT", kSteps}, {"N", n}}, ""}}, {}, {}}; }
}  // namespace

TEST_CASE("E_N_TABLE emits EO0, EO1, EO2, EO3 in turn, each DT[k] after the one before", "[stdfb][E_N_TABLE]") {
  Rig rig(n_table("4"));
  CHECK(rig.fire("T", "START") == Events{});
  CHECK(rig.advance(10ms - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"T.EO0"});  // 10 ms
  CHECK(rig.advance(20ms - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"T.EO1"});  // 30 ms
  CHECK(rig.advance(30ms - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"T.EO2"});  // 60 ms
  CHECK(rig.advance(40ms - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"T.EO3"});  // 100 ms
  CHECK(rig.advance(10s) == Events{});
}

TEST_CASE("E_N_TABLE emits min(N, 4) events", "[stdfb][E_N_TABLE]") {
  SECTION("N = 0") {
    Rig rig(n_table("0"));
    rig.fire("T", "START");
    CHECK(rig.advance(10s) == Events{});
  }
  SECTION("N = 2") {
    Rig rig(n_table("2"));
    rig.fire("T", "START");
    CHECK(rig.advance(10s) == Events{"T.EO0", "T.EO1"});
  }
  SECTION("N = 100") {
    Rig rig(n_table("100"));
    rig.fire("T", "START");
    CHECK(rig.advance(10s) == Events{"T.EO0", "T.EO1", "T.EO2", "T.EO3"});
  }
}

TEST_CASE("E_N_TABLE STOP cancels the rest of the train", "[stdfb][E_N_TABLE]") {
  Rig rig(n_table("4"));
  rig.fire("T", "START");
  REQUIRE(rig.advance(30ms) == Events{"T.EO0", "T.EO1"});
  CHECK(rig.fire("T", "STOP") == Events{});
  CHECK(rig.advance(10s) == Events{});
  rig.fire("T", "START");
  CHECK(rig.advance(10ms) == Events{"T.EO0"});
}

TEST_CASE("E_N_TABLE START during a train restarts at EO0 but keeps the pending event", "[stdfb][E_N_TABLE]") {
  Rig rig(n_table("4"));
  rig.fire("T", "START");
  REQUIRE(rig.advance(10ms) == Events{"T.EO0"});
  rig.advance(10ms);
  CHECK(rig.fire("T", "START") == Events{});
  CHECK(rig.advance(10ms) == Events{"T.EO0"});  // 30 ms, as before
  CHECK(rig.advance(20ms) == Events{"T.EO1"});  // DT[1] later
}
