// FB instances in Structured Text (IEC 61131-3 6.5.2.2 and 6.6.3.4):
// `VAR T : TON; END_VAR` in a basic FB type, called from its algorithm,
// with the standard FBs of 6.6.3.5 (standard_function_blocks.h) on the
// virtual clock and user FUNCTION_BLOCKs of IEC 61131-3 form, nested.
#include "runtime/reconfiguration.h"
#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;
using namespace std::chrono_literals;

namespace {

// An FB type X whose REQ runs `body`; inputs are set with in().
struct FbRun : StRun {
  using StRun::StRun;
  void in(const std::string& var, Value v) { rig.var("X", var) = v; }
  void in(const std::string& var, bool b) { in(var, Value::of_bool(b)); }
  void later(Duration d) { rig.clock.advance(d); }
  // Runs REQ at the current virtual time; REQUIREs no fault.
  void req() { REQUIRE(run().empty()); }
};
}  // namespace

TEST_CASE("TON's Q rises when IN has been TRUE for PT, ET counts up to PT", "[st][fb-instance][TON][virtual-clock]") {
  FbRun r("Q : BOOL; ET : TIME;", "T(IN := Start, PT := T#5s); Q := T.Q; ET := T.ET;", "T : TON;", "Start : BOOL;");
  r.req();
  CHECK(r["Q"] == "FALSE");
  CHECK(r["ET"] == "T#0s");
  r.in("Start", true);
  r.later(1s);
  r.req();  // timing starts here
  CHECK(r["Q"] == "FALSE");
  CHECK(r["ET"] == "T#0s");
  r.later(4999ms);
  r.req();
  CHECK(r["Q"] == "FALSE");
  CHECK(r["ET"] == "T#4s999ms");
  r.later(1ms);
  r.req();
  CHECK(r["Q"] == "TRUE");
  CHECK(r["ET"] == "T#5s");
  r.later(10s);
  r.req();
  CHECK(r["Q"] == "TRUE");
  CHECK(r["ET"] == "T#5s");  // saturated at PT
  r.in("Start", false);
  r.req();
  CHECK(r["Q"] == "FALSE");
  CHECK(r["ET"] == "T#0s");
}

TEST_CASE("TON follows a PT changed while it is timing", "[st][fb-instance][TON][virtual-clock]") {
  FbRun r("Q : BOOL; ET : TIME;", "T(IN := TRUE, PT := P); Q := T.Q; ET := T.ET;", "T : TON;", "P : TIME;");
  r.in("P", Value::of_int(Time(10s).count()));
  r.req();
  r.later(4s);
  r.req();
  CHECK(r["Q"] == "FALSE");
  CHECK(r["ET"] == "T#4s");
  r.in("P", Value::of_int(Time(3s).count()));  // already past: Q at once, ET at the new PT
  r.req();
  CHECK(r["Q"] == "TRUE");
  CHECK(r["ET"] == "T#3s");
  r.in("P", Value::of_int(Time(6s).count()));  // raised again: Q falls, timing goes on from the same start
  r.req();
  CHECK(r["Q"] == "FALSE");
  CHECK(r["ET"] == "T#4s");
  r.later(2s);
  r.req();
  CHECK(r["Q"] == "TRUE");
  CHECK(r["ET"] == "T#6s");
  r.in("P", Value::of_int(-Time(1s).count()));  // below zero counts as T#0s
  r.req();
  CHECK(r["Q"] == "TRUE");
  CHECK(r["ET"] == "T#0s");
}

TEST_CASE("TOF holds Q for PT after IN falls", "[st][fb-instance][TOF][virtual-clock]") {
  FbRun r("Q : BOOL; ET : TIME;", "T(IN := Go, PT := T#2s); Q := T.Q; ET := T.ET;", "T : TOF;", "Go : BOOL;");
  r.req();
  CHECK(r["Q"] == "FALSE");  // never was TRUE: nothing to time
  r.in("Go", true);
  r.req();
  CHECK(r["Q"] == "TRUE");
  r.later(1s);
  r.in("Go", false);
  r.req();
  CHECK(r["Q"] == "TRUE");
  CHECK(r["ET"] == "T#0s");
  r.later(1999ms);
  r.req();
  CHECK(r["Q"] == "TRUE");
  CHECK(r["ET"] == "T#1s999ms");
  r.later(1ms);
  r.req();
  CHECK(r["Q"] == "FALSE");
  CHECK(r["ET"] == "T#2s");
  r.in("Go", true);  // IN again: Q at once, ET back to zero
  r.req();
  CHECK(r["Q"] == "TRUE");
  CHECK(r["ET"] == "T#0s");
}

