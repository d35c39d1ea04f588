#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {
FbNetwork merge() { return {{{"M", "E_MERGE", {}, ""}}, {}, {}}; }
}  // namespace

TEST_CASE("E_MERGE emits EO for EI1 and for EI2", "[stdfb][E_MERGE]") {
  Rig rig(merge());
  CHECK(rig.fire("M", "EI1") == Events{"M.EO"});
  CHECK(rig.fire("M", "EI2") == Events{"M.EO"});
  CHECK(rig.fire("M", "EI2") == Events{"M.EO"});
}

TEST_CASE("E_MERGE emits one EO per input event, in arrival order", "[stdfb][E_MERGE]") {
  // S.EO1 -> M.EI1 and S.EO2 -> M.EI2: two events in, two EOs out.
  Rig rig({{{"S", "E_SPLIT", {}, ""}, {"M", "E_MERGE", {}, ""}}, {{"S.EO1", "M.EI1", ""}, {"S.EO2", "M.EI2", ""}}, {}});
  CHECK(rig.fire("S", "EI") == Events{"S.EO1", "S.EO2", "M.EO", "M.EO"});
}
