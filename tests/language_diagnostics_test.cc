// The diagnostics of the language's checkers (declarations, Structured
// Text, FB types, composites, systems): one TEST_CASE per kind of error,
// each with the exact list a small file gives, message and position
// ("line:col: error: ..."). Syntax errors are language_parser_test.cc's.
#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

namespace {

using Lines = std::vector<std::string>;

// A basic FB type T with one algorithm Run, for the ECC checks:
//   1 FUNCTION_BLOCK T
//   2 EVENT_INPUT REQ WITH X; STOP; END_EVENT
//   3 EVENT_OUTPUT CNF; END_EVENT
//   4 VAR_INPUT X : BOOL; N : INT; Enable : BOOL; END_VAR
//   5 EC_STATES <states> END_STATES
//   6 EC_TRANSITIONS <transitions> END_TRANSITIONS
//   7 ALGORITHM Run IN ST: END_ALGORITHM
//   8 <more>
//   9 END_FUNCTION_BLOCK
std::string ecc(const std::string& transitions, const std::string& states = "Idle; Running : Run -> CNF;",
                const std::string& more = "") {
  return "FUNCTION_BLOCK T\n"
         "EVENT_INPUT REQ WITH X; STOP; END_EVENT\n"
         "EVENT_OUTPUT CNF; END_EVENT\n"
         "VAR_INPUT X : BOOL; N : INT; Enable : BOOL; END_VAR\n"
         "EC_STATES " +
         states +
         " END_STATES\n"
         "EC_TRANSITIONS " +
         transitions +
         " END_TRANSITIONS\n"
         "ALGORITHM Run IN ST: END_ALGORITHM\n" +
         more +
         "\n"
         "END_FUNCTION_BLOCK\n";
}

// The diagnostics of an FB type whose algorithm Run is `body`, on line 8
// (line 9 with internals, one more with inputs): see fb_with.
Lines st_errors(const std::string& outputs, const std::string& body, const std::string& internals = "",
                const std::string& inputs = "") {
  return diagnostics(fb_with(outputs, body, internals, inputs));
}

}  // namespace

// ---------------------------------------------------------------- declarations

TEST_CASE("an unknown variable is reported where it is written, with the closest declared name", "[diagnostics][st]") {
  CHECK(st_errors("State : BOOL;", "Sate := TRUE;\nState := Stat OR Zzzzzz;") ==
        Lines{"8:1: error: unknown variable 'Sate' (did you mean 'State'?)",
              "9:10: error: unknown variable 'Stat' (did you mean 'State'?)",
              "9:18: error: unknown variable 'Zzzzzz'"});
}

TEST_CASE("an event used as a variable is reported as an event", "[diagnostics][st]") {
  CHECK(st_errors("A : BOOL;", "A := REQ;\nCNF := TRUE;") ==
        Lines{"8:6: error: 'REQ' is an event, not a variable", "9:1: error: 'CNF' is an event, not a variable"});
}

TEST_CASE("an unknown data type is reported with the closest type name", "[diagnostics][declarations]") {
  CHECK(diagnostics("TYPE Point : STRUCT x : INT; END_STRUCT; END_TYPE\n"
                    "FUNCTION_BLOCK T\n"
                    "VAR A : INTT; P : Pont; Q : Whatever; END_VAR\n"
                    "EC_STATES S0; END_STATES\n"
                    "END_FUNCTION_BLOCK\n") == Lines{"3:9: error: unknown data type 'INTT' (did you mean 'INT'?)",
                                                     "3:19: error: unknown data type 'Pont' (did you mean 'Point'?)",
                                                     "3:29: error: unknown data type 'Whatever'"});
}

TEST_CASE("a variable of a type declared with errors, or of an unknown type, reports nothing more",
          "[diagnostics][declarations]") {
  // Point has an error: P is of a type that exists but is broken, A of none;
  // their uses (WITH, algorithms, guards) add no second error.
  CHECK(diagnostics("TYPE Point : STRUCT x : INT; y : BOOLL; END_STRUCT; END_TYPE\n"
                    "FUNCTION_BLOCK T\n"
                    "EVENT_INPUT REQ WITH A; END_EVENT\n"
                    "VAR_INPUT A : INTT; END_VAR\n"
                    "VAR P : Point; Q : Pont; END_VAR\n"
                    "EC_STATES S0; S1 : Run; END_STATES\n"
                    "EC_TRANSITIONS S0 TO S1 := REQ AND A > 1; S1 TO S0 := P.y; END_TRANSITIONS\n"
                    "ALGORITHM Run IN ST: VAR_TEMP t : Pointe; END_VAR P.x := A + t; Q[1] := 2; FOR A := 1 TO 2 DO "
                    "END_FOR; END_ALGORITHM\n"
                    "END_FUNCTION_BLOCK\n") ==
        Lines{"1:34: error: unknown data type 'BOOLL' (did you mean 'BOOL'?)",
              "4:15: error: unknown data type 'INTT' (did you mean 'INT'?)",
              "5:20: error: unknown data type 'Pont' (did you mean 'Point'?)",
              "8:35: error: unknown data type 'Pointe' (did you mean 'Point'?)"});
}

TEST_CASE("the variables of an FB type fit in the slots an algorithm addresses", "[diagnostics][declarations]") {
  // 2 x 40000 slots: C is where the limit is crossed; using it reports nothing more.
  CHECK(
      st_errors("A : INT;", "B[1] := C[30000];\nA := 1;", "B : ARRAY[0..39999] OF INT; C : ARRAY[0..39999] OF INT;") ==
      Lines{"5:33: error: variable 'C' does not fit: FB type T would have more than 61439 slots of data"});
  // 61439 slots of variables, then the ECC state: the first temporary is one too many.
  CHECK(st_errors("A : INT;", "A := 1;\nA := A + 1;", "B : ARRAY[0..29999] OF INT; C : ARRAY[0..31437] OF INT;") ==
        Lines{"9:1: error: the FB type needs more than 61439 slots of data"});
}

