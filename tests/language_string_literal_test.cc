// String literals take the width they are used at (IEC 61131-3 6.3.3
// writes 'abc' for a STRING and "abc" for a WSTRING): a literal's value is
// known, so "abc" may stand where a STRING is due, as 4diac's files write
// it and 4diac and FORTE take it. A variable keeps the strict rule.
#include <catch2/catch.hpp>

#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;

namespace {
using Lines = std::vector<std::string>;
}  // namespace

TEST_CASE("a double-quoted literal is assigned to a STRING and a single-quoted one to a WSTRING", "[st][strings]") {
  StRun r("S : STRING; W : WSTRING; C : STRING; L : INT; E1 : BOOL; E2 : BOOL;",
          "S := \"it's\"; W := 'wide \"x\"'; C := CONCAT(S, \" and \", 'more'); L := LEN(\"hello\");"
          " E1 := S = \"it's\"; E2 := W = 'wide \"y\"';");
  CHECK(r.run().empty());
  CHECK(r["S"] == "it's");
  CHECK(r["W"] == "wide \"x\"");
  CHECK(r["C"] == "it's and more");
  CHECK(r["L"] == "5");
  CHECK(r["E1"] == "TRUE");
  CHECK(r["E2"] == "FALSE");
}

TEST_CASE("a string variable of the other width still needs its conversion", "[st][strings][diagnostics]") {
  CHECK(diagnostics(fb_with("S : STRING;", "S := W;", "W : WSTRING;")) ==
        Lines{"9:6: error: type mismatch: cannot use WSTRING as STRING for 'S' (use WSTRING_TO_STRING)"});
}

TEST_CASE("a literal passed to a string input takes its width", "[st][strings][functions]") {
  const char* fn =
      "FUNCTION Greet : STRING VAR_INPUT N : STRING; END_VAR\n"
      "Greet := CONCAT('hi ', N);\n"
      "END_FUNCTION\n";
  StRun r("G : STRING; P : INT; F : WSTRING;", "G := Greet(\"you\"); P := FIND(S, \"cd\"); F := CONCAT('x', W, 'z');",
          "S : STRING := 'abcdef'; W : WSTRING := \"y\";", "", fn);
  CHECK(r.run().empty());
  CHECK(r["G"] == "hi you");
  CHECK(r["P"] == "3");
  CHECK(r["F"] == "xyz");
}

TEST_CASE("the result of a string function keeps its argument's width", "[st][strings][diagnostics]") {
  // LEFT is generic (ANY_STRING): its literal argument has no width to take.
  CHECK(diagnostics(fb_with("S : STRING;", "S := LEFT(\"abc\", 2);")) ==
        Lines{"8:6: error: type mismatch: cannot use WSTRING[3] as STRING for 'S' (use WSTRING_TO_STRING)"});
  CHECK(diagnostics(fb_with("P : INT;", "P := FIND(S, W);", "S : STRING; W : WSTRING;")) ==
        Lines{"9:14: error: FIND of STRING and WSTRING"});
}
