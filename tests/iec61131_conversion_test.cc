// 4diac's conversion FBs (runtime/stdfb/iec61131_conversion.h): each case
// loads one block, writes IN, posts REQ and checks that CNF came out with
// the exact OUT. Values as 4diac FORTE computes them.
#include <atomic>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <new>

#include "runtime/fb_type.h"
#include "tests/allocation_counter.h"
#include "tests/language_support.h"
#include "tests/test_support.h"

using namespace plc;
using namespace plc::test;

namespace {

// One instance "F" of a conversion type.
struct Block {
  explicit Block(const std::string& type) : rig({{{"F", type, {}, ""}}, {}, {}}) {}

  const Interface& iface() { return rig.res->type_of(rig.fb("F")).iface; }
  Value* in_slots() { return rig.res->vars(rig.fb("F")) + iface().input_slot(0); }
  Value* out_slots() { return rig.res->vars(rig.fb("F")) + iface().output_slot(0); }
  void req() {
    auto events = rig.fire("F", "REQ");
    REQUIRE(events.size() == 1);
    REQUIRE(events[0].rfind("F.CNF(OUT=", 0) == 0);
  }

  Value operator()(Value in) {
    *in_slots() = in;
    req();
    return *out_slots();
  }
  std::string to_text(Value in) {
    *in_slots() = in;
    req();
    return read_string(iface().outputs[0], out_slots());
  }
  Value from_text(std::string_view text) {
    write_string(iface().inputs[0], text, in_slots());
    req();
    return *out_slots();
  }
  std::string text_to_text(std::string_view text) {
    write_string(iface().inputs[0], text, in_slots());
    req();
    return read_string(iface().outputs[0], out_slots());
  }

  Rig rig;
};

Value i(int64_t v) { return Value::of_int(v); }
Value u(uint64_t v) { return Value::of_uint(v); }
Value r(double v) { return Value::of_real(v); }
Value b(bool v) { return Value::of_bool(v); }
constexpr int64_t kMs = 1'000'000;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNan = std::numeric_limits<double>::quiet_NaN();

}  // namespace

TEST_CASE("Block FBs have 4diac's interface: REQ WITH IN, CNF WITH OUT", "[stdfb][conversion]") {
  const TypeLibrary& lib = standard_library();
  for (const char* name : {"F_INT_TO_REAL", "F_BYTE_BCD_TO_USINT", "F_TIME_IN_MS_TO_LINT", "F_WSTRING_TO_TIME",
                           "F_DT_TO_TOD", "BOOL2BOOL", "WSTRING2WSTRING"}) {
    const FbType* t = lib.find(name);
    REQUIRE(t);
    REQUIRE(t->iface.event_inputs.size() == 1);
    CHECK(t->iface.event_inputs[0].name == "REQ");
    CHECK(t->iface.event_inputs[0].with == std::vector<uint16_t>{0});
    REQUIRE(t->iface.event_outputs.size() == 1);
    CHECK(t->iface.event_outputs[0].name == "CNF");
    CHECK(t->iface.event_outputs[0].with == std::vector<uint16_t>{0});
    REQUIRE(t->iface.inputs.size() == 1);
    CHECK(t->iface.inputs[0].name == "IN");
    REQUIRE(t->iface.outputs.size() == 1);
    CHECK(t->iface.outputs[0].name == "OUT");
  }
  CHECK(lib.find("F_INT_TO_REAL")->iface.inputs[0].type == DataType::kInt);
  CHECK(lib.find("F_INT_TO_REAL")->iface.outputs[0].type == DataType::kReal);
  CHECK(lib.find("F_WORD_BCD_TO_UINT")->iface.inputs[0].type == DataType::kWord);
  CHECK(lib.find("F_WORD_BCD_TO_UINT")->iface.outputs[0].type == DataType::kUint);
  CHECK(lib.find("F_DT_TO_DATE")->iface.outputs[0].type == DataType::kDate);
}

