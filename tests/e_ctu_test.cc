#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {
FbNetwork counter(const char* pv) { return {{{"C", "E_CTU", {{"PV", pv}}, ""}}, {}, {}}; }
}  // namespace

TEST_CASE("E_CTU counts up on CU and sets Q once CV reaches PV", "[stdfb][E_CTU]") {
  Rig rig(counter("2"));
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=FALSE,CV=1)"});
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=TRUE,CV=2)"});
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=TRUE,CV=3)"});
}

TEST_CASE("E_CTU R clears CV and Q and emits RO", "[stdfb][E_CTU]") {
  Rig rig(counter("1"));
  rig.fire("C", "CU");
  CHECK(rig.fire("C", "R") == Events{"C.RO(Q=FALSE,CV=0)"});
}

TEST_CASE("E_CTU ignores CU at 65535: CV saturates and no CUO is sent", "[stdfb][E_CTU]") {
  Rig rig(counter("65535"));
  rig.var("C", "CV") = Value::of_uint(65534);
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=TRUE,CV=65535)"});
  CHECK(rig.fire("C", "CU") == Events{});
  CHECK(rig.var("C", "CV").u == 65535);
}
