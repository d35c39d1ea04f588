// The smaller forms of IEC 61131-3 Structured Text: CONTINUE, the
// functions named like operators (MOD(), AND(), ...), the extensible
// functions, typed string literals and repeated initial values.
#include <catch2/catch.hpp>

#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

namespace {
using Lines = std::vector<std::string>;
}  // namespace

TEST_CASE("CONTINUE goes on with the next iteration of the innermost loop", "[st][loops]") {
  StRun r("S : INT; W : INT; R : INT; J : INT; N : INT;",
          "FOR I := 1 TO 10 DO IF I MOD 2 = 0 THEN CONTINUE; END_IF; S := S + I; END_FOR;\n"
          "I := 0; WHILE I < 10 DO I := I + 1; IF I MOD 3 = 0 THEN CONTINUE; END_IF; W := W + I; END_WHILE;\n"
          "REPEAT J := J + 1; IF J > 3 THEN CONTINUE; END_IF; R := R + J; UNTIL J >= 6 END_REPEAT;\n"
          "FOR I := 1 TO 3 DO FOR K := 1 TO 3 DO IF K = 2 THEN CONTINUE; END_IF; N := N + 1; END_FOR; END_FOR;",
          "I : INT; K : INT;");
  CHECK(r.run().empty());
  CHECK(r["S"] == "25");  // 1 + 3 + 5 + 7 + 9
  CHECK(r["W"] == "37");  // 1 + 2 + 4 + 5 + 7 + 8 + 10
  CHECK(r["R"] == "6");   // 1 + 2 + 3; CONTINUE in REPEAT still tests UNTIL
  CHECK(r["J"] == "6");
  CHECK(r["N"] == "6");  // the inner loop skips K = 2, the outer runs 3 times
  CHECK(r["I"] == "3");  // the last FOR left it at its limit
}

TEST_CASE("CONTINUE in a function's loop continues that loop", "[st][loops][functions]") {
  const char* fn =
      "FUNCTION SumOdd : INT VAR_INPUT N : INT; END_VAR VAR I : INT; END_VAR\n"
      "FOR I := 1 TO N DO IF I MOD 2 = 0 THEN CONTINUE; END_IF; SumOdd := SumOdd + I; END_FOR;\n"
      "END_FUNCTION\n";
  StRun r("S : INT;", "FOR K := 1 TO 2 DO S := S + SumOdd(5); END_FOR;", "K : INT;", "", fn);
  CHECK(r.run().empty());
  CHECK(r["S"] == "18");
}

TEST_CASE("MOD, AND, OR and XOR can be called as functions", "[st][functions]") {
  StRun r("M : INT; F : INT; A : BOOL; O : BYTE; X : WORD; E : INT;",
          "M := MOD(17, 5); F := MOD(IN1 := -7, IN2 := 4); A := AND(TRUE, B); O := OR(16#01, W, 16#04);"
          "X := XOR(WORD#16#FF00, 16#0FF0); E := MOD(M + 8, 3) + 1;",
          "B : BOOL := TRUE; W : BYTE := 16#02;");
  CHECK(r.run().empty());
  CHECK(r["M"] == "2");
  CHECK(r["F"] == "-3");  // the sign of the dividend, as the operator
  CHECK(r["A"] == "TRUE");
  CHECK(r["O"] == "7");
  CHECK(r["X"] == "61680");  // 16#F0F0
  CHECK(r["E"] == "2");      // MOD(10, 3) + 1
}

TEST_CASE("the extensible functions take any number of inputs", "[st][functions]") {
  StRun r(
      "S : DINT; P : INT; A : BYTE; G1 : BOOL; G2 : BOOL; L : BOOL; Q1 : BOOL; Q2 : BOOL; GE1 : BOOL;"
      " LE1 : BOOL; O : BOOL; X : BOOL;",
      "S := ADD(1, 2, D, 4); P := MUL(2, 3, 4); A := AND(BYTE#16#F0, 16#3C, 16#FF); G1 := GT(3, 2, 1);"
      "G2 := GT(3, 2, 2); L := LT(D, 4, 5, 6); Q1 := EQ(2, 2, 2); Q2 := EQ(2, 2, 3); GE1 := GE(3, 3, 1);"
      "LE1 := LE(1, 1, 0); O := OR(FALSE, FALSE, TRUE); X := XOR(TRUE, TRUE, TRUE);",
      "D : DINT := 3;");
  CHECK(r.run().empty());
  CHECK(r["S"] == "10");
  CHECK(r["P"] == "24");
  CHECK(r["A"] == "48");      // 16#30
  CHECK(r["G1"] == "TRUE");   // 3 > 2 AND 2 > 1
  CHECK(r["G2"] == "FALSE");  // 2 > 2 fails
  CHECK(r["L"] == "TRUE");
  CHECK(r["Q1"] == "TRUE");
  CHECK(r["Q2"] == "FALSE");
  CHECK(r["GE1"] == "TRUE");
  CHECK(r["LE1"] == "FALSE");
  CHECK(r["O"] == "TRUE");
  CHECK(r["X"] == "TRUE");
}

