#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("E_SWITCH sends EI to EO0 when G is FALSE and to EO1 when G is TRUE", "[stdfb][E_SWITCH]") {
  Rig rig({{{"W", "E_SWITCH", {}, ""}}, {}, {}});
  CHECK(rig.fire("W", "EI") == Events{"W.EO0"});
  rig.var("W", "G") = Value::of_bool(true);
  CHECK(rig.fire("W", "EI") == Events{"W.EO1"});
  rig.var("W", "G") = Value::of_bool(false);
  CHECK(rig.fire("W", "EI") == Events{"W.EO0"});
}

TEST_CASE("E_SWITCH uses the G value that travels with EI", "[stdfb][E_SWITCH]") {
  Rig rig({{{"T", "E_T_FF", {}, ""}, {"W", "E_SWITCH", {}, ""}}, {{"T.EO", "W.EI", ""}}, {{"T.Q", "W.G", ""}}});
  CHECK(rig.fire("T", "CLK") == Events{"T.EO(Q=TRUE)", "W.EO1"});
  CHECK(rig.fire("T", "CLK") == Events{"T.EO(Q=FALSE)", "W.EO0"});
}
