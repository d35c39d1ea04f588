// IEC 61131-3 elementary data types (IEC 61131-3 2.3.1) and their storage.
//
// Every elementary variable occupies one 8-byte Value slot in its
// resource's flat slot array. Integers are kept normalised to their width
// (signed types sign-extended in `i`, unsigned and bit-string types
// zero-extended in `u`), REAL and LREAL in `r` (REAL rounded to float
// precision on store), TIME in `i` as nanoseconds, BOOL in `u` as 0/1.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace plc {

enum class DataType : uint8_t {
  kBool,
  kSint,
  kInt,
  kDint,
  kLint,
  kUsint,
  kUint,
  kUdint,
  kUlint,
  kByte,
  kWord,
  kDword,
  kLword,
  kReal,
  kLreal,
  kTime,
  kDate,
  kTimeOfDay,
  kDateAndTime,
  kString,
  kWstring,
  kStruct,  // a structured type (VarDecl::struct_type says which)
};

union Value {
  uint64_t u;
  int64_t i;
  double r;

  static constexpr Value of_bool(bool b) { return Value{.u = b ? 1u : 0u}; }
  static constexpr Value of_int(int64_t v) {
    Value x{};
    x.i = v;
    return x;
  }
  static constexpr Value of_uint(uint64_t v) { return Value{.u = v}; }
  static constexpr Value of_real(double v) {
    Value x{};
    x.r = v;
    return x;
  }
  bool as_bool() const { return u != 0; }
};
static_assert(sizeof(Value) == 8);

std::string_view type_name(DataType t);
std::optional<DataType> parse_type_name(std::string_view name);  // case-insensitive

bool is_signed_int(DataType t);
bool is_unsigned_int(DataType t);  // includes bit strings (BYTE..LWORD)
bool is_real(DataType t);
unsigned bit_width(DataType t);  // 1 for BOOL, 64 for TIME etc.

// Wraps an integer result to the width of `t` (two's complement,
// modulo 2^n): the documented overflow rule of the engine.
Value normalize(DataType t, Value v);

// Parses an IEC 61131-3 literal for a variable of type `t`: TRUE, FALSE,
// 42, -7, 16#AFFE, 2#1010, 8#17, 1_000, INT#5, 3.5, 1.0E3, T#1s500ms,
// TIME#-2m. Returns nullopt when the text is no literal of that type or
// does not fit in it.
std::optional<Value> parse_literal(DataType t, std::string_view text);

// Renders a value the way it would be written as a literal of type `t`.
std::string format_value(DataType t, Value v);

}  // namespace plc
