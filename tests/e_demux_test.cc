#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("E_DEMUX sends EI to the output EOk selected by K", "[stdfb][E_DEMUX]") {
  Rig rig({{{"D", "E_DEMUX", {}, ""}}, {}, {}});
  for (uint64_t k = 0; k < 4; ++k) {
    rig.var("D", "K") = Value::of_uint(k);
    CHECK(rig.fire("D", "EI") == Events{"D.EO" + std::to_string(k)});
  }
}

TEST_CASE("E_DEMUX emits nothing when K is out of range", "[stdfb][E_DEMUX]") {
  Rig rig({{{"D", "E_DEMUX", {{"K", "4"}}, ""}}, {}, {}});
  CHECK(rig.fire("D", "EI") == Events{});
  rig.var("D", "K") = Value::of_uint(65535);
  CHECK(rig.fire("D", "EI") == Events{});
}

TEST_CASE("E_DEMUX uses the K value that travels with EI", "[stdfb][E_DEMUX]") {
  // A counter's CV, sent with CUO, picks the output: 1, 2, 3, then none.
  Rig rig(
      {{{"C", "E_CTU", {{"PV", "9"}}, ""}, {"D", "E_DEMUX", {}, ""}}, {{"C.CUO", "D.EI", ""}}, {{"C.CV", "D.K", ""}}});
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=FALSE,CV=1)", "D.EO1"});
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=FALSE,CV=2)", "D.EO2"});
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=FALSE,CV=3)", "D.EO3"});
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=FALSE,CV=4)"});
}
