#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("E_PERMIT passes EI to EO only while PERMIT is TRUE", "[stdfb][E_PERMIT]") {
  Rig rig({{{"P", "E_PERMIT", {}, ""}}, {}, {}});
  CHECK(rig.fire("P", "EI") == Events{});
  rig.var("P", "PERMIT") = Value::of_bool(true);
  CHECK(rig.fire("P", "EI") == Events{"P.EO"});
  CHECK(rig.fire("P", "EI") == Events{"P.EO"});
  rig.var("P", "PERMIT") = Value::of_bool(false);
  CHECK(rig.fire("P", "EI") == Events{});
}

TEST_CASE("E_PERMIT uses the PERMIT value that travels with EI", "[stdfb][E_PERMIT]") {
  // T toggles Q and sends it with EO into P.EI: TRUE, FALSE, TRUE.
  Rig rig({{{"T", "E_T_FF", {}, ""}, {"P", "E_PERMIT", {}, ""}}, {{"T.EO", "P.EI", ""}}, {{"T.Q", "P.PERMIT", ""}}});
  CHECK(rig.fire("T", "CLK") == Events{"T.EO(Q=TRUE)", "P.EO"});
  CHECK(rig.fire("T", "CLK") == Events{"T.EO(Q=FALSE)"});
  CHECK(rig.fire("T", "CLK") == Events{"T.EO(Q=TRUE)", "P.EO"});
}
