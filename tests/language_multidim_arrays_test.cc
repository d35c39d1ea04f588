// Multi-dimensional arrays and arrays of arrays (IEC 61131-3 6.4.4.5):
// `ARRAY[0..1, 0..2] OF INT` and `ARRAY[0..1] OF ARRAY[0..2] OF INT` are
// laid out alike, row by row, and are the same type here; an element is
// `A[i, j]` or `A[i][j]`, a row `A[i]`. Indexes are checked like those of
// one dimension: a constant out of bounds is a compile-time error, a
// variable one a run-time fault.
#include <catch2/catch.hpp>

#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

namespace {
using Lines = std::vector<std::string>;
}  // namespace

TEST_CASE("a two-dimensional array is indexed by constants and variables, both ways", "[st][arrays][multidim]") {
  StRun r("S : DINT; E : INT; F : INT; G : INT;",
          "FOR I := 0 TO 1 DO FOR J := 0 TO 2 DO M[I, J] := INT_TO_DINT(I * 10 + J); END_FOR; END_FOR;"
          "S := 0; FOR I := 0 TO 1 DO FOR J := 0 TO 2 DO S := S + M[I][J]; END_FOR; END_FOR;"
          "E := DINT_TO_INT(M[1, 2]); F := DINT_TO_INT(M[0][1]); I := 1; G := DINT_TO_INT(M[I, 0]);",
          "M : ARRAY[0..1, 0..2] OF DINT; I : INT; J : INT;");
  CHECK(r.run().empty());
  CHECK(r["S"] == "36");  // 0+1+2 + 10+11+12
  CHECK(r["E"] == "12");
  CHECK(r["F"] == "1");
  CHECK(r["G"] == "10");
  CHECK(r.at("M", 3) == "10");  // row-major: M[1, 0] is the fourth element
  CHECK(r.at("M", 5) == "12");
}

TEST_CASE("an array of arrays is indexed as A[i][j] and A[i, j]", "[st][arrays][multidim]") {
  StRun r("A : INT; B : INT; C : INT;",
          "I := 2; J := 1; T[I][J] := 7; T[1, 3] := 9; A := T[2, 1]; B := T[1][3]; T[0] := T[2]; C := T[0][1];",
          "T : ARRAY[0..2] OF ARRAY[1..3] OF INT; I : INT; J : INT;");
  CHECK(r.run().empty());
  CHECK(r["A"] == "7");
  CHECK(r["B"] == "9");
  CHECK(r["C"] == "7");  // the whole row was copied
}

TEST_CASE("bounds that do not start at 0 and three dimensions", "[st][arrays][multidim]") {
  StRun r("A : INT; B : INT;",
          "C[-1, 5, 2] := 3; C[1, 6, 3] := 4; I := -1; J := 6; K := 3; C[I, J, K] := 5; A := C[-1, 5, 2] + C[1, 6, 3];"
          "B := C[-1][6][3];",
          "C : ARRAY[-1..1, 5..6, 2..3] OF INT; I : INT; J : INT; K : INT;");
  CHECK(r.run().empty());
  CHECK(r["A"] == "7");
  CHECK(r["B"] == "5");
  CHECK(r.at("C", 0) == "3");
  CHECK(r.at("C", 3) == "5");   // [-1, 6, 3]: 0*4 + 1*2 + 1
  CHECK(r.at("C", 11) == "4");  // the last one
}