TEST_CASE("an initial value that is no literal of the variable's type is reported at the value",
          "[diagnostics][declarations]") {
  CHECK(diagnostics("FUNCTION_BLOCK T\n"
                    "VAR A : INT := 1.5; B : BOOL := 2; C : SINT := 300; END_VAR\n"
                    "VAR D : ARRAY[0..1] OF INT := [1, 2, 3]; E : TIME := 5; END_VAR\n"
                    "EC_STATES S0; END_STATES\n"
                    "END_FUNCTION_BLOCK\n") ==
        Lines{"2:16: error: invalid initial value '1.5' for 'A' of type INT",
              "2:33: error: invalid initial value '2' for 'B' of type BOOL",
              "2:48: error: invalid initial value '300' for 'C' of type SINT",
              "3:31: error: invalid initial value '[1, 2, 3]' for 'D' of type ARRAY[0..1] OF INT",
              "3:54: error: invalid initial value '5' for 'E' of type TIME"});
}

TEST_CASE("events and variables share one scope: a name is declared once", "[diagnostics][fb]") {
  CHECK(diagnostics("FUNCTION_BLOCK T\n"
                    "EVENT_INPUT REQ; Req; END_EVENT\n"
                    "EVENT_OUTPUT CNF; req; END_EVENT\n"
                    "VAR_INPUT Cnf : INT; A : INT; END_VAR\n"
                    "VAR_OUTPUT A : BOOL; END_VAR\n"
                    "VAR a : BOOL; END_VAR\n"
                    "EC_STATES S0; END_STATES\n"
                    "END_FUNCTION_BLOCK\n") ==
        Lines{"2:18: error: duplicate name 'Req' (already declared as an event input)",
              "3:19: error: duplicate name 'req' (already declared as an event input)",
              "4:11: error: duplicate name 'Cnf' (already declared as an event output)",
              "5:12: error: duplicate name 'A' (already declared as an input variable)",
              "6:5: error: duplicate name 'a' (already declared as an input variable)"});
}

TEST_CASE("duplicate algorithms and ECC states are reported at the second one", "[diagnostics][fb]") {
  CHECK(diagnostics(ecc("Idle TO Running := REQ; Running TO Idle := 1;", "Idle; Running : Run -> CNF; idle;",
                        "ALGORITHM RUN IN ST: END_ALGORITHM")) ==
        Lines{"5:39: error: duplicate ECC state 'idle'", "8:11: error: duplicate algorithm 'RUN'"});
}

TEST_CASE("a file declares an FB type or a data type once", "[diagnostics][fb]") {
  CHECK(diagnostics("TYPE P : STRUCT x : INT; END_STRUCT; p : STRUCT y : INT; END_STRUCT; END_TYPE\n"
                    "FUNCTION_BLOCK T\nEND_FUNCTION_BLOCK\n"
                    "FUNCTION_BLOCK t\nEND_FUNCTION_BLOCK\n") ==
        Lines{"1:38: error: duplicate data type 'p'",
              "2:16: error: service interface type 'T' has no native implementation registered in this runtime",
              "4:16: error: duplicate FB type 't'"});
}

TEST_CASE("a structure declares a member once", "[diagnostics][declarations]") {
  CHECK(diagnostics("TYPE P : STRUCT x : INT; y : INT; X : BOOL; END_STRUCT; END_TYPE\n") ==
        Lines{"1:35: error: duplicate member 'X' in P"});
}

TEST_CASE("a network declares an FB instance once", "[diagnostics][composite]") {
  CHECK(diagnostics("FUNCTION_BLOCK C\n"
                    "EVENT_INPUT REQ; END_EVENT\n"
                    "FBS\n"
                    "  A : E_SPLIT;\n"
                    "  a : E_MERGE;\n"
                    "END_FBS\n"
                    "EVENT_CONNECTIONS REQ TO A.EI; END_CONNECTIONS\n"
                    "END_FUNCTION_BLOCK\n") == Lines{"5:3: error: duplicate FB instance 'a'"});
}

// ---------------------------------------------------------------- WITH

TEST_CASE("a WITH list names variables of its event's direction, each once", "[diagnostics][fb][with]") {
  CHECK(diagnostics("FUNCTION_BLOCK T\n"
                    "EVENT_INPUT REQ WITH IN1, OUT1, Inn, IN1; END_EVENT\n"
                    "EVENT_OUTPUT CNF WITH IN1, OUT2; END_EVENT\n"
                    "VAR_INPUT IN1 : INT; END_VAR\n"
                    "VAR_OUTPUT OUT1 : INT; END_VAR\n"
                    "EC_STATES S0; END_STATES\n"
                    "END_FUNCTION_BLOCK\n") ==
        Lines{"2:27: error: WITH of event input 'REQ' names 'OUT1', which is an output variable; it must name input "
              "variables",
              "2:33: error: WITH of event input 'REQ' names unknown input variable 'Inn' (did you mean 'IN1'?)",
              "2:38: error: 'IN1' appears twice in the WITH list of REQ",
              "3:23: error: WITH of event output 'CNF' names 'IN1', which is an input variable; it must name output "
              "variables",
              "3:28: error: WITH of event output 'CNF' names unknown output variable 'OUT2' (did you mean 'OUT1'?)"});
}

// ---------------------------------------------------------------- ECC

