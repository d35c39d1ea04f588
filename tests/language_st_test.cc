// Structured Text compiled and executed: every construct with exact values
// (st_compiler.h has the typing rules these tests pin down).
#include "runtime/ecc.h"
#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("assignments and the standard precedence of operators", "[st][expressions]") {
  StRun r("A : INT; B : INT; C : BOOL; D : LREAL; E : DINT;",
          "A := 2 + 3 * 4; B := (2 + 3) * 4; C := 1 + 1 = 2 AND NOT FALSE; D := 2 ** 3 ** 2; E := 17 MOD 5 - 7 / 2;");
  CHECK(r.run().empty());
  CHECK(r["A"] == "14");
  CHECK(r["B"] == "20");
  CHECK(r["C"] == "TRUE");
  CHECK(r["D"] == "64");  // ** is left-associative: (2 ** 3) ** 2
  CHECK(r["E"] == "-1");  // 2 - 3
}

TEST_CASE("integer arithmetic wraps modulo 2^n of its type", "[st][overflow]") {
  StRun r("I : INT := 32767; U : USINT := 250; S : SINT := -128; W : UDINT;",
          "I := I + 1; U := U + 10; S := -S; W := 16#FFFF_FFFF; W := W + 1;");
  CHECK(r.run().empty());
  CHECK(r["I"] == "-32768");
  CHECK(r["U"] == "4");
  CHECK(r["S"] == "-128");
  CHECK(r["W"] == "0");
}

TEST_CASE("integer division by zero is a run-time fault that keeps earlier effects", "[st][faults]") {
  StRun r("A : INT; B : INT; Z : INT;", "A := 1; B := 10 / Z; A := 2;");
  auto faults = r.run();
  REQUIRE(faults.size() == 1);
  CHECK(faults[0] == "X/Run: integer division by zero");
  CHECK(r["A"] == "1");
  CHECK(r["B"] == "0");
}

TEST_CASE("implicit conversions widen, REAL arithmetic rounds to float", "[st][types]") {
  StRun r("D : DINT; L : LREAL; R : REAL; W : DWORD;",
          "D := INT#-5 + USINT#200; L := DINT#7 / 2.0; R := 0.1; W := BYTE#16#0F OR WORD#16#F000;");
  CHECK(r.run().empty());
  CHECK(r["D"] == "195");
  CHECK(r["L"] == "3.5");
  CHECK(r["R"] == "0.10000000149011612");
  CHECK(r["W"] == "61455");
}

TEST_CASE("IF, ELSIF and ELSE take the first branch whose condition holds", "[st][statements]") {
  for (auto [x, want] : {std::pair{1, "10"}, {2, "20"}, {3, "30"}}) {
    StRun r("Y : INT;", "IF X = 1 THEN Y := 10; ELSIF X = 2 THEN Y := 20; ELSE Y := 30; END_IF;",
            "X : INT := " + std::to_string(x) + ";");
    CHECK(r.run().empty());
    CHECK(r["Y"] == want);
  }
}

TEST_CASE("CASE selects by single values, lists and ranges, else ELSE", "[st][statements]") {
  const std::string body = "CASE X OF 1: Y := 10; 2, 3: Y := 23; 5..7: Y := 57; -3: Y := -3; ELSE Y := 99; END_CASE;";
  for (auto [x, want] : {std::pair{1, "10"}, {3, "23"}, {6, "57"}, {-3, "-3"}, {4, "99"}, {8, "99"}}) {
    StRun r("Y : INT;", body, "X : INT := " + std::to_string(x) + ";");
    CHECK(r.run().empty());
    CHECK(r["Y"] == want);
  }
}

TEST_CASE("FOR counts up and down by a step, including the limit", "[st][loops]") {
  StRun r("S : INT; N : INT; D : INT;",
          "FOR I := 1 TO 10 DO S := S + I; END_FOR; FOR I := 10 TO 1 BY -3 DO N := N + 1; D := I; END_FOR;",
          "I : INT;");
  CHECK(r.run().empty());
  CHECK(r["S"] == "55");
  CHECK(r["N"] == "4");  // 10, 7, 4, 1
  CHECK(r["D"] == "1");
}

