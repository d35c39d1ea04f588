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

TEST_CASE("E_R_TRIG emits EO when QI rises from FALSE to TRUE", "[stdfb][E_R_TRIG]") {
  Rig rig({{{"T", "E_R_TRIG", {}, ""}}, {}, {}});
  CHECK(feed(rig, {false, true, true, false, false, true}) == std::vector<size_t>{0, 1, 0, 0, 0, 1});
}

TEST_CASE("E_R_TRIG treats QI = TRUE at the first EI as a rising edge", "[stdfb][E_R_TRIG]") {
  Rig rig({{{"T", "E_R_TRIG", {{"QI", "TRUE"}}, ""}}, {}, {}});
  CHECK(rig.fire("T", "EI") == Events{"T.EO"});
  CHECK(rig.fire("T", "EI") == Events{});
}

TEST_CASE("E_R_TRIG checks the QI value that travels with EI", "[stdfb][E_R_TRIG]") {
  Rig rig({{{"F", "E_T_FF", {}, ""}, {"T", "E_R_TRIG", {}, ""}}, {{"F.EO", "T.EI", ""}}, {{"F.Q", "T.QI", ""}}});
  CHECK(rig.fire("F", "CLK") == Events{"F.EO(Q=TRUE)", "T.EO"});
  CHECK(rig.fire("F", "CLK") == Events{"F.EO(Q=FALSE)"});
  CHECK(rig.fire("F", "CLK") == Events{"F.EO(Q=TRUE)", "T.EO"});
}
