// Named data types other than structures and enumerations (IEC 61131-3
// 6.4.4: TYPE Matrix : ARRAY[1..3, 1..3] OF REAL; END_TYPE) and subranges
// (6.4.4.4: INT (0..100), named or inline). A named type stands for what
// it names, with its initial value. A value stored into a subrange is
// checked like an array index: a constant outside it is a compile-time
// error, any other value is checked before the store and one outside is a
// run-time fault (the variable keeps its value). The default initial value
// of a subrange is its lower limit.
#include <catch2/catch.hpp>

#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

namespace {
using Lines = std::vector<std::string>;

const std::string kTypes =
    "TYPE\n"
    "  Matrix : ARRAY[1..3, 1..3] OF REAL;\n"
    "  Percent : INT (0..100);\n"
    "  Half : Percent := 50;\n"
    "  Row : ARRAY[0..2] OF INT := [7, 8, 9];\n"
    "  Name : STRING[4];\n"
    "END_TYPE\n";
const std::string kTwice = "FUNCTION Twice : INT VAR_INPUT X : INT (0..50); END_VAR Twice := X * 2; END_FUNCTION\n";
}  // namespace

TEST_CASE("a named array type declares arrays of its bounds", "[st][types][named]") {
  StRun r("D : REAL; S : INT; N : STRING;",
          "FOR I := 1 TO 3 DO M[I, I] := 2.5; END_FOR; D := M[1, 1] + M[2][2] + M[3, 3] + M[1, 2];"
          "S := R[2] + Rs[1][0]; N := 'abcdef';",
          "M : Matrix; R : Row; Rs : ARRAY[0..1] OF Row; I : INT;", "", kTypes);
  CHECK(r.run().empty());
  CHECK(r["D"] == "7.5");
  CHECK(r["S"] == "16");  // Row's initial value, in each element of Rs too
}

TEST_CASE("a named STRING type cuts to its length", "[st][types][named]") {
  StRun r("N : Name;", "N := 'abcdef';", "", "", kTypes);
  CHECK(r.run().empty());
  CHECK(r["N"] == "abcd");
}

TEST_CASE("a subrange starts at its lower limit or its initial value", "[st][types][subrange]") {
  StRun r("P : Percent; H : Half; V : INT (-5..5); W : USINT (10..20) := 12; A : ARRAY[0..1] OF Percent;", "", "", "",
          kTypes);
  CHECK(r.run().empty());
  CHECK(r["P"] == "0");
  CHECK(r["H"] == "50");
  CHECK(r["V"] == "-5");
  CHECK(r["W"] == "12");
  CHECK(r.at("A", 1) == "0");
}

TEST_CASE("values inside a subrange are stored", "[st][types][subrange]") {
  StRun r("P : Percent; V : INT (-5..5); A : ARRAY[0..1] OF Percent; Q : Percent;",
          "I := 40; P := I * 2 + 20; V := -5; A[1] := P; Q := V + 5; P := Q;", "I : INT;", "", kTypes);
  CHECK(r.run().empty());
  CHECK(r["P"] == "0");
  CHECK(r.at("A", 1) == "100");
  CHECK(r["V"] == "-5");
}

TEST_CASE("a value outside a subrange is a run-time fault, and the variable keeps its value", "[st][types][subrange]") {
  SECTION("an assignment") {
    StRun r("P : Percent; B : INT;", "B := 1; P := 7; I := 101; P := I; B := 2;", "I : INT;", "", kTypes);
    CHECK(r.run() == Lines{"X/Run: value outside its subrange"});
    CHECK(r["P"] == "7");
    CHECK(r["B"] == "1");
  }
  SECTION("below the lower limit, into an element") {
    StRun r("A : ARRAY[0..1] OF Percent;", "I := -1; A[I + 1] := I;", "I : INT;", "", kTypes);
    CHECK(r.run() == Lines{"X/Run: value outside its subrange"});
    CHECK(r.at("A", 0) == "0");
  }
  SECTION("an unsigned subrange") {
    StRun r("W : USINT (10..20);", "U := 21; W := U;", "U : USINT;");
    CHECK(r.run() == Lines{"X/Run: value outside its subrange"});
    CHECK(r["W"] == "10");
  }
  SECTION("a FUNCTION's subrange input") {
    StRun r("Y : INT;", "I := 50; Y := Twice(I); I := 51; Y := Twice(I);", "I : INT;", "", kTwice);
    CHECK(r.run() == Lines{"X/Run: value outside its subrange"});
    CHECK(r["Y"] == "100");
  }
}