TEST_CASE("FOR up to the largest value of its type ends", "[st][loops]") {
  StRun r("N : UINT;", "FOR I := 250 TO 255 DO N := N + 1; END_FOR;", "I : USINT;");
  CHECK(r.run().empty());
  CHECK(r["N"] == "6");
}

TEST_CASE("WHILE, REPEAT and EXIT", "[st][loops]") {
  StRun r("A : INT; B : INT; C : INT;",
          "WHILE A < 5 DO A := A + 1; END_WHILE;"
          "REPEAT B := B + 2; UNTIL B >= 7 END_REPEAT;"
          "WHILE TRUE DO C := C + 1; IF C = 3 THEN EXIT; END_IF; END_WHILE;");
  CHECK(r.run().empty());
  CHECK(r["A"] == "5");
  CHECK(r["B"] == "8");
  CHECK(r["C"] == "3");
}

TEST_CASE("RETURN ends the algorithm", "[st][statements]") {
  StRun r("A : INT;", "A := 1; RETURN; A := 2;");
  CHECK(r.run().empty());
  CHECK(r["A"] == "1");
}

TEST_CASE("an endless loop is stopped by the instruction budget and reported", "[st][faults]") {
  StRun r("A : INT;", "WHILE TRUE DO A := A + 1; END_WHILE;");
  auto faults = r.run();
  REQUIRE(faults.size() == 1);
  CHECK(faults[0] == "X/Run: instruction budget exceeded");
}

TEST_CASE("arrays with any lower bound, and bounds checked at run time", "[st][arrays]") {
  StRun r("S : INT; T : INT;", "FOR I := 1 TO 4 DO V[I] := I * I; END_FOR; S := V[1] + V[4]; T := V[I + 10];",
          "V : ARRAY[1..4] OF INT; I : INT;");
  auto faults = r.run();
  CHECK(r["S"] == "17");
  CHECK(r.at("V", 2) == "9");
  REQUIRE(faults.size() == 1);
  CHECK(faults[0] == "X/Run: array index out of bounds");
}

TEST_CASE("array initial values and whole-array assignment", "[st][arrays]") {
  StRun r("B : ARRAY[0..2] OF INT;", "B := A; B[0] := B[0] + 100;", "A : ARRAY[0..2] OF INT := [1, 2, 3];");
  CHECK(r.run().empty());
  CHECK(r.at("B", 0) == "101");
  CHECK(r.at("B", 2) == "3");
  CHECK(r.at("A", 0) == "1");
}

TEST_CASE("structures: members read and written, in arrays too", "[st][struct]") {
  const std::string src = "TYPE Point : STRUCT x : INT; y : INT := 5; END_STRUCT; END_TYPE\n" +
                          fb_with("S : INT;", "P.x := 3; Q[1].y := P.x + P.y; I := 1; S := Q[I].y + Q[0].y;",
                                  "P : Point; Q : ARRAY[0..1] OF Point; I : INT;");
  TypeLibrary lib = compiled(src);
  Rig rig({{{"X", "T", {}, ""}}, {}, {}}, {}, lib);
  rig.fire("X", "REQ");
  CHECK(rig.rec->faults.empty());
  CHECK(rig.var("X", "S").i == 13);  // 8 + 5
}