TEST_CASE("TP gives one pulse of PT and is not retriggered while it runs", "[st][fb-instance][TP][virtual-clock]") {
  FbRun r("Q : BOOL; ET : TIME;", "T(IN := Go, PT := T#3s); Q := T.Q; ET := T.ET;", "T : TP;", "Go : BOOL;");
  r.in("Go", true);
  r.req();
  CHECK(r["Q"] == "TRUE");
  CHECK(r["ET"] == "T#0s");
  r.later(1s);
  r.in("Go", false);
  r.req();
  CHECK(r["Q"] == "TRUE");  // IN falling during the pulse changes nothing
  CHECK(r["ET"] == "T#1s");
  r.later(1s);
  r.in("Go", true);
  r.req();
  CHECK(r["Q"] == "TRUE");  // nor does a new rising edge
  CHECK(r["ET"] == "T#2s");
  r.later(1s);
  r.req();
  CHECK(r["Q"] == "FALSE");
  CHECK(r["ET"] == "T#3s");
  r.later(5s);
  r.req();
  CHECK(r["ET"] == "T#3s");  // stays at PT while IN is TRUE
  r.in("Go", false);
  r.req();
  CHECK(r["ET"] == "T#0s");
  r.in("Go", true);
  r.req();
  CHECK(r["Q"] == "TRUE");  // the next pulse
}

TEST_CASE("CTU counts rising edges of CU up to PV; R resets", "[st][fb-instance][CTU]") {
  FbRun r("Q : BOOL; CV : INT;", "C(CU := Up, R := Reset, PV := 3); Q := C.Q; CV := C.CV;", "C : CTU;",
          "Up, Reset : BOOL;");
  r.req();
  CHECK(r["CV"] == "0");
  r.in("Up", true);
  r.req();
  r.req();  // CU held: no new edge
  CHECK(r["CV"] == "1");
  for (int k = 0; k < 2; ++k) {
    r.in("Up", false);
    r.req();
    r.in("Up", true);
    r.req();
  }
  CHECK(r["CV"] == "3");
  CHECK(r["Q"] == "TRUE");
  r.in("Reset", true);
  r.in("Up", false);
  r.req();
  CHECK(r["CV"] == "0");
  CHECK(r["Q"] == "FALSE");
  r.in("Up", true);  // R dominates an edge
  r.req();
  CHECK(r["CV"] == "0");
}

TEST_CASE("CTD and CTUD saturate at the bounds of INT", "[st][fb-instance][CTD][CTUD]") {
  FbRun r("Down : INT; Up : INT;",
          "D(LD := TRUE, PV := -32767); D(LD := FALSE);"
          "FOR I := 1 TO 3 DO D(CD := TRUE); D(CD := FALSE); END_FOR; Down := D.CV;"
          "U(LD := TRUE, PV := 32766); U(LD := FALSE);"
          "FOR I := 1 TO 3 DO U(CU := TRUE); U(CU := FALSE); END_FOR; Up := U.CV;",
          "D : CTD; U : CTUD; I : INT;");
  r.req();
  CHECK(r["Down"] == "-32768");
  CHECK(r["Up"] == "32767");
}

TEST_CASE("CTD loads PV with LD and counts down to zero", "[st][fb-instance][CTD]") {
  FbRun r("Q : BOOL; CV : INT;", "C(CD := Down, LD := Load, PV := 2); Q := C.Q; CV := C.CV;", "C : CTD;",
          "Down, Load : BOOL;");
  r.req();
  CHECK(r["Q"] == "TRUE");  // CV starts at 0
  r.in("Load", true);
  r.req();
  CHECK(r["CV"] == "2");
  CHECK(r["Q"] == "FALSE");
  r.in("Load", false);
  for (int k = 0; k < 3; ++k) {
    r.in("Down", true);
    r.req();
    r.in("Down", false);
    r.req();
  }
  CHECK(r["CV"] == "-1");  // goes on below zero, Q stays TRUE
  CHECK(r["Q"] == "TRUE");
}