TEST_CASE("a transition between unknown states names the closest state", "[diagnostics][ecc]") {
  CHECK(diagnostics(ecc("Idle TO Runing := REQ; Running TO Idel := 1; Nowhere TO Idle := 1;")) ==
        Lines{"6:24: error: unknown ECC state 'Runing' (did you mean 'Running'?)",
              "6:50: error: unknown ECC state 'Idel' (did you mean 'Idle'?)",
              "6:61: error: unknown ECC state 'Nowhere'"});
}

TEST_CASE("a transition on an unknown event names the closest event input", "[diagnostics][ecc]") {
  CHECK(diagnostics(ecc("Idle TO Running := RQE; Running TO Idle := STPO[X]; Running TO Idle := CNF;")) ==
        Lines{"6:35: error: unknown event input 'RQE' in the transition Idle TO Running (did you mean 'REQ'?)",
              "6:59: error: unknown event input 'STPO' in the transition Running TO Idle (did you mean 'STOP'?)",
              "6:87: error: 'CNF' in the transition Running TO Idle is an event output; a transition waits for an "
              "event input"});
  // The first operand of Event AND guard, and a lone name that is no variable either.
  CHECK(diagnostics(ecc("Idle TO Running := RQE AND X; Running TO Idle := Enabel; Running TO Idle := Zzz;")) ==
        Lines{"6:35: error: unknown event input 'RQE' in the transition Idle TO Running (did you mean 'REQ'?)",
              "6:65: error: unknown event input or variable 'Enabel' in the transition Running TO Idle (did you mean "
              "'Enable'?)",
              "6:92: error: unknown event input 'Zzz' in the transition Running TO Idle"});
}

TEST_CASE("transition conditions: 1, TRUE, an event, a guard, Event AND guard, Event[guard]", "[diagnostics][ecc]") {
  const std::string src =
      ecc("Idle TO Running := REQ AND X AND Enable; Running TO Idle := STOP[NOT X]; Running TO Idle := STOP; "
          "Running TO Done := N > 2; Done TO Idle := TRUE;",
          "Idle; Running : Run -> CNF; Done;");
  CHECK(diagnostics(src).empty());
  TypeLibrary lib = compiled(src);
  Rig rig({{{"F", "T", {}, ""}}, {}, {}}, {}, lib);
  CHECK(rig.fire("F", "REQ") == Events{});  // X and Enable are FALSE
  rig.var("F", "X") = Value::of_bool(true);
  CHECK(rig.fire("F", "REQ") == Events{});  // Enable is FALSE
  rig.var("F", "Enable") = Value::of_bool(true);
  CHECK(rig.fire("F", "REQ") == Events{"F.CNF"});  // X and Enable: Idle -> Running
  CHECK(rig.fire("F", "STOP") == Events{});        // STOP[NOT X] does not hold, STOP does: Running -> Idle
  CHECK(rig.fire("F", "REQ") == Events{"F.CNF"});
  CHECK(rig.fire("F", "STOP") == Events{});
  rig.var("F", "N") = Value::of_int(3);
  CHECK(rig.fire("F", "REQ") == Events{"F.CNF"});  // then N > 2 and TRUE: Running -> Done -> Idle at once
  CHECK(rig.fire("F", "REQ") == Events{"F.CNF"});  // so REQ finds it in Idle again
}

TEST_CASE("errors in the guard of Event AND guard and Event[guard] are located in the guard", "[diagnostics][ecc]") {
  CHECK(diagnostics(ecc("Idle TO Running := REQ AND Enabled; Running TO Idle := STOP[Enabled AND N];")) ==
        Lines{"6:43: error: unknown variable 'Enabled' (did you mean 'Enable'?)",
              "6:76: error: unknown variable 'Enabled' (did you mean 'Enable'?)"});
  // The guard of REQ AND X AND N is X AND N, where X is.
  CHECK(diagnostics(ecc("Idle TO Running := REQ AND X AND N; Running TO Idle := 1;")) ==
        Lines{"6:43: error: operator AND cannot be applied to BOOL and INT"});
}

TEST_CASE("a transition guard must be BOOL", "[diagnostics][ecc]") {
  CHECK(diagnostics(ecc("Idle TO Running := REQ AND N; Running TO Idle := STOP[N + 1]; Running TO Idle := N;")) ==
        Lines{"6:43: error: type mismatch: cannot use INT as BOOL for a transition condition (use INT_TO_BOOL)",
              "6:70: error: type mismatch: cannot use INT as BOOL for a transition condition (use INT_TO_BOOL)",
              "6:97: error: type mismatch: cannot use INT as BOOL for a transition condition (use INT_TO_BOOL)"});
}

TEST_CASE("an event cannot be negated in a transition condition", "[diagnostics][ecc]") {
  CHECK(diagnostics(ecc("Idle TO Running := NOT REQ; Running TO Idle := X AND NOT STOP;")) ==
        Lines{"6:35: error: event input 'REQ' cannot be negated in the transition Idle TO Running: a transition fires "
              "when an event arrives",
              "6:69: error: event input 'STOP' cannot be negated in the transition Running TO Idle: a transition fires "
              "when an event arrives"});
}

TEST_CASE("an event comes first in a transition condition, not inside its guard", "[diagnostics][ecc]") {
  CHECK(diagnostics(ecc("Idle TO Running := X AND REQ; Running TO Idle := STOP[REQ];")) ==
        Lines{"6:41: error: event input 'REQ' inside the guard of the transition Idle TO Running: a condition is one "
              "event, then a BOOL guard (Event AND guard, or Event[guard])",
              "6:70: error: event input 'REQ' inside the guard of the transition Running TO Idle: a condition is one "
              "event, then a BOOL guard (Event AND guard, or Event[guard])"});
}

