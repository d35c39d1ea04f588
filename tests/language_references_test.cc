// References (IEC 61131-3 6.4.4.10): REF_TO type, REF(variable), r^ and
// NULL. A reference refers to a variable of the same instance (or an
// element or member of one); what could dangle or be forged is refused at
// compile time, and dereferencing NULL is a run-time fault.
#include <algorithm>

#include "runtime/reconfiguration.h"
#include "runtime/retain.h"
#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

namespace {

// A user FUNCTION_BLOCK whose reference refers to its own variable v,
// set on its first call and kept between calls.
const std::string kHolder =
    "FUNCTION_BLOCK Holder\n"
    "VAR_OUTPUT o : INT; END_VAR\n"
    "VAR p : REF_TO INT; v : INT; END_VAR\n"
    "IF p = NULL THEN p := REF(v); END_IF;\n"
    "p^ := p^ + 1; o := v;\n"
    "END_FUNCTION_BLOCK\n";

}  // namespace

TEST_CASE("r^ reads and writes the variable REF() made r refer to", "[st][references]") {
  StRun r("A : INT; B : INT; WasNull : BOOL; IsA : BOOL;",
          "WasNull := P = NULL; P := REF(A); P^ := 5; B := P^ + 1; P^ := P^ * 2; IsA := P <> NULL AND P = Q;",
          "P : REF_TO INT; Q : REF_TO INT;");
  // Q stays NULL: P = Q is FALSE once P refers to A.
  CHECK(r.run().empty());
  CHECK(r["A"] == "10");
  CHECK(r["B"] == "6");
  CHECK(r["WasNull"] == "TRUE");
  CHECK(r["IsA"] == "FALSE");
}

TEST_CASE("a reference is set at run time: one statement writes different variables", "[st][references]") {
  StRun r("A : DINT; B : DINT; Same : BOOL;",
          "FOR I := 0 TO 3 DO\n"
          "  IF I MOD 2 = 0 THEN P := REF(A); ELSE P := REF(B); END_IF;\n"
          "  P^ := P^ + 10 + I;\n"
          "END_FOR;\n"
          "Q := P; Same := Q = P AND Q = REF(B);",
          "P, Q : REF_TO DINT; I : INT;");
  CHECK(r.run().empty());
  CHECK(r["A"] == "22");  // 10 + 0, then 10 + 2
  CHECK(r["B"] == "24");  // 10 + 1, then 10 + 3
  CHECK(r["Same"] == "TRUE");
}

TEST_CASE("references to arrays, elements at a variable index, structures and their members", "[st][references]") {
  StRun r("S : DINT; W : WORD; Sum : DINT;",
          "PA := REF(Arr); PA^[2] := 20; K := 3; PE := REF(Arr[K]); PE^ := 30; S := PA^[2] + PE^;"
          "PM := REF(M); PM^[1, 2] := 12; PR := REF(M[1, 2]); Sum := PR^ + M[1, 2];"
          "PB := REF(Bx); PB^.W := 16#00F0; PW := REF(Bx.W); PW^.0 := TRUE; W := Bx.W;",
          "Arr : ARRAY[1..3] OF DINT; PA : REF_TO ARRAY[1..3] OF DINT; PE : REF_TO DINT; K : INT;"
          "M : ARRAY[0..1, 1..2] OF DINT; PM : REF_TO ARRAY[0..1, 1..2] OF DINT; PR : REF_TO DINT;"
          "Bx : Box; PB : REF_TO Box; PW : REF_TO WORD;",
          "", "TYPE Box : STRUCT W : WORD; END_STRUCT; END_TYPE\n");
  CHECK(r.run().empty());
  CHECK(r.at("Arr", 1) == "20");
  CHECK(r.at("Arr", 2) == "30");
  CHECK(r["S"] == "50");
  CHECK(r.at("M", 3) == "12");  // [1, 2]: row 1, second column
  CHECK(r["Sum"] == "24");
  CHECK(r["W"] == "241");  // 16#00F1
}