TEST_CASE("CTUD counts both ways, R before LD, simultaneous edges cancel", "[st][fb-instance][CTUD]") {
  FbRun r("QU : BOOL; QD : BOOL; CV : INT;",
          "C(CU := U, CD := D, R := Reset, LD := Load, PV := 2); QU := C.QU; QD := C.QD; CV := C.CV;", "C : CTUD;",
          "U, D, Reset, Load : BOOL;");
  auto pulse = [&](const char* which) {
    r.in(which, true);
    r.req();
    r.in(which, false);
    r.req();
  };
  r.req();
  CHECK(r["QD"] == "TRUE");
  CHECK(r["QU"] == "FALSE");
  pulse("U");
  pulse("U");
  CHECK(r["CV"] == "2");
  CHECK(r["QU"] == "TRUE");
  CHECK(r["QD"] == "FALSE");
  pulse("D");
  CHECK(r["CV"] == "1");
  r.in("U", true);
  r.in("D", true);
  r.req();  // both edges at once: no count
  CHECK(r["CV"] == "1");
  r.in("U", false);
  r.in("D", false);
  r.in("Reset", true);
  r.in("Load", true);
  r.req();
  CHECK(r["CV"] == "0");  // R dominates LD
  r.in("Reset", false);
  r.req();
  CHECK(r["CV"] == "2");
  CHECK(r["QU"] == "TRUE");
}

TEST_CASE("R_TRIG and F_TRIG pulse once per edge over several events", "[st][fb-instance][R_TRIG][F_TRIG]") {
  FbRun r("Rise : BOOL; Fall : BOOL; Rises : INT; Falls : INT;",
          "RT(CLK := S); FT(CLK := S); Rise := RT.Q; Fall := FT.Q;"
          "IF RT.Q THEN Rises := Rises + 1; END_IF; IF FT.Q THEN Falls := Falls + 1; END_IF;",
          "RT : R_TRIG; FT : F_TRIG;", "S : BOOL;");
  const bool clk[] = {false, true, true, false, false, true, false};
  const char* rise[] = {"FALSE", "TRUE", "FALSE", "FALSE", "FALSE", "TRUE", "FALSE"};
  const char* fall[] = {"FALSE", "FALSE", "FALSE", "TRUE", "FALSE", "FALSE", "TRUE"};
  for (int k = 0; k < 7; ++k) {
    r.in("S", clk[k]);
    r.req();
    CHECK(r["Rise"] == rise[k]);
    CHECK(r["Fall"] == fall[k]);
  }
  CHECK(r["Rises"] == "2");
  CHECK(r["Falls"] == "2");
}

TEST_CASE("SR is set dominant, RS is reset dominant", "[st][fb-instance][SR][RS]") {
  FbRun r("QS : BOOL; QR : BOOL;", "F1(S1 := S, R := R); F2(S := S, R1 := R); QS := F1.Q1; QR := F2.Q1;",
          "F1 : SR; F2 : RS;", "S, R : BOOL;");
  r.in("S", true);
  r.in("R", true);
  r.req();
  CHECK(r["QS"] == "TRUE");
  CHECK(r["QR"] == "FALSE");
  r.in("R", false);
  r.req();
  CHECK(r["QS"] == "TRUE");
  CHECK(r["QR"] == "TRUE");
  r.in("S", false);
  r.req();  // both hold
  CHECK(r["QS"] == "TRUE");
  CHECK(r["QR"] == "TRUE");
  r.in("R", true);
  r.req();
  CHECK(r["QS"] == "FALSE");
  CHECK(r["QR"] == "FALSE");
}

namespace {

// A user FB of IEC 61131-3 form holding standard FBs: a debounced start
// that counts its starts.
const std::string kDebounce =
    "FUNCTION_BLOCK Debounce\n"
    "VAR_INPUT Raw : BOOL; Delay : TIME := T#50ms; END_VAR\n"
    "VAR_OUTPUT Stable : BOOL; Starts : INT; END_VAR\n"
    "VAR Filter : TON; Edge : R_TRIG; END_VAR\n"
    "VAR_TEMP Was : BOOL; END_VAR\n"
    "Was := Stable;\n"
    "Filter(IN := Raw, PT := Delay);\n"
    "Stable := Filter.Q;\n"
    "Edge(CLK := Stable);\n"
    "IF Edge.Q AND NOT Was THEN Starts := Starts + 1; END_IF;\n"
    "END_FUNCTION_BLOCK\n";
}  // namespace