TEST_CASE("string functions", "[st][strings]") {
  StRun r(
      "L : INT; A : STRING; B : STRING; C : STRING; D : STRING; E : STRING; F : INT; G : STRING[5]; H : BOOL; K : "
      "STRING;",
      "S := 'Hello'; L := LEN(S); A := CONCAT(S, ', world'); B := LEFT(S, 2); C := RIGHT(S, 3);"
      "D := MID(S, 2, 2); E := REPLACE(S, 'J', 1, 1); F := FIND(A, 'wor'); G := A;"
      "H := S < 'Help' AND S = 'Hello'; K := INSERT(DELETE(S, 2, 2), 'y', 2);",
      "S : STRING;");
  CHECK(r.run().empty());
  CHECK(r["L"] == "5");
  CHECK(r["A"] == "Hello, world");
  CHECK(r["B"] == "He");
  CHECK(r["C"] == "llo");
  CHECK(r["D"] == "el");
  CHECK(r["E"] == "Jello");
  CHECK(r["F"] == "8");
  CHECK(r["G"] == "Hello");  // cut at the capacity
  CHECK(r["H"] == "TRUE");
  CHECK(r["K"] == "Hlyo");  // DELETE('Hello', 2, 2) = 'Hlo', then 'y' after the 2nd character
}

TEST_CASE("numeric and selection functions", "[st][functions]") {
  StRun r("A : INT; B : INT; C : INT; D : INT; E : LREAL; F : INT; G : INT; H : LREAL; K : DINT; M : INT;",
          "A := ABS(-7); B := MIN(4, 2, 9); C := MAX(4, 2, 9); D := LIMIT(0, 15, 10); E := SQRT(16.0);"
          "F := SEL(TRUE, 1, 2); G := MUX(2, 10, 20, 30); H := EXPT(2.0, 10); K := TRUNC(-2.7); M := MUX(5, 1, 2);");
  auto faults = r.run();
  CHECK(r["A"] == "7");
  CHECK(r["B"] == "2");
  CHECK(r["C"] == "9");
  CHECK(r["D"] == "10");
  CHECK(r["E"] == "4");
  CHECK(r["F"] == "2");
  CHECK(r["G"] == "30");
  CHECK(r["H"] == "1024");
  CHECK(r["K"] == "-2");
  REQUIRE(faults.size() == 1);  // MUX selector 5 of 2 inputs
  CHECK(faults[0] == "X/Run: array index out of bounds");
}

TEST_CASE("bit shifts and rotations work within the width of the type", "[st][functions]") {
  StRun r("A : BYTE; B : BYTE; C : BYTE; D : WORD; E : BYTE;",
          "A := SHL(BYTE#16#81, 1); B := SHR(BYTE#16#81, 1); C := ROL(BYTE#16#81, 1); D := ROR(WORD#1, 1); E := NOT "
          "BYTE#16#0F;");
  CHECK(r.run().empty());
  CHECK(r["A"] == "2");
  CHECK(r["B"] == "64");
  CHECK(r["C"] == "3");
  CHECK(r["D"] == "32768");
  CHECK(r["E"] == "240");
}

TEST_CASE("explicit conversions: narrowing keeps low bits, REAL rounds, TRUNC truncates", "[st][conversions]") {
  StRun r("A : SINT; B : INT; C : INT; D : REAL; E : BOOL; F : DINT; G : TIME; H : STRING; K : INT; M : UINT;",
          "A := INT_TO_SINT(300); B := REAL_TO_INT(2.5); C := LREAL_TO_INT(-2.5); D := INT_TO_REAL(3);"
          "E := INT_TO_BOOL(2); F := TIME_TO_DINT(T#1s500ms); G := DINT_TO_TIME(250); H := INT_TO_STRING(-42);"
          "K := STRING_TO_INT('123'); M := TO_UINT(DINT#65537);");
  CHECK(r.run().empty());
  CHECK(r["A"] == "44");
  CHECK(r["B"] == "3");
  CHECK(r["C"] == "-3");
  CHECK(r["D"] == "3");
  CHECK(r["E"] == "TRUE");
  CHECK(r["F"] == "1500");
  CHECK(r["G"] == "T#250ms");
  CHECK(r["H"] == "-42");
  CHECK(r["K"] == "123");
  CHECK(r["M"] == "1");
}