TEST_CASE("a reference to a STRING reads, writes and cuts to the string's capacity", "[st][references]") {
  StRun r("Str : STRING[5]; L : INT; Up : BOOL; Copy : STRING[8];",
          "PS := REF(Str); PS^ := 'abcdefgh'; L := LEN(PS^); Up := PS^ = 'abcde';"
          "PT := REF(Names[N]); PT^ := CONCAT(PS^, '!'); Copy := Names[1];",
          "PS : REF_TO STRING[5]; Names : ARRAY[0..1] OF STRING[8]; PT : REF_TO STRING[8]; N : INT := 1;");
  CHECK(r.run().empty());
  CHECK(r["Str"] == "abcde");
  CHECK(r["L"] == "5");
  CHECK(r["Up"] == "TRUE");
  CHECK(r["Copy"] == "abcde!");
}

TEST_CASE("a reference is passed to a FUNCTION, which writes through it", "[st][references][functions]") {
  StRun r("A : INT; N : INT; M : INT;",
          "N := Bump(REF(A), 1); N := Bump(p := REF(A)); M := Bump(p := REF(A), amount := 5);", "", "",
          "FUNCTION Bump : INT\n"
          "VAR_INPUT p : REF_TO INT; amount : INT := 1; END_VAR\n"
          "IF p <> NULL THEN p^ := p^ + amount; Bump := p^; END_IF;\n"
          "END_FUNCTION\n");
  CHECK(r.run().empty());
  CHECK(r["A"] == "7");
  CHECK(r["N"] == "2");
  CHECK(r["M"] == "7");
}

TEST_CASE("an FB instance keeps a reference to its own variable between calls", "[st][references][fb-instance]") {
  StRun r("Out : INT;", "H(); H(); H(); Out := H.o;", "H : Holder;", "", kHolder);
  CHECK(r.run().empty());
  CHECK(r["Out"] == "3");
}

TEST_CASE("dereferencing NULL is a run-time fault that keeps earlier effects", "[st][references][faults]") {
  StRun r("A : INT; B : INT;", "A := 1; P^ := 2; B := 3;", "P : REF_TO INT;");
  auto faults = r.run();
  REQUIRE(faults.size() == 1);
  CHECK(faults[0] == "X/Run: dereference of a NULL reference");
  CHECK(r["A"] == "1");
  CHECK(r["B"] == "0");
}

TEST_CASE("a reference is not written from outside: forcing one is refused", "[st][references][forcing]") {
  StRun r("A : INT;", "P := REF(A); P^ := 4;", "P : REF_TO INT;");
  CHECK(r.run().empty());
  FbIndex f = r.rig.fb("X");
  const auto& iface = r.rig.res->type_of(f).iface;
  auto k = iface.find_internal("P");
  REQUIRE(k);
  const Value v{.u = 1};
  auto refused = r.rig.res->force(f, iface.internal_slot(*k), &v);
  REQUIRE(refused);
  CHECK(*refused == "X.P is a reference: only the FB's algorithms set it");
}

