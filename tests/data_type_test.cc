// IEC 61131-3 elementary types: literal forms, ranges and storage.
#include <catch2/catch.hpp>

#include "runtime/data_type.h"
#include "runtime/fb_type.h"

using namespace plc;

namespace {
std::optional<int64_t> i(DataType t, const char* text) {
  auto v = parse_literal(t, text);
  return v ? std::optional<int64_t>(v->i) : std::nullopt;
}
std::optional<uint64_t> u(DataType t, const char* text) {
  auto v = parse_literal(t, text);
  return v ? std::optional<uint64_t>(v->u) : std::nullopt;
}
}  // namespace

TEST_CASE("integer literals take every base, separators, signs and type prefixes", "[types][literal]") {
  CHECK(i(DataType::kInt, "42") == 42);
  CHECK(i(DataType::kInt, "-32768") == -32768);
  CHECK(i(DataType::kInt, "INT#5") == 5);
  CHECK(i(DataType::kInt, "int#-5") == -5);
  CHECK(u(DataType::kWord, "16#AFFE") == 0xAFFE);
  CHECK(u(DataType::kByte, "2#1010_1010") == 0xAA);
  CHECK(u(DataType::kUint, "8#17") == 15);
  CHECK(u(DataType::kUdint, "1_000_000") == 1000000);
  CHECK(u(DataType::kUlint, "18446744073709551615") == UINT64_MAX);
  CHECK(i(DataType::kLint, "-9223372036854775808") == INT64_MIN);
}

TEST_CASE("integer literals outside their type's range or of another type are refused", "[types][literal]") {
  CHECK_FALSE(parse_literal(DataType::kSint, "128"));
  CHECK_FALSE(parse_literal(DataType::kSint, "-129"));
  CHECK_FALSE(parse_literal(DataType::kUsint, "256"));
  CHECK_FALSE(parse_literal(DataType::kUint, "-1"));
  CHECK_FALSE(parse_literal(DataType::kInt, "DINT#5"));
  CHECK_FALSE(parse_literal(DataType::kInt, "16#"));
  CHECK_FALSE(parse_literal(DataType::kInt, "1__0_"));
  CHECK_FALSE(parse_literal(DataType::kInt, "3#12"));
  CHECK_FALSE(parse_literal(DataType::kUlint, "18446744073709551616"));
}

TEST_CASE("BOOL and REAL literals", "[types][literal]") {
  CHECK(u(DataType::kBool, "TRUE") == 1);
  CHECK(u(DataType::kBool, "false") == 0);
  CHECK(u(DataType::kBool, "BOOL#1") == 1);
  CHECK(parse_literal(DataType::kLreal, "1.5E3")->r == 1500.0);
  CHECK(parse_literal(DataType::kLreal, "-0.25")->r == -0.25);
  CHECK(parse_literal(DataType::kReal, "0.1")->r == double(0.1f));  // REAL has float precision
  CHECK_FALSE(parse_literal(DataType::kReal, "1.0.0"));
}

TEST_CASE("TIME literals add their units, with fractions and signs", "[types][literal][time]") {
  CHECK(i(DataType::kTime, "T#1s500ms") == 1'500'000'000);
  CHECK(i(DataType::kTime, "TIME#1d2h3m4s5ms6us7ns") ==
        86400'000'000'000 + 2 * 3600'000'000'000 + 3 * 60'000'000'000 + 4'000'000'000 + 5'000'000 + 6'000 + 7);
  CHECK(i(DataType::kTime, "t#1.5s") == 1'500'000'000);
  CHECK(i(DataType::kTime, "T#-2m") == -120'000'000'000);
  CHECK(i(DataType::kTime, "T#1h_30m") == 5400'000'000'000);
  CHECK_FALSE(parse_literal(DataType::kTime, "T#5x"));
  CHECK_FALSE(parse_literal(DataType::kTime, "T#"));
}

TEST_CASE("DATE, TIME_OF_DAY and DATE_AND_TIME literals are nanoseconds since the epoch or midnight",
          "[types][literal][date]") {
  CHECK(i(DataType::kDate, "D#1970-01-02") == 86400'000'000'000);
  CHECK(i(DataType::kDate, "DATE#2024-02-29") == 19782 * 86400'000'000'000);
  CHECK_FALSE(parse_literal(DataType::kDate, "D#2023-02-29"));
  CHECK(i(DataType::kTimeOfDay, "TOD#12:30:15.5") == 45015'500'000'000);
  CHECK(i(DataType::kTimeOfDay, "TIME_OF_DAY#00:00:01") == 1'000'000'000);
  CHECK_FALSE(parse_literal(DataType::kTimeOfDay, "TOD#24:00:00"));
  CHECK(i(DataType::kDateAndTime, "DT#1970-01-01-00:01:00") == 60'000'000'000);
  CHECK(format_value(DataType::kDateAndTime, *parse_literal(DataType::kDateAndTime, "DT#2024-02-29-23:59:59.25")) ==
        "DT#2024-02-29-23:59:59.250000000");
  CHECK(format_value(DataType::kDate, *parse_literal(DataType::kDate, "D#2000-03-01")) == "D#2000-03-01");
}

TEST_CASE("narrow integer types wrap modulo 2^n when normalised", "[types][overflow]") {
  CHECK(normalize(DataType::kSint, Value::of_int(128)).i == -128);
  CHECK(normalize(DataType::kUsint, Value::of_uint(256)).u == 0);
  CHECK(normalize(DataType::kInt, Value::of_int(-32769)).i == 32767);
  CHECK(normalize(DataType::kUdint, Value::of_uint(uint64_t(1) << 32)).u == 0);
  CHECK(normalize(DataType::kBool, Value::of_uint(2)).u == 1);
}

TEST_CASE("STRING and WSTRING are stored inline with their length, up to their capacity", "[types][string]") {
  VarDecl s{"S", DataType::kString, {}, 0, 10, nullptr};
  std::vector<Value> slots(s.slots());
  CHECK(s.slots() == 1 + 2);
  REQUIRE(parse_var_literal(s, "'it$'s $N'", slots.data()));
  CHECK(read_string(s, slots.data()) == "it's \n");
  CHECK_FALSE(parse_var_literal(s, "'more than ten'", slots.data()));
  VarDecl w{"W", DataType::kWstring, {}, 0, 0, nullptr};
  CHECK(w.slots() == 1 + (254 * 2 + 7) / 8);
}

TEST_CASE("array literals fill the elements in order", "[types][array]") {
  VarDecl a{"DT", DataType::kTime, {}, 4, 0, nullptr};
  std::vector<Value> slots(a.slots());
  REQUIRE(parse_var_literal(a, "[T#1s, T#2s, T#3ms]", slots.data()));
  CHECK(slots[0].i == 1'000'000'000);
  CHECK(slots[1].i == 2'000'000'000);
  CHECK(slots[2].i == 3'000'000);
  CHECK(slots[3].i == 0);
  CHECK_FALSE(parse_var_literal(a, "[1, 2, 3, 4, 5]", slots.data()));
  CHECK_FALSE(parse_var_literal(a, "T#1s", slots.data()));
}
