#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {
FbNetwork counter(const char* pv) { return {{{"C", "E_CTUD", {{"PV", pv}}, ""}}, {}, {}}; }
}  // namespace

TEST_CASE("E_CTUD counts up on CU and sets QU once CV reaches PV", "[stdfb][E_CTUD]") {
  Rig rig(counter("2"));
  CHECK(rig.fire("C", "CU") == Events{"C.CO(QU=FALSE,CV=1,QD=FALSE)"});
  CHECK(rig.fire("C", "CU") == Events{"C.CO(QU=TRUE,CV=2,QD=FALSE)"});
  CHECK(rig.fire("C", "CU") == Events{"C.CO(QU=TRUE,CV=3,QD=FALSE)"});
}

TEST_CASE("E_CTUD counts down on CD and sets QD when CV reaches 0", "[stdfb][E_CTUD]") {
  Rig rig(counter("2"));
  rig.fire("C", "CU");
  rig.fire("C", "CU");
  CHECK(rig.fire("C", "CD") == Events{"C.CO(QU=FALSE,CV=1,QD=FALSE)"});
  CHECK(rig.fire("C", "CD") == Events{"C.CO(QU=FALSE,CV=0,QD=TRUE)"});
}

TEST_CASE("E_CTUD R clears CV and emits RO", "[stdfb][E_CTUD]") {
  Rig rig(counter("5"));
  rig.fire("C", "CU");
  CHECK(rig.fire("C", "R") == Events{"C.RO(QU=FALSE,CV=0,QD=TRUE)"});
  rig.var("C", "PV") = Value::of_uint(0);  // QU is CV >= PV, also after R
  CHECK(rig.fire("C", "R") == Events{"C.RO(QU=TRUE,CV=0,QD=TRUE)"});
}

TEST_CASE("E_CTUD LD loads PV into CV and emits LDO", "[stdfb][E_CTUD]") {
  Rig rig(counter("7"));
  CHECK(rig.fire("C", "LD") == Events{"C.LDO(QU=TRUE,QD=FALSE,CV=7)"});
  CHECK(rig.fire("C", "CD") == Events{"C.CO(QU=FALSE,CV=6,QD=FALSE)"});
  rig.var("C", "PV") = Value::of_uint(0);
  CHECK(rig.fire("C", "LD") == Events{"C.LDO(QU=TRUE,QD=TRUE,CV=0)"});
}

TEST_CASE("E_CTUD ignores CU at 65535 and CD at 0 instead of wrapping", "[stdfb][E_CTUD]") {
  Rig rig(counter("65535"));
  CHECK(rig.fire("C", "CD") == Events{});
  CHECK(rig.var("C", "CV").u == 0);
  rig.var("C", "CV") = Value::of_uint(65534);
  CHECK(rig.fire("C", "CU") == Events{"C.CO(QU=TRUE,CV=65535,QD=FALSE)"});
  CHECK(rig.fire("C", "CU") == Events{});
  CHECK(rig.var("C", "CV").u == 65535);
}

TEST_CASE("E_CTUD takes PV from CU and LD only", "[stdfb][E_CTUD]") {
  // L's CV travels with L.CUO into C.CU as C.PV; L.RO, sent with CV = 0,
  // drives C.CD, which carries no PV, so C keeps comparing with 2.
  Rig rig({{{"L", "E_CTU", {{"PV", "9"}}, ""}, {"C", "E_CTUD", {}, ""}},
           {{"L.CUO", "C.CU", ""}, {"L.RO", "C.CD", ""}},
           {{"L.CV", "C.PV", ""}}});
  CHECK(rig.fire("L", "CU") == Events{"L.CUO(Q=FALSE,CV=1)", "C.CO(QU=TRUE,CV=1,QD=FALSE)"});
  CHECK(rig.fire("L", "CU") == Events{"L.CUO(Q=FALSE,CV=2)", "C.CO(QU=TRUE,CV=2,QD=FALSE)"});
  CHECK(rig.fire("L", "R") == Events{"L.RO(Q=FALSE,CV=0)", "C.CO(QU=FALSE,CV=1,QD=FALSE)"});
  CHECK(rig.var("C", "PV").u == 2);
}