TEST_CASE("a state action names a declared algorithm and event output", "[diagnostics][ecc]") {
  CHECK(diagnostics(ecc("Idle TO Running := REQ; Running TO Idle := 1;", "Idle; Running : Rn -> CNFF, -> REQ;")) ==
        Lines{"5:27: error: unknown algorithm 'Rn' in state Running (did you mean 'Run'?)",
              "5:33: error: unknown event output 'CNFF' in state Running (did you mean 'CNF'?)",
              "5:42: error: unknown event output 'REQ' in state Running"});
}

TEST_CASE("an ECC has states", "[diagnostics][ecc]") {
  CHECK(diagnostics("FUNCTION_BLOCK T\nEVENT_INPUT REQ; END_EVENT\nEC_TRANSITIONS S0 TO S1 := REQ; END_TRANSITIONS\n"
                    "END_FUNCTION_BLOCK\n") ==
        Lines{"1:16: error: basic FB type 'T' has an ECC without states (EC_STATES)"});
}

TEST_CASE("unreachable states and unused algorithms are warnings: the file still compiles", "[diagnostics][ecc]") {
  const std::string src = ecc("Idle TO Running := REQ; Running TO Idle := 1; Lost TO Idle := 1;",
                              "Idle; Running : Run -> CNF; Lost;", "ALGORITHM Unused IN ST: END_ALGORITHM");
  CHECK(diagnostics(src) == Lines{"5:39: warning: ECC state 'Lost' is unreachable from the initial state Idle",
                                  "8:11: warning: algorithm 'Unused' is never used"});
  TypeLibrary lib = base_library();
  lang::TypeScope scope;
  Diagnostics d;
  CHECK(lang::compile("t.st", src, lib, scope, d));
  CHECK(d.ok());
  CHECK(lib.find("T"));
}

// ---------------------------------------------------------------- Structured Text

TEST_CASE("assignments only widen: narrowing, REAL to INT, BOOL and STRING need a conversion",
          "[diagnostics][st][types]") {
  CHECK(st_errors("I : INT; D : DINT; R : REAL; B : BOOL; S : STRING; W : WSTRING;",
                  "I := D;\nR := I;\nD := I;\nI := R;\nB := I;\nI := B;\nS := I;\nI := S;\nW := S;") ==
        Lines{"8:6: error: type mismatch: cannot use DINT as INT for 'I' (use DINT_TO_INT)",
              "11:6: error: type mismatch: cannot use REAL as INT for 'I' (use REAL_TO_INT)",
              "12:6: error: type mismatch: cannot use INT as BOOL for 'B' (use INT_TO_BOOL)",
              "13:6: error: type mismatch: cannot use BOOL as INT for 'I' (use BOOL_TO_INT)",
              "14:6: error: type mismatch: cannot use INT as STRING for 'S' (use INT_TO_STRING)",
              "15:6: error: type mismatch: cannot use STRING as INT for 'I' (use STRING_TO_INT)",
              "16:6: error: type mismatch: cannot use STRING as WSTRING for 'W' (use STRING_TO_WSTRING)"});
}

TEST_CASE("an integer literal must fit the type it is used in", "[diagnostics][st][types]") {
  CHECK(st_errors("I : INT; S : SINT; U : UINT;", "I := 40000;\nS := S + 200;\nU := -1;\nI := 32767;") ==
        Lines{"8:6: error: integer literal 40000 does not fit in INT of 'I'",
              "9:6: error: integer literal 200 does not fit in SINT of operator +",
              "10:6: error: integer literal -1 does not fit in UINT of 'U'"});
}

TEST_CASE("an input variable cannot be assigned", "[diagnostics][st]") {
  CHECK(st_errors("A : INT;", "X := 1;\nA := X;", "", "X : INT;") ==
        Lines{"9:1: error: cannot assign to input variable 'X'"});
}

TEST_CASE("a FOR control variable cannot be assigned inside its loop", "[diagnostics][st][loops]") {
  CHECK(st_errors("S : INT;", "FOR I := 1 TO 3 DO\n  I := I + 1;\n  FOR I := 1 TO 2 DO END_FOR;\nEND_FOR;\nI := 0;",
                  "I : INT;") == Lines{"10:3: error: cannot assign to FOR control variable 'I' inside its loop",
                                       "11:7: error: cannot assign to FOR control variable 'I' inside its loop"});
}

TEST_CASE("a FOR with an unusable control variable still has its limits and body checked", "[diagnostics][st][loops]") {
  CHECK(st_errors("A : INT;", "FOR K := 1 TO Nn DO A := Bb; EXIT; END_FOR;\nFOR R := 1 TO 2 DO A := R; END_FOR;",
                  "R : REAL;") ==
        Lines{"9:5: error: unknown variable 'K'", "9:15: error: unknown variable 'Nn'",
              "9:26: error: unknown variable 'Bb'",
              "10:5: error: FOR control variable must be a variable of an integer type",
              "10:25: error: type mismatch: cannot use REAL as INT for 'A' (use REAL_TO_INT)"});
}

TEST_CASE("EXIT is only allowed inside a loop", "[diagnostics][st][loops]") {
  CHECK(st_errors("A : INT;", "A := 1; EXIT;\nWHILE A < 3 DO IF A = 2 THEN EXIT; END_IF; A := A + 1; END_WHILE;") ==
        Lines{"8:9: error: EXIT outside of a loop"});
}

TEST_CASE("an unknown function is reported with the closest standard function", "[diagnostics][st][functions]") {
  CHECK(st_errors("A : INT;", "A := MAXX(1, 2);\nA := Frobnicate(1);\nA := INT_TO_FOO(1);") ==
        Lines{"8:6: error: unknown function 'MAXX' (did you mean 'MAX'?)", "9:6: error: unknown function 'Frobnicate'",
              "10:6: error: unknown conversion function 'INT_TO_FOO'"});
}