TEST_CASE("reference diagnostics", "[st][references][diagnostics]") {
  auto d = [](const std::string& outputs, const std::string& body, const std::string& internals = "",
              const std::string& inputs = "") { return diagnostics(fb_with(outputs, body, internals, inputs)); };
  // What REF() refuses: what could dangle or be written though it may not.
  CHECK(mentions(d("A : INT;", "P := REF(In1);", "P : REF_TO INT;", "In1 : INT;"),
                 "REF(In1): it is an input, which algorithms only read"));
  CHECK(mentions(d("A : INT;", "VAR_TEMP t : INT; END_VAR P := REF(t);", "P : REF_TO INT;"),
                 "REF(t): a VAR_TEMP ends with its algorithm, the reference would outlive it"));
  CHECK(mentions(diagnostics("FUNCTION F : INT VAR_INPUT x : INT; END_VAR VAR p : REF_TO INT; END_VAR p := REF(x); "
                             "F := p^; END_FUNCTION"),
                 "REF(x): a function's variables end with its call"));
  CHECK(mentions(d("A : INT;", "P := REF(K);", "P : REF_TO INT; END_VAR VAR CONSTANT K : INT := 1;"),
                 "REF(K): it is a constant"));
  CHECK(mentions(d("A : WORD;", "P := REF(A.3);", "P : REF_TO BOOL;"), "a single bit cannot be referred to"));
  CHECK(mentions(d("A : INT;", "P := REF(A + 1);", "P : REF_TO INT;"),
                 "REF() needs a variable of this FB, not an expression"));
  CHECK(mentions(d("A : INT;", "P := REF(Nope);", "P : REF_TO INT;"), "REF() needs a variable of this FB, not 'Nope'"));
  CHECK(mentions(d("A : INT;", "P := REF(T1.Q);", "P : REF_TO BOOL; T1 : TON;"),
                 "the outputs of an FB instance are read-only"));
  // Types: a reference takes NULL or a reference of its type; no arithmetic.
  CHECK(mentions(d("A : DINT;", "P := REF(A);", "P : REF_TO INT;"),
                 "type mismatch: cannot use REF_TO DINT as REF_TO INT for 'P'"));
  CHECK(mentions(d("A : INT;", "P := 5;", "P : REF_TO INT;"),
                 "cannot use an integer literal as REF_TO INT for 'P' (REF(variable) makes a reference)"));
  CHECK(mentions(d("A : INT;", "P := REF(A); A := P;", "P : REF_TO INT;"),
                 "cannot use REF_TO INT as INT for 'A' (REF_TO INT^ is the variable it refers to)"));
  CHECK(mentions(d("A : INT;", "P := REF(A); P := P + 1;", "P : REF_TO INT;"),
                 "operator + cannot be applied to REF_TO INT and an integer literal"));
  CHECK(mentions(d("A : INT;", "A := A^;"), "'^' dereferences a reference, not INT"));
  CHECK(mentions(d("B : BOOL;", "B := NULL = NULL;"), "operator = cannot be applied to NULL and NULL"));
  CHECK(mentions(d("B : BOOL;", "B := P < Q;", "P, Q : REF_TO INT;"),
                 "operator < cannot be applied to REF_TO INT and REF_TO INT"));
  CHECK(mentions(d("A : INT;", "P := REF(S);", "P : REF_TO INT; S : INT (0..9);"),
                 "cannot use REF_TO INT (0..9) as REF_TO INT"));
  // Declarations: what cannot dangle or be forged.
  CHECK(mentions(d("P : REF_TO INT;", "P := NULL;"),
                 "'P' cannot be an output variable: a reference is no value a connection can carry"));
  CHECK(mentions(diagnostics("FUNCTION_BLOCK R\nEVENT_INPUT REQ; END_EVENT\nVAR RETAIN P : REF_TO INT; END_VAR\n"
                             "END_FUNCTION_BLOCK\n"),
                 "reference 'P' cannot be RETAIN"));
  CHECK(mentions(d("A : INT;", "A := 1;", "P : ARRAY[0..1] OF REF_TO INT;"),
                 "arrays of references are not supported (reference 'P')"));
  CHECK(mentions(d("A : INT;", "A := 1;", "P : REF_TO REF_TO INT;"), "a reference to a reference is not supported"));
  CHECK(mentions(
      diagnostics("TYPE IntRef : REF_TO INT; END_TYPE\n" + fb_with("A : INT;", "A := 1;", "P : REF_TO IntRef;")),
      "a reference to a reference is not supported (reference 'P')"));
  CHECK(mentions(d("A : INT;", "A := 1;", "P : REF_TO INT := 5;"), "reference 'P' starts as NULL"));
  CHECK(mentions(diagnostics("TYPE S : STRUCT p : REF_TO INT; END_STRUCT; END_TYPE"),
                 "member 'p' of S: a structure cannot hold a reference"));
  CHECK(mentions(d("A : INT;", "A := 1;", "P : REF_TO Nothing;"), "unknown data type 'Nothing'"));
}

TEST_CASE("a named reference type and NULL as initial value", "[st][references][named-types]") {
  StRun r("A : INT;", "IF P = NULL THEN P := REF(A); END_IF; P^ := 3;", "P : IntRef := NULL;", "",
          "TYPE IntRef : REF_TO INT; END_TYPE\n");
  CHECK(r.run().empty());
  CHECK(r["A"] == "3");
}

