#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {
FbNetwork selector(const char* g) { return {{{"S", "E_SELECT", {{"G", g}}, ""}}, {}, {}}; }
}  // namespace

TEST_CASE("E_SELECT passes EI0 to EO when G is FALSE and ignores EI1", "[stdfb][E_SELECT]") {
  Rig rig(selector("FALSE"));
  CHECK(rig.fire("S", "EI0") == Events{"S.EO"});
  CHECK(rig.fire("S", "EI1") == Events{});
}

TEST_CASE("E_SELECT passes EI1 to EO when G is TRUE and ignores EI0", "[stdfb][E_SELECT]") {
  Rig rig(selector("TRUE"));
  CHECK(rig.fire("S", "EI1") == Events{"S.EO"});
  CHECK(rig.fire("S", "EI0") == Events{});
}

TEST_CASE("E_SELECT follows G as it changes", "[stdfb][E_SELECT]") {
  Rig rig(selector("FALSE"));
  CHECK(rig.fire("S", "EI1") == Events{});
  rig.var("S", "G") = Value::of_bool(true);
  CHECK(rig.fire("S", "EI1") == Events{"S.EO"});
  CHECK(rig.fire("S", "EI0") == Events{});
}
