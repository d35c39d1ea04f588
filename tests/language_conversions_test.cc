// Structured Text conversion functions at the edges of their types: the
// values the IEC 61131 conversion FBs give (iec61131_conversion.cc), and
// the regressions that once differed.
#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

TEST_CASE("LREAL_TO_ULINT rounds and clamps in unsigned 64 bits", "[st][conversion]") {
  StRun r("BIG : ULINT; TWO63 : ULINT; MAX : ULINT; HALF : ULINT; NEG : ULINT; NAN_ : ULINT; INF : ULINT; L : LREAL;",
          "BIG := LREAL_TO_ULINT(1.0E19); TWO63 := LREAL_TO_ULINT(9223372036854775808.0);"
          "MAX := LREAL_TO_ULINT(1.0E20); HALF := LREAL_TO_ULINT(2.5); NEG := LREAL_TO_ULINT(-5.0);"
          "L := 0.0; NAN_ := LREAL_TO_ULINT(L / L); INF := LREAL_TO_ULINT(1.0 / L);");
  CHECK(r.run().empty());
  CHECK(r["BIG"] == "10000000000000000000");
  CHECK(r["TWO63"] == "9223372036854775808");
  CHECK(r["MAX"] == "18446744073709551615");
  CHECK(r["HALF"] == "3");  // halves away from zero
  CHECK(r["NEG"] == "0");
  CHECK(r["NAN_"] == "0");
  CHECK(r["INF"] == "18446744073709551615");
}

TEST_CASE("REAL_TO_ULINT takes values from 2^63 up", "[st][conversion]") {
  StRun r("BIG : ULINT; NEG : ULINT;", "BIG := REAL_TO_ULINT(REAL#1.0E19); NEG := REAL_TO_ULINT(REAL#-0.4);");
  CHECK(r.run().empty());
  CHECK(r["BIG"] == "9999999980506447872");  // 1.0E19 as a float
  CHECK(r["NEG"] == "0");
}

TEST_CASE("LREAL_TO_LINT still saturates at the signed 64-bit bounds", "[st][conversion]") {
  StRun r("HI : LINT; LO : LINT;", "HI := LREAL_TO_LINT(1.0E19); LO := LREAL_TO_LINT(-1.0E19);");
  CHECK(r.run().empty());
  CHECK(r["HI"] == "9223372036854775807");
  CHECK(r["LO"] == "-9223372036854775808");
}

// Regression: the copy read the source with the destination's character
// width, so STRING_TO_WSTRING('abc') gave 'ac' and WSTRING_TO_STRING read
// every other byte.
TEST_CASE("STRING_TO_WSTRING and WSTRING_TO_STRING keep every character", "[st][conversion][strings]") {
  StRun r("W : WSTRING; S : STRING; BACK : STRING; WIDE : WSTRING; N : INT;",
          "W := STRING_TO_WSTRING('abc'); S := WSTRING_TO_STRING(\"xyz\"); BACK := WSTRING_TO_STRING(W);"
          "WIDE := STRING_TO_WSTRING(CONCAT('hello, ', 'world')); N := LEN(WIDE);");
  CHECK(r.run().empty());
  CHECK(r["W"] == "abc");
  CHECK(r["S"] == "xyz");
  CHECK(r["BACK"] == "abc");
  CHECK(r["WIDE"] == "hello, world");
  CHECK(r["N"] == "12");
}

TEST_CASE("STRING_TO_WSTRING of an empty STRING is empty", "[st][conversion][strings]") {
  StRun r("W : WSTRING; N : INT;", "W := STRING_TO_WSTRING(''); N := LEN(W);");
  CHECK(r.run().empty());
  CHECK(r["W"] == "");
  CHECK(r["N"] == "0");
}