TEST_CASE("an FB instance in VAR RETAIN keeps its values but not its references", "[st][references][retain]") {
  StRun r("Out : INT;", "H(); Out := H.o;", "END_VAR VAR RETAIN H : Holder;", "", kHolder);
  CHECK(r.run().empty());
  std::vector<std::string> kept;
  for (const RetainEntry& e : capture_retained(*r.rig.res).entries) kept.push_back(e.var);
  CHECK(std::find(kept.begin(), kept.end(), "H.v") != kept.end());
  CHECK(std::find(kept.begin(), kept.end(), "H.o") != kept.end());
  CHECK(std::find(kept.begin(), kept.end(), "H.p") == kept.end());
}

TEST_CASE("a reference of another type is no VAR_IN_OUT for it, nor a ULINT", "[st][references][diagnostics]") {
  const std::string fns =
      "FUNCTION Forge : BOOL VAR_IN_OUT U : ULINT; END_VAR U := 5; Forge := TRUE; END_FUNCTION\n"
      "FUNCTION Probe : INT VAR_IN_OUT X : REF_TO STRING[10]; END_VAR Probe := FIND(X^, 'z'); END_FUNCTION\n";
  CHECK(mentions(
      diagnostics(fns + fb_with("B : BOOL;", "P := REF(A); B := Forge(U := P);", "A : LINT; P : REF_TO LINT;")),
      "type mismatch: VAR_IN_OUT 'U' of function 'Forge' is ULINT, 'P' is REF_TO LINT"));
  CHECK(
      mentions(diagnostics(fns + fb_with("N : INT;", "P := REF(A); N := Probe(X := P);", "A : LINT; P : REF_TO LINT;")),
               "is REF_TO STRING[10], 'P' is REF_TO LINT (a VAR_IN_OUT takes a variable of its exact type)"));
  CHECK(mentions(diagnostics(fns + fb_with("N : INT;", "N := Probe(X := U);", "U : ULINT;")),
                 "is REF_TO STRING[10], 'U' is ULINT"));
  // One of its own type is.
  CHECK(diagnostics(fns + fb_with("N : INT;", "P := REF(S); N := Probe(X := P);",
                                  "S : STRING[10]; P : REF_TO STRING[10];")) == std::vector<std::string>{});
}

TEST_CASE("an FB instance's initial value cannot set a reference", "[st][references][diagnostics]") {
  CHECK(mentions(diagnostics("FUNCTION_BLOCK Holder VAR_INPUT p : REF_TO INT; END_VAR VAR_OUTPUT n : INT; END_VAR "
                             "IF p <> NULL THEN n := p^; END_IF; END_FUNCTION_BLOCK\n" +
                             fb_with("N : INT;", "H(); N := H.n;", "H : Holder := (p := 1);")),
                 "'p' is a reference: it starts as NULL"));
}

TEST_CASE("a changed program gets no reference to a variable of another type", "[st][references][reconfiguration]") {
  auto type = [](const std::string& target, const std::string& var) {
    return "FUNCTION_BLOCK T\nEVENT_INPUT REQ; END_EVENT\nEVENT_OUTPUT CNF; END_EVENT\n"
           "VAR A : LINT := 7; B : STRING[10]; P : REF_TO " +
           target +
           "; END_VAR\n"
           "EC_STATES S0; S1 : Run -> CNF; END_STATES\nEC_TRANSITIONS S0 TO S1 := REQ; S1 TO S0 := 1; END_TRANSITIONS\n"
           "ALGORITHM Run IN ST: A := A + 1; P := REF(" +
           var + "); END_ALGORITHM\nEND_FUNCTION_BLOCK\n";
  };
  const TypeLibrary same = compiled(type("LINT", "A")), other = compiled(type("STRING[10]", "B"));
  const FbNetwork net{{{"X", "T", {}, ""}}, {}, {}};
  Rig before(net, {}, same);
  before.fire("X", "REQ");
  REQUIRE(before.var("X", "P").u != 0);
  REQUIRE(before.var("X", "A").i == 8);
  Rig kept(net, {}, same);
  transfer_state(*before.res, *kept.res);
  CHECK(kept.var("X", "P").u == before.var("X", "P").u);  // the same program: the instance keeps its state
  CHECK(kept.var("X", "A").i == 8);
  Rig changed(net, {}, other);
  transfer_state(*before.res, *changed.res);
  CHECK(changed.var("X", "P").u == 0);  // P refers to a STRING[10] now: the instance starts over
  CHECK(changed.var("X", "A").i == 7);
}