TEST_CASE("a function call gives the number of arguments the function takes", "[diagnostics][st][functions]") {
  CHECK(st_errors("A : INT;", "A := LIMIT(1, 2);\nA := ABS(1, 2);\nA := MIN(1);\nA := INT_TO_SINT(1, 2);") ==
        Lines{"8:6: error: function LIMIT takes 3 arguments, 2 given",
              "9:6: error: function ABS takes 1 argument, 2 given",
              "10:6: error: function MIN takes at least 2 arguments, 1 given",
              "11:6: error: function INT_TO_SINT takes 1 argument, 2 given"});
}

TEST_CASE("a formal argument names a parameter of the function, once", "[diagnostics][st][functions]") {
  CHECK(
      st_errors("A : INT;", "A := LIMIT(MN := 0, IN := 5, MAXIMUM := 10);\nA := LIMIT(MN := 0, MN := 5, MX := 10);") ==
      Lines{"8:41: error: function LIMIT has no parameter 'MAXIMUM'", "9:27: error: parameter 'MN' given twice"});
}

TEST_CASE("IF, WHILE and REPEAT conditions must be BOOL", "[diagnostics][st][types]") {
  CHECK(st_errors(
            "A : INT;",
            "IF A THEN A := 1; ELSIF A + 1 THEN A := 2; END_IF;\nWHILE A DO END_WHILE;\nREPEAT UNTIL 1 END_REPEAT;") ==
        Lines{"8:4: error: type mismatch: cannot use INT as BOOL for an IF condition (use INT_TO_BOOL)",
              "8:25: error: type mismatch: cannot use INT as BOOL for an IF condition (use INT_TO_BOOL)",
              "9:7: error: type mismatch: cannot use INT as BOOL for a WHILE condition (use INT_TO_BOOL)",
              "10:14: error: type mismatch: cannot use an integer literal as BOOL for a REPEAT condition"});
}

TEST_CASE("CASE labels are constants that do not overlap", "[diagnostics][st][case]") {
  CHECK(st_errors("A : INT; B : INT; S : SINT;",
                  "CASE A OF\n  1..5: B := 1;\n  3, 7: B := 2;\n  B: B := 3;\n  7: B := 4;\nEND_CASE;\n"
                  "CASE S OF 300: B := 1; END_CASE;") ==
        Lines{"10:3: error: CASE label 3 overlaps an earlier label",
              "11:3: error: CASE label must be an integer constant",
              "12:3: error: CASE label 7 overlaps an earlier label",
              "14:11: error: CASE label 300 is out of the range of SINT"});
}

TEST_CASE("constant array indices are checked against the bounds", "[diagnostics][st][arrays]") {
  CHECK(st_errors("A : INT;", "V[4] := 1;\nA := V[-1];\nA := V[1.5];", "V : ARRAY[0..3] OF INT;") ==
        Lines{"9:3: error: index 4 is out of the bounds of ARRAY[0..3] OF INT",
              "10:8: error: index -1 is out of the bounds of ARRAY[0..3] OF INT",
              "11:8: error: array index must be an integer, not a REAL literal"});
}

TEST_CASE("only arrays are indexed and only structures have members", "[diagnostics][st][struct]") {
  CHECK(diagnostics("TYPE Point : STRUCT x : INT; y : INT; END_STRUCT; END_TYPE\n" +
                    fb_with("A : INT;", "A[0] := 1;\nP.z := 1;\nA := P.xx;\nA.x := 1;", "P : Point;")) ==
        Lines{"10:1: error: 'A' is not an array (it is INT)", "11:1: error: structure Point has no member 'z'",
              "12:6: error: structure Point has no member 'xx' (did you mean 'x'?)",
              "13:1: error: 'A' is not a structure (it is INT)"});
}

TEST_CASE("a whole array selected by a variable index is reported where it is read or written",
          "[diagnostics][st][arrays]") {
  CHECK(diagnostics("TYPE Bag : STRUCT a : ARRAY[0..1] OF INT; END_STRUCT; END_TYPE\n" +
                    fb_with("L : INT;", "A := Bags[I].a;\nBags[I].a := A;\nL := Bags[I].a[1];",
                            "Bags : ARRAY[0..2] OF Bag; A : ARRAY[0..1] OF INT; I : INT;")) ==
        Lines{"10:6: error: reading a whole array selected by a variable index is not supported",
              "11:1: error: assigning a whole array selected by a variable index is not supported"});
}

TEST_CASE("SEL and MUX of STRINGs are reported at the call", "[diagnostics][st][functions]") {
  CHECK(st_errors("S : STRING;", "S := SEL(TRUE, 'a', 'b');\nS := MUX(1, 'a', 'b');") ==
        Lines{"8:6: error: selecting STRINGs, arrays or structures is not supported",
              "9:6: error: selecting STRINGs, arrays or structures is not supported"});
}

// ---------------------------------------------------------------- service interfaces

