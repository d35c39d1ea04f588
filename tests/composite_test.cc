// Composite FBs are flattened at load time (runtime/composite.h).
#include "runtime/fb_type_builder.h"
#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {

// PAIR: REQ -> S (E_SPLIT) -> EO1 -> C (E_CTU) -> CUO -> CNF; S.EO2 -> DONE.
// Data: PV (boundary input) -> C.PV; C.CV -> CV (boundary output).
FbType pair() {
  return FbTypeBuilder("PAIR")
      .event_input("REQ", {"PV"})
      .event_output("CNF", {"CV"})
      .event_output("DONE")
      .input("PV", DataType::kUint)
      .output("CV", DataType::kUint)
      .composite({{{"S", "E_SPLIT", {}, ""}, {"C", "E_CTU", {}, ""}},
                  {{"REQ", "S.EI", ""}, {"S.EO1", "C.CU", ""}, {"C.CUO", "CNF", ""}, {"S.EO2", "DONE", ""}},
                  {{"PV", "C.PV", ""}, {"C.CV", "CV", ""}}})
      .build();
}

// OUTER wraps PAIR and passes REQ straight through to a second output.
FbType outer() {
  return FbTypeBuilder("OUTER")
      .event_input("GO")
      .event_output("OUT")
      .event_output("ECHO")
      .composite({{{"P", "PAIR", {{"PV", "2"}}, ""}}, {{"GO", "P.REQ", ""}, {"P.CNF", "OUT", ""}, {"GO", "ECHO", ""}}, {}})
      .build();
}

}  // namespace

TEST_CASE("a composite's inner FBs become instances named after their path", "[composite]") {
  TypeLibrary lib = library_with({pair(), outer()});
  Rig rig({{{"O", "OUTER", {}, ""}}, {}, {}}, {}, lib);
  CHECK(rig.res->find_fb("O.P.S"));
  CHECK(rig.res->find_fb("O.P.C"));
  CHECK_FALSE(rig.res->find_fb("O"));
  CHECK_FALSE(rig.res->find_fb("O.P"));
}

TEST_CASE("events cross composite boundaries with no extra queue hop", "[composite]") {
  TypeLibrary lib = library_with({pair(), outer()});
  Rig rig({{{"O", "OUTER", {}, ""}, {"T", "E_SPLIT", {}, ""}, {"K", "E_CTU", {{"PV", "1"}}, ""}},
           {{"T.EO1", "O.GO", ""}, {"O.OUT", "K.CU", ""}, {"O.ECHO", "K.R", ""}},
           {}},
          {}, lib);
  // T.EO1 goes straight to O.P.S.EI and to K.R (the pass-through), in one hop each.
  CHECK(rig.fire("T", "EI") == Events{"T.EO1", "T.EO2", "O.P.S.EO1", "O.P.S.EO2", "K.RO(Q=FALSE,CV=0)",
                                      "O.P.C.CUO(Q=FALSE,CV=1)", "K.CUO(Q=TRUE,CV=1)"});
  CHECK(rig.res->stats().dispatched == 5);  // T.EI, S.EI, K.R, C.CU, K.CU: no boundary events
}

TEST_CASE("a parameter on a composite's data input reaches the inner inputs it feeds", "[composite]") {
  TypeLibrary lib = library_with({pair(), outer()});
  Rig rig({{{"O", "OUTER", {}, ""}}, {}, {}}, {}, lib);
  CHECK(rig.var("O.P.C", "PV").u == 2);
  rig.fire("O.P.S", "EI");
  CHECK(rig.fire("O.P.S", "EI") == Events{"O.P.S.EO1", "O.P.S.EO2", "O.P.C.CUO(Q=TRUE,CV=2)"});
}

TEST_CASE("data crosses composite boundaries in both directions", "[composite]") {
  TypeLibrary lib = library_with({pair()});
  Rig rig({{{"A", "E_CTU", {{"PV", "9"}}, ""}, {"P", "PAIR", {}, ""}, {"B", "E_CTU", {}, ""}},
           {{"A.CUO", "P.REQ", ""}, {"P.CNF", "B.CU", ""}},
           {{"A.CV", "P.PV", ""}, {"P.CV", "B.PV", ""}}},
          {}, lib);
  rig.fire("A", "CU");
  // P.C.PV came from A.CV (= 1); B.PV from P.C.CV (= 1): so both Q are TRUE.
  CHECK(rig.var("P.C", "PV").u == 1);
  CHECK(rig.var("B", "PV").u == 1);
  CHECK(rig.var("B", "Q").as_bool());
}

TEST_CASE("a connection to a port the composite does not have is reported", "[composite][load]") {
  TypeLibrary lib = library_with({pair()});
  auto r = Resource::load({{{"P", "PAIR", {}, ""}, {"T", "E_SPLIT", {}, ""}}, {{"T.EO1", "P.NOPE", "app:7"}}, {}}, lib);
  REQUIRE_FALSE(r);
  CHECK(r.errors().str() == "app:7: error: composite 'PAIR' has no event port 'NOPE'\n");
}