TEST_CASE("initial values: flat in row-major order or nested by rows", "[st][arrays][multidim][init]") {
  StRun r("A : INT; B : INT; C : INT; D : INT; E : INT; F : INT;",
          "A := Flat[1, 0]; B := Nested[1][2]; C := Part[0, 2]; D := Part[1, 0]; E := Rep[1, 1]; F := Strs[1, 0];",
          "Flat : ARRAY[0..1, 0..2] OF INT := [1, 2, 3, 4, 5, 6];"
          "Nested : ARRAY[0..1] OF ARRAY[0..2] OF INT := [[1, 2, 3], [4, 5, 6]];"
          "Part : ARRAY[0..1, 0..2] OF INT := [[1], [7, 8]];"
          "Rep : ARRAY[0..1, 0..1] OF INT := [2([3, 4])];"
          "Strs : ARRAY[0..1, 0..1] OF INT := [4(9)];");
  CHECK(r.run().empty());
  CHECK(r["A"] == "4");
  CHECK(r["B"] == "6");
  CHECK(r["C"] == "0");  // a short row: the rest keeps the default
  CHECK(r["D"] == "7");
  CHECK(r["E"] == "4");
  CHECK(r["F"] == "9");
}

TEST_CASE("multi-dimensional arrays of STRINGs and structures", "[st][arrays][multidim][struct]") {
  StRun r("S : STRING; X : INT;",
          "I := 1; N[I, 0] := 'ab'; S := CONCAT(N[1][0], N[0, 1]); P[I, 1].x := 4; X := P[1][1].x + P[0, 0].x;",
          "N : ARRAY[0..1, 0..1] OF STRING[4] := [['a', 'b'], ['c', 'd']]; P : ARRAY[0..1, 0..1] OF Pt; I : INT;", "",
          "TYPE Pt : STRUCT x : INT := 1; END_STRUCT; END_TYPE\n");
  CHECK(r.run().empty());
  CHECK(r["S"] == "abb");
  CHECK(r["X"] == "5");
}

TEST_CASE("a variable index out of a dimension's bounds is a run-time fault", "[st][arrays][multidim]") {
  SECTION("the second index, though the flat position would be inside the array") {
    StRun r("A : INT;", "J := 3; A := M[0, J];", "M : ARRAY[0..1, 0..2] OF INT; J : INT;");
    CHECK(r.run() == Lines{"X/Run: array index out of bounds"});
  }
  SECTION("the first index of an array of arrays, written to") {
    StRun r("A : INT;", "I := -1; A := 5; T[I][0] := 1; A := 6;", "T : ARRAY[0..1] OF ARRAY[0..1] OF INT; I : INT;");
    CHECK(r.run() == Lines{"X/Run: array index out of bounds"});
    CHECK(r["A"] == "5");  // the algorithm stopped at the fault
  }
}

TEST_CASE("multi-dimensional arrays as FUNCTION locals and inputs, and FB interface variables",
          "[st][arrays][multidim][functions]") {
  const std::string trace =
      "FUNCTION Trace : DINT\n"
      "VAR_INPUT M : ARRAY[1..3, 1..3] OF DINT; END_VAR\n"
      "VAR K : INT; Id : ARRAY[0..1, 0..1] OF DINT := [1, 0, 0, 1]; END_VAR\n"
      "Trace := Id[1, 1] - 1;\n"
      "FOR K := 1 TO 3 DO Trace := Trace + M[K, K]; END_FOR;\n"
      "END_FUNCTION\n";
  StRun r("T : DINT; O : ARRAY[0..1, 0..1] OF INT;",
          "M[1, 1] := 2; M[2][2] := 3; M[3, 3] := 4; M[1, 3] := 100; T := Trace(M); O[1, 0] := 8;",
          "M : ARRAY[1..3, 1..3] OF DINT;", "", trace);
  CHECK(r.run().empty());
  CHECK(r["T"] == "9");
  CHECK(r.at("O", 2) == "8");  // an output: the engine sees the four elements in a row
}

TEST_CASE("multi-dimensional arrays inside a structure", "[st][arrays][multidim][struct]") {
  StRun r("A : INT;", "I := 1; G.cells[I, 1] := 3; A := G.cells[1][1] + G.cells[0, 0];", "G : Grid; I : INT;", "",
          "TYPE Grid : STRUCT cells : ARRAY[0..1, 0..1] OF INT := [[1, 0], [0, 0]]; END_STRUCT; END_TYPE\n");
  CHECK(r.run().empty());
  CHECK(r["A"] == "4");
}