TEST_CASE("a service interface type must match its native type", "[diagnostics][service]") {
  CHECK(diagnostics("FUNCTION_BLOCK E_DELAY\n"
                    "EVENT_INPUT START WITH DT; STOPP; END_EVENT\n"
                    "EVENT_OUTPUT EO; END_EVENT\n"
                    "VAR_INPUT DT : INT; END_VAR\n"
                    "END_FUNCTION_BLOCK\n") ==
        Lines{"2:28: error: event input 2 of E_DELAY is 'STOP' in the native type, not 'STOPP'",
              "4:11: error: input variable 1 of E_DELAY is 'DT : TIME' in the native type, not 'DT : INT'"});
  CHECK(diagnostics("FUNCTION_BLOCK E_DELAY\n"
                    "EVENT_INPUT START WITH DT; STOP; END_EVENT\n"
                    "EVENT_OUTPUT EO; END_EVENT\n"
                    "VAR_INPUT DT : TIME; PT : TIME; END_VAR\n"
                    "END_FUNCTION_BLOCK\n") ==
        Lines{"4:22: error: E_DELAY declares 2 input variables; the native type has 1"});
  CHECK(diagnostics("FUNCTION_BLOCK E_DELAY\n"
                    "EVENT_INPUT START; STOP; END_EVENT\n"
                    "EVENT_OUTPUT EO; END_EVENT\n"
                    "VAR_INPUT DT : TIME; END_VAR\n"
                    "END_FUNCTION_BLOCK\n") ==
        Lines{"2:13: error: event input 1 of E_DELAY is 'START WITH DT' in the native type, not 'START'"});
  CHECK(diagnostics("FUNCTION_BLOCK E_TABLE\n"
                    "EVENT_INPUT START WITH DT, N; STOP; END_EVENT\n"
                    "EVENT_OUTPUT EO WITH CV; END_EVENT\n"
                    "VAR_INPUT DT : TIME; N : UINT; END_VAR\n"
                    "VAR_OUTPUT CV : UINT; END_VAR\n"
                    "END_FUNCTION_BLOCK\n") == Lines{"4:11: error: input variable 1 of E_TABLE is 'DT : ARRAY[0..3] OF "
                                                     "TIME' in the native type, not 'DT : TIME'"});
}

TEST_CASE("a service interface type needs a native implementation", "[diagnostics][service]") {
  CHECK(diagnostics("FUNCTION_BLOCK MY_SIFB\nEVENT_INPUT REQ; END_EVENT\nEND_FUNCTION_BLOCK\n") ==
        Lines{"1:16: error: service interface type 'MY_SIFB' has no native implementation registered in this runtime"});
}

// ---------------------------------------------------------------- composites

TEST_CASE("errors in a composite's network are reported where they are written", "[diagnostics][composite]") {
  CHECK(diagnostics("FUNCTION_BLOCK C\n"
                    "EVENT_INPUT REQ WITH N; END_EVENT\n"
                    "EVENT_OUTPUT CNF; END_EVENT\n"
                    "VAR_INPUT N : INT; END_VAR\n"
                    "FBS\n"
                    "  D : E_DELAYY;\n"
                    "  S : E_SPLIT;\n"
                    "  P : E_PERMIT := (PERMITT := TRUE);\n"
                    "END_FBS\n"
                    "EVENT_CONNECTIONS\n"
                    "  REQ TO S.EII;\n"
                    "  S.EO1 TO CNF;\n"
                    "  S.EO2 TO CNFF;\n"
                    "END_CONNECTIONS\n"
                    "DATA_CONNECTIONS\n"
                    "  N TO P.PERMIT;\n"
                    "END_CONNECTIONS\n"
                    "END_FUNCTION_BLOCK\n") == Lines{"6:3: error: unknown FB type 'E_DELAYY' for instance 'D'",
                                                     "8:3: error: 'P' (E_PERMIT) has no data input 'PERMITT'",
                                                     "11:3: error: 'S.EII' is not an event input",
                                                     "13:3: error: composite 'C' has no event port 'CNFF'",
                                                     "16:3: error: type mismatch: N is INT but P.PERMIT is BOOL"});
}

TEST_CASE("an error of a composite used by another is reported once", "[diagnostics][composite]") {
  CHECK(diagnostics("FUNCTION_BLOCK Inner\n"
                    "EVENT_INPUT REQ; END_EVENT\n"
                    "FBS S : E_SPLIT; END_FBS\n"
                    "EVENT_CONNECTIONS REQ TO S.EII; END_CONNECTIONS\n"
                    "END_FUNCTION_BLOCK\n"
                    "FUNCTION_BLOCK Outer\n"
                    "EVENT_INPUT REQ; END_EVENT\n"
                    "FBS I : Inner; END_FBS\n"
                    "EVENT_CONNECTIONS REQ TO I.REQ; END_CONNECTIONS\n"
                    "END_FUNCTION_BLOCK\n") == Lines{"4:19: error: 'S.EII' is not an event input"});
}

TEST_CASE("a composite that uses a type with errors reports only that type's errors", "[diagnostics][composite]") {
  CHECK(diagnostics("FUNCTION_BLOCK Inner\n"
                    "EVENT_INPUT REQ; END_EVENT\n"
                    "EC_STATES S0; S1 : Run; END_STATES\n"
                    "EC_TRANSITIONS S0 TO S1 := REQ; S1 TO S0 := 1; END_TRANSITIONS\n"
                    "ALGORITHM Run IN ST: Nothing := 1; END_ALGORITHM\n"
                    "END_FUNCTION_BLOCK\n"
                    "FUNCTION_BLOCK Outer\n"
                    "EVENT_INPUT REQ; END_EVENT\n"
                    "FBS I : Inner; END_FBS\n"
                    "EVENT_CONNECTIONS REQ TO I.REQ; END_CONNECTIONS\n"
                    "END_FUNCTION_BLOCK\n") == Lines{"5:22: error: unknown variable 'Nothing'"});
}

TEST_CASE("a composite type that contains itself is reported at its name", "[diagnostics][composite]") {
  CHECK(diagnostics("FUNCTION_BLOCK A\nEVENT_INPUT REQ; END_EVENT\nFBS B1 : B; END_FBS\nEND_FUNCTION_BLOCK\n"
                    "FUNCTION_BLOCK B\nEVENT_INPUT REQ; END_EVENT\nFBS A1 : A; END_FBS\nEND_FUNCTION_BLOCK\n") ==
        Lines{"1:16: error: composite type A contains itself: A -> B -> A",
              "5:16: error: composite type B contains itself: B -> A -> B"});
}

// ---------------------------------------------------------------- systems

