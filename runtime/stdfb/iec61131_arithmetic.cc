// The arithmetic functions of IEC 61131-3 (6.6.2.5.7, Tables 29 and 30) as
// 4diac's iec61131-3/arithmetic FBs: F_ADD, F_ADD_3, F_SUB, F_MUL, F_DIV,
// F_MOD, F_EXPT, F_MOVE, F_TRUNC, F_MULTIME, F_DIVTIME and the date and time
// ones (F_ADD_DT_TIME, F_SUB_DT_DT, ...). REQ computes OUT and emits CNF.
//
// Types: the generic ports of one function share one type (generic_type.h),
// chosen at load from what feeds them, so F_ADD of INT#5 and UINT#8 is an
// INT. F_EXPT's exponent IN2 and F_TRUNC's OUT are types of their own
// (F_TRUNC's OUT is the ANY_INT its destination wants, LINT when nothing
// says). ANY_MAGNITUDE includes TIME: F_ADD and F_SUB of TIMEs are TIMEs.
//
// Values, as FORTE computes them (src/core/iec61131_functions.h), where
// IEC 61131-3 leaves them to the implementation:
// - integer and TIME results wrap to the width of their type, two's
//   complement (INT 32767 + 1 = -32768, INT -32768 / -1 = -32768);
// - REAL results are rounded to float after every operation;
// - F_DIV by zero gives 0, for REAL and LREAL too (no infinity), and
//   F_MOD by zero gives 0, as FORTE (plc's ST faults instead); MOD has the
//   sign of IN1 (-7 MOD 2 = -1), as IEC 61131-3 defines it;
// - F_EXPT is C's pow in LREAL, rounded to OUT's type: a negative base with
//   a fractional exponent is NaN, 0.0 ** -1.0 is +inf, as in FORTE;
// - F_TRUNC cuts toward zero; beyond the 64-bit range it saturates at the
//   64-bit bounds (NaN gives 0), then wraps to OUT's width like the
//   REAL_TO_* conversions (TRUNC(40000.5) into INT = -25536);
// - F_MULTIME and F_DIVTIME take an integer or, beyond FORTE (which accepts
//   integers only), a REAL/LREAL factor as IEC 61131-3's MUL and DIV of
//   TIME and ANY_NUM do; a REAL product or quotient is rounded to the
//   nearest nanosecond, saturating. F_DIVTIME by zero gives IN1 unchanged,
//   as FORTE;
// - the date and time functions add and subtract nanoseconds (FORTE keeps
//   milliseconds); F_ADD_TOD_TIME does not wrap at midnight, as FORTE and
//   plc's ST.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>

#include "runtime/stdfb/iec61131_blocks.h"
#include "runtime/stdfb/iec61131_function_fb.h"
#include "runtime/type_library.h"

