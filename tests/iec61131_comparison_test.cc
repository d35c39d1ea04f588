// 4diac's comparison FBs (runtime/stdfb/iec61131_comparison.cc): IN1 and
// IN2 of one type per instance, decided at load; OUT is BOOL.
#include <limits>
#include <string>

#include "tests/generic_block_support.h"

using namespace plc;
using namespace plc::test;

namespace {

bool compare(const char* type, const std::string& a, const std::string& b) {
  Generic g(type, {{"IN1", a}, {"IN2", b}});
  REQUIRE(g.fire() == std::vector<std::string>{"F.CNF"});
  return g.value("OUT").as_bool();
}

// All six on one pair: EQ, NE, GT, GE, LT, LE.
std::string all(const std::string& a, const std::string& b) {
  std::string s;
  for (const char* t : {"F_EQ", "F_NE", "F_GT", "F_GE", "F_LT", "F_LE"}) s += compare(t, a, b) ? '1' : '0';
  return s;
}

}  // namespace

TEST_CASE("Comparisons of two INTs", "[iec61131][comparison]") {
  CHECK(all("INT#5", "INT#5") == "100101");
  CHECK(all("INT#5", "INT#7") == "010011");
  CHECK(all("INT#7", "INT#5") == "011100");
  CHECK(all("INT#-32768", "INT#32767") == "010011");
}

TEST_CASE("An INT and a UINT compare as their unified type, signed", "[iec61131][comparison]") {
  Generic g("F_LT", {{"IN1", "INT#-3"}, {"IN2", "UINT#2"}});
  g.fire();
  CHECK(g.type("IN1") == DataType::kInt);
  CHECK(g.type("IN2") == DataType::kInt);
  CHECK(g.value("OUT").as_bool());
}

TEST_CASE("A SINT and a UINT compare as DINT", "[iec61131][comparison]") {
  Generic g("F_GT", {{"IN1", "UINT#300"}, {"IN2", "SINT#-1"}});
  g.fire();
  CHECK(g.type("IN1") == DataType::kDint);
  CHECK(g.value("OUT").as_bool());
}

TEST_CASE("Unsigned integers compare over their whole range", "[iec61131][comparison]") {
  CHECK(all("ULINT#18446744073709551615", "ULINT#1") == "011100");
  CHECK(all("LWORD#16#FFFFFFFFFFFFFFFF", "LWORD#0") == "011100");
}

TEST_CASE("REAL and LREAL compare by value", "[iec61131][comparison]") {
  CHECK(all("2.5", "2.5") == "100101");
  CHECK(all("-0.5", "0.25") == "010011");
  CHECK(all("REAL#1.5", "REAL#1.25") == "011100");
}

TEST_CASE("A NaN is unequal to everything, itself too", "[iec61131][comparison]") {
  Generic g("F_EQ", {{"IN1", "1.0"}, {"IN2", "1.0"}});
  g.slots("IN1")->r = std::numeric_limits<double>::quiet_NaN();
  g.slots("IN2")->r = std::numeric_limits<double>::quiet_NaN();
  g.fire();
  CHECK_FALSE(g.value("OUT").as_bool());
  for (const char* t : {"F_NE", "F_GT", "F_GE", "F_LT", "F_LE"}) {
    Generic n(t, {{"IN1", "1.0"}, {"IN2", "1.0"}});
    n.slots("IN1")->r = std::numeric_limits<double>::quiet_NaN();
    n.fire();
    CHECK(n.value("OUT").as_bool() == (std::string(t) == "F_NE"));
  }
}

TEST_CASE("BOOL compares FALSE below TRUE", "[iec61131][comparison]") {
  CHECK(all("FALSE", "TRUE") == "010011");
  CHECK(all("TRUE", "TRUE") == "100101");
}

TEST_CASE("TIME compares by duration, negative ones too", "[iec61131][comparison]") {
  CHECK(all("T#1s", "T#500ms") == "011100");
  CHECK(all("T#-1s", "T#0s") == "010011");
  CHECK(all("T#1000ms", "T#1s") == "100101");
}

TEST_CASE("Dates and times of day compare by time", "[iec61131][comparison]") {
  CHECK(all("D#2024-01-02", "D#2023-12-31") == "011100");
  CHECK(all("TOD#08:00:00", "TOD#17:30:00") == "010011");
  CHECK(all("DT#2024-01-01-00:00:00", "DT#2024-01-01-00:00:00") == "100101");
}

TEST_CASE("STRINGs compare character by character, a prefix first", "[iec61131][comparison]") {
  CHECK(all("'abc'", "'abc'") == "100101");
  CHECK(all("'abc'", "'abd'") == "010011");
  CHECK(all("'ab'", "'abc'") == "010011");
  CHECK(all("'b'", "'abc'") == "011100");
  CHECK(all("''", "''") == "100101");
  CHECK(all("''", "'a'") == "010011");
  CHECK(all("'B'", "'a'") == "010011");  // by character code
}

TEST_CASE("WSTRINGs compare like STRINGs", "[iec61131][comparison]") {
  Generic g("F_EQ", {{"IN1", "\"abc\""}, {"IN2", "\"abc\""}});
  g.fire();
  CHECK(g.type("IN1") == DataType::kWstring);
  CHECK(g.value("OUT").as_bool());
  CHECK(all("\"abc\"", "\"abd\"") == "010011");
}

TEST_CASE("A STRING and an INT cannot be compared", "[iec61131][comparison]") {
  auto loaded =
      Resource::load(FbNetwork{{{"F", "F_EQ", {{"IN1", "'a'"}, {"IN2", "INT#1"}}, ""}}, {}, {}}, standard_library());
  REQUIRE_FALSE(loaded);
  CHECK(loaded.errors().str().find("no type holds both") != std::string::npos);
}