TEST_CASE("typed string literals STRING#'..' and WSTRING#\"..\"", "[st][strings]") {
  StRun r("S : STRING; W : WSTRING; L : INT; C : BOOL;",
          "S := STRING#'it$'s'; W := WSTRING#\"wide $\"x$\"\"; L := LEN(STRING#'hello'); "
          "C := S = STRING#'it$'s';");
  CHECK(r.run().empty());
  CHECK(r["S"] == "it's");
  CHECK(r["W"] == "wide \"x\"");
  CHECK(r["L"] == "5");
  CHECK(r["C"] == "TRUE");
}

TEST_CASE("typed string literals take blanks before their quoted value, as 4diac writes them", "[st][strings]") {
  StRun r("S : STRING; W : WSTRING;", "S := CONCAT(STRING# 'let $$x := $'', STRING#\t'$':$''); W := WSTRING# \"w\";");
  CHECK(r.run().empty());
  CHECK(r["S"] == "let $x := '':'");
  CHECK(r["W"] == "w");
}

TEST_CASE("WSTRINGs compare by all their characters", "[st][strings]") {
  StRun r("E : BOOL; N : BOOL; L : BOOL; G : BOOL;",
          "E := W = \"wide x\"; N := W = \"wide y\"; L := W < \"wide y\"; G := W > \"wide\";",
          "W : WSTRING := \"wide x\";");
  CHECK(r.run().empty());
  CHECK(r["E"] == "TRUE");
  CHECK(r["N"] == "FALSE");  // compared as bytes, "w\0i\0d\0" was all it saw
  CHECK(r["L"] == "TRUE");
  CHECK(r["G"] == "TRUE");
}

TEST_CASE("repeated initial values fill arrays: [8(FALSE)], [2(1, 2)]", "[st][arrays]") {
  StRun r(
      "B : ARRAY[0..7] OF BOOL := [8(TRUE)]; I : ARRAY[1..7] OF INT := [2(1, 2), 7];"
      " M : ARRAY[0..5] OF INT := [1, 2(5), 3(-1)];",
      "B[3] := FALSE;");
  CHECK(r.run().empty());
  for (uint32_t k = 0; k < 8; ++k) CHECK(r.at("B", k) == (k == 3 ? "FALSE" : "TRUE"));
  Lines i, m;
  for (uint32_t k = 0; k < 7; ++k) i.push_back(r.at("I", k));
  for (uint32_t k = 0; k < 6; ++k) m.push_back(r.at("M", k));
  CHECK(i == Lines{"1", "2", "1", "2", "7", "0", "0"});
  CHECK(m == Lines{"1", "5", "5", "-1", "-1", "-1"});
}

TEST_CASE("diagnostics of CONTINUE, the call forms, typed strings and repeated initial values", "[st][diagnostics]") {
  CHECK(diagnostics(fb_with("A : INT;", "CONTINUE;")) == Lines{"8:1: error: CONTINUE outside of a loop"});
  CHECK(diagnostics(fb_with("A : INT;", "A := MOD(1, 2, 3); A := AND(1);")) ==
        Lines{"8:6: error: function MOD takes 2 arguments, 3 given",
              "8:25: error: function AND takes at least 2 arguments, 1 given"});
  CHECK(diagnostics(fb_with("A : BOOL;", "A := GT(1, 2, 'x');")) ==
        Lines{"8:6: error: operator > cannot be applied to an integer literal and STRING[1]"});
  CHECK(diagnostics(fb_with("S : STRING;", "S := STRING#\"x\";")) ==
        Lines{"8:6: error: invalid STRING literal 'STRING#\"x\"' (a STRING is written between ' quotes)"});
  CHECK(diagnostics(fb_with("S : STRING;", "S := STRING# x;")) ==
        Lines{"8:6: error: 'STRING#' lacks its value after '#'"});
  CHECK(diagnostics(
            fb_with("B : ARRAY[0..7] OF BOOL := [9(TRUE)]; C : ARRAY[0..1] OF INT := [2(1, 'a')];", "B[0] := TRUE;")) ==
        Lines{"4:39: error: invalid initial value '[9(TRUE)]' for 'B' of type ARRAY[0..7] OF BOOL",
              "4:76: error: invalid initial value '[2(1, 'a')]' for 'C' of type ARRAY[0..1] OF INT"});
}

TEST_CASE("the ULINT conversions and TRUNC into ULINT take values from 2^63 up", "[st][conversion]") {
  StRun r("V : ULINT; G : ULINT; T : ULINT; T2 : ULINT; TN : ULINT; R : ULINT; F : ULINT;",
          "V := LREAL_TO_ULINT(L); G := TO_ULINT(L); T := TRUNC(L); T2 := TRUNC(L2); TN := TRUNC(-L2);"
          "R := REAL_TO_ULINT(S); F := TRUNC(S);",
          "L : LREAL := 1.0E19; L2 : LREAL := 9223372036854775809.5; S : REAL := 1.0E19;");
  CHECK(r.run().empty());
  CHECK(r["V"] == "10000000000000000000");
  CHECK(r["G"] == "10000000000000000000");
  CHECK(r["T"] == "10000000000000000000");
  CHECK(r["T2"] == "9223372036854775808");  // 2^63: the nearest LREAL to the literal
  CHECK(r["TN"] == "0");
  CHECK(r["R"] == "9999999980506447872");  // 1.0E19 as a REAL
  CHECK(r["F"] == "9999999980506447872");
}