TEST_CASE("a user FUNCTION_BLOCK with TON and R_TRIG runs inside a basic FB", "[st][fb-instance][user-fb]") {
  FbRun r("Q : BOOL; N : INT;", "D(Raw := In); Q := D.Stable; N := D.Starts;", "D : Debounce;", "In : BOOL;",
          kDebounce);
  r.in("In", true);
  r.req();
  r.later(49ms);
  r.req();
  CHECK(r["Q"] == "FALSE");
  r.later(1ms);
  r.req();
  CHECK(r["Q"] == "TRUE");
  CHECK(r["N"] == "1");
  r.later(1s);
  r.req();
  CHECK(r["N"] == "1");
  r.in("In", false);
  r.req();
  CHECK(r["Q"] == "FALSE");
  r.in("In", true);
  r.req();
  r.later(50ms);
  r.req();
  CHECK(r["N"] == "2");
  // The instance's state is the FB's own: internals named after the path.
  CHECK(r["D.Starts"] == "2");
  CHECK(r["D.Filter.Q"] == "TRUE");
  CHECK(r["D.Edge.M"] == "TRUE");
  CHECK(r["D.Delay"] == "T#50ms");
}

TEST_CASE("FB instances nest two levels deep, each with its own state", "[st][fb-instance][user-fb]") {
  const std::string prelude = kDebounce +
                              "FUNCTION_BLOCK Pair\n"
                              "VAR_INPUT A, B : BOOL; END_VAR\n"
                              "VAR_OUTPUT Both : BOOL; Total : INT; END_VAR\n"
                              "VAR DA, DB : Debounce; END_VAR\n"
                              "DA(Raw := A, Delay := T#10ms);\n"
                              "DB(B, T#20ms);\n"
                              "Both := DA.Stable AND DB.Stable;\n"
                              "Total := DA.Starts + DB.Starts;\n"
                              "END_FUNCTION_BLOCK\n";
  FbRun r("Both : BOOL; Total : INT;", "P(A := X, B := Y, Both => Both, Total => Total);", "P : Pair;", "X, Y : BOOL;",
          prelude);
  r.in("X", true);
  r.in("Y", true);
  r.req();
  r.later(10ms);
  r.req();
  CHECK(r["Both"] == "FALSE");
  CHECK(r["Total"] == "1");
  CHECK(r["P.DA.Filter.ET"] == "T#10ms");
  CHECK(r["P.DB.Filter.ET"] == "T#10ms");
  r.later(10ms);
  r.req();
  CHECK(r["Both"] == "TRUE");
  CHECK(r["Total"] == "2");
}

TEST_CASE("an FB call sets only the inputs it names; the others keep their values", "[st][fb-instance][call]") {
  FbRun r("Q : BOOL; ET : TIME; PT : TIME;",
          "IF First THEN T(IN := TRUE, PT := T#1s); ELSE T(); END_IF; T.PT := T.PT + T#1s; PT := T.PT;"
          "T(ET => ET, Q => Q);",
          "T : TON;", "First : BOOL;");
  r.in("First", true);
  r.req();
  CHECK(r["PT"] == "T#2s");
  r.in("First", false);
  r.later(2s);
  r.req();  // IN still TRUE from the first call: T() finds 2s elapsed of PT 2s, then PT is 3s
  CHECK(r["PT"] == "T#3s");
  CHECK(r["ET"] == "T#2s");
  CHECK(r["Q"] == "FALSE");
  r.later(2s);
  r.req();
  CHECK(r["ET"] == "T#4s");
  CHECK(r["Q"] == "TRUE");
}

TEST_CASE("an FB called by position takes all its inputs in declared order", "[st][fb-instance][call]") {
  FbRun r("Q : BOOL;", "F(TRUE, FALSE); F(FALSE, FALSE); Q := F.Q1;", "F : SR;");
  r.req();
  CHECK(r["Q"] == "TRUE");
}

