// 4diac's character string FBs (runtime/stdfb/iec61131_character_string.cc):
// positions count from 1; out-of-range L and P as FORTE handles them.
#include <string>

#include "tests/generic_block_support.h"

using namespace plc;
using namespace plc::test;

namespace {

std::string left(const char* in, const char* l) { return text_of("F_LEFT", {{"IN", in}, {"L", l}}); }
std::string right(const char* in, const char* l) { return text_of("F_RIGHT", {{"IN", in}, {"L", l}}); }
std::string mid(const char* in, const char* l, const char* p) {
  return text_of("F_MID", {{"IN", in}, {"L", l}, {"P", p}});
}
std::string insert(const char* a, const char* b, const char* p) {
  return text_of("F_INSERT", {{"IN1", a}, {"IN2", b}, {"P", p}});
}
std::string del(const char* in, const char* l, const char* p) {
  return text_of("F_DELETE", {{"IN", in}, {"L", l}, {"P", p}});
}
std::string replace(const char* a, const char* b, const char* l, const char* p) {
  return text_of("F_REPLACE", {{"IN1", a}, {"IN2", b}, {"L", l}, {"P", p}});
}
int64_t find(const char* a, const char* b) {
  Generic g("F_FIND", {{"IN1", a}, {"IN2", b}});
  REQUIRE(g.fire() == std::vector<std::string>{"F.CNF"});
  return g.value("OUT").i;
}

}  // namespace

TEST_CASE("F_CONCAT appends IN2 to IN1", "[iec61131][charString]") {
  Generic g("F_CONCAT", {{"IN1", "'ab'"}, {"IN2", "'cd'"}});
  REQUIRE(g.fire() == std::vector<std::string>{"F.CNF"});
  CHECK(g.text("OUT") == "abcd");
  CHECK(g.type("OUT") == DataType::kString);
  CHECK(text_of("F_CONCAT", {{"IN1", "''"}, {"IN2", "'cd'"}}) == "cd");
  CHECK(text_of("F_CONCAT", {{"IN1", "'ab'"}, {"IN2", "''"}}) == "ab");
  CHECK(text_of("F_CONCAT", {{"IN1", "''"}, {"IN2", "''"}}) == "");
}

TEST_CASE("F_CONCAT cuts its result to OUT's capacity", "[iec61131][charString]") {
  const std::string a(200, 'a'), b(200, 'b');
  Generic g("F_CONCAT", {{"IN1", "'" + a + "'"}, {"IN2", "'" + b + "'"}});
  g.fire();
  CHECK(g.text("OUT") == a + std::string(54, 'b'));
}

TEST_CASE("F_CONCAT of two WSTRINGs is a WSTRING", "[iec61131][charString]") {
  Generic g("F_CONCAT", {{"IN1", "\"ab\""}, {"IN2", "\"cd\""}});
  g.fire();
  CHECK(g.type("OUT") == DataType::kWstring);
  CHECK(g.text("OUT") == "abcd");
}

TEST_CASE("F_CONCAT keeps WSTRING characters beyond 8 bits", "[iec61131][charString]") {
  Generic g("F_CONCAT", {{"IN1", "\"a\""}, {"IN2", "\"b\""}});
  auto* in1 = reinterpret_cast<unsigned char*>(g.slots("IN1") + 1);
  in1[1] = 0x20;  // 'a' becomes U+2061
  g.fire();
  auto* out = reinterpret_cast<unsigned char*>(g.slots("OUT") + 1);
  CHECK(g.slots("OUT")[0].u == 2);
  CHECK((out[0] | out[1] << 8) == 0x2061);
  CHECK((out[2] | out[3] << 8) == 'b');
}

TEST_CASE("F_LEFT takes the first L characters; L < 0 or beyond the end gives IN", "[iec61131][charString]") {
  CHECK(left("'ABCDE'", "2") == "AB");
  CHECK(left("'ABCDE'", "0") == "");
  CHECK(left("'ABCDE'", "5") == "ABCDE");
  CHECK(left("'ABCDE'", "9") == "ABCDE");
  CHECK(left("'ABCDE'", "-1") == "ABCDE");
  CHECK(left("''", "1") == "");
  CHECK(left("\"ABC\"", "UINT#2") == "AB");
}

TEST_CASE("F_RIGHT takes the last L characters; L < 0 or beyond the end gives IN", "[iec61131][charString]") {
  CHECK(right("'ABCDE'", "2") == "DE");
  CHECK(right("'ABCDE'", "0") == "");
  CHECK(right("'ABCDE'", "5") == "ABCDE");
  CHECK(right("'ABCDE'", "6") == "ABCDE");
  CHECK(right("'ABCDE'", "SINT#-3") == "ABCDE");
}

