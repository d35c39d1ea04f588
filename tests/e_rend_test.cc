#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {
FbNetwork rend() { return {{{"R", "E_REND", {}, ""}}, {}, {}}; }
}  // namespace

TEST_CASE("E_REND emits EO once both EI1 and EI2 have arrived, in either order", "[stdfb][E_REND]") {
  Rig rig(rend());
  CHECK(rig.fire("R", "EI1") == Events{});
  CHECK(rig.fire("R", "EI2") == Events{"R.EO"});
  CHECK(rig.fire("R", "EI2") == Events{});
  CHECK(rig.fire("R", "EI1") == Events{"R.EO"});
}

TEST_CASE("E_REND waits for both inputs again after each EO", "[stdfb][E_REND]") {
  Rig rig(rend());
  rig.fire("R", "EI1");
  REQUIRE(rig.fire("R", "EI2") == Events{"R.EO"});
  CHECK(rig.fire("R", "EI1") == Events{});
  CHECK(rig.fire("R", "EI2") == Events{"R.EO"});
}

TEST_CASE("E_REND absorbs repeats of one input until the other arrives", "[stdfb][E_REND]") {
  Rig rig(rend());
  CHECK(rig.fire("R", "EI1") == Events{});
  CHECK(rig.fire("R", "EI1") == Events{});
  CHECK(rig.fire("R", "EI1") == Events{});
  CHECK(rig.fire("R", "EI2") == Events{"R.EO"});
  CHECK(rig.fire("R", "EI2") == Events{});
}

TEST_CASE("E_REND R forgets the inputs that have arrived", "[stdfb][E_REND]") {
  Rig rig(rend());
  CHECK(rig.fire("R", "R") == Events{});
  rig.fire("R", "EI1");
  CHECK(rig.fire("R", "R") == Events{});
  CHECK(rig.fire("R", "EI2") == Events{});
  CHECK(rig.fire("R", "R") == Events{});
  CHECK(rig.fire("R", "EI1") == Events{});
  CHECK(rig.fire("R", "EI2") == Events{"R.EO"});
}