TEST_CASE("an ECC guard reads an FB instance's output", "[st][fb-instance][ecc]") {
  TypeLibrary lib = compiled(
      "FUNCTION_BLOCK W\n"
      "EVENT_INPUT REQ; END_EVENT\n"
      "EVENT_OUTPUT DONE; END_EVENT\n"
      "VAR T : TON; END_VAR\n"
      "EC_STATES S0; S1 : Tick; S2 : -> DONE; END_STATES\n"
      "EC_TRANSITIONS S0 TO S1 := REQ; S1 TO S2 := [T.Q]; S1 TO S0 := [NOT T.Q]; S2 TO S0 := 1; END_TRANSITIONS\n"
      "ALGORITHM Tick IN ST: T(IN := TRUE, PT := T#1s); END_ALGORITHM\n"
      "END_FUNCTION_BLOCK\n");
  Rig rig({{{"W1", "W", {}, ""}}, {}, {}}, {}, lib);
  CHECK(rig.fire("W1", "REQ").empty());
  rig.clock.advance(1s);
  CHECK(rig.fire("W1", "REQ") == Events{"W1.DONE"});
}

TEST_CASE("FB instance diagnostics", "[st][fb-instance][diagnostics]") {
  auto d = [](const std::string& outputs, const std::string& body, const std::string& internals,
              const std::string& prelude = "") { return diagnostics(prelude + fb_with(outputs, body, internals)); };
  SECTION("an unknown FB type") {
    CHECK(d("Q : BOOL;", "T(IN := TRUE);", "T : TONN;") ==
          std::vector<std::string>{"5:9: error: unknown data type 'TONN' (did you mean 'TON'?)"});
  }
  SECTION("calling a variable") {
    CHECK(d("Q : BOOL;", "Q(IN := TRUE);", "") ==
          std::vector<std::string>{
              "8:1: error: 'Q' is a variable, not a function nor an FB instance: it cannot be called"});
  }
  SECTION("calling the FB type instead of an instance") {
    CHECK(mentions(d("Q : BOOL;", "TON(IN := TRUE);", ""),
                   "'TON' is a function block type, not a function: declare an instance of it"));
  }
  SECTION("a wrong parameter name") {
    CHECK(d("Q : BOOL;", "T(IN := TRUE, PRESET := T#1s);", "T : TON;") ==
          std::vector<std::string>{"9:25: error: function block TON has no input 'PRESET'"});
    CHECK(mentions(d("Q : BOOL;", "T(IN := TRUE, Q := FALSE);", "T : TON;"),
                   "'Q' is an output of TON: read it with Q =>"));
    CHECK(mentions(d("Q : BOOL;", "T(IN := TRUE, PX => Q);", "T : TON;"), "function block TON has no output 'PX'"));
    CHECK(mentions(d("Q : BOOL;", "Q := T.QQ;", "T : TON;"),
                   "function block TON has no input or output 'QQ' (did you mean 'Q'?)"));
    CHECK(mentions(d("Q : BOOL;", "Q := T.TIMING;", "T : TON;"),
                   "'TIMING' is an internal variable of function block TON"));
    CHECK(mentions(d("Q : BOOL;", "T(TRUE);", "T : TON;"), "takes 2 inputs by position, 1 given"));
  }
  SECTION("assigning to an instance or to its outputs") {
    CHECK(d("Q : BOOL;", "T := 1;", "T : TON;") ==
          std::vector<std::string>{"9:1: error: cannot assign to FB instance 'T' (of TON): give its inputs in a call, "
                                   "or assign one (T.IN := ...)"});
    CHECK(d("Q : BOOL;", "T.Q := TRUE;", "T : TON;") ==
          std::vector<std::string>{"9:1: error: cannot assign to 'T.Q': the outputs of an FB instance are read-only"});
  }
  SECTION("an instance used as a value or an expression") {
    CHECK(mentions(d("Q : BOOL;", "Q := T;", "T : TON;"), "'T' is an instance of function block TON, not a variable"));
    CHECK(mentions(d("Q : BOOL;", "Q := T(IN := TRUE);", "T : TON;"), "is called as a statement"));
  }
  SECTION("an FB that holds itself") {
    CHECK(mentions(diagnostics("FUNCTION_BLOCK A VAR_INPUT I : BOOL; END_VAR VAR Me : A; END_VAR I := I; "
                               "END_FUNCTION_BLOCK"),
                   "function block 'A' contains an instance of itself (A -> A)"));
    CHECK(mentions(diagnostics("FUNCTION_BLOCK A VAR B1 : B; END_VAR B1(); END_FUNCTION_BLOCK\n"
                               "FUNCTION_BLOCK B VAR A1 : A; END_VAR A1(); END_FUNCTION_BLOCK"),
                   "contains an instance of itself (A -> B -> A)"));
  }
  SECTION("where instances cannot be declared") {
    CHECK(mentions(diagnostics("FUNCTION F : BOOL VAR T : TON; END_VAR F := TRUE; END_FUNCTION"),
                   "function 'F' cannot hold an instance of function block 'TON': a function has no memory"));
    CHECK(mentions(diagnostics(fb_with("T : TON;", "", "")), "FB instance 'T' must be declared in VAR"));
    CHECK(mentions(d("Q : BOOL;", "", "T : ARRAY[0..1] OF TON;"), "arrays of FB instances are not supported"));
  }
}