TEST_CASE("multi-dimensional array errors are located", "[st][arrays][multidim][errors]") {
  const std::string decl = "M : ARRAY[0..1, 0..2] OF INT; I : INT;";
  CHECK(diagnostics(fb_with("A : INT;", "A := M[0, 3];", decl)) ==
        Lines{"9:11: error: index 3 is out of the bounds of ARRAY[0..2] OF INT"});
  CHECK(diagnostics(fb_with("A : INT;", "A := M[2][0];", decl)) ==
        Lines{"9:8: error: index 2 is out of the bounds of ARRAY[0..1, 0..2] OF INT"});
  CHECK(diagnostics(fb_with("A : INT;", "A := M[0, 1, 2];", decl)) ==
        Lines{"9:6: error: 'M[][]' is not an array (it is INT)"});
  CHECK(diagnostics(fb_with("A : INT;", "A := M[1];", decl)) ==
        Lines{"9:6: error: type mismatch: cannot use ARRAY[0..2] OF INT as INT for 'A'"});
  CHECK(diagnostics(fb_with("A : INT;", "M[I] := M[0];", decl)) ==
        Lines{"9:1: error: assigning a whole array selected by a variable index is not supported"});
  CHECK(diagnostics(fb_with("A : INT;", "", "M : ARRAY[0..1, 0..2] OF INT := [1, 2, 3, 4, 5, 6, 7];")) ==
        Lines{"5:37: error: invalid initial value '[1, 2, 3, 4, 5, 6, 7]' for 'M' of type ARRAY[0..1, 0..2] OF INT"});
  CHECK(diagnostics(fb_with("A : INT;", "", "M : ARRAY[0..1, 0..2] OF INT := [1, [2, 3, 4]];")) ==
        Lines{"5:37: error: invalid initial value '[1, [2, 3, 4]]' for 'M' of type ARRAY[0..1, 0..2] OF INT"});
  CHECK(diagnostics(fb_with("A : INT;", "", "M : ARRAY[0..1, 3..2] OF INT;")) ==
        Lines{"5:9: error: array upper bound 2 is below its lower bound 3"});
  CHECK(diagnostics(fb_with("A : INT;", "", "M : ARRAY[0..999, 0..999] OF INT;")) ==
        Lines{"5:9: error: array 'M' is too large (1000000 elements)"});
}

TEST_CASE("multi-dimensional arrays in an FB instance's variables and as a VAR_IN_OUT",
          "[st][arrays][multidim][fb_instances]") {
  const std::string prelude =
      "FUNCTION_BLOCK Acc VAR_INPUT R : INT; C : INT; END_VAR VAR_OUTPUT N : INT; END_VAR\n"
      "VAR Hits : ARRAY[0..1, 0..1] OF INT; END_VAR\n"
      "Hits[R, C] := Hits[R, C] + 1; N := Hits[R][C];\n"
      "END_FUNCTION_BLOCK\n"
      "FUNCTION Fill VAR_IN_OUT M : ARRAY[0..1] OF ARRAY[0..2] OF INT; END_VAR VAR_INPUT V : INT; END_VAR\n"
      "VAR I : INT; J : INT; END_VAR\n"
      "FOR I := 0 TO 1 DO FOR J := 0 TO 2 DO M[I, J] := V + I * 3 + J; END_FOR; END_FOR;\n"
      "END_FUNCTION\n";
  StRun r("N : INT; Y : INT;", "A(R := 1, C := 0); A(R := 1, C := 0); N := A.N; Fill(M, 10); Y := M[1][2];",
          "A : Acc; M : ARRAY[0..1, 0..2] OF INT;", "", prelude);
  CHECK(r.run().empty());
  CHECK(r["N"] == "2");
  CHECK(r["Y"] == "15");
  CHECK(r.at("M", 3) == "13");
}
