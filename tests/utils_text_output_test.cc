// 4diac's APPEND_STRING_2/3 and OUT_ANY_CONSOLE
// (runtime/stdfb/utils_text_output.cc): values as FORTE's toString
// writes them (runtime/stdfb/utils_text_form.h).
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include "tests/generic_block_support.h"

using namespace plc;
using namespace plc::test;

namespace {

std::string append2(const std::string& a, const std::string& b) {
  return text_of("APPEND_STRING_2", {{"IN_1", a}, {"IN_2", b}});
}

// A line of FORTE's log without its "INFO: T#<ns>: " (checked), or the
// text as it is when it is no such line.
std::string without_log_prefix(const std::string& line) {
  static const std::regex kPrefix("^INFO: T#[0-9]{19}: ");
  std::smatch m;
  return std::regex_search(line, m, kPrefix) ? m.suffix().str() : line;
}

// What F's REQ prints on the standard output.
std::string console(std::vector<Parameter> params) {
  Generic g("OUT_ANY_CONSOLE", std::move(params));
  const std::string path = std::string(std::getenv("TEST_TMPDIR") ? std::getenv("TEST_TMPDIR") : "/tmp") + "/console";
  std::fflush(stdout);
  const int saved = dup(1);
  std::FILE* f = std::fopen(path.c_str(), "w");
  REQUIRE(f);
  dup2(fileno(f), 1);
  g.fire();
  std::fflush(stdout);
  dup2(saved, 1);
  close(saved);
  std::fclose(f);
  std::stringstream s;
  s << std::ifstream(path).rdbuf();
  return without_log_prefix(s.str()) + (g.value("QO").as_bool() ? "" : "(QO FALSE)");
}

}  // namespace

TEST_CASE("APPEND_STRING_2 appends strings as their characters", "[utils][APPEND_STRING]") {
  CHECK(append2("'x = '", "'y'") == "x = y");
  CHECK(append2("''", "''") == "");
  CHECK(append2("\"wide \"", "'narrow'") == "wide narrow");
}

TEST_CASE("APPEND_STRING_2 appends other values as FORTE's toString writes them", "[utils][APPEND_STRING]") {
  CHECK(append2("'x = '", "INT#5") == "x = 5");
  CHECK(append2("SINT#-7", "ULINT#18446744073709551615") == "-718446744073709551615");
  CHECK(append2("TRUE", "FALSE") == "TRUEFALSE");
  CHECK(append2("BYTE#16#FF", "WORD#16#100") == "255256");
  CHECK(append2("REAL#2.5", "REAL#1") == "2.51.0");
  CHECK(append2("REAL#0.1", "' '") == "0.100000001 ");
  CHECK(append2("LREAL#0.1", "1.0E20") == "0.100000000000000011e+20");
  CHECK(append2("T#1s500ms", "' '") == "T#1s500ms ");
  CHECK(append2("T#0s", "T#-2m") == "T#0nsT#-2m");
  CHECK(append2("T#1d2h3m4s5ms6us7ns", "''") == "T#1d2h3m4s5ms6us7ns");
  CHECK(append2("D#2024-10-15", "TOD#12:30:05.250") == "D#2024-10-15TOD#12:30:05.250");
  CHECK(append2("DT#1999-12-31-23:59:59.999", "''") == "DT#1999-12-31-23:59:59.999");
}

TEST_CASE("APPEND_STRING_3 appends three values", "[utils][APPEND_STRING]") {
  CHECK(text_of("APPEND_STRING_3", {{"IN_1", "'T = '"}, {"IN_2", "LREAL#21.5"}, {"IN_3", "' C'"}}) == "T = 21.5 C");
}

TEST_CASE("APPEND_STRING keeps the first 254 characters", "[utils][APPEND_STRING]") {
  const std::string a(250, 'a');
  CHECK(append2("'" + a + "'", "DINT#123456") == a + "1234");
}

TEST_CASE("OUT_ANY_CONSOLE prints LABEL = IN as a line of FORTE's log when QI", "[utils][OUT_ANY_CONSOLE]") {
  CHECK(console({{"QI", "TRUE"}, {"LABEL", "'count'"}, {"IN", "INT#42"}}) == " count = 42\n");
  CHECK(console({{"QI", "TRUE"}, {"LABEL", "'name'"}, {"IN", "'it$'s'"}}) == " name = 'it$'s'\n");
  CHECK(console({{"QI", "TRUE"}, {"LABEL", "'w'"}, {"IN", "\"say $\"hi$\"\""}}) == " w = \"say $\"hi$\"\"\n");
  CHECK(console({{"QI", "TRUE"}, {"LABEL", "''"}, {"IN", "T#250ms"}}) == "  = T#250ms\n");
  CHECK(console({{"QI", "TRUE"}, {"LABEL", "'esc'"}, {"IN", "'$$ $T$R$N'"}}) == " esc = '$$ $t$r$n'\n");
}

TEST_CASE("OUT_ANY_CONSOLE prints nothing and answers QO FALSE without QI", "[utils][OUT_ANY_CONSOLE]") {
  CHECK(console({{"QI", "FALSE"}, {"LABEL", "'count'"}, {"IN", "INT#42"}}) == "(QO FALSE)");
}
