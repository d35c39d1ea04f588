#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("E_SPLIT emits EO1 then EO2 for each EI", "[stdfb][E_SPLIT]") {
  Rig rig({{{"S", "E_SPLIT", {}, ""}}, {}, {}});
  CHECK(rig.fire("S", "EI") == Events{"S.EO1", "S.EO2"});
  CHECK(rig.fire("S", "EI") == Events{"S.EO1", "S.EO2"});
}

TEST_CASE("E_SPLIT outputs are dispatched breadth-first in FIFO order", "[stdfb][E_SPLIT][resource]") {
  // S.EO1 -> A (split), S.EO2 -> B (split): A's and B's outputs follow
  // both of S's, and A's come before B's.
  Rig rig({{{"S", "E_SPLIT", {}, ""}, {"A", "E_SPLIT", {}, ""}, {"B", "E_SPLIT", {}, ""}},
           {{"S.EO1", "A.EI", ""}, {"S.EO2", "B.EI", ""}},
           {}});
  CHECK(rig.fire("S", "EI") == Events{"S.EO1", "S.EO2", "A.EO1", "A.EO2", "B.EO1", "B.EO2"});
}
