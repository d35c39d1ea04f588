// 4diac's F_MUX_2_1 and F_MUX_2_2 (runtime/stdfb/utils_f_mux.cc).
#include <string>

#include "tests/generic_block_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("F_MUX_2_1 copies the input of the event that came", "[utils][F_MUX]") {
  Generic g("F_MUX_2_1", {{"IN_1_1", "INT#1"}, {"IN_2_1", "INT#2"}});
  CHECK(g.fire("EI2") == std::vector<std::string>{"F.EO"});
  CHECK(g.value("OUT_1").i == 2);
  CHECK(g.value("QO").as_bool());
  CHECK(g.text("STATUS") == "OK");
  CHECK(g.type("STATUS") == DataType::kWstring);
  g.fire("EI1");
  CHECK(g.value("OUT_1").i == 1);
}

TEST_CASE("F_MUX_2_1 of an INT and a DINT is a DINT", "[utils][F_MUX]") {
  Generic g("F_MUX_2_1", {{"IN_1_1", "INT#-1"}, {"IN_2_1", "DINT#70000"}});
  g.fire("EI1");
  CHECK(g.type("OUT_1") == DataType::kDint);
  CHECK(g.value("OUT_1").i == -1);
  g.fire("EI2");
  CHECK(g.value("OUT_1").i == 70000);
}

TEST_CASE("F_MUX_2_2 copies both inputs of the event, each of its own type", "[utils][F_MUX]") {
  Generic g("F_MUX_2_2", {{"IN_1_1", "INT#1"}, {"IN_1_2", "'one'"}, {"IN_2_1", "INT#2"}, {"IN_2_2", "'two'"}});
  g.fire("EI1");
  CHECK(g.value("OUT_1").i == 1);
  CHECK(g.text("OUT_2") == "one");
  g.fire("EI2");
  CHECK(g.value("OUT_1").i == 2);
  CHECK(g.text("OUT_2") == "two");
  CHECK(g.type("OUT_2") == DataType::kString);
}
