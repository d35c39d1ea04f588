#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("E_SR S sets Q and R resets it, each emitting EO", "[stdfb][E_SR]") {
  Rig rig({{{"F", "E_SR", {}, ""}}, {}, {}});
  CHECK(rig.fire("F", "S") == Events{"F.EO(Q=TRUE)"});
  CHECK(rig.fire("F", "R") == Events{"F.EO(Q=FALSE)"});
  CHECK(rig.fire("F", "S") == Events{"F.EO(Q=TRUE)"});
}

TEST_CASE("E_SR emits EO only when Q changes", "[stdfb][E_SR]") {
  Rig rig({{{"F", "E_SR", {}, ""}}, {}, {}});
  CHECK(rig.fire("F", "R") == Events{});  // Q starts FALSE
  REQUIRE(rig.fire("F", "S") == Events{"F.EO(Q=TRUE)"});
  CHECK(rig.fire("F", "S") == Events{});
  REQUIRE(rig.fire("F", "R") == Events{"F.EO(Q=FALSE)"});
  CHECK(rig.fire("F", "R") == Events{});
}