TEST_CASE("a STRING that is no number faults its conversion", "[st][conversions][faults]") {
  StRun r("K : INT;", "K := STRING_TO_INT(S);", "S : STRING := 'x1';");
  auto faults = r.run();
  REQUIRE(faults.size() == 1);
  CHECK(faults[0] == "X/Run: STRING conversion of a text that is no literal of the type");
}

TEST_CASE("TIME arithmetic and literals", "[st][time]") {
  StRun r("A : TIME; B : TIME; C : BOOL; D : TIME; E : TOD;",
          "A := T#1s + T#500ms; B := A * 2; C := A > T#1s; D := TIME#-2m / 4; E := TOD#12:00:00 + T#1h30m;");
  CHECK(r.run().empty());
  CHECK(r["A"] == "T#1s500ms");
  CHECK(r["B"] == "T#3s");
  CHECK(r["C"] == "TRUE");
  CHECK(r["D"] == "T#-30s");
  CHECK(r["E"] == "TOD#13:30:00.000000000");
}

TEST_CASE("literal forms: based, typed, with underscores, booleans", "[st][literals]") {
  StRun r("A : DINT; B : WORD; C : INT; D : BOOL; E : LREAL; F : DINT;",
          "A := 1_000_000; B := 16#AFFE; C := INT#-5 + 2#101 + 8#17; D := BOOL#1; E := 1.5E3; F := -16#10;");
  CHECK(r.run().empty());
  CHECK(r["A"] == "1000000");
  CHECK(r["B"] == "45054");
  CHECK(r["C"] == "15");
  CHECK(r["D"] == "TRUE");
  CHECK(r["E"] == "1500");
  CHECK(r["F"] == "-16");
}

TEST_CASE("keywords and identifiers are case-insensitive", "[st][syntax]") {
  StRun r("Total : INT;", "if TRUE then total := TOTAL + 1; end_if; For i := 1 to 2 do Total := total + I; END_for;",
          "I : INT;");
  CHECK(r.run().empty());
  CHECK(r["Total"] == "4");
}

TEST_CASE("comments of both kinds are ignored", "[st][syntax]") {
  StRun r("A : INT;", "(* a (* nested *) comment *) A := 1; // to the end of the line\n A := A + 1;");
  CHECK(r.run().empty());
  CHECK(r["A"] == "2");
}

TEST_CASE("VAR_TEMP variables start from their initial value at every run", "[st][variables]") {
  const std::string src =
      "FUNCTION_BLOCK T\nEVENT_INPUT REQ; END_EVENT\nEVENT_OUTPUT CNF; END_EVENT\nVAR_OUTPUT A : INT; END_VAR\n"
      "EC_STATES S0; S1 : Run -> CNF; END_STATES\nEC_TRANSITIONS S0 TO S1 := REQ; S1 TO S0 := 1; END_TRANSITIONS\n"
      "ALGORITHM Run IN ST: VAR_TEMP t : INT := 5; END_VAR t := t + 1; A := A + t; END_ALGORITHM\nEND_FUNCTION_BLOCK\n";
  TypeLibrary lib = compiled(src);
  Rig rig({{{"X", "T", {}, ""}}, {}, {}}, {}, lib);
  rig.fire("X", "REQ");
  rig.fire("X", "REQ");
  CHECK(rig.var("X", "A").i == 12);
}

TEST_CASE("a guard is compiled to the bare slot test when it reads one BOOL", "[st][ecc]") {
  TypeLibrary lib = compiled(repo_file("fblocks/voter.st"));
  const FbType* voter = lib.find("VOTER");
  REQUIRE(voter);
  REQUIRE(voter->ecc);
  int simplified = 0;
  for (const auto& t : voter->ecc->transitions) simplified += t.guard_slot != EccTransition::kNoGuardSlot;
  CHECK(simplified == 2);  // State and NOT State
  // VoteAlg is the five operations it says, straight into State.
  CHECK(voter->algorithms[0].code.size() == 6);  // 5 + kEnd
}