namespace {

// A system of one application (FBs A: E_SPLIT, B: E_MERGE) on device D.
std::string system(const std::string& resources, const std::string& mappings) {
  return "SYSTEM Sys\n"                                         // 1
         "APPLICATION App\n"                                    // 2
         "FBS A : E_SPLIT; B : E_MERGE; END_FBS\n"              // 3
         "EVENT_CONNECTIONS A.EO1 TO B.EI1; END_CONNECTIONS\n"  // 4
         "END_APPLICATION\n"                                    // 5
         "DEVICE D : PLC_DEVICE\n" +                            // 6
         resources +                                            // 7..
         "END_DEVICE\n"
         "MAPPING\n" +
         mappings +
         "END_MAPPING\n"
         "END_SYSTEM\n";
}

}  // namespace

TEST_CASE("a system maps every application FB once, onto a declared resource", "[diagnostics][system]") {
  const std::string r = "  RESOURCE R1 : EMB_RES END_RESOURCE\n  RESOURCE R2 : EMB_RES END_RESOURCE\n";
  CHECK(diagnostics(system(r, "  App.A ON D.R1;\n  App.A ON D.R2;\n")) ==
        Lines{"3:18: error: FB 'B' of application App is not mapped to any resource",
              "12:3: error: FB 'A' is mapped twice"});
  CHECK(diagnostics(system(r, "  App.A ON D.R1;\n  App.AB ON D.R1;\n  App.B ON D.R3;\n  Ap.B ON D.R1;\n")) ==
        Lines{"3:18: error: FB 'B' of application App is not mapped to any resource",
              "12:3: error: unknown FB 'AB' in MAPPING (did you mean 'A'?)",
              "13:3: error: unknown resource 'D.R3' in MAPPING (write Device.Resource) (did you mean 'D.R1'?)",
              "14:3: error: unknown application 'Ap' in the mapping of Ap.B"});
}

TEST_CASE("resource parameters are known options with valid values", "[diagnostics][system]") {
  CHECK(
      diagnostics(system("  RESOURCE R1 : EMB_RES := (queue_capacty := 16, event_budget := 0, payload_capacity := x)\n"
                         "  END_RESOURCE\n",
                         "  App.A ON D.R1;\n  App.B ON D.R1;\n")) ==
      Lines{"7:29: error: unknown resource parameter 'queue_capacty' (did you mean 'queue_capacity'?)",
            "7:50: error: invalid value '0' for event_budget (1..4294967295)",
            "7:69: error: invalid value 'x' for payload_capacity (1..67108864)"});
}

TEST_CASE("FB names are unique across the applications and resources of a system", "[diagnostics][system]") {
  CHECK(diagnostics("SYSTEM Sys\n"
                    "APPLICATION App1 FBS A : E_SPLIT; END_FBS END_APPLICATION\n"
                    "APPLICATION App2 FBS a : E_MERGE; END_FBS END_APPLICATION\n"
                    "DEVICE D : PLC_DEVICE RESOURCE R : EMB_RES FBS A : E_SR; END_FBS END_RESOURCE END_DEVICE\n"
                    "MAPPING App1.A ON D.R; END_MAPPING\n"
                    "END_SYSTEM\n") ==
        Lines{"3:22: error: FB 'a' of application App2 has the same name as an FB of application App1",
              "4:48: error: FB 'A' of resource D.R has the same name as another FB of the system"});
}

TEST_CASE("network errors of a system are reported even when its mapping is wrong", "[diagnostics][system]") {
  CHECK(diagnostics("SYSTEM Sys\n"
                    "APPLICATION App\n"
                    "FBS A : E_SPLITT; B : E_MERGE; END_FBS\n"
                    "EVENT_CONNECTIONS B.EO TO B.EI3; END_CONNECTIONS\n"
                    "END_APPLICATION\n"
                    "DEVICE D : PLC_DEVICE RESOURCE R : EMB_RES END_RESOURCE END_DEVICE\n"
                    "MAPPING App.A ON D.R; END_MAPPING\n"
                    "END_SYSTEM\n") == Lines{"3:5: error: unknown FB type 'E_SPLITT' for instance 'A'",
                                             "3:19: error: FB 'B' of application App is not mapped to any resource",
                                             "4:19: error: 'B.EI3' is not an event input"});
}

// ---------------------------------------------------------------- whole files

