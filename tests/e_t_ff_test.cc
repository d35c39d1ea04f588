#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("E_T_FF toggles Q on every CLK and emits EO", "[stdfb][E_T_FF]") {
  Rig rig({{{"F", "E_T_FF", {}, ""}}, {}, {}});
  CHECK(rig.fire("F", "CLK") == Events{"F.EO(Q=TRUE)"});
  CHECK(rig.fire("F", "CLK") == Events{"F.EO(Q=FALSE)"});
  CHECK(rig.fire("F", "CLK") == Events{"F.EO(Q=TRUE)"});
}

TEST_CASE("E_T_FF sends each toggled Q with its own EO", "[stdfb][E_T_FF]") {
  // Two CLKs queued before either EO is handled: the receiver sees TRUE then
  // FALSE, not FALSE twice.
  Rig rig({{{"S", "E_SPLIT", {}, ""}, {"F", "E_T_FF", {}, ""}, {"D", "E_D_FF", {}, ""}},
           {{"S.EO1", "F.CLK", ""}, {"S.EO2", "F.CLK", ""}, {"F.EO", "D.CLK", ""}},
           {{"F.Q", "D.D", ""}}});
  CHECK(rig.fire("S", "EI") ==
        Events{"S.EO1", "S.EO2", "F.EO(Q=TRUE)", "F.EO(Q=FALSE)", "D.EO(Q=TRUE)", "D.EO(Q=FALSE)"});
}