TEST_CASE("an online reconfiguration carries an FB instance's state with its holder",
          "[st][fb-instance][reconfiguration]") {
  FbRun r("ET : TIME; N : INT;", "T(IN := TRUE, PT := T#10s); ET := T.ET; E(CLK := NOT E.Q); C(CU := E.Q); N := C.CV;",
          "T : TON; E : R_TRIG; C : CTU;");
  r.req();
  r.later(3s);
  r.req();
  r.req();
  REQUIRE(r["ET"] == "T#3s");
  REQUIRE(r["N"] == "2");
  // The same FB X in a network that also has Y: X is kept, slots and ECC state copied.
  Rig next({{{"X", "T", {}, ""}, {"Y", "T", {}, ""}}, {}, {}}, {}, r.lib);
  next.clock.set(r.rig.clock.now());
  const Reconfiguration report = transfer_state(*r.rig.res, *next.res);
  CHECK(report.kept >= 1);
  next.clock.advance(2s);
  next.fire("X", "REQ");
  CHECK(format_value(DataType::kTime, next.var("X", "ET")) == "T#5s");  // timing goes on from its start
  // E.Q was TRUE: this call sees CLK FALSE, no edge, CV stays 2 (fresh slots would count 1).
  CHECK(format_value(DataType::kInt, next.var("X", "N")) == "2");
  next.fire("Y", "REQ");
  CHECK(format_value(DataType::kTime, next.var("Y", "ET")) == "T#0s");  // a fresh instance starts timing now
}

TEST_CASE("a simple FB type holds FB instances too", "[st][fb-instance][simple-fb]") {
  TypeLibrary lib = compiled(
      "FUNCTION_BLOCK S\n"
      "EVENT_INPUT REQ WITH In; END_EVENT\n"
      "EVENT_OUTPUT CNF WITH Count; END_EVENT\n"
      "VAR_INPUT In : BOOL; END_VAR\n"
      "VAR_OUTPUT Count : INT; END_VAR\n"
      "VAR Edge : R_TRIG; END_VAR\n"
      "ALGORITHM REQ IN ST: Edge(CLK := In); IF Edge.Q THEN Count := Count + 1; END_IF; END_ALGORITHM\n"
      "END_FUNCTION_BLOCK\n");
  Rig rig({{{"S1", "S", {}, ""}}, {}, {}}, {}, lib);
  for (bool in : {true, true, false, true, false, false, true}) {
    rig.var("S1", "In") = Value::of_bool(in);
    rig.fire("S1", "REQ");
  }
  CHECK(format_value(DataType::kInt, rig.var("S1", "Count")) == "3");
}

TEST_CASE("a FUNCTION_BLOCK's VAR keep their values between calls, its VAR_TEMP do not", "[st][fb-instance][user-fb]") {
  FbRun r("Kept : INT; Temp : INT;", "A(); A(); Kept := A.Kept; Temp := A.Temp;", "A : Acc;", "",
          "FUNCTION_BLOCK Acc\n"
          "VAR_OUTPUT Kept, Temp : INT; END_VAR\n"
          "VAR K : INT := 10; END_VAR\n"
          "VAR_TEMP T : INT := 10; END_VAR\n"
          "K := K + 1; T := T + 1; Kept := K; Temp := T;\n"
          "END_FUNCTION_BLOCK\n");
  r.req();
  CHECK(r["Kept"] == "12");
  CHECK(r["Temp"] == "11");
  r.req();
  CHECK(r["Kept"] == "14");
  CHECK(r["Temp"] == "11");
}