namespace plc::stdfb {
namespace {

using D = DataType;
using G = GenericClass;

// TIME is a signed 64-bit count of nanoseconds.
bool is_signed(D t) { return is_signed_int(t) || t == D::kTime; }

Value add(D t, Value a, Value b) { return is_real(t) ? Value::of_real(a.r + b.r) : Value::of_uint(a.u + b.u); }
Value sub(D t, Value a, Value b) { return is_real(t) ? Value::of_real(a.r - b.r) : Value::of_uint(a.u - b.u); }
// The low 64 bits of a product are the same for signed and unsigned operands.
Value mul(D t, Value a, Value b) { return is_real(t) ? Value::of_real(a.r * b.r) : Value::of_uint(a.u * b.u); }

Value div(D t, Value a, Value b) {
  if (is_real(t)) return Value::of_real(b.r == 0 ? 0.0 : a.r / b.r);
  if (b.u == 0) return Value::of_uint(0);
  if (!is_signed(t)) return Value::of_uint(a.u / b.u);
  if (b.i == -1) return Value::of_uint(0 - a.u);  // the minimum divided by -1 wraps to itself
  return Value::of_int(a.i / b.i);
}

Value mod(D t, Value a, Value b) {
  if (b.u == 0) return Value::of_uint(0);
  if (!is_signed(t)) return Value::of_uint(a.u % b.u);
  if (b.i == -1) return Value::of_uint(0);
  return Value::of_int(a.i % b.i);
}

Value expt(D, Value a, Value b) { return Value::of_real(std::pow(a.r, b.r)); }

template <Value (*F)(D, Value, Value)>
void binary(FbContext& fb, EventId) {
  FunctionCall c(fb);
  c.ret(F(c.out_type(), c.in(0), c.in(1)));
}

void add_3(FbContext& fb, EventId) {
  FunctionCall c(fb);
  const D t = c.out_type();
  c.ret(add(t, normalize(t, add(t, c.in(0), c.in(1))), c.in(2)));
}

// IN and OUT have one type, of any shape (a STRING, an array, a structure):
// OUT takes IN's slots.
void move(FbContext& fb, EventId) {
  const Interface& i = fb.type().iface;
  const Value* in = fb.v + i.input_slot(0);
  std::copy(in, in + i.inputs[0].slots(), fb.v + i.output_slot(0));
  fb.emit(EventId{0});
}

void trunc(FbContext& fb, EventId) {
  FunctionCall c(fb);
  const double d = c.in(0).r;
  constexpr double k2p63 = 9223372036854775808.0, k2p64 = 18446744073709551616.0;
  if (std::isnan(d)) return c.ret(Value::of_int(0));
  if (d >= k2p63 && is_unsigned_int(c.out_type()))
    return c.ret(Value::of_uint(d >= k2p64 ? std::numeric_limits<uint64_t>::max() : uint64_t(d)));
  if (d >= k2p63) return c.ret(Value::of_int(std::numeric_limits<int64_t>::max()));
  if (d < -k2p63) return c.ret(Value::of_int(std::numeric_limits<int64_t>::min()));
  c.ret(Value::of_int(int64_t(d)));
}

// Nanoseconds computed in LREAL, to the nearest integer, saturating.
Value nearest_ns(double ns) {
  constexpr double k2p63 = 9223372036854775808.0;
  if (std::isnan(ns)) return Value::of_int(0);
  const double r = std::round(ns);
  if (r >= k2p63) return Value::of_int(std::numeric_limits<int64_t>::max());
  if (r < -k2p63) return Value::of_int(std::numeric_limits<int64_t>::min());
  return Value::of_int(int64_t(r));
}

void multime(FbContext& fb, EventId) {
  FunctionCall c(fb);
  const Value t = c.in(0), n = c.in(1);
  c.ret(is_real(c.in_type(1)) ? nearest_ns(double(t.i) * n.r) : Value::of_uint(t.u * n.u));
}

void divtime(FbContext& fb, EventId) {
  FunctionCall c(fb);
  const Value t = c.in(0), n = c.in(1);
  const D f = c.in_type(1);
  if (is_real(f)) return c.ret(n.r == 0 ? t : nearest_ns(double(t.i) / n.r));
  if (n.u == 0) return c.ret(t);
  if (!is_signed_int(f)) return c.ret(Value::of_int(int64_t(static_cast<__int128>(t.i) / n.u)));
  c.ret(n.i == -1 ? Value::of_uint(0 - t.u) : Value::of_int(t.i / n.i));
}

constexpr FunctionPort in1(G c, uint8_t group = 1) { return any("IN1", c, group); }
constexpr FunctionPort in2(G c, uint8_t group = 1) { return any("IN2", c, group); }
constexpr FunctionPort out(G c, uint8_t group = 1) { return any("OUT", c, group); }

// A date and time function: fixed types, OUT := IN1 + IN2 or IN1 - IN2.
FbType dated(const char* name, const char* comment, D a, D b, D result, bool plus) {
  return function_fb(name, comment, {fixed("IN1", a), fixed("IN2", b)}, fixed("OUT", result),
                     plus ? binary<add> : binary<sub>);
}

}  // namespace

void add_iec61131_arithmetic(TypeLibrary& lib) {
  const G mag = G::kAnyMagnitude, num = G::kAnyNum, real = G::kAnyReal;
  lib.add(function_fb("F_ADD", "Adds two number values", {in1(mag), in2(mag)}, out(mag), binary<add>));
  lib.add(function_fb("F_ADD_3", "Calculate arithmetical sum of magnitude inputs (generic FB)",
                      {in1(mag), in2(mag), any("IN3", mag, 1)}, out(mag), add_3));
  lib.add(function_fb("F_SUB", "Subtracts two number values", {in1(mag), in2(mag)}, out(mag), binary<sub>));
  lib.add(function_fb("F_MUL", "Multiplies two values", {in1(num), in2(num)}, out(num), binary<mul>));
  lib.add(function_fb("F_DIV", "Divides two values", {in1(num), in2(num)}, out(num), binary<div>));
  lib.add(function_fb("F_MOD", "modulo", {in1(G::kAnyInt), in2(G::kAnyInt)}, out(num), binary<mod>));
  lib.add(function_fb("F_EXPT", "exponentiation", {in1(real), in2(real, 2)}, out(real), binary<expt>));
  lib.add(function_fb("F_MOVE", "moves input to output", {any("IN", G::kAny, 1)}, out(G::kAny), move));
  lib.add(function_fb("F_TRUNC", "truncation toward zero", {any("IN", real, 1)}, out(G::kAnyInt, 2), trunc));
  lib.add(function_fb("F_MULTIME", "Multiplies time value with numerical values", {fixed("IN1", D::kTime), in2(num)},
                      fixed("OUT", D::kTime), multime));
  lib.add(function_fb("F_DIVTIME", "Divides a time value by a number value", {fixed("IN1", D::kTime), in2(num)},
                      fixed("OUT", D::kTime), divtime));
  const D dt = D::kDateAndTime, tod = D::kTimeOfDay, time = D::kTime;
  lib.add(dated("F_ADD_DT_TIME", "Adds two number values", dt, time, dt, true));
  lib.add(dated("F_ADD_TOD_TIME", "Adds two number values", tod, time, tod, true));
  lib.add(dated("F_SUB_DATE_DATE", "Subtracts two time data types", D::kDate, D::kDate, time, false));
  lib.add(dated("F_SUB_DT_DT", "Subtracts two time data types", dt, dt, time, false));
  lib.add(dated("F_SUB_DT_TIME", "Subtracts two number values", dt, time, dt, false));
  lib.add(dated("F_SUB_TOD_TIME", "Subtracts two number values", tod, time, tod, false));
  lib.add(dated("F_SUB_TOD_TOD", "Subtracts two time data types", tod, tod, time, false));
}

}  // namespace plc::stdfb
