#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {
FbNetwork counter(const char* pv) { return {{{"C", "E_CTUD_UDINT", {{"PV", pv}}, ""}}, {}, {}}; }
}  // namespace

TEST_CASE("E_CTUD_UDINT counts up and down like E_CTUD", "[stdfb][E_CTUD_UDINT]") {
  Rig rig(counter("2"));
  CHECK(rig.fire("C", "CU") == Events{"C.CO(QU=FALSE,CV=1,QD=FALSE)"});
  CHECK(rig.fire("C", "CU") == Events{"C.CO(QU=TRUE,CV=2,QD=FALSE)"});
  CHECK(rig.fire("C", "CD") == Events{"C.CO(QU=FALSE,CV=1,QD=FALSE)"});
  CHECK(rig.fire("C", "CD") == Events{"C.CO(QU=FALSE,CV=0,QD=TRUE)"});
  CHECK(rig.fire("C", "LD") == Events{"C.LDO(QU=TRUE,QD=FALSE,CV=2)"});
  CHECK(rig.fire("C", "R") == Events{"C.RO(QU=FALSE,CV=0,QD=TRUE)"});
}

TEST_CASE("E_CTUD_UDINT counts past 65535 to PV in the tens of millions", "[stdfb][E_CTUD_UDINT]") {
  Rig rig(counter("50000000"));
  rig.var("C", "CV") = Value::of_uint(65535);
  CHECK(rig.fire("C", "CU") == Events{"C.CO(QU=FALSE,CV=65536,QD=FALSE)"});
  rig.var("C", "CV") = Value::of_uint(49999999);
  CHECK(rig.fire("C", "CU") == Events{"C.CO(QU=TRUE,CV=50000000,QD=FALSE)"});
  CHECK(rig.fire("C", "LD") == Events{"C.LDO(QU=TRUE,QD=FALSE,CV=50000000)"});
}

TEST_CASE("E_CTUD_UDINT ignores CU at 4294967295 and CD at 0 instead of wrapping", "[stdfb][E_CTUD_UDINT]") {
  Rig rig(counter("4294967295"));
  CHECK(rig.fire("C", "CD") == Events{});
  rig.var("C", "CV") = Value::of_uint(4294967294);
  CHECK(rig.fire("C", "CU") == Events{"C.CO(QU=TRUE,CV=4294967295,QD=FALSE)"});
  CHECK(rig.fire("C", "CU") == Events{});
  CHECK(rig.var("C", "CV").u == 4294967295);
}

TEST_CASE("E_CTUD_UDINT counts a burst of events past the UINT range", "[stdfb][E_CTUD_UDINT]") {
  // 65535 events from a train into CU, starting at CV = 65535.
  Rig rig({{{"T", "E_TRAIN", {{"DT", "T#1us"}, {"N", "65535"}}, ""}, {"C", "E_CTUD_UDINT", {{"PV", "131070"}}, ""}},
           {{"T.EO", "C.CU", ""}},
           {}});
  rig.var("C", "CV") = Value::of_uint(65535);
  rig.fire("T", "START");
  auto events = rig.advance(std::chrono::seconds(1));
  REQUIRE(events.size() == 2 * 65535);
  CHECK(events[events.size() - 3] == "C.CO(QU=FALSE,CV=131069,QD=FALSE)");
  CHECK(events.back() == "C.CO(QU=TRUE,CV=131070,QD=FALSE)");
}
