#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("E_D_FF latches D into Q on CLK and emits EO when Q changes", "[stdfb][E_D_FF]") {
  Rig rig({{{"F", "E_D_FF", {}, ""}}, {}, {}});
  rig.var("F", "D") = Value::of_bool(true);
  CHECK(rig.fire("F", "CLK") == Events{"F.EO(Q=TRUE)"});
  rig.var("F", "D") = Value::of_bool(false);
  CHECK(rig.fire("F", "CLK") == Events{"F.EO(Q=FALSE)"});
}

TEST_CASE("E_D_FF emits nothing when CLK leaves Q as it was", "[stdfb][E_D_FF]") {
  Rig rig({{{"F", "E_D_FF", {}, ""}}, {}, {}});
  CHECK(rig.fire("F", "CLK") == Events{});  // D = Q = FALSE
  rig.var("F", "D") = Value::of_bool(true);
  REQUIRE(rig.fire("F", "CLK") == Events{"F.EO(Q=TRUE)"});
  CHECK(rig.fire("F", "CLK") == Events{});
  CHECK(rig.fire("F", "CLK") == Events{});
  CHECK(rig.var("F", "Q").as_bool());
}

TEST_CASE("E_D_FF latches the D value that travels with CLK", "[stdfb][E_D_FF]") {
  Rig rig({{{"T", "E_T_FF", {}, ""}, {"F", "E_D_FF", {}, ""}}, {{"T.EO", "F.CLK", ""}}, {{"T.Q", "F.D", ""}}});
  CHECK(rig.fire("T", "CLK") == Events{"T.EO(Q=TRUE)", "F.EO(Q=TRUE)"});
  CHECK(rig.fire("T", "CLK") == Events{"T.EO(Q=FALSE)", "F.EO(Q=FALSE)"});
}