TEST_CASE("F_MID takes L characters from position P, FORTE's way out of range", "[iec61131][charString]") {
  CHECK(mid("'ABCDE'", "2", "2") == "BC");
  CHECK(mid("'ABCDE'", "1", "1") == "A");
  CHECK(mid("'ABCDE'", "5", "4") == "DE");  // L past the end: what is there
  CHECK(mid("'ABCDE'", "2", "6") == "");    // P just past the end
  CHECK(mid("'ABCDE'", "2", "0") == "AB");  // P = 0 takes from the start
  CHECK(mid("'ABCDE'", "2", "9") == "AB");  // so does P > LEN + 1
  CHECK(mid("'ABCDE'", "2", "-1") == "ABCDE");
  CHECK(mid("'ABCDE'", "-1", "3") == "CDE");
}

TEST_CASE("F_LEN counts the characters into an ANY_INT", "[iec61131][charString]") {
  Generic g("F_LEN", {{"IN", "'ABCDE'"}});
  g.fire();
  CHECK(g.value("OUT").i == 5);
  CHECK(g.type("OUT") == DataType::kLint);
  Generic e("F_LEN", {{"IN", "\"\""}});
  e.fire();
  CHECK(e.value("OUT").i == 0);
}

TEST_CASE("F_LEN writes into the type its OUT is connected to", "[iec61131][charString]") {
  // S decides USINT from its IN0; F's OUT follows S.IN1.
  const FbNetwork simple{{{"F", "F_LEN", {{"IN", "'ABC'"}}, ""}, {"S", "F_SEL", {{"IN0", "USINT#0"}}, ""}},
                         {{"F.CNF", "S.REQ", ""}},
                         {{"F.OUT", "S.IN1", ""}}};
  Generic g(simple, standard_library());
  g.fire();
  CHECK(g.type("OUT") == DataType::kUsint);
  CHECK(g.value("OUT").u == 3);
}

TEST_CASE("F_FIND gives the position of the first occurrence, 0 for none", "[iec61131][charString]") {
  CHECK(find("'ABCBC'", "'BC'") == 2);
  CHECK(find("'ABC'", "'A'") == 1);
  CHECK(find("'ABC'", "'C'") == 3);
  CHECK(find("'ABC'", "'X'") == 0);
  CHECK(find("'AB'", "'ABC'") == 0);
  CHECK(find("'ABC'", "''") == 1);
  CHECK(find("\"ABCBC\"", "\"CB\"") == 3);
}

TEST_CASE("F_INSERT puts IN2 after the P-th character; P out of range gives IN1", "[iec61131][charString]") {
  CHECK(insert("'ABC'", "'XY'", "2") == "ABXYC");
  CHECK(insert("'ABC'", "'XY'", "1") == "AXYBC");
  CHECK(insert("'ABC'", "'XY'", "3") == "ABCXY");
  CHECK(insert("'ABC'", "''", "2") == "ABC");
  CHECK(insert("'ABC'", "'XY'", "0") == "ABC");
  CHECK(insert("'ABC'", "'XY'", "4") == "ABC");
  CHECK(insert("'ABC'", "'XY'", "-2") == "ABC");
}

TEST_CASE("F_DELETE removes L characters from position P; out of range gives IN", "[iec61131][charString]") {
  CHECK(del("'ABXYC'", "2", "3") == "ABC");
  CHECK(del("'ABC'", "1", "1") == "BC");
  CHECK(del("'ABC'", "1", "3") == "AB");  // the last character (FORTE refuses it)
  CHECK(del("'ABC'", "3", "1") == "");
  CHECK(del("'ABC'", "2", "3") == "ABC");  // past the end
  CHECK(del("'ABC'", "0", "2") == "ABC");
  CHECK(del("'ABC'", "1", "0") == "ABC");
  CHECK(del("'ABC'", "-1", "1") == "ABC");
}

TEST_CASE("F_REPLACE puts IN2 in place of L characters from P; out of range gives IN1", "[iec61131][charString]") {
  CHECK(replace("'ABCDE'", "'XY'", "2", "2") == "AXYDE");
  CHECK(replace("'ABCDE'", "'X'", "3", "3") == "ABX");
  CHECK(replace("'ABCDE'", "''", "1", "1") == "BCDE");
  CHECK(replace("'ABCDE'", "'XYZ'", "1", "5") == "ABCDXYZ");
  CHECK(replace("'ABCDE'", "'XY'", "2", "5") == "ABCDE");  // past the end
  CHECK(replace("'ABCDE'", "'XY'", "0", "2") == "ABCDE");
  CHECK(replace("'ABCDE'", "'XY'", "2", "0") == "ABCDE");
}

TEST_CASE("F_CONCAT_DATE_TOD joins a DATE and a TIME_OF_DAY", "[iec61131][charString]") {
  Generic g("F_CONCAT_DATE_TOD", {{"IN1", "D#2024-10-15"}, {"IN2", "TOD#12:30:05.250"}});
  g.fire();
  CHECK(format_value(DataType::kDateAndTime, g.value("OUT")) ==
        format_value(DataType::kDateAndTime, *parse_literal(DataType::kDateAndTime, "DT#2024-10-15-12:30:05.250")));
}
