// Composite FBs are flattened at load time (runtime/composite.h).
#include <boost/context/fiber.hpp>
#include <boost/context/protected_fixedsize_stack.hpp>

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
      .composite(
          {{{"P", "PAIR", {{"PV", "2"}}, ""}}, {{"GO", "P.REQ", ""}, {"P.CNF", "OUT", ""}, {"GO", "ECHO", ""}}, {}})
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

TEST_CASE("a composite data input's initial value reaches the inner inputs it feeds", "[composite]") {
  // PAIR with PV declared := 2: nothing feeds it, so C.PV starts at 2.
  FbType p = pair();
  p.iface.inputs[0].initial = Value::of_uint(2);
  TypeLibrary lib = library_with({p});
  Rig rig({{{"P", "PAIR", {}, ""}}, {}, {}}, {}, lib);
  CHECK(rig.var("P.C", "PV").u == 2);
  CHECK(rig.fire("P.S", "EI").back() == "P.C.CUO(Q=FALSE,CV=1)");
  CHECK(rig.fire("P.S", "EI").back() == "P.C.CUO(Q=TRUE,CV=2)");
  // A parameter on the instance wins over the declared value.
  Rig given({{{"P", "PAIR", {{"PV", "1"}}, ""}}, {}, {}}, {}, lib);
  CHECK(given.var("P.C", "PV").u == 1);
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

namespace {

// SAME has an event input and an event output both called X, and a data
// input and output both called D: X -> C.CU, C.CUO -> X; D -> C.PV, C.CV -> D.
FbType same_names() {
  return FbTypeBuilder("SAME")
      .event_input("X", {"D"})
      .event_output("X", {"D"})
      .input("D", DataType::kUint)
      .output("D", DataType::kUint)
      .composite(
          {{{"C", "E_CTU", {}, ""}}, {{"X", "C.CU", ""}, {"C.CUO", "X", ""}}, {{"D", "C.PV", ""}, {"C.CV", "D", ""}}})
      .build();
}

// PASS connects its input X straight to its output X, and D to D.
FbType pass_through() {
  return FbTypeBuilder("PASS")
      .event_input("X", {"D"})
      .event_output("X", {"D"})
      .input("D", DataType::kUint)
      .output("D", DataType::kUint)
      .composite({{}, {{"X", "X", ""}}, {{"D", "D", ""}}})
      .build();
}

}  // namespace

TEST_CASE("a composite input and output of the same name are two ports, joined only through the inner network",
          "[composite]") {
  TypeLibrary lib = library_with({same_names()});
  Rig rig({{{"A", "E_SPLIT", {}, ""}, {"P", "SAME", {{"D", "2"}}, ""}, {"K", "E_CTU", {}, ""}},
           {{"A.EO1", "P.X", ""}, {"P.X", "K.CU", ""}},
           {{"P.D", "K.PV", ""}}},
          {}, lib);
  // A reaches K only through P.C: K counts once, with P.C's CV carried into K.PV.
  CHECK(rig.fire("A", "EI") == Events{"A.EO1", "A.EO2", "P.C.CUO(Q=FALSE,CV=1)", "K.CUO(Q=TRUE,CV=1)"});
  CHECK(rig.res->stats().dispatched == 3);  // A.EI, P.C.CU, K.CU
  CHECK(rig.var("P.C", "PV").u == 2);
}

TEST_CASE("a composite that connects an input straight to the output of the same name passes events and data through",
          "[composite]") {
  TypeLibrary lib = library_with({pass_through()});
  Rig rig({{{"A", "E_CTU", {{"PV", "9"}}, ""}, {"P", "PASS", {}, ""}, {"K", "E_CTU", {}, ""}},
           {{"A.CUO", "P.X", ""}, {"P.X", "K.CU", ""}},
           {{"A.CV", "P.D", ""}, {"P.D", "K.PV", ""}}},
          {}, lib);
  CHECK(rig.fire("A", "CU") == Events{"A.CUO(Q=FALSE,CV=1)", "K.CUO(Q=TRUE,CV=1)"});
  CHECK(rig.res->stats().dispatched == 2);
  CHECK(rig.var("K", "PV").u == 1);
}

TEST_CASE("a connection that starts at an input or ends at an output is reported, even when it leads nowhere",
          "[composite][load]") {
  TypeLibrary lib = library_with({FbTypeBuilder("BAD")
                                      .event_input("REQ")
                                      .event_output("CNF")
                                      .output("CV", DataType::kUint)
                                      .composite({{{"S", "E_SPLIT", {}, ""}, {"C", "E_CTU", {}, ""}},
                                                  {{"REQ", "S.EI", "bad:1"},
                                                   {"S.EI", "CNF", "bad:2"},
                                                   {"S.EO1", "S.EO2", "bad:3"},
                                                   {"CNF", "C.CU", "bad:4"},
                                                   {"S.EO2", "REQ", "bad:5"}},
                                                  {{"C.PV", "CV", "bad:6"}}})
                                      .build()});
  auto r = Resource::load(
      {{{"P", "BAD", {}, ""}, {"K", "E_CTU", {}, ""}}, {{"P.REQ", "K.CU", "app:1"}, {"K.CUO", "P.CNF", "app:2"}}, {}},
      lib);
  REQUIRE_FALSE(r);
  CHECK(r.errors().str() ==
        "bad:2: error: 'P.S.EI' is an event input of 'P.S' (E_SPLIT): connections can end there, not start there\n"
        "bad:3: error: 'P.S.EO2' is an event output of 'P.S' (E_SPLIT): connections can start there, not end there\n"
        "bad:4: error: 'P.CNF' is an event output of composite 'BAD': inside it, connections can end there, not "
        "start there\n"
        "bad:5: error: 'P.REQ' is an event input of composite 'BAD': inside it, connections can start there, not end "
        "there\n"
        "bad:6: error: 'P.C.PV' is a data input of 'P.C' (E_CTU): connections can end there, not start there\n"
        "app:1: error: 'P.REQ' is an event input of composite 'BAD': connections can end there, not start there\n"
        "app:2: error: 'P.CNF' is an event output of composite 'BAD': connections can start there, not end there\n");
}

TEST_CASE("a data connection through a composite boundary must fit the boundary's declared type", "[composite][load]") {
  TypeLibrary lib = library_with({pair()});
  auto r =
      Resource::load({{{"A", "E_CTUD_UDINT", {}, ""}, {"P", "PAIR", {}, ""}}, {}, {{"A.CV", "P.PV", "app:3"}}}, lib);
  REQUIRE_FALSE(r);
  CHECK(r.errors().str() == "app:3: error: type mismatch: A.CV is UDINT but P.PV is UINT\n");
}

TEST_CASE("a composite data port fed twice is reported at the boundary", "[composite][load]") {
  TypeLibrary lib = library_with(
      {pair(), FbTypeBuilder("TWICE")
                   .event_input("REQ")
                   .input("PV", DataType::kUint)
                   .output("CV", DataType::kUint)
                   .composite({{{"C", "E_CTU", {}, ""}}, {}, {{"C.CV", "CV", "twice:1"}, {"PV", "CV", "twice:2"}}})
                   .build()});
  auto r =
      Resource::load({{{"A", "E_CTU", {}, ""}, {"B", "E_CTU", {}, ""}, {"P", "PAIR", {}, ""}, {"T", "TWICE", {}, ""}},
                      {},
                      {{"A.CV", "P.PV", "app:1"}, {"B.CV", "P.PV", "app:2"}}},
                     lib);
  REQUIRE_FALSE(r);
  CHECK(r.errors().str() ==
        "twice:2: error: data output 'T.CV' already has a connection\n"
        "app:2: error: data input 'P.PV' already has a connection\n");
}

TEST_CASE("composite instance and boundary port names ignore case", "[composite]") {
  TypeLibrary lib = library_with({FbTypeBuilder("PAIR")
                                      .event_input("REQ", {"PV"})
                                      .event_output("CNF", {"CV"})
                                      .input("PV", DataType::kUint)
                                      .output("CV", DataType::kUint)
                                      .composite({{{"C", "E_CTU", {}, ""}},
                                                  {{"req", "c.cu", ""}, {"c.cuo", "Cnf", ""}},
                                                  {{"pv", "c.pv", ""}, {"c.cv", "cv", ""}}})
                                      .build()});
  Rig rig({{{"A", "E_CTU", {{"PV", "9"}}, ""}, {"P", "PAIR", {{"pv", "5"}}, ""}, {"K", "E_CTU", {}, ""}},
           {{"A.CUO", "p.Req", ""}, {"p.cnf", "K.CU", ""}},
           {{"p.cV", "K.PV", ""}}},
          {}, lib);
  CHECK(rig.fire("A", "CU") == Events{"A.CUO(Q=FALSE,CV=1)", "P.C.CUO(Q=FALSE,CV=1)", "K.CUO(Q=TRUE,CV=1)"});
  CHECK(rig.var("P.C", "PV").u == 5);
}

TEST_CASE("a parameter naming no data input of a composite, or not fitting it, is reported", "[composite][load]") {
  TypeLibrary lib = library_with({pair()});
  auto r = Resource::load({{{"P", "PAIR", {{"XX", "1"}, {"PV", "70000"}, {"pv", "3"}}, "app:2"}}, {}, {}}, lib);
  REQUIRE_FALSE(r);
  CHECK(r.errors().str() ==
        "app:2: error: 'P' (PAIR) has no data input 'XX'\n"
        "app:2: error: '70000' is not a valid UINT literal for P.PV\n");
}

TEST_CASE("a parameter on a composite input reaches every inner input it feeds, and the outermost one wins",
          "[composite]") {
  // FAN feeds its PV to two counters and to a PAIR whose own PV is set to 7 inside FAN.
  TypeLibrary lib = library_with(
      {pair(),
       FbTypeBuilder("FAN")
           .event_input("REQ", {"PV"})
           .input("PV", DataType::kUint)
           .composite({{{"C1", "E_CTU", {}, ""}, {"C2", "E_CTU", {{"PV", "8"}}, ""}, {"P", "PAIR", {{"PV", "7"}}, ""}},
                       {{"REQ", "C1.CU", ""}},
                       {{"PV", "C1.PV", ""}, {"PV", "C2.PV", ""}, {"PV", "P.PV", ""}}})
           .build()});
  Rig rig({{{"F", "FAN", {{"PV", "3"}}, ""}, {"G", "FAN", {}, ""}}, {}, {}}, {}, lib);
  CHECK(rig.var("F.C1", "PV").u == 3);
  CHECK(rig.var("F.C2", "PV").u == 3);
  CHECK(rig.var("F.P.C", "PV").u == 3);
  // Without a parameter on G, the inner ones stand.
  CHECK(rig.var("G.C1", "PV").u == 0);
  CHECK(rig.var("G.C2", "PV").u == 8);
  CHECK(rig.var("G.P.C", "PV").u == 7);
}

TEST_CASE("a composite type that contains itself is reported with its path, before anything is expanded",
          "[composite][load]") {
  // Each type holds two of the other: expanding before checking would take 2^depth instances.
  FbType a = FbTypeBuilder("LOOP_A")
                 .event_input("REQ")
                 .composite({{{"B1", "LOOP_B", {}, ""}, {"B2", "LOOP_B", {}, ""}}, {}, {}})
                 .build();
  FbType b = FbTypeBuilder("LOOP_B")
                 .event_input("REQ")
                 .composite({{{"A1", "LOOP_A", {}, ""}, {"A2", "LOOP_A", {}, ""}}, {}, {}})
                 .build();
  FbType self = FbTypeBuilder("SELF").composite({{{"S", "SELF", {}, ""}}, {}, {}}).build();
  TypeLibrary lib = library_with({a, b, self});
  auto r = Resource::load({{{"X", "LOOP_A", {}, "app:1"}, {"Y", "LOOP_B", {}, "app:2"}, {"Z", "SELF", {}, ""}}, {}, {}},
                          lib);
  REQUIRE_FALSE(r);
  CHECK(r.errors().str() ==
        "app:1: error: composite type LOOP_A contains itself: LOOP_A -> LOOP_B -> LOOP_A\n"
        "Z: error: composite type SELF contains itself: SELF -> SELF\n");
}

TEST_CASE("a chain of 20000 pass-through composites becomes one direct connection, in little stack", "[composite]") {
  // Each hop through a boundary used to be a level of recursion: 40000 of
  // them overflow a 256 KiB stack, which is where this load runs.
  constexpr int kHops = 20000;
  FbNetwork net{{{"A", "E_SPLIT", {}, ""}, {"K", "E_CTU", {}, ""}}, {{"A.EO1", "P0.X", ""}}, {}};
  for (int k = 0; k < kHops; ++k) {
    const std::string p = "P" + std::to_string(k);
    net.fbs.push_back({p, "PASS", {}, ""});
    net.event_connections.push_back({p + ".X", k + 1 < kHops ? "P" + std::to_string(k + 1) + ".X" : "K.CU", ""});
  }
  TypeLibrary lib = library_with({pass_through()});
  std::unique_ptr<Resource> loaded;
  namespace ctx = boost::context;
  ctx::fiber(std::allocator_arg, ctx::protected_fixedsize_stack(256 * 1024), [&](ctx::fiber&& caller) {
    if (auto r = Resource::load(net, lib)) loaded = std::move(r.value());
    return std::move(caller);
  }).resume();
  REQUIRE(loaded);
  REQUIRE(loaded->inject(*loaded->find_fb("A"), EventId{0}));
  loaded->step(Time{0});
  CHECK(loaded->stats().dispatched == 2);  // A.EI, K.CU
  const FbIndex k = *loaded->find_fb("K");
  const auto& iface = loaded->type_of(k).iface;
  CHECK(loaded->vars(k)[iface.output_slot(*iface.find_output("CV"))].u == 1);
}

TEST_CASE("the START block every resource has may feed a composite's input", "[composite][start]") {
  TypeLibrary lib = library_with({pair(), outer()});
  Rig rig({{{"O", "OUTER", {}, ""}}, {{"START.COLD", "O.GO", ""}}, {}}, {}, lib);
  rig.res->start(true);
  rig.run();
  CHECK(rig.rec->take() == Events{"START.COLD", "O.P.S.EO1", "O.P.S.EO2", "O.P.C.CUO(Q=FALSE,CV=1)"});
}
