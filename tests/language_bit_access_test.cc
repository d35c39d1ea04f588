// Bit access (IEC 61131-3 6.5.5.2): x.3 and x.%X3 read and write one bit
// of an integer or bit string variable, bit 0 the least significant.
#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("x.n and x.%Xn read one bit of an integer or bit string", "[st][bit-access]") {
  StRun r("B0 : BOOL; B1 : BOOL; B15 : BOOL; N63 : BOOL; U7 : BOOL; L : BOOL;",
          "W := 16#8001; B0 := W.0; B1 := W.%X1; B15 := W.15; N63 := I.63; U7 := U.%x7;"
          "L := A[1].2 AND S.W.0;",
          "W : WORD; I : LINT := -1; U : USINT := 128; A : ARRAY[0..1] OF BYTE := [0, 4]; S : Box;", "",
          "TYPE Box : STRUCT W : WORD := 1; END_STRUCT; END_TYPE\n");
  CHECK(r.run().empty());
  CHECK(r["B0"] == "TRUE");
  CHECK(r["B1"] == "FALSE");
  CHECK(r["B15"] == "TRUE");
  CHECK(r["N63"] == "TRUE");
  CHECK(r["U7"] == "TRUE");
  CHECK(r["L"] == "TRUE");
}

TEST_CASE("assigning x.n sets or clears that bit only, in the variable's type", "[st][bit-access]") {
  StRun r("W : WORD; I : INT; D : DWORD; K : INT;",
          "W.3 := TRUE; W.%X0 := 1 = 1; W.3 := W.3 AND W.0; D := 16#FFFF_FFFF; D.31 := FALSE; D.%X4 := FALSE;"
          "I.15 := TRUE;  (* the sign bit of an INT *)\n"
          "K := 0; FOR N := 0 TO 7 DO A[N MOD 2].%X0 := TRUE; END_FOR; A[K].7 := TRUE;",
          "A : ARRAY[0..1] OF BYTE; N : INT;");
  CHECK(r.run().empty());
  CHECK(r["W"] == "9");
  CHECK(r["D"] == "2147483631");  // 16#7FFF_FFEF
  CHECK(r["I"] == "-32768");
  CHECK(r.at("A", 0) == "129");
  CHECK(r.at("A", 1) == "1");
}

TEST_CASE("bit access diagnostics", "[st][bit-access][diagnostics]") {
  auto d = [](const std::string& outputs, const std::string& body, const std::string& inputs = "") {
    return diagnostics(fb_with(outputs, body, "", inputs));
  };
  CHECK(mentions(d("W : WORD; B : BOOL;", "B := W.16;"), "bit 16 is out of the 16 bits of WORD 'W'"));
  CHECK(mentions(d("R : REAL; B : BOOL;", "B := R.1;"), "bit access 'R.1' needs an integer or bit string, not REAL"));
  CHECK(mentions(d("X : BOOL; B : BOOL;", "B := X.0;"), "needs an integer or bit string, not BOOL"));
  CHECK(mentions(d("B : BOOL;", "W.1 := TRUE;", "W : WORD;"), "cannot assign to input variable 'W.1'"));
  CHECK(mentions(d("W : WORD;", "W.1 := 1;"), "type mismatch: cannot use an integer literal as BOOL"));
}
