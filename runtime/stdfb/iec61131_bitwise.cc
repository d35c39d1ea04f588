// The bitwise Boolean and bit shift functions of IEC 61131-3 (6.6.2.5.8
// and 6.6.2.5.9, Tables 31 and 32) as 4diac's iec61131-3/bitwiseOperators
// FBs: F_AND, F_OR, F_XOR and their three-input forms, F_NOT, F_SHL,
// F_SHR, F_ROL, F_ROR. REQ computes OUT and emits CNF.
//
// IN (IN1, IN2, IN3) and OUT share one ANY_BIT type, BOOL to LWORD
// (generic_type.h); a shift's N is an ANY_INT of its own. Every result
// stays within the width of its type: F_NOT of BOOL is the Boolean NOT,
// F_NOT of BYTE 16#0F is 16#F0, F_ROL of BYTE 16#81 by 1 is 16#03.
// F_SHL and F_SHR fill with zeros and give 0 for N at least the width;
// F_ROL and F_ROR rotate by N modulo the width (FORTE's C++ shift is
// undefined there). A negative N gives 0, as FORTE.
#include <cstdint>

#include "runtime/stdfb/iec61131_blocks.h"
#include "runtime/stdfb/iec61131_function_fb.h"
#include "runtime/type_library.h"

namespace plc::stdfb {
namespace {

using G = GenericClass;

uint64_t mask(unsigned width) { return width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1; }

Value bit_and(Value a, Value b) { return Value::of_uint(a.u & b.u); }
Value bit_or(Value a, Value b) { return Value::of_uint(a.u | b.u); }
Value bit_xor(Value a, Value b) { return Value::of_uint(a.u ^ b.u); }

template <Value (*F)(Value, Value)>
void binary(FbContext& fb, EventId) {
  FunctionCall c(fb);
  c.ret(F(c.in(0), c.in(1)));
}

template <Value (*F)(Value, Value)>
void ternary(FbContext& fb, EventId) {
  FunctionCall c(fb);
  c.ret(F(F(c.in(0), c.in(1)), c.in(2)));
}

void bit_not(FbContext& fb, EventId) {
  FunctionCall c(fb);
  c.ret(Value::of_uint(~c.in(0).u & mask(bit_width(c.out_type()))));
}

// v shifted or rotated by n (0 <= n) within `width` bits.
uint64_t shl(uint64_t v, uint64_t n, unsigned width) { return n >= width ? 0 : (v << n) & mask(width); }
uint64_t shr(uint64_t v, uint64_t n, unsigned width) { return n >= width ? 0 : v >> n; }
uint64_t rol(uint64_t v, uint64_t n, unsigned width) {
  n %= width;
  return n ? ((v << n) | (v >> (width - n))) & mask(width) : v;
}
uint64_t ror(uint64_t v, uint64_t n, unsigned width) { return rol(v, (width - n % width) % width, width); }

template <uint64_t (*F)(uint64_t, uint64_t, unsigned)>
void shift(FbContext& fb, EventId) {
  FunctionCall c(fb);
  const Value n = c.in(1);
  if (is_signed_int(c.in_type(1)) && n.i < 0) return c.ret(Value::of_uint(0));
  c.ret(Value::of_uint(F(c.in(0).u, n.u, bit_width(c.out_type()))));
}

struct Operator {
  const char* name;
  const char* comment;  // 4diac's
  void (*on_event)(FbContext&, EventId);
};

}  // namespace

void add_iec61131_bitwise(TypeLibrary& lib) {
  const auto bits = [](const char* name) { return any(name, G::kAnyBit, 1); };
  constexpr Operator kBinary[] = {
      {"F_AND", "standard bitwise boolean AND function", binary<bit_and>},
      {"F_OR", "standard bitwise boolean OR function", binary<bit_or>},
      {"F_XOR", "bitwise XOR function", binary<bit_xor>},
  };
  for (const Operator& o : kBinary)
    lib.add(function_fb(o.name, o.comment, {bits("IN1"), bits("IN2")}, bits("OUT"), o.on_event));
  constexpr Operator kTernary[] = {
      {"F_AND_3", "FB to calculate bitwise boolean AND (generic FB)", ternary<bit_and>},
      {"F_OR_3", "FB to calculate bitwise boolean OR (generic FB)", ternary<bit_or>},
      {"F_XOR_3", "FB to calculate bitwise boolean XOR (generic FB)", ternary<bit_xor>},
  };
  for (const Operator& o : kTernary)
    lib.add(function_fb(o.name, o.comment, {bits("IN1"), bits("IN2"), bits("IN3")}, bits("OUT"), o.on_event));
  lib.add(function_fb("F_NOT", "standard bitwise boolean NOT function", {bits("IN")}, bits("OUT"), bit_not));
  constexpr Operator kShifts[] = {
      {"F_SHL", "shift left", shift<shl>},
      {"F_SHR", "bitwise shift right function", shift<shr>},
      {"F_ROL", "bitwise rotate left function", shift<rol>},
      {"F_ROR", "bitwise rotate right function", shift<ror>},
  };
  for (const Operator& o : kShifts)
    lib.add(function_fb(o.name, o.comment, {bits("IN"), any("N", G::kAnyInt, 2)}, bits("OUT"), o.on_event));
}

}  // namespace plc::stdfb