TEST_CASE("an FB instance's declaration may give initial values to its inputs and outputs",
          "[st][fb-instance][initial]") {
  FbRun r("Q : BOOL; PT : TIME; CV : INT;", "T(IN := TRUE); Q := T.Q; PT := T.PT; C(); CV := C.CV;",
          "T : TON := (PT := T#2s); C : CTD := (PV := 7, CV := 3); M : Inner := (C := Green, S := 'a,b)');", "",
          "TYPE Color : (Red, Green); END_TYPE\n"
          "FUNCTION_BLOCK Inner VAR_INPUT C : Color; S : STRING[4]; END_VAR VAR D : Deep := (N := 5); END_VAR D(); "
          "END_FUNCTION_BLOCK\n"
          "FUNCTION_BLOCK Deep VAR_INPUT N : INT; END_VAR N := N; END_FUNCTION_BLOCK\n");
  r.req();
  CHECK(r["PT"] == "T#2s");
  CHECK(r["CV"] == "3");
  CHECK(r["C.PV"] == "7");
  CHECK(r["M.D.N"] == "5");
  CHECK(r["M.C"] == "1");
  CHECK(r["M.S"] == "a,b)");
  r.later(2s);
  r.req();
  CHECK(r["Q"] == "TRUE");
  auto d = [](const std::string& internals, const std::string& prelude = "") {
    return diagnostics(prelude + fb_with("Q : BOOL;", "", internals));
  };
  CHECK(mentions(d("T : TON := (PRESET := T#1s);"),
                 "FB instance 'T': function block TON has no input or output 'PRESET'"));
  CHECK(mentions(d("T : TON := (PT := 5);"), "FB instance 'T': invalid initial value '5' for PT"));
  CHECK(mentions(d("T : TON := T#1s;"), "its initial value is written (Input := literal, ...)"));
  CHECK(mentions(d("", "FUNCTION_BLOCK A VAR T : TON := (PX := T#1s); END_VAR T(); END_FUNCTION_BLOCK\n"),
                 "FB instance 'T': function block TON has no input or output 'PX'"));
}

TEST_CASE("a FUNCTION_BLOCK's VAR_IN_OUT is the caller's variable, given at every call", "[st][fb-instance][in-out]") {
  FbRun r("Total : INT; Last : INT;",
          "A(Step := 2, Acc := Total); A(3, Total); A(Step := 5, Acc := Buf[1]); Last := Buf[1];",
          "A : Adder; Buf : ARRAY[0..1] OF INT := [0, 100];", "",
          "FUNCTION_BLOCK Adder\n"
          "VAR_INPUT Step : INT; END_VAR\n"
          "VAR_IN_OUT Acc : INT; END_VAR\n"
          "VAR Calls : INT; END_VAR\n"
          "Calls := Calls + 1; Acc := Acc + Step;\n"
          "END_FUNCTION_BLOCK\n");
  r.req();
  CHECK(r["Total"] == "5");
  CHECK(r["Last"] == "105");
  CHECK(r["A.Calls"] == "3");
  r.req();
  CHECK(r["Total"] == "10");
  const std::string adder =
      "FUNCTION_BLOCK Adder VAR_INPUT Step : INT; END_VAR VAR_IN_OUT Acc : INT; END_VAR Acc := Acc + Step; "
      "END_FUNCTION_BLOCK\n";
  CHECK(mentions(diagnostics(adder + fb_with("Q : INT;", "A(Step := 1);", "A : Adder;")),
                 "VAR_IN_OUT 'Acc' of FB instance 'A' (of Adder) is not given"));
  CHECK(mentions(diagnostics(adder + fb_with("Q : INT;", "A(Step := 1, Acc := Q + 1);", "A : Adder;")),
                 "VAR_IN_OUT 'Acc' of function block 'Adder' needs a variable, not an expression"));
  CHECK(
      mentions(diagnostics(adder + fb_with("Q : INT;", "A(Step := 1, Acc := In);", "A : Adder;", "In : INT;")),
               "cannot pass input variable 'In' to VAR_IN_OUT 'Acc' of function block 'Adder': inputs are read-only"));
}

TEST_CASE("an FB whose instances double at every level is refused, not built", "[st][fb-instance][diagnostics]") {
  std::string src = "FUNCTION_BLOCK L0 VAR_INPUT X : LINT; END_VAR X := X; END_FUNCTION_BLOCK\n";
  for (int k = 1; k <= 24; ++k)  // 2^24 instances of L0 in L24
    src += "FUNCTION_BLOCK L" + std::to_string(k) + " VAR A, B : L" + std::to_string(k - 1) +
           "; END_VAR A(); END_FUNCTION_BLOCK\n";
  CHECK(mentions(diagnostics(src), "an instance of function block 'L16' would need more than"));
}
