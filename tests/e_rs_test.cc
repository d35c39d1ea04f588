#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("E_RS S sets Q and R resets it, each emitting EO", "[stdfb][E_RS]") {
  Rig rig({{{"F", "E_RS", {}, ""}}, {}, {}});
  CHECK(rig.fire("F", "S") == Events{"F.EO(Q=TRUE)"});
  CHECK(rig.fire("F", "R") == Events{"F.EO(Q=FALSE)"});
  CHECK(rig.fire("F", "S") == Events{"F.EO(Q=TRUE)"});
}

TEST_CASE("E_RS emits EO only when Q changes", "[stdfb][E_RS]") {
  Rig rig({{{"F", "E_RS", {}, ""}}, {}, {}});
  CHECK(rig.fire("F", "R") == Events{});  // Q starts FALSE
  REQUIRE(rig.fire("F", "S") == Events{"F.EO(Q=TRUE)"});
  CHECK(rig.fire("F", "S") == Events{});
  REQUIRE(rig.fire("F", "R") == Events{"F.EO(Q=FALSE)"});
  CHECK(rig.fire("F", "R") == Events{});
}

TEST_CASE("E_RS declares R before S", "[stdfb][E_RS]") {
  const FbType* t = standard_library().find("E_RS");
  REQUIRE(t);
  REQUIRE(t->iface.event_inputs.size() == 2);
  CHECK(t->iface.event_inputs[0].name == "R");
  CHECK(t->iface.event_inputs[1].name == "S");
}
