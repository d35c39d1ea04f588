#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {
FbNetwork counter(const char* pv) { return {{{"C", "E_CTD", {{"PV", pv}}, ""}}, {}, {}}; }
}  // namespace

TEST_CASE("E_CTD LD loads PV into CV and sets Q when CV is 0", "[stdfb][E_CTD]") {
  Rig rig(counter("3"));
  CHECK(rig.fire("C", "LD") == Events{"C.LDO(Q=FALSE,CV=3)"});
  rig.var("C", "PV") = Value::of_uint(0);
  CHECK(rig.fire("C", "LD") == Events{"C.LDO(Q=TRUE,CV=0)"});
}

TEST_CASE("E_CTD counts down on CD and sets Q when CV reaches 0", "[stdfb][E_CTD]") {
  Rig rig(counter("2"));
  rig.fire("C", "LD");
  CHECK(rig.fire("C", "CD") == Events{"C.CDO(Q=FALSE,CV=1)"});
  CHECK(rig.fire("C", "CD") == Events{"C.CDO(Q=TRUE,CV=0)"});
}

TEST_CASE("E_CTD ignores CD at CV = 0 instead of wrapping", "[stdfb][E_CTD]") {
  Rig rig(counter("1"));
  CHECK(rig.fire("C", "CD") == Events{});  // fresh: CV = 0
  rig.fire("C", "LD");
  REQUIRE(rig.fire("C", "CD") == Events{"C.CDO(Q=TRUE,CV=0)"});
  CHECK(rig.fire("C", "CD") == Events{});
  CHECK(rig.var("C", "CV").u == 0);
}

TEST_CASE("E_CTD counts down from the top of UINT", "[stdfb][E_CTD]") {
  Rig rig(counter("65535"));
  CHECK(rig.fire("C", "LD") == Events{"C.LDO(Q=FALSE,CV=65535)"});
  CHECK(rig.fire("C", "CD") == Events{"C.CDO(Q=FALSE,CV=65534)"});
}

TEST_CASE("E_CTD takes PV from LD, not from CD", "[stdfb][E_CTD]") {
  // L's CV travels with L.CUO into C.LD as C.PV.
  Rig rig(
      {{{"L", "E_CTU", {{"PV", "9"}}, ""}, {"C", "E_CTD", {}, ""}}, {{"L.CUO", "C.LD", ""}}, {{"L.CV", "C.PV", ""}}});
  rig.fire("L", "CU");
  CHECK(rig.fire("L", "CU") == Events{"L.CUO(Q=FALSE,CV=2)", "C.LDO(Q=FALSE,CV=2)"});
  CHECK(rig.fire("C", "CD") == Events{"C.CDO(Q=FALSE,CV=1)"});
  CHECK(rig.var("C", "PV").u == 2);
}
