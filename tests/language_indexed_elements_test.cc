// Whole STRING and structure elements of an array selected by a variable
// index (IEC 61131-3 6.5.2.2: any element of an array is a variable):
// read into a copy, written slot by slot after a STRING is cut to the
// element's capacity. An index out of bounds is a run-time fault.
#include <catch2/catch.hpp>

#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

namespace {
using Lines = std::vector<std::string>;
}  // namespace

TEST_CASE("STRING elements at a variable index are read and written whole", "[st][arrays][strings]") {
  StRun r("S : STRING; L : INT; C : STRING; W : WSTRING; N2 : STRING; H0 : STRING; H1 : STRING;",
          "WHILE I < 3 DO Names[I] := CONCAT('n', INT_TO_STRING(I)); Wide[I] := \"w\"; I := I + 1; END_WHILE;"
          "I := 1; S := Names[I]; L := LEN(Names[I + 1]); C := CONCAT(Names[0], Names[I]);"
          "Short[I] := 'abcdef'; W := Wide[I]; N2 := Names[2]; H0 := Short[0]; H1 := Short[1];",
          "Names : ARRAY[0..2] OF STRING; Wide : ARRAY[0..2] OF WSTRING; Short : ARRAY[0..1] OF STRING[3]; I : INT;");
  CHECK(r.run().empty());
  CHECK(r["S"] == "n1");
  CHECK(r["L"] == "2");
  CHECK(r["C"] == "n0n1");
  CHECK(r["N2"] == "n2");
  CHECK(r["H1"] == "abc");  // cut to STRING[3]
  CHECK(r["H0"] == "");
  CHECK(r["W"] == "w");
}

TEST_CASE("structure elements at a variable index are read and written whole", "[st][arrays][struct]") {
  StRun r("X : INT; Y : INT; N : STRING;",
          "I := 1; Q[I] := P; Q[0].y := 7; R := Q[I]; X := R.x; Y := Q[0].y; N := Q[I].name;",
          "P : Point := (x := 3, name := 'p'); Q : ARRAY[0..1] OF Point; R : Point; I : INT;", "",
          "TYPE Point : STRUCT x : INT; y : INT := 5; name : STRING[8]; END_STRUCT; END_TYPE\n");
  CHECK(r.run().empty());
  CHECK(r["X"] == "3");
  CHECK(r["Y"] == "7");
  CHECK(r["N"] == "p");
}

TEST_CASE("a STRING element at an index out of bounds is a run-time fault", "[st][arrays][strings]") {
  StRun r("S : STRING;", "I := 3; S := Names[I];", "Names : ARRAY[0..2] OF STRING; I : INT;");
  CHECK(r.run() == Lines{"X/Run: array index out of bounds"});
}