TEST_CASE("Narrowing integer conversions keep the low bits (two's complement)", "[stdfb][conversion]") {
  Block int_to_sint("F_INT_TO_SINT");
  CHECK(int_to_sint(i(100)).i == 100);
  CHECK(int_to_sint(i(300)).i == 44);
  CHECK(int_to_sint(i(-129)).i == 127);
  CHECK(int_to_sint(i(-32768)).i == 0);
  Block int_to_usint("F_INT_TO_USINT");
  CHECK(int_to_usint(i(-1)).u == 255);
  CHECK(int_to_usint(i(256)).u == 0);
  Block dint_to_int("F_DINT_TO_INT");
  CHECK(dint_to_int(i(40000)).i == -25536);
  Block lint_to_dint("F_LINT_TO_DINT");
  CHECK(lint_to_dint(i(int64_t{1} << 32 | 5)).i == 5);
  Block udint_to_int("F_UDINT_TO_INT");
  CHECK(udint_to_int(u(65535)).i == -1);
  Block ulint_to_lint("F_ULINT_TO_LINT");
  CHECK(ulint_to_lint(u(~uint64_t{0})).i == -1);
  Block lword_to_byte("F_LWORD_TO_BYTE");
  CHECK(lword_to_byte(u(0x1234'5678'9ABC'DEF0)).u == 0xF0);
}

TEST_CASE("Widening integer conversions sign-extend signed and zero-extend unsigned sources", "[stdfb][conversion]") {
  Block sint_to_dint("F_SINT_TO_DINT");
  CHECK(sint_to_dint(i(-5)).i == -5);
  Block sint_to_word("F_SINT_TO_WORD");
  CHECK(sint_to_word(i(-1)).u == 0xFFFF);
  Block int_to_ulint("F_INT_TO_ULINT");
  CHECK(int_to_ulint(i(-2)).u == ~uint64_t{0} - 1);
  Block usint_to_lint("F_USINT_TO_LINT");
  CHECK(usint_to_lint(u(200)).i == 200);
  Block byte_to_sint("F_BYTE_TO_SINT");
  CHECK(byte_to_sint(u(0x80)).i == -128);
  Block dword_to_dint("F_DWORD_TO_DINT");
  CHECK(dword_to_dint(u(0xFFFF'FFFF)).i == -1);
}

TEST_CASE("REAL to integer rounds half away from zero", "[stdfb][conversion]") {
  Block real_to_int("F_REAL_TO_INT");
  CHECK(real_to_int(r(2.5)).i == 3);
  CHECK(real_to_int(r(3.5)).i == 4);
  CHECK(real_to_int(r(-2.5)).i == -3);
  CHECK(real_to_int(r(1.4999)).i == 1);
  CHECK(real_to_int(r(-1.5)).i == -2);
  CHECK(real_to_int(r(-0.4)).i == 0);
  Block lreal_to_dint("F_LREAL_TO_DINT");
  CHECK(lreal_to_dint(r(0.5)).i == 1);
  CHECK(lreal_to_dint(r(-0.5)).i == -1);
  CHECK(lreal_to_dint(r(-123456.5)).i == -123457);
  Block lreal_to_lint("F_LREAL_TO_LINT");
  CHECK(lreal_to_lint(r(-9.0e15)).i == -9'000'000'000'000'000);
}

TEST_CASE("REAL to a narrow integer wraps like an integer conversion", "[stdfb][conversion]") {
  Block real_to_int("F_REAL_TO_INT");
  CHECK(real_to_int(r(40000.0)).i == -25536);
  Block real_to_usint("F_REAL_TO_USINT");
  CHECK(real_to_usint(r(256.0)).u == 0);
  CHECK(real_to_usint(r(-1.0)).u == 255);
  Block lreal_to_udint("F_LREAL_TO_UDINT");
  CHECK(lreal_to_udint(r(5.0e9)).u == 705'032'704);
}

TEST_CASE("REAL to ULINT takes values from 2^63 up to 2^64-1", "[stdfb][conversion]") {
  Block lreal_to_ulint("F_LREAL_TO_ULINT");
  CHECK(lreal_to_ulint(r(1.0e19)).u == 10'000'000'000'000'000'000u);
  CHECK(lreal_to_ulint(r(9223372036854775808.0)).u == uint64_t{1} << 63);
  CHECK(lreal_to_ulint(r(1.0e20)).u == ~uint64_t{0});
  Block real_to_ulint("F_REAL_TO_ULINT");
  CHECK(real_to_ulint(r(double(1.0e19f))).u == uint64_t(double(1.0e19f)));
  Block lreal_to_lint("F_LREAL_TO_LINT");
  CHECK(lreal_to_lint(r(1.0e19)).i == std::numeric_limits<int64_t>::max());
  CHECK(lreal_to_lint(r(-1.0e19)).i == std::numeric_limits<int64_t>::min());
}

TEST_CASE("NaN converts to 0 and infinities saturate at 64 bits before the cut", "[stdfb][conversion]") {
  Block real_to_int("F_REAL_TO_INT");
  CHECK(real_to_int(r(kNan)).i == 0);
  CHECK(real_to_int(r(kInf)).i == -1);  // INT64_MAX's low 16 bits
  CHECK(real_to_int(r(-kInf)).i == 0);
  Block lreal_to_lint("F_LREAL_TO_LINT");
  CHECK(lreal_to_lint(r(kNan)).i == 0);
  CHECK(lreal_to_lint(r(kInf)).i == std::numeric_limits<int64_t>::max());
  CHECK(lreal_to_lint(r(-kInf)).i == std::numeric_limits<int64_t>::min());
  Block lreal_to_ulint("F_LREAL_TO_ULINT");
  CHECK(lreal_to_ulint(r(kInf)).u == ~uint64_t{0});
  CHECK(lreal_to_ulint(r(kNan)).u == 0);
  Block real_to_usint("F_REAL_TO_USINT");
  CHECK(real_to_usint(r(kInf)).u == 255);
}

TEST_CASE("Integer to REAL rounds to float precision, to LREAL exactly", "[stdfb][conversion]") {
  Block int_to_real("F_INT_TO_REAL");
  CHECK(int_to_real(i(-32768)).r == -32768.0);
  Block dint_to_real("F_DINT_TO_REAL");
  CHECK(dint_to_real(i(16'777'217)).r == 16'777'216.0);
  Block dint_to_lreal("F_DINT_TO_LREAL");
  CHECK(dint_to_lreal(i(16'777'217)).r == 16'777'217.0);
  Block ulint_to_lreal("F_ULINT_TO_LREAL");
  CHECK(ulint_to_lreal(u(~uint64_t{0})).r == 18446744073709551616.0);
  Block lreal_to_real("F_LREAL_TO_REAL");
  CHECK(lreal_to_real(r(0.1)).r == double(0.1f));
  Block real_to_lreal("F_REAL_TO_LREAL");
  CHECK(real_to_lreal(r(double(0.1f))).r == double(0.1f));
}

TEST_CASE("DWORD <-> REAL and LWORD <-> LREAL transfer the IEEE 754 bits", "[stdfb][conversion]") {
  Block real_to_dword("F_REAL_TO_DWORD");
  CHECK(real_to_dword(r(1.0)).u == 0x3F80'0000);
  CHECK(real_to_dword(r(-2.0)).u == 0xC000'0000);
  Block dword_to_real("F_DWORD_TO_REAL");
  CHECK(dword_to_real(u(0x4049'0FDB)).r == double(std::bit_cast<float>(uint32_t{0x4049'0FDB})));
  Block lreal_to_lword("F_LREAL_TO_LWORD");
  CHECK(lreal_to_lword(r(1.0)).u == 0x3FF0'0000'0000'0000);
  Block lword_to_lreal("F_LWORD_TO_LREAL");
  CHECK(lword_to_lreal(u(0x4000'0000'0000'0000)).r == 2.0);
}

TEST_CASE("BOOL converts to 0 or 1 and from text TRUE/FALSE", "[stdfb][conversion]") {
  Block bool_to_int("F_BOOL_TO_INT");
  CHECK(bool_to_int(b(true)).i == 1);
  CHECK(bool_to_int(b(false)).i == 0);
  Block bool_to_lword("F_BOOL_TO_LWORD");
  CHECK(bool_to_lword(b(true)).u == 1);
  Block bool_to_string("F_BOOL_TO_STRING");
  CHECK(bool_to_string.to_text(b(true)) == "TRUE");
  CHECK(bool_to_string.to_text(b(false)) == "FALSE");
  Block string_to_bool("F_STRING_TO_BOOL");
  CHECK(string_to_bool.from_text("TRUE").u == 1);
  CHECK(string_to_bool.from_text("FALSE").u == 0);
  CHECK(string_to_bool.from_text("banana").u == 0);
  Block copy("BOOL2BOOL");
  CHECK(copy(b(true)).u == 1);
  CHECK(copy(b(false)).u == 0);
}

TEST_CASE("BCD conversions use FORTE's digit arithmetic", "[stdfb][conversion][BCD]") {
  Block byte_bcd("F_BYTE_BCD_TO_USINT");
  CHECK(byte_bcd(u(0x42)).u == 42);
  CHECK(byte_bcd(u(0x99)).u == 99);
  CHECK(byte_bcd(u(0xFF)).u == 165);  // nibbles are not checked
  Block word_bcd("F_WORD_BCD_TO_UINT");
  CHECK(word_bcd(u(0x1234)).u == 1234);
  CHECK(word_bcd(u(0x9999)).u == 9999);
  Block dword_bcd("F_DWORD_BCD_TO_UDINT");
  CHECK(dword_bcd(u(0x1234'5678)).u == 12'345'678);
  Block lword_bcd("F_LWORD_BCD_TO_ULINT");
  CHECK(lword_bcd(u(0x1234'5678'9012'3456)).u == 1'234'567'890'123'456);
  Block usint_bcd("F_USINT_TO_BCD_BYTE");
  CHECK(usint_bcd(u(42)).u == 0x42);
  CHECK(usint_bcd(u(99)).u == 0x99);
  CHECK(usint_bcd(u(255)).u == 0x95);  // (25 * 16 + 5) cut to a byte
  Block uint_bcd("F_UINT_TO_BCD_WORD");
  CHECK(uint_bcd(u(1234)).u == 0x1234);
  CHECK(uint_bcd(u(65535)).u == 0xE335);  // 655 cut to a byte is 143, 14 * 16 + 3 = 16#E3
  Block udint_bcd("F_UDINT_TO_BCD_DWORD");
  CHECK(udint_bcd(u(12'345'678)).u == 0x1234'5678);
  Block ulint_bcd("F_ULINT_TO_BCD_LWORD");
  CHECK(ulint_bcd(u(1'234'567'890'123'456)).u == 0x1234'5678'9012'3456);
}

TEST_CASE("TIME_IN_*_TO_LINT/ULINT truncate toward zero, _TO_LREAL divide exactly", "[stdfb][conversion][TIME]") {
  Block s_lint("F_TIME_IN_S_TO_LINT");
  CHECK(s_lint(i(2'999 * kMs)).i == 2);
  CHECK(s_lint(i(-2'999 * kMs)).i == -2);
  Block ms_lint("F_TIME_IN_MS_TO_LINT");
  CHECK(ms_lint(i(1'500 * kMs + 999'999)).i == 1'500);
  Block us_lint("F_TIME_IN_US_TO_LINT");
  CHECK(us_lint(i(1'234'567)).i == 1'234);
  Block ns_lint("F_TIME_IN_NS_TO_LINT");
  CHECK(ns_lint(i(-7)).i == -7);
  Block ms_ulint("F_TIME_IN_MS_TO_ULINT");
  CHECK(ms_ulint(i(3 * kMs)).u == 3);
  CHECK(ms_ulint(i(-3 * kMs)).u == ~uint64_t{0} - 2);
  Block s_lreal("F_TIME_IN_S_TO_LREAL");
  CHECK(s_lreal(i(1'500 * kMs)).r == 1.5);
  Block ms_lreal("F_TIME_IN_MS_TO_LREAL");
  CHECK(ms_lreal(i(1'250'000)).r == 1.25);
  Block us_lreal("F_TIME_IN_US_TO_LREAL");
  CHECK(us_lreal(i(-500)).r == -0.5);
  Block ns_ulint("F_TIME_IN_NS_TO_ULINT");
  CHECK(ns_ulint(i(123)).u == 123);
}

TEST_CASE("TIME_TO_STRING writes milliseconds as FORTE does", "[stdfb][conversion][TIME]") {
  Block to_string("F_TIME_TO_STRING");
  CHECK(to_string.to_text(i(1'500 * kMs)) == "T#1500ms");
  CHECK(to_string.to_text(i(0)) == "T#0ms");
  CHECK(to_string.to_text(i(1'500 * kMs + 250'000)) == "T#1500.250ms");
  CHECK(to_string.to_text(i(5'000)) == "T#0.005ms");
  CHECK(to_string.to_text(i(999)) == "T#0ms");  // nanoseconds are dropped
  CHECK(to_string.to_text(i(-1'500 * kMs)) == "T#-1500ms");
  Block to_wstring("F_TIME_TO_WSTRING");
  CHECK(to_wstring.to_text(i(3'600'000 * kMs)) == "T#3600000ms");
}

TEST_CASE("STRING_TO_TIME parses a TIME literal, anything else gives T#0s", "[stdfb][conversion][TIME]") {
  Block from_string("F_STRING_TO_TIME");
  CHECK(from_string.from_text("T#1s500ms").i == 1'500 * kMs);
  CHECK(from_string.from_text("TIME#-2m").i == -120'000 * kMs);
  CHECK(from_string.from_text("1s").i == 0);
  Block from_wstring("F_WSTRING_TO_TIME");
  CHECK(from_wstring.from_text("T#250ms").i == 250 * kMs);
  Block copy("TIME2TIME");
  CHECK(copy(i(-7)).i == -7);
}

TEST_CASE("Numbers to STRING and WSTRING: decimal integers, %g REAL, %.15g LREAL", "[stdfb][conversion][STRING]") {
  Block int_to_string("F_INT_TO_STRING");
  CHECK(int_to_string.to_text(i(-32768)) == "-32768");
  Block ulint_to_string("F_ULINT_TO_STRING");
  CHECK(ulint_to_string.to_text(u(~uint64_t{0})) == "18446744073709551615");
  Block word_to_wstring("F_WORD_TO_WSTRING");
  CHECK(word_to_wstring.to_text(u(0xFFFF)) == "65535");
  Block real_to_string("F_REAL_TO_STRING");
  CHECK(real_to_string.to_text(r(double(0.1f))) == "0.1");
  CHECK(real_to_string.to_text(r(1.5e10)) == "1.5e+10");
  CHECK(real_to_string.to_text(r(-2.0)) == "-2");
  Block lreal_to_string("F_LREAL_TO_STRING");
  CHECK(lreal_to_string.to_text(r(0.1)) == "0.1");
  CHECK(lreal_to_string.to_text(r(1.0 / 3.0)) == "0.333333333333333");
  CHECK(lreal_to_string.to_text(r(kInf)) == "inf");
  Block lreal_to_wstring("F_LREAL_TO_WSTRING");
  CHECK(lreal_to_wstring.to_text(r(-1e-5)) == "-1e-05");
}

TEST_CASE("STRING to numbers parses a literal of OUT's type, anything else gives 0", "[stdfb][conversion][STRING]") {
  Block to_int("F_STRING_TO_INT");
  CHECK(to_int.from_text("42").i == 42);
  CHECK(to_int.from_text("-32768").i == -32768);
  CHECK(to_int.from_text("INT#7").i == 7);
  CHECK(to_int.from_text("16#7FFF").i == 32767);
  CHECK(to_int.from_text("32768").i == 0);  // does not fit
  CHECK(to_int.from_text("").i == 0);
  CHECK(to_int.from_text("12abc").i == 0);
  Block to_usint("F_STRING_TO_USINT");
  CHECK(to_usint.from_text("255").u == 255);
  CHECK(to_usint.from_text("-1").u == 0);
  Block to_lreal("F_STRING_TO_LREAL");
  CHECK(to_lreal.from_text("2.5").r == 2.5);
  CHECK(to_lreal.from_text("1.0E3").r == 1000.0);
  Block to_real("F_STRING_TO_REAL");
  CHECK(to_real.from_text("0.1").r == double(0.1f));
  Block to_dword("F_WSTRING_TO_DWORD");
  CHECK(to_dword.from_text("16#DEADBEEF").u == 0xDEAD'BEEF);
  Block to_ulint("F_WSTRING_TO_ULINT");
  CHECK(to_ulint.from_text("18446744073709551615").u == ~uint64_t{0});
}

TEST_CASE("STRING <-> WSTRING copy the text up to 254 characters", "[stdfb][conversion][STRING]") {
  Block to_wstring("F_STRING_TO_WSTRING");
  CHECK(to_wstring.text_to_text("hello") == "hello");
  CHECK(to_wstring.text_to_text("") == "");
  Block to_string("F_WSTRING_TO_STRING");
  CHECK(to_string.text_to_text("a b c") == "a b c");
  const std::string long_text(300, 'x');
  CHECK(to_string.text_to_text(long_text) == std::string(254, 'x'));
  Block copy("STRING2STRING");
  CHECK(copy.text_to_text("abc") == "abc");
  CHECK(copy.text_to_text(long_text) == std::string(254, 'x'));
  Block wcopy("WSTRING2WSTRING");
  CHECK(wcopy.text_to_text("xyz") == "xyz");
}

TEST_CASE("DT_TO_DATE and DT_TO_TOD split a DATE_AND_TIME at midnight", "[stdfb][conversion][DT]") {
  const int64_t day = 86'400'000 * kMs;
  const int64_t dt = 19'000 * day + 3'723'000 * kMs;  // 2022-01-08-01:02:03
  Block to_date("F_DT_TO_DATE");
  CHECK(to_date(i(dt)).i == 19'000 * day);
  Block to_tod("F_DT_TO_TOD");
  CHECK(to_tod(i(dt)).i == 3'723'000 * kMs);
}

TEST_CASE("The convert/ blocks copy IN to OUT unchanged", "[stdfb][conversion][convert]") {
  Block sint("SINT2SINT");
  CHECK(sint(i(-128)).i == -128);
  Block udint("UDINT2UDINT");
  CHECK(udint(u(0xFFFF'FFFF)).u == 0xFFFF'FFFF);
  Block lreal("LREAL2LREAL");
  CHECK(lreal(r(-0.25)).r == -0.25);
  Block real("REAL2REAL");
  CHECK(real(r(1.5)).r == 1.5);
  Block dword("DWORD2DWORD");
  CHECK(dword(u(0xDEAD'BEEF)).u == 0xDEAD'BEEF);
}

TEST_CASE("A conversion FB outputs the same value on every REQ", "[stdfb][conversion]") {
  Block int_to_real("F_INT_TO_REAL");
  CHECK(int_to_real(i(7)).r == 7.0);
  CHECK(int_to_real.rig.fire("F", "REQ") == Events{"F.CNF(OUT=7)"});
}

namespace {

// OUT := FN(IN) in an ST algorithm, IN of type `in_type` holding `in` (or
// the text `text`); returns OUT as format_value writes it, or its text.
std::string st_call(const std::string& fn, const std::string& in_type, const std::string& out_type, Value in,
                    const char* text) {
  StRun st("OUT : " + out_type + ";", "OUT := " + fn + "(IN);", "", "IN : " + in_type + ";");
  FbIndex f = st.rig.fb("X");
  const auto& iface = st.rig.res->type_of(f).iface;
  Value* slots = st.rig.res->vars(f) + iface.input_slot(0);
  if (text) write_string(iface.inputs[0], text, slots);
  else *slots = in;
  CHECK(st.run().empty());
  return st["OUT"];
}

}  // namespace

TEST_CASE("A conversion FB and the ST function of the same name give the same value", "[stdfb][conversion][ST]") {
  struct Case {
    const char* fn;
    const char* in_type;
    const char* out_type;
    Value in;
    const char* text = nullptr;
  };
  const Case cases[] = {
      {"INT_TO_SINT", "INT", "SINT", i(300)},
      {"INT_TO_SINT", "INT", "SINT", i(-129)},
      {"DINT_TO_INT", "DINT", "INT", i(40000)},
      {"INT_TO_USINT", "INT", "USINT", i(-1)},
      {"UDINT_TO_INT", "UDINT", "INT", u(65535)},
      {"LWORD_TO_BYTE", "LWORD", "BYTE", u(0x1234'5678'9ABC'DEF0)},
      {"SINT_TO_WORD", "SINT", "WORD", i(-1)},
      {"BYTE_TO_SINT", "BYTE", "SINT", u(0x80)},
      {"INT_TO_ULINT", "INT", "ULINT", i(-2)},
      {"REAL_TO_INT", "REAL", "INT", r(2.5)},
      {"REAL_TO_INT", "REAL", "INT", r(-2.5)},
      {"REAL_TO_INT", "REAL", "INT", r(40000.0)},
      {"REAL_TO_INT", "REAL", "INT", r(kNan)},
      {"REAL_TO_INT", "REAL", "INT", r(kInf)},
      {"REAL_TO_INT", "REAL", "INT", r(-kInf)},
      {"LREAL_TO_DINT", "LREAL", "DINT", r(-123456.5)},
      {"REAL_TO_USINT", "REAL", "USINT", r(-1.0)},
      {"REAL_TO_USINT", "REAL", "USINT", r(256.0)},
      {"LREAL_TO_UDINT", "LREAL", "UDINT", r(5.0e9)},
      {"LREAL_TO_LINT", "LREAL", "LINT", r(1.0e19)},
      {"INT_TO_REAL", "INT", "REAL", i(-32768)},
      {"DINT_TO_REAL", "DINT", "REAL", i(16'777'217)},
      {"ULINT_TO_LREAL", "ULINT", "LREAL", u(~uint64_t{0})},
      {"LREAL_TO_REAL", "LREAL", "REAL", r(0.1)},
      {"BOOL_TO_INT", "BOOL", "INT", b(true)},
      {"BOOL_TO_STRING", "BOOL", "STRING", b(true)},
      {"INT_TO_STRING", "INT", "STRING", i(-32768)},
      {"ULINT_TO_WSTRING", "ULINT", "WSTRING", u(~uint64_t{0})},
      {"STRING_TO_INT", "STRING", "INT", {}, "42"},
      {"STRING_TO_INT", "STRING", "INT", {}, "16#7FFF"},
      {"STRING_TO_LREAL", "STRING", "LREAL", {}, "2.5"},
      {"STRING_TO_BOOL", "STRING", "BOOL", {}, "TRUE"},
      {"STRING_TO_TIME", "STRING", "TIME", {}, "T#1s500ms"},
      {"STRING_TO_WSTRING", "STRING", "WSTRING", {}, "abc"},
      {"WSTRING_TO_STRING", "WSTRING", "STRING", {}, "abc"},
      {"DT_TO_TOD", "DT", "TOD", i(int64_t{19'000} * 86'400'000 * kMs + 3'723'000 * kMs)},
      {"DT_TO_DATE", "DT", "DATE", i(int64_t{19'000} * 86'400'000 * kMs + 3'723'000 * kMs)},
  };
  // Not here, because the ST function differs (iec61131_conversion.cc says
  // how): the IEEE bit transfers, REAL/LREAL/TIME to
  // STRING, STRING_TO_* of a text that is no literal.
  for (const Case& c : cases) {
    INFO(c.fn << (c.text ? std::string(" '") + c.text + "'" : ""));
    Block fb(std::string("F_") + c.fn);
    const VarDecl& out = fb.iface().outputs[0];
    std::string fb_value;
    if (c.text) write_string(fb.iface().inputs[0], c.text, fb.in_slots());
    else *fb.in_slots() = c.in;
    fb.req();
    if (out.type == DataType::kString || out.type == DataType::kWstring) fb_value = read_string(out, fb.out_slots());
    else fb_value = format_value(out.type, *fb.out_slots());
    CHECK(fb_value == st_call(c.fn, c.in_type, c.out_type, c.in, c.text));
  }
}

TEST_CASE("Conversion FBs convert, format and parse without allocating", "[stdfb][conversion][allocation]") {
  auto loaded = Resource::load({{{"A", "F_LREAL_TO_STRING", {{"IN", "-2.5"}}, ""},
                                 {"B", "F_STRING_TO_LREAL", {}, ""},
                                 {"C", "F_LREAL_TO_INT", {}, ""},
                                 {"D", "F_INT_TO_WSTRING", {}, ""},
                                 {"E", "F_WSTRING_TO_STRING", {}, ""},
                                 {"F", "F_STRING_TO_DINT", {}, ""},
                                 {"G", "F_TIME_TO_STRING", {{"IN", "T#1s500ms"}}, ""},
                                 {"H", "F_STRING_TO_TIME", {}, ""},
                                 {"I", "F_USINT_TO_BCD_BYTE", {{"IN", "42"}}, ""},
                                 {"J", "STRING2STRING", {}, ""}},
                                {{"A.CNF", "B.REQ", ""},
                                 {"B.CNF", "C.REQ", ""},
                                 {"C.CNF", "D.REQ", ""},
                                 {"D.CNF", "E.REQ", ""},
                                 {"E.CNF", "F.REQ", ""},
                                 {"F.CNF", "G.REQ", ""},
                                 {"G.CNF", "H.REQ", ""},
                                 {"H.CNF", "I.REQ", ""},
                                 {"I.CNF", "J.REQ", ""}},
                                {{"A.OUT", "B.IN", ""},
                                 {"B.OUT", "C.IN", ""},
                                 {"C.OUT", "D.IN", ""},
                                 {"D.OUT", "E.IN", ""},
                                 {"E.OUT", "F.IN", ""},
                                 {"G.OUT", "H.IN", ""},
                                 {"A.OUT", "J.IN", ""}}},
                               standard_library());
  REQUIRE(loaded);
  auto& r = *loaded.value();
  const FbIndex a = *r.find_fb("A");
  r.inject(a, EventId{0});
  r.step(Time{0});  // warm up
  r.inject(a, EventId{0});
  const uint64_t before = allocations();
  const uint64_t dispatched = r.step(Time{0}).dispatched;
  CHECK(allocations() - before == 0);
  CHECK(dispatched == 10);
  const FbIndex f = *r.find_fb("F"), h = *r.find_fb("H");
  CHECK(r.vars(f)[r.type_of(f).iface.output_slot(0)].i == -3);
  CHECK(r.vars(h)[r.type_of(h).iface.output_slot(0)].i == 1'500 * kMs);
}
