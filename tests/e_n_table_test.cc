#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

namespace {
FbNetwork n_table(const char* n, const char* dt = "T#10ms") {
  return {{{"T", "E_N_TABLE", {{"DT", dt}, {"N", n}}, ""}}, {}, {}};
}
}  // namespace

TEST_CASE("E_N_TABLE emits EO0, EO1, EO2, EO3 in turn, each DT after the one before", "[stdfb][E_N_TABLE]") {
  Rig rig(n_table("4"));
  CHECK(rig.fire("T", "START") == Events{});
  for (const char* eo : {"T.EO0", "T.EO1", "T.EO2", "T.EO3"}) {
    INFO(eo);
    CHECK(rig.advance(10ms - 1ns) == Events{});
    CHECK(rig.advance(1ns) == Events{eo});
  }
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

TEST_CASE("E_N_TABLE reads DT again at each step", "[stdfb][E_N_TABLE]") {
  Rig rig(n_table("3"));
  rig.fire("T", "START");
  rig.var("T", "DT") = Value::of_int(Duration(50ms).count());
  CHECK(rig.advance(10ms) == Events{"T.EO0"});  // armed with the DT START carried
  CHECK(rig.advance(50ms - 1ns) == Events{});
  CHECK(rig.advance(1ns) == Events{"T.EO1"});
}

TEST_CASE("E_N_TABLE with DT <= 0 spaces its events one nanosecond apart", "[stdfb][E_N_TABLE]") {
  for (const char* dt : {"T#0s", "T#-5ms"}) {
    Rig rig(n_table("3", dt));
    rig.fire("T", "START");
    CHECK(rig.advance(1ns) == Events{"T.EO0"});
    CHECK(rig.advance(2ns) == Events{"T.EO1", "T.EO2"});
  }
}

TEST_CASE("E_N_TABLE STOP cancels the rest of the train", "[stdfb][E_N_TABLE]") {
  Rig rig(n_table("4"));
  rig.fire("T", "START");
  REQUIRE(rig.advance(20ms) == Events{"T.EO0", "T.EO1"});
  CHECK(rig.fire("T", "STOP") == Events{});
  CHECK(rig.advance(10s) == Events{});
  rig.fire("T", "START");
  CHECK(rig.advance(10ms) == Events{"T.EO0"});
}

TEST_CASE("E_N_TABLE START during a train restarts at EO0 but keeps the pending event", "[stdfb][E_N_TABLE]") {
  Rig rig(n_table("4"));
  rig.fire("T", "START");
  REQUIRE(rig.advance(10ms) == Events{"T.EO0"});
  rig.advance(5ms);
  CHECK(rig.fire("T", "START") == Events{});
  CHECK(rig.advance(5ms) == Events{"T.EO0"});  // 20 ms, as before
  CHECK(rig.advance(10ms) == Events{"T.EO1"});
}