TEST_CASE("every error of a file is reported, in the order of the file", "[diagnostics]") {
  const std::string src =
      "TYPE P : STRUCT x : INTT; END_STRUCT; END_TYPE\n"                        // 1
      "FUNCTION_BLOCK T\n"                                                      // 2
      "EVENT_INPUT REQ WITH Y; END_EVENT\n"                                     // 3
      "EVENT_OUTPUT CNF; END_EVENT\n"                                           // 4
      "VAR_INPUT X : INT; Z : BOOL := 5; END_VAR\n"                             // 5
      "VAR_OUTPUT Q : BOOL; END_VAR\n"                                          // 6
      "EC_STATES S0; S1 : Run -> CNFF; END_STATES\n"                            // 7
      "EC_TRANSITIONS S0 TO S1 := RQE; S1 TO S2 := 1; END_TRANSITIONS\n"        // 8
      "ALGORITHM Run IN ST:\n"                                                  // 9
      "  Q := X;\n"                                                             // 10
      "  X := 1;\n"                                                             // 11
      "  EXIT;\n"                                                               // 12
      "  Q := ABS(Q, Q);\n"                                                     // 13
      "  IF X THEN Q := Qq; END_IF;\n"                                          // 14
      "END_ALGORITHM\n"                                                         // 15
      "END_FUNCTION_BLOCK\n"                                                    // 16
      "FUNCTION_BLOCK E_DELAY\n"                                                // 17
      "EVENT_INPUT START WITH DT; STOP; END_EVENT\n"                            // 18
      "EVENT_OUTPUT EO; END_EVENT\n"                                            // 19
      "VAR_INPUT DT : LREAL; END_VAR\n"                                         // 20
      "END_FUNCTION_BLOCK\n"                                                    // 21
      "FUNCTION_BLOCK C\n"                                                      // 22
      "EVENT_INPUT REQ; END_EVENT\n"                                            // 23
      "FBS D : E_DELAYY; END_FBS\n"                                             // 24
      "EVENT_CONNECTIONS REQ TO D.START; END_CONNECTIONS\n"                     // 25
      "END_FUNCTION_BLOCK\n"                                                    // 26
      "SYSTEM S\n"                                                              // 27
      "APPLICATION A\n"                                                         // 28
      "FBS M : E_MERGE; N : E_SPLIT; END_FBS\n"                                 // 29
      "END_APPLICATION\n"                                                       // 30
      "DEVICE Dev : PLC_DEVICE RESOURCE R : EMB_RES END_RESOURCE END_DEVICE\n"  // 31
      "MAPPING A.M ON Dev.R; END_MAPPING\n"                                     // 32
      "END_SYSTEM\n";                                                           // 33
  CHECK(diagnostics(src) ==
        Lines{"1:21: error: unknown data type 'INTT' (did you mean 'INT'?)",
              "3:22: error: WITH of event input 'REQ' names unknown input variable 'Y'",
              "5:32: error: invalid initial value '5' for 'Z' of type BOOL",
              "7:27: error: unknown event output 'CNFF' in state S1 (did you mean 'CNF'?)",
              "8:28: error: unknown event input 'RQE' in the transition S0 TO S1 (did you mean 'REQ'?)",
              "8:39: error: unknown ECC state 'S2' (did you mean 'S0'?)",
              "10:8: error: type mismatch: cannot use INT as BOOL for 'Q' (use INT_TO_BOOL)",
              "11:3: error: cannot assign to input variable 'X'", "12:3: error: EXIT outside of a loop",
              "13:8: error: function ABS takes 1 argument, 2 given",
              "14:6: error: type mismatch: cannot use INT as BOOL for an IF condition (use INT_TO_BOOL)",
              "14:18: error: unknown variable 'Qq' (did you mean 'Q'?)",
              "20:11: error: input variable 1 of E_DELAY is 'DT : TIME' in the native type, not 'DT : LREAL'",
              "24:5: error: unknown FB type 'E_DELAYY' for instance 'D'",
              "29:18: error: FB 'N' of application A is not mapped to any resource"});
}

TEST_CASE("a file with errors adds nothing to the library", "[diagnostics]") {
  TypeLibrary lib = compiled(fb_with("A : INT;", "A := A + 1;"));
  lang::TypeScope scope;
  Diagnostics d;
  const std::string bad =
      "TYPE Q : STRUCT x : INT; END_STRUCT; END_TYPE\n" + fb_with("A : INT;", "A := A + 2; B := 1;") +
      "FUNCTION_BLOCK U\nEVENT_INPUT REQ; END_EVENT\nEC_STATES S0; END_STATES\nEND_FUNCTION_BLOCK\n";
  CHECK_FALSE(lang::compile("t.st", bad, lib, scope, d));
  CHECK(d.str() == "t.st:9:13: error: unknown variable 'B'\n");
  CHECK_FALSE(lib.find("U"));
  CHECK_FALSE(scope.find("Q"));
  // The T compiled before still counts by one.
  Rig rig({{{"X", "T", {}, ""}}, {}, {}}, {}, lib);
  CHECK(rig.fire("X", "REQ") == Events{"X.CNF"});
  CHECK(rig.var("X", "A").i == 1);
}

// ---------------------------------------------------------------- simple FBs

TEST_CASE("a simple FB runs the algorithm named after each event input, then emits its event output",
          "[diagnostics][simple]") {
  const std::string src =
      "FUNCTION_BLOCK Acc\n"
      "EVENT_INPUT ADD WITH IN; CLEAR; END_EVENT\n"
      "EVENT_OUTPUT ADDO WITH SUM; CLEARO WITH SUM; END_EVENT\n"
      "VAR_INPUT IN : INT; END_VAR\n"
      "VAR_OUTPUT SUM : INT; END_VAR\n"
      "ALGORITHM ADD IN ST: SUM := SUM + IN; END_ALGORITHM\n"
      "ALGORITHM Clear IN ST: SUM := 0; END_ALGORITHM\n"
      "END_FUNCTION_BLOCK\n";
  CHECK(diagnostics(src).empty());
  TypeLibrary lib = compiled(src);
  Rig rig({{{"F", "Acc", {}, ""}}, {}, {}}, {}, lib);
  rig.var("F", "IN") = Value::of_int(5);
  CHECK(rig.fire("F", "ADD") == Events{"F.ADDO(SUM=5)"});
  rig.var("F", "IN") = Value::of_int(-2);
  CHECK(rig.fire("F", "ADD") == Events{"F.ADDO(SUM=3)"});
  CHECK(rig.fire("F", "CLEAR") == Events{"F.CLEARO(SUM=0)"});
}

TEST_CASE("an algorithm of a simple FB named after no event input is a warning", "[diagnostics][simple]") {
  CHECK(diagnostics("FUNCTION_BLOCK S\n"
                    "EVENT_INPUT REQ; END_EVENT\n"
                    "EVENT_OUTPUT CNF; END_EVENT\n"
                    "VAR_OUTPUT A : INT; END_VAR\n"
                    "ALGORITHM REQ IN ST: A := A + 1; END_ALGORITHM\n"
                    "ALGORITHM Other IN ST: A := 0; END_ALGORITHM\n"
                    "END_FUNCTION_BLOCK\n") ==
        Lines{"6:11: warning: algorithm 'Other' of simple FB S is named after no event input, so it never runs"});
}
