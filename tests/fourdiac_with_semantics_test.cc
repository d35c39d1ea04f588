// The engine rules about data and its events that 4diac's reference
// examples pin (ReferenceExamples.sys: _04_DataWith, _01 Ex6a, _03 Ex5):
// what an input holds when its event arrives, whether it came from the
// event's sender, a connection, a parameter or nowhere; and which implicit
// conversions a data connection makes.
#include <catch2/catch.hpp>

#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

namespace {

// REQ samples nothing, UPDATE samples XI; both copy XI to XO. CNF sends
// nothing, UPDATEO sends XO.
const char* kWith = R"(
FUNCTION_BLOCK WITHS
EVENT_INPUT REQ; UPDATE WITH XI; END_EVENT
EVENT_OUTPUT CNF; UPDATEO WITH XO; END_EVENT
VAR_INPUT XI : INT := 1; END_VAR
VAR_OUTPUT XO : INT := -1; END_VAR
EC_STATES START; Copy : Copy -> CNF; CopyU : Copy -> UPDATEO; END_STATES
EC_TRANSITIONS START TO Copy := REQ; START TO CopyU := UPDATE; Copy TO START := 1; CopyU TO START := 1; END_TRANSITIONS
ALGORITHM Copy IN ST: XO := XI; END_ALGORITHM
END_FUNCTION_BLOCK

FUNCTION_BLOCK SHOW
EVENT_INPUT REQ WITH IN; END_EVENT
EVENT_OUTPUT CNF WITH OUT; END_EVENT
VAR_INPUT IN : INT; END_VAR
VAR_OUTPUT OUT : INT; END_VAR
EC_STATES START; S : Run -> CNF; END_STATES
EC_TRANSITIONS START TO S := REQ; S TO START := 1; END_TRANSITIONS
ALGORITHM Run IN ST: OUT := IN; END_ALGORITHM
END_FUNCTION_BLOCK

FUNCTION_BLOCK SHOW_REAL
EVENT_INPUT REQ WITH IN, L; END_EVENT
EVENT_OUTPUT CNF WITH OUT, LOUT; END_EVENT
VAR_INPUT IN : REAL; L : LREAL; END_VAR
VAR_OUTPUT OUT : REAL; LOUT : LREAL; END_VAR
EC_STATES START; S : Run -> CNF; END_STATES
EC_TRANSITIONS START TO S := REQ; S TO START := 1; END_TRANSITIONS
ALGORITHM Run IN ST: OUT := IN; LOUT := L; END_ALGORITHM
END_FUNCTION_BLOCK
)";

const TypeLibrary& lib() {
  static TypeLibrary l = compiled(kWith);
  return l;
}

}  // namespace

TEST_CASE("a parameter reaches a basic FB's input only with an event that samples it (WITH)", "[with][parameter]") {
  Rig rig({{{"W", "WITHS", {{"XI", "7"}}, ""}}, {}, {}}, {}, lib());
  CHECK(rig.var("W", "XI").i == 1);  // the declared initial value until UPDATE
  rig.fire("W", "REQ");
  CHECK(rig.var("W", "XO").i == 1);
  CHECK(rig.fire("W", "UPDATE") == Events{"W.UPDATEO(XO=7)"});
  rig.fire("W", "REQ");
  CHECK(rig.var("W", "XO").i == 7);
}

TEST_CASE("a native block is configured by its parameters when it is loaded", "[with][parameter]") {
  Rig rig({{{"C", "E_CTU", {{"PV", "3"}}, ""}}, {}, {}}, {}, lib());
  CHECK(rig.var("C", "PV").u == 3);
}

TEST_CASE("an input not carried by its event takes what its connection last sent, not the source's current value",
          "[with][connection]") {
  // W.CNF sends no data; S.REQ comes from W.CNF, S.IN from W.XO: S sees the
  // XO that W last sent with an event (its initial -1 at first).
  Rig rig({{{"W", "WITHS", {{"XI", "7"}}, ""}, {"S", "SHOW", {}, ""}},
           {{"W.CNF", "S.REQ", ""}, {"W.UPDATEO", "S.REQ", ""}},
           {{"W.XO", "S.IN", ""}}},
          {}, lib());
  CHECK(rig.fire("W", "UPDATE") == Events{"W.UPDATEO(XO=7)", "S.CNF(OUT=7)"});
  rig.var("W", "XI").i = 9;  // REQ copies it to XO, and CNF does not send it
  CHECK(rig.fire("W", "REQ") == Events{"W.CNF", "S.CNF(OUT=7)"});
  CHECK(rig.var("W", "XO").i == 9);
}

TEST_CASE("before its source sends anything, a connection holds the source output's initial value",
          "[with][connection]") {
  Rig rig(
      {{{"W", "WITHS", {{"XI", "7"}}, ""}, {"S", "SHOW", {}, ""}}, {{"W.CNF", "S.REQ", ""}}, {{"W.XO", "S.IN", ""}}},
      {}, lib());
  CHECK(rig.fire("W", "REQ") == Events{"W.CNF", "S.CNF(OUT=-1)"});
}

TEST_CASE("an event injected from outside brings only its own data: connected inputs keep theirs", "[with][inject]") {
  Rig rig({{{"W", "WITHS", {}, ""}, {"S", "SHOW", {{"IN", "5"}}, ""}},
           {{"W.UPDATEO", "S.REQ", ""}},
           {{"W.XO", "S.IN", ""}}},
          {}, lib());
  // IN is connected: its parameter is only its starting value.
  CHECK(rig.fire("S", "REQ") == Events{"S.CNF(OUT=5)"});
  rig.fire("W", "UPDATE");
  CHECK(rig.var("S", "OUT").i == 1);
}

TEST_CASE("a data connection converts an integer into a REAL or LREAL that holds it exactly", "[with][conversion]") {
  Rig rig({{{"C", "E_CTU", {{"PV", "9"}}, ""}, {"S", "SHOW_REAL", {}, ""}},
           {{"C.CUO", "S.REQ", ""}},
           {{"C.CV", "S.IN", ""}, {"C.CV", "S.L", ""}}},
          {}, lib());
  CHECK(rig.fire("C", "CU") == Events{"C.CUO(Q=FALSE,CV=1)", "S.CNF(OUT=1,LOUT=1)"});
  rig.fire("C", "CU");
  CHECK(rig.var("S", "OUT").r == 2.0);

  auto refused =
      Resource::load({{{"C", "E_CTUD_UDINT", {}, ""}, {"S", "SHOW_REAL", {}, ""}}, {}, {{"C.CV", "S.IN", ""}}}, lib());
  REQUIRE_FALSE(refused);  // a UDINT does not fit a REAL's mantissa
  CHECK_THAT(refused.errors().str(), Catch::Contains("type mismatch: C.CV is UDINT but S.IN is REAL"));
  CHECK(
      Resource::load({{{"C", "E_CTUD_UDINT", {}, ""}, {"S", "SHOW_REAL", {}, ""}}, {}, {{"C.CV", "S.L", ""}}}, lib()));
}