TEST_CASE("subrange and named type errors are located", "[st][types][subrange][errors]") {
  CHECK(diagnostics(kTypes + fb_with("P : Percent;", "P := 101;")) ==
        Lines{"15:6: error: value 101 is outside the subrange 0..100 of 'P'"});
  CHECK(diagnostics(kTwice + fb_with("Y : INT;", "Y := Twice(51);")) ==
        Lines{"9:12: error: value 51 is outside the subrange 0..50 of 'X'"});
  CHECK(diagnostics(fb_with("V : INT (-5..5);", "V := -6;")) ==
        Lines{"8:6: error: value -6 is outside the subrange -5..5 of 'V'"});
  CHECK(diagnostics(fb_with("V : INT (0..5) := 6;", "")) ==
        Lines{"4:30: error: initial value '6' of 'V' is outside its subrange 0..5"});
  CHECK(diagnostics(fb_with("V : REAL (0..5);", "")) ==
        Lines{"4:21: error: a subrange needs an integer type, not REAL"});
  CHECK(diagnostics(fb_with("V : SINT (0..200);", "")) ==
        Lines{"4:21: error: subrange limit 200 is out of the range of SINT"});
  CHECK(diagnostics(fb_with("V : INT (5..1);", "")) ==
        Lines{"4:20: error: subrange upper limit 1 is below its lower limit 5"});
  CHECK(diagnostics("TYPE Pc : INT (0..10) := 11; END_TYPE\n") ==
        Lines{"1:26: error: initial value '11' of 'Pc' is outside its subrange 0..10"});
  CHECK(diagnostics("TYPE M : ARRAY[1..2] OF Nope; END_TYPE\n") == Lines{"1:10: error: unknown data type 'Nope'"});
  CHECK(diagnostics("TYPE M : INT; M : REAL; END_TYPE\n") == Lines{"1:15: error: duplicate data type 'M'"});
  CHECK(diagnostics("TYPE M : ARRAY[1..2] OF INT; END_TYPE\n" + fb_with("V : M (0..1);", "")) ==
        Lines{"5:16: error: 'M' is a named type: it takes no subrange here"});
}

TEST_CASE("a named type may use a structure declared later in the file", "[st][types][named]") {
  StRun r("X : INT;", "Ps[1].x := 3; X := Ps[1].x + Ps[0].x;", "Ps : Points;", "",
          "TYPE Points : ARRAY[0..1] OF Pt; Pt : STRUCT x : INT := 1; END_STRUCT; END_TYPE\n");
  CHECK(r.run().empty());
  CHECK(r["X"] == "4");
}

TEST_CASE("a subrange input of a user function block is checked when the instance is called",
          "[st][types][subrange][fb_instances]") {
  const std::string fb =
      "FUNCTION_BLOCK Lim VAR_INPUT X : INT (0..9); END_VAR VAR_OUTPUT Y : INT; END_VAR Y := X + 1; "
      "END_FUNCTION_BLOCK\n";
  StRun r("Y : INT;", "I := 9; L(X := I); Y := L.Y; I := 10; L(X := I); Y := 0;", "L : Lim; I : INT;", "", fb);
  CHECK(r.run() == Lines{"X/Run: value outside its subrange"});
  CHECK(r["Y"] == "10");
  CHECK(diagnostics(fb + fb_with("Y : INT;", "L(X := 10);", "L : Lim;")) ==
        Lines{"10:8: error: value 10 is outside the subrange 0..9 of 'X'"});
}

TEST_CASE("a structure cannot take the name of a named type, and a reference is no INT", "[st][types][errors]") {
  CHECK(diagnostics("TYPE M : INT; M : STRUCT x : INT; END_STRUCT; END_TYPE\n") ==
        Lines{"1:15: error: duplicate data type 'M'"});
  CHECK(diagnostics(fb_with("A : INT;", "A := REF(A);")) ==
        Lines{"8:6: error: type mismatch: cannot use REF_TO INT as INT for 'A' (REF_TO INT^ is the variable it refers "
              "to)"});
}
