#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {
// Fires EI with each QI in turn; returns how many EOs each produced.
std::vector<size_t> feed(Rig& rig, std::initializer_list<bool> values) {
  std::vector<size_t> counts;
  for (bool qi : values) {
    rig.var("T", "QI") = Value::of_bool(qi);
    counts.push_back(rig.fire("T", "EI").size());
  }
  return counts;
}
}  // namespace

TEST_CASE("E_F_TRIG emits EO when QI falls from TRUE to FALSE", "[stdfb][E_F_TRIG]") {
  Rig rig({{{"T", "E_F_TRIG", {}, ""}}, {}, {}});
  CHECK(feed(rig, {false, true, true, false, false, true, false}) == std::vector<size_t>{0, 0, 0, 1, 0, 0, 1});
}

TEST_CASE("E_F_TRIG treats QI = FALSE at the first EI as no edge", "[stdfb][E_F_TRIG]") {
  Rig rig({{{"T", "E_F_TRIG", {}, ""}}, {}, {}});
  CHECK(rig.fire("T", "EI") == Events{});
  rig.var("T", "QI") = Value::of_bool(true);
  CHECK(rig.fire("T", "EI") == Events{});
  rig.var("T", "QI") = Value::of_bool(false);
  CHECK(rig.fire("T", "EI") == Events{"T.EO"});
}

TEST_CASE("E_F_TRIG checks the QI value that travels with EI", "[stdfb][E_F_TRIG]") {
  Rig rig({{{"F", "E_T_FF", {}, ""}, {"T", "E_F_TRIG", {}, ""}}, {{"F.EO", "T.EI", ""}}, {{"F.Q", "T.QI", ""}}});
  CHECK(rig.fire("F", "CLK") == Events{"F.EO(Q=TRUE)"});
  CHECK(rig.fire("F", "CLK") == Events{"F.EO(Q=FALSE)", "T.EO"});
  CHECK(rig.fire("F", "CLK") == Events{"F.EO(Q=TRUE)"});
}
