// IEC 61131-3 type conversions as 4diac FBs (see iec61131_conversion.h),
// generated from the one table kConversions at the end of this file, one
// row per type of 4diac's iec61131-3/conversion/ folder.
//
// Values, as 4diac FORTE computes them (src/core/datatypes/convert/ and the
// CIEC_* types):
// - Integer to integer or bit string: the source's two's complement bits,
//   cut or sign/zero-extended to the width of OUT (INT_TO_SINT(300) = 44,
//   INT_TO_UINT(-1) = 65535).
// - REAL/LREAL to an integer: rounded half away from zero (FORTE adds or
//   subtracts 0.5 and truncates), then cut to the width of OUT like an
//   integer: REAL_TO_INT(2.5) = 3, (-2.5) = -3, (40000.0) = -25536.
//   Where FORTE's C++ cast is undefined we choose: NaN gives 0, values
//   beyond the 64-bit range saturate at the 64-bit bounds before the cut
//   (REAL_TO_INT(+inf) = -1, (-inf) = 0, REAL_TO_USINT(+inf) = 255), and an
//   unsigned OUT takes values up to 2^64-1 (LREAL_TO_ULINT(1.0E19) =
//   10000000000000000000, as the ST function; the ST function clamps a
//   negative value to 0 where the FB cuts its 64-bit pattern).
// - REAL_TO_DWORD, DWORD_TO_REAL, LREAL_TO_LWORD, LWORD_TO_LREAL transfer
//   the IEEE 754 bits (FORTE, and IEC 61131-3 ed. 3 Table 22); the ST
//   functions of the same names convert the number instead.
// - TO_STRING: BOOL as TRUE/FALSE, integers and bit strings in decimal,
//   REAL as printf's %g (6 digits), LREAL as %.15g, TIME as FORTE writes
//   it, in milliseconds with microseconds as a fraction: T#1500ms,
//   T#1500.25ms is written T#1500.250ms (nanoseconds are dropped; a
//   negative TIME gets its sign first, T#-1500ms, where FORTE garbles the
//   fraction). The ST functions print REAL/LREAL with %.17g and TIME as
//   1s500ms.
// - STRING_TO_*: the text as a literal of OUT's type (42, INT#42, 16#2A,
//   T#1s, TRUE; a TIME needs its T# or TIME#); a text that is not one,
//   or does not fit, gives 0 (FORTE's fromString leaves the default
//   value), where the ST function faults.
// - BCD: FORTE's digit arithmetic, nibbles not checked: BYTE_BCD_TO_USINT
//   is high nibble * 10 + low nibble (16#FF gives 165), USINT_TO_BCD_BYTE
//   of a value above 99 keeps the low byte of (v / 10) * 16 + v % 10.
// - TIME_IN_*_TO_LINT/ULINT truncate toward zero (an ULINT of a negative
//   TIME wraps); TIME_IN_*_TO_LREAL divide the nanoseconds exactly.
// - DT_TO_DATE and DT_TO_TOD split at midnight as the ST functions do.
// - STRING <-> WSTRING keep the low byte of each character, as the engine
//   stores WSTRING.
#include "runtime/stdfb/iec61131_conversion.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <string>
#include <string_view>

#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"

namespace plc::stdfb {
namespace {

using D = DataType;
using K = ConversionKind;

constexpr uint16_t kCapacity = VarDecl::kDefaultStringLength;  // 4diac's STRING and WSTRING

bool is_text(D t) { return t == D::kString || t == D::kWstring; }

// Slots of IN: OUT follows it.
uint32_t slots_of(D t) {
  VarDecl v;
  v.type = t;
  return v.element_slots();
}

// Round half away from zero, then the bits of OUT's width.
Value real_to_int(D to, double r) {
  constexpr double kTwo63 = 9223372036854775808.0;
  if (std::isnan(r)) return Value::of_int(0);
  r = std::round(r);
  if (is_unsigned_int(to) && r >= kTwo63)
    return normalize(to, Value::of_uint(r >= 2 * kTwo63 ? ~uint64_t{0} : uint64_t(r)));
  if (r >= kTwo63) return normalize(to, Value::of_int(INT64_MAX));
  if (r < -kTwo63) return normalize(to, Value::of_int(INT64_MIN));
  return normalize(to, Value::of_int(int64_t(r)));
}

Value plain(D from, D to, Value v) {
  constexpr int64_t kDay = 86'400'000'000'000;
  if (from == to) return v;
  if (from == D::kReal && to == D::kDword) return Value::of_uint(std::bit_cast<uint32_t>(float(v.r)));
  if (from == D::kDword && to == D::kReal) return Value::of_real(std::bit_cast<float>(uint32_t(v.u)));
  if (from == D::kLreal && to == D::kLword) return Value::of_uint(std::bit_cast<uint64_t>(v.r));
  if (from == D::kLword && to == D::kLreal) return Value::of_real(std::bit_cast<double>(v.u));
  if (from == D::kDateAndTime && to == D::kDate) return Value::of_int(v.i - v.i % kDay);
  if (from == D::kDateAndTime && to == D::kTimeOfDay) return Value::of_int(v.i % kDay);
  if (to == D::kBool) return Value::of_bool(is_real(from) ? v.r != 0 : v.u != 0);
  if (is_real(from) && is_real(to)) return normalize(to, v);
  if (is_real(from)) return real_to_int(to, v.r);
  if (is_real(to)) return normalize(to, Value::of_real(is_signed_int(from) ? double(v.i) : double(v.u)));
  return normalize(to, v);
}

// FORTE's BCD arithmetic, halving the width down to a byte.
uint64_t from_bcd(uint64_t v, unsigned bits) {
  if (bits == 8) return uint8_t((v & 0xff) / 16 * 10 + v % 16);
  const unsigned half = bits / 2;
  const uint64_t mask = (uint64_t{1} << half) - 1;
  const uint64_t scale = half == 8 ? 100 : half == 16 ? 10'000 : 100'000'000;
  const uint64_t r = from_bcd(v >> half & mask, half) * scale + from_bcd(v & mask, half);
  return bits == 64 ? r : r & ((uint64_t{1} << bits) - 1);
}

uint64_t to_bcd(uint64_t v, unsigned bits) {
  if (bits == 8) return uint8_t(v / 10 * 16 + v % 10);
  const unsigned half = bits / 2;
  const uint64_t mask = (uint64_t{1} << half) - 1;
  const uint64_t scale = half == 8 ? 100 : half == 16 ? 10'000 : 100'000'000;
  const uint64_t r = (to_bcd(v / scale & mask, half) << half) + to_bcd(v % scale & mask, half);
  return bits == 64 ? r : r & ((uint64_t{1} << bits) - 1);
}

Value time_in(D to, int64_t ns, int64_t per_unit) {
  if (is_real(to)) return Value::of_real(double(ns) / double(per_unit));
  return normalize(to, Value::of_int(ns / per_unit));
}

// IN as FORTE's toString writes it; returns the length.
size_t format(D t, Value v, char* buf, size_t size) {
  int n = 0;
  if (t == D::kBool) n = std::snprintf(buf, size, "%s", v.u ? "TRUE" : "FALSE");
  else if (t == D::kReal) n = std::snprintf(buf, size, "%g", v.r);
  else if (t == D::kLreal) n = std::snprintf(buf, size, "%.15g", v.r);
  else if (t == D::kTime) {
    const uint64_t ns = v.i < 0 ? 0 - v.u : v.u;
    const char* sign = v.i < 0 ? "-" : "";
    const unsigned long long ms = ns / 1'000'000, us = ns / 1'000 % 1'000;
    n = us ? std::snprintf(buf, size, "T#%s%llu.%03llums", sign, ms, us)
           : std::snprintf(buf, size, "T#%s%llums", sign, ms);
  } else if (is_signed_int(t)) n = std::snprintf(buf, size, "%lld", static_cast<long long>(v.i));
  else n = std::snprintf(buf, size, "%llu", static_cast<unsigned long long>(v.u));
  return n < 0 ? 0 : std::min(size_t(n), size - 1);
}

// The characters of a STRING or WSTRING held in `slots`, low bytes.
size_t read_text(D t, const Value* slots, char* buf) {
  const unsigned width = t == D::kWstring ? 2 : 1;
  const auto* bytes = reinterpret_cast<const unsigned char*>(slots + 1);
  const size_t n = std::min<uint64_t>(slots[0].u, kCapacity);
  for (size_t k = 0; k < n; ++k) buf[k] = char(bytes[k * width]);
  return n;
}

Value parse(D to, std::string_view text) {
  // FORTE reads a TIME only with its T# or TIME# prefix; plc's literals
  // also take a bare 1s500ms.
  if (to == D::kTime && text.find('#') == std::string_view::npos) return Value::of_int(0);
  auto v = parse_literal(to, text);
  if (!v) return Value::of_int(0);
  return normalize(to, *v);
}

}  // namespace

Value convert_scalar(const ConversionRow& row, Value v) {
  switch (row.kind) {
    case K::kPlain: return plain(row.in, row.out, v);
    case K::kFromBcd: return Value::of_uint(from_bcd(v.u, bit_width(row.in)));
    case K::kToBcd: return Value::of_uint(to_bcd(v.u, bit_width(row.out)));
    case K::kInS: return time_in(row.out, v.i, 1'000'000'000);
    case K::kInMs: return time_in(row.out, v.i, 1'000'000);
    case K::kInUs: return time_in(row.out, v.i, 1'000);
    case K::kInNs: return time_in(row.out, v.i, 1);
  }
  return v;
}

void run_conversion(FbContext& fb, const ConversionRow& row) {
  const Value* in = fb.v;
  Value* out = fb.v + slots_of(row.in);
  if (is_text(row.in) || is_text(row.out)) {
    char buf[kCapacity + 1];
    const size_t n = is_text(row.in) ? read_text(row.in, in, buf) : format(row.in, *in, buf, sizeof buf);
    if (is_text(row.out)) write_string(fb.type().iface.outputs[0], std::string_view(buf, n), out);
    else *out = parse(row.out, std::string_view(buf, n));
  } else {
    *out = convert_scalar(row, *in);
  }
  fb.emit(EventId{0});
}

FbType conversion_type(const ConversionRow& row, NativeBehaviour b) {
  return FbTypeBuilder(row.name)
      .comment("convert " + std::string(type_name(row.in)) + " to " + std::string(type_name(row.out)))
      .event_input("REQ", {"IN"})
      .event_output("CNF", {"OUT"})
      .input("IN", row.in)
      .output("OUT", row.out)
      .native(b)
      .build();
}

namespace {

// One row per type of 4diac's iec61131-3/conversion/ (270).
constexpr ConversionRow kConversions[] = {
    {"F_BOOL_TO_BYTE", D::kBool, D::kByte, K::kPlain},
    {"F_BOOL_TO_DINT", D::kBool, D::kDint, K::kPlain},
    {"F_BOOL_TO_DWORD", D::kBool, D::kDword, K::kPlain},
    {"F_BOOL_TO_INT", D::kBool, D::kInt, K::kPlain},
    {"F_BOOL_TO_LINT", D::kBool, D::kLint, K::kPlain},
    {"F_BOOL_TO_LWORD", D::kBool, D::kLword, K::kPlain},
    {"F_BOOL_TO_SINT", D::kBool, D::kSint, K::kPlain},
    {"F_BOOL_TO_STRING", D::kBool, D::kString, K::kPlain},
    {"F_BOOL_TO_UDINT", D::kBool, D::kUdint, K::kPlain},
    {"F_BOOL_TO_UINT", D::kBool, D::kUint, K::kPlain},
    {"F_BOOL_TO_ULINT", D::kBool, D::kUlint, K::kPlain},
    {"F_BOOL_TO_USINT", D::kBool, D::kUsint, K::kPlain},
    {"F_BOOL_TO_WORD", D::kBool, D::kWord, K::kPlain},
    {"F_BOOL_TO_WSTRING", D::kBool, D::kWstring, K::kPlain},
    {"F_BYTE_BCD_TO_USINT", D::kByte, D::kUsint, K::kFromBcd},
    {"F_BYTE_TO_DINT", D::kByte, D::kDint, K::kPlain},
    {"F_BYTE_TO_DWORD", D::kByte, D::kDword, K::kPlain},
    {"F_BYTE_TO_INT", D::kByte, D::kInt, K::kPlain},
    {"F_BYTE_TO_LINT", D::kByte, D::kLint, K::kPlain},
    {"F_BYTE_TO_LWORD", D::kByte, D::kLword, K::kPlain},
    {"F_BYTE_TO_SINT", D::kByte, D::kSint, K::kPlain},
    {"F_BYTE_TO_STRING", D::kByte, D::kString, K::kPlain},
    {"F_BYTE_TO_UDINT", D::kByte, D::kUdint, K::kPlain},
    {"F_BYTE_TO_UINT", D::kByte, D::kUint, K::kPlain},
    {"F_BYTE_TO_ULINT", D::kByte, D::kUlint, K::kPlain},
    {"F_BYTE_TO_USINT", D::kByte, D::kUsint, K::kPlain},
    {"F_BYTE_TO_WORD", D::kByte, D::kWord, K::kPlain},
    {"F_BYTE_TO_WSTRING", D::kByte, D::kWstring, K::kPlain},
    {"F_DINT_TO_BYTE", D::kDint, D::kByte, K::kPlain},
    {"F_DINT_TO_DWORD", D::kDint, D::kDword, K::kPlain},
    {"F_DINT_TO_INT", D::kDint, D::kInt, K::kPlain},
    {"F_DINT_TO_LINT", D::kDint, D::kLint, K::kPlain},
    {"F_DINT_TO_LREAL", D::kDint, D::kLreal, K::kPlain},
    {"F_DINT_TO_LWORD", D::kDint, D::kLword, K::kPlain},
    {"F_DINT_TO_REAL", D::kDint, D::kReal, K::kPlain},
    {"F_DINT_TO_SINT", D::kDint, D::kSint, K::kPlain},
    {"F_DINT_TO_STRING", D::kDint, D::kString, K::kPlain},
    {"F_DINT_TO_UDINT", D::kDint, D::kUdint, K::kPlain},
    {"F_DINT_TO_UINT", D::kDint, D::kUint, K::kPlain},
    {"F_DINT_TO_ULINT", D::kDint, D::kUlint, K::kPlain},
    {"F_DINT_TO_USINT", D::kDint, D::kUsint, K::kPlain},
    {"F_DINT_TO_WORD", D::kDint, D::kWord, K::kPlain},
    {"F_DINT_TO_WSTRING", D::kDint, D::kWstring, K::kPlain},
    {"F_DT_TO_DATE", D::kDateAndTime, D::kDate, K::kPlain},
    {"F_DT_TO_TOD", D::kDateAndTime, D::kTimeOfDay, K::kPlain},
    {"F_DWORD_BCD_TO_UDINT", D::kDword, D::kUdint, K::kFromBcd},
    {"F_DWORD_TO_BYTE", D::kDword, D::kByte, K::kPlain},
    {"F_DWORD_TO_DINT", D::kDword, D::kDint, K::kPlain},
    {"F_DWORD_TO_INT", D::kDword, D::kInt, K::kPlain},
    {"F_DWORD_TO_LINT", D::kDword, D::kLint, K::kPlain},
    {"F_DWORD_TO_LWORD", D::kDword, D::kLword, K::kPlain},
    {"F_DWORD_TO_REAL", D::kDword, D::kReal, K::kPlain},
    {"F_DWORD_TO_SINT", D::kDword, D::kSint, K::kPlain},
    {"F_DWORD_TO_STRING", D::kDword, D::kString, K::kPlain},
    {"F_DWORD_TO_UDINT", D::kDword, D::kUdint, K::kPlain},
    {"F_DWORD_TO_UINT", D::kDword, D::kUint, K::kPlain},
    {"F_DWORD_TO_ULINT", D::kDword, D::kUlint, K::kPlain},
    {"F_DWORD_TO_USINT", D::kDword, D::kUsint, K::kPlain},
    {"F_DWORD_TO_WORD", D::kDword, D::kWord, K::kPlain},
    {"F_DWORD_TO_WSTRING", D::kDword, D::kWstring, K::kPlain},
    {"F_INT_TO_BYTE", D::kInt, D::kByte, K::kPlain},
    {"F_INT_TO_DINT", D::kInt, D::kDint, K::kPlain},
    {"F_INT_TO_DWORD", D::kInt, D::kDword, K::kPlain},
    {"F_INT_TO_LINT", D::kInt, D::kLint, K::kPlain},
    {"F_INT_TO_LREAL", D::kInt, D::kLreal, K::kPlain},
    {"F_INT_TO_LWORD", D::kInt, D::kLword, K::kPlain},
    {"F_INT_TO_REAL", D::kInt, D::kReal, K::kPlain},
    {"F_INT_TO_SINT", D::kInt, D::kSint, K::kPlain},
    {"F_INT_TO_STRING", D::kInt, D::kString, K::kPlain},
    {"F_INT_TO_UDINT", D::kInt, D::kUdint, K::kPlain},
    {"F_INT_TO_UINT", D::kInt, D::kUint, K::kPlain},
    {"F_INT_TO_ULINT", D::kInt, D::kUlint, K::kPlain},
    {"F_INT_TO_USINT", D::kInt, D::kUsint, K::kPlain},
    {"F_INT_TO_WORD", D::kInt, D::kWord, K::kPlain},
    {"F_INT_TO_WSTRING", D::kInt, D::kWstring, K::kPlain},
    {"F_LINT_TO_BYTE", D::kLint, D::kByte, K::kPlain},
    {"F_LINT_TO_DINT", D::kLint, D::kDint, K::kPlain},
    {"F_LINT_TO_DWORD", D::kLint, D::kDword, K::kPlain},
    {"F_LINT_TO_INT", D::kLint, D::kInt, K::kPlain},
    {"F_LINT_TO_LREAL", D::kLint, D::kLreal, K::kPlain},
    {"F_LINT_TO_LWORD", D::kLint, D::kLword, K::kPlain},
    {"F_LINT_TO_REAL", D::kLint, D::kReal, K::kPlain},
    {"F_LINT_TO_SINT", D::kLint, D::kSint, K::kPlain},
    {"F_LINT_TO_STRING", D::kLint, D::kString, K::kPlain},
    {"F_LINT_TO_UDINT", D::kLint, D::kUdint, K::kPlain},
    {"F_LINT_TO_UINT", D::kLint, D::kUint, K::kPlain},
    {"F_LINT_TO_ULINT", D::kLint, D::kUlint, K::kPlain},
    {"F_LINT_TO_USINT", D::kLint, D::kUsint, K::kPlain},
    {"F_LINT_TO_WORD", D::kLint, D::kWord, K::kPlain},
    {"F_LINT_TO_WSTRING", D::kLint, D::kWstring, K::kPlain},
    {"F_LREAL_TO_DINT", D::kLreal, D::kDint, K::kPlain},
    {"F_LREAL_TO_INT", D::kLreal, D::kInt, K::kPlain},
    {"F_LREAL_TO_LINT", D::kLreal, D::kLint, K::kPlain},
    {"F_LREAL_TO_LWORD", D::kLreal, D::kLword, K::kPlain},
    {"F_LREAL_TO_REAL", D::kLreal, D::kReal, K::kPlain},
    {"F_LREAL_TO_SINT", D::kLreal, D::kSint, K::kPlain},
    {"F_LREAL_TO_STRING", D::kLreal, D::kString, K::kPlain},
    {"F_LREAL_TO_UDINT", D::kLreal, D::kUdint, K::kPlain},
    {"F_LREAL_TO_UINT", D::kLreal, D::kUint, K::kPlain},
    {"F_LREAL_TO_ULINT", D::kLreal, D::kUlint, K::kPlain},
    {"F_LREAL_TO_USINT", D::kLreal, D::kUsint, K::kPlain},
    {"F_LREAL_TO_WSTRING", D::kLreal, D::kWstring, K::kPlain},
    {"F_LWORD_BCD_TO_ULINT", D::kLword, D::kUlint, K::kFromBcd},
    {"F_LWORD_TO_BYTE", D::kLword, D::kByte, K::kPlain},
    {"F_LWORD_TO_DINT", D::kLword, D::kDint, K::kPlain},
    {"F_LWORD_TO_DWORD", D::kLword, D::kDword, K::kPlain},
    {"F_LWORD_TO_INT", D::kLword, D::kInt, K::kPlain},
    {"F_LWORD_TO_LINT", D::kLword, D::kLint, K::kPlain},
    {"F_LWORD_TO_LREAL", D::kLword, D::kLreal, K::kPlain},
    {"F_LWORD_TO_SINT", D::kLword, D::kSint, K::kPlain},
    {"F_LWORD_TO_STRING", D::kLword, D::kString, K::kPlain},
    {"F_LWORD_TO_UDINT", D::kLword, D::kUdint, K::kPlain},
    {"F_LWORD_TO_UINT", D::kLword, D::kUint, K::kPlain},
    {"F_LWORD_TO_ULINT", D::kLword, D::kUlint, K::kPlain},
    {"F_LWORD_TO_USINT", D::kLword, D::kUsint, K::kPlain},
    {"F_LWORD_TO_WORD", D::kLword, D::kWord, K::kPlain},
    {"F_LWORD_TO_WSTRING", D::kLword, D::kWstring, K::kPlain},
    {"F_REAL_TO_DINT", D::kReal, D::kDint, K::kPlain},
    {"F_REAL_TO_DWORD", D::kReal, D::kDword, K::kPlain},
    {"F_REAL_TO_INT", D::kReal, D::kInt, K::kPlain},
    {"F_REAL_TO_LINT", D::kReal, D::kLint, K::kPlain},
    {"F_REAL_TO_LREAL", D::kReal, D::kLreal, K::kPlain},
    {"F_REAL_TO_SINT", D::kReal, D::kSint, K::kPlain},
    {"F_REAL_TO_STRING", D::kReal, D::kString, K::kPlain},
    {"F_REAL_TO_UDINT", D::kReal, D::kUdint, K::kPlain},
    {"F_REAL_TO_UINT", D::kReal, D::kUint, K::kPlain},
    {"F_REAL_TO_ULINT", D::kReal, D::kUlint, K::kPlain},
    {"F_REAL_TO_USINT", D::kReal, D::kUsint, K::kPlain},
    {"F_REAL_TO_WSTRING", D::kReal, D::kWstring, K::kPlain},
    {"F_SINT_TO_BYTE", D::kSint, D::kByte, K::kPlain},
    {"F_SINT_TO_DINT", D::kSint, D::kDint, K::kPlain},
    {"F_SINT_TO_DWORD", D::kSint, D::kDword, K::kPlain},
    {"F_SINT_TO_INT", D::kSint, D::kInt, K::kPlain},
    {"F_SINT_TO_LINT", D::kSint, D::kLint, K::kPlain},
    {"F_SINT_TO_LREAL", D::kSint, D::kLreal, K::kPlain},
    {"F_SINT_TO_LWORD", D::kSint, D::kLword, K::kPlain},
    {"F_SINT_TO_REAL", D::kSint, D::kReal, K::kPlain},
    {"F_SINT_TO_STRING", D::kSint, D::kString, K::kPlain},
    {"F_SINT_TO_UDINT", D::kSint, D::kUdint, K::kPlain},
    {"F_SINT_TO_UINT", D::kSint, D::kUint, K::kPlain},
    {"F_SINT_TO_ULINT", D::kSint, D::kUlint, K::kPlain},
    {"F_SINT_TO_USINT", D::kSint, D::kUsint, K::kPlain},
    {"F_SINT_TO_WORD", D::kSint, D::kWord, K::kPlain},
    {"F_SINT_TO_WSTRING", D::kSint, D::kWstring, K::kPlain},
    {"F_STRING_TO_BOOL", D::kString, D::kBool, K::kPlain},
    {"F_STRING_TO_BYTE", D::kString, D::kByte, K::kPlain},
    {"F_STRING_TO_DINT", D::kString, D::kDint, K::kPlain},
    {"F_STRING_TO_DWORD", D::kString, D::kDword, K::kPlain},
    {"F_STRING_TO_INT", D::kString, D::kInt, K::kPlain},
    {"F_STRING_TO_LINT", D::kString, D::kLint, K::kPlain},
    {"F_STRING_TO_LREAL", D::kString, D::kLreal, K::kPlain},
    {"F_STRING_TO_LWORD", D::kString, D::kLword, K::kPlain},
    {"F_STRING_TO_REAL", D::kString, D::kReal, K::kPlain},
    {"F_STRING_TO_SINT", D::kString, D::kSint, K::kPlain},
    {"F_STRING_TO_TIME", D::kString, D::kTime, K::kPlain},
    {"F_STRING_TO_UDINT", D::kString, D::kUdint, K::kPlain},
    {"F_STRING_TO_UINT", D::kString, D::kUint, K::kPlain},
    {"F_STRING_TO_ULINT", D::kString, D::kUlint, K::kPlain},
    {"F_STRING_TO_USINT", D::kString, D::kUsint, K::kPlain},
    {"F_STRING_TO_WORD", D::kString, D::kWord, K::kPlain},
    {"F_STRING_TO_WSTRING", D::kString, D::kWstring, K::kPlain},
    {"F_TIME_IN_MS_TO_LINT", D::kTime, D::kLint, K::kInMs},
    {"F_TIME_IN_MS_TO_LREAL", D::kTime, D::kLreal, K::kInMs},
    {"F_TIME_IN_MS_TO_ULINT", D::kTime, D::kUlint, K::kInMs},
    {"F_TIME_IN_NS_TO_LINT", D::kTime, D::kLint, K::kInNs},
    {"F_TIME_IN_NS_TO_LREAL", D::kTime, D::kLreal, K::kInNs},
    {"F_TIME_IN_NS_TO_ULINT", D::kTime, D::kUlint, K::kInNs},
    {"F_TIME_IN_S_TO_LINT", D::kTime, D::kLint, K::kInS},
    {"F_TIME_IN_S_TO_LREAL", D::kTime, D::kLreal, K::kInS},
    {"F_TIME_IN_S_TO_ULINT", D::kTime, D::kUlint, K::kInS},
    {"F_TIME_IN_US_TO_LINT", D::kTime, D::kLint, K::kInUs},
    {"F_TIME_IN_US_TO_LREAL", D::kTime, D::kLreal, K::kInUs},
    {"F_TIME_IN_US_TO_ULINT", D::kTime, D::kUlint, K::kInUs},
    {"F_TIME_TO_STRING", D::kTime, D::kString, K::kPlain},
    {"F_TIME_TO_WSTRING", D::kTime, D::kWstring, K::kPlain},
    {"F_UDINT_TO_BCD_DWORD", D::kUdint, D::kDword, K::kToBcd},
    {"F_UDINT_TO_BYTE", D::kUdint, D::kByte, K::kPlain},
    {"F_UDINT_TO_DINT", D::kUdint, D::kDint, K::kPlain},
    {"F_UDINT_TO_DWORD", D::kUdint, D::kDword, K::kPlain},
    {"F_UDINT_TO_INT", D::kUdint, D::kInt, K::kPlain},
    {"F_UDINT_TO_LINT", D::kUdint, D::kLint, K::kPlain},
    {"F_UDINT_TO_LREAL", D::kUdint, D::kLreal, K::kPlain},
    {"F_UDINT_TO_LWORD", D::kUdint, D::kLword, K::kPlain},
    {"F_UDINT_TO_REAL", D::kUdint, D::kReal, K::kPlain},
    {"F_UDINT_TO_SINT", D::kUdint, D::kSint, K::kPlain},
    {"F_UDINT_TO_STRING", D::kUdint, D::kString, K::kPlain},
    {"F_UDINT_TO_UINT", D::kUdint, D::kUint, K::kPlain},
    {"F_UDINT_TO_ULINT", D::kUdint, D::kUlint, K::kPlain},
    {"F_UDINT_TO_USINT", D::kUdint, D::kUsint, K::kPlain},
    {"F_UDINT_TO_WORD", D::kUdint, D::kWord, K::kPlain},
    {"F_UDINT_TO_WSTRING", D::kUdint, D::kWstring, K::kPlain},
    {"F_UINT_TO_BCD_WORD", D::kUint, D::kWord, K::kToBcd},
    {"F_UINT_TO_BYTE", D::kUint, D::kByte, K::kPlain},
    {"F_UINT_TO_DINT", D::kUint, D::kDint, K::kPlain},
    {"F_UINT_TO_DWORD", D::kUint, D::kDword, K::kPlain},
    {"F_UINT_TO_INT", D::kUint, D::kInt, K::kPlain},
    {"F_UINT_TO_LINT", D::kUint, D::kLint, K::kPlain},
    {"F_UINT_TO_LREAL", D::kUint, D::kLreal, K::kPlain},
    {"F_UINT_TO_LWORD", D::kUint, D::kLword, K::kPlain},
    {"F_UINT_TO_REAL", D::kUint, D::kReal, K::kPlain},
    {"F_UINT_TO_SINT", D::kUint, D::kSint, K::kPlain},
    {"F_UINT_TO_STRING", D::kUint, D::kString, K::kPlain},
    {"F_UINT_TO_UDINT", D::kUint, D::kUdint, K::kPlain},
    {"F_UINT_TO_ULINT", D::kUint, D::kUlint, K::kPlain},
    {"F_UINT_TO_USINT", D::kUint, D::kUsint, K::kPlain},
    {"F_UINT_TO_WORD", D::kUint, D::kWord, K::kPlain},
    {"F_UINT_TO_WSTRING", D::kUint, D::kWstring, K::kPlain},
    {"F_ULINT_TO_BCD_LWORD", D::kUlint, D::kLword, K::kToBcd},
    {"F_ULINT_TO_BYTE", D::kUlint, D::kByte, K::kPlain},
    {"F_ULINT_TO_DINT", D::kUlint, D::kDint, K::kPlain},
    {"F_ULINT_TO_DWORD", D::kUlint, D::kDword, K::kPlain},
    {"F_ULINT_TO_INT", D::kUlint, D::kInt, K::kPlain},
    {"F_ULINT_TO_LINT", D::kUlint, D::kLint, K::kPlain},
    {"F_ULINT_TO_LREAL", D::kUlint, D::kLreal, K::kPlain},
    {"F_ULINT_TO_LWORD", D::kUlint, D::kLword, K::kPlain},
    {"F_ULINT_TO_REAL", D::kUlint, D::kReal, K::kPlain},
    {"F_ULINT_TO_SINT", D::kUlint, D::kSint, K::kPlain},
    {"F_ULINT_TO_STRING", D::kUlint, D::kString, K::kPlain},
    {"F_ULINT_TO_UDINT", D::kUlint, D::kUdint, K::kPlain},
    {"F_ULINT_TO_UINT", D::kUlint, D::kUint, K::kPlain},
    {"F_ULINT_TO_USINT", D::kUlint, D::kUsint, K::kPlain},
    {"F_ULINT_TO_WORD", D::kUlint, D::kWord, K::kPlain},
    {"F_ULINT_TO_WSTRING", D::kUlint, D::kWstring, K::kPlain},
    {"F_USINT_TO_BCD_BYTE", D::kUsint, D::kByte, K::kToBcd},
    {"F_USINT_TO_BYTE", D::kUsint, D::kByte, K::kPlain},
    {"F_USINT_TO_DINT", D::kUsint, D::kDint, K::kPlain},
    {"F_USINT_TO_DWORD", D::kUsint, D::kDword, K::kPlain},
    {"F_USINT_TO_INT", D::kUsint, D::kInt, K::kPlain},
    {"F_USINT_TO_LINT", D::kUsint, D::kLint, K::kPlain},
    {"F_USINT_TO_LREAL", D::kUsint, D::kLreal, K::kPlain},
    {"F_USINT_TO_LWORD", D::kUsint, D::kLword, K::kPlain},
    {"F_USINT_TO_REAL", D::kUsint, D::kReal, K::kPlain},
    {"F_USINT_TO_SINT", D::kUsint, D::kSint, K::kPlain},
    {"F_USINT_TO_STRING", D::kUsint, D::kString, K::kPlain},
    {"F_USINT_TO_UDINT", D::kUsint, D::kUdint, K::kPlain},
    {"F_USINT_TO_UINT", D::kUsint, D::kUint, K::kPlain},
    {"F_USINT_TO_ULINT", D::kUsint, D::kUlint, K::kPlain},
    {"F_USINT_TO_WORD", D::kUsint, D::kWord, K::kPlain},
    {"F_USINT_TO_WSTRING", D::kUsint, D::kWstring, K::kPlain},
    {"F_WORD_BCD_TO_UINT", D::kWord, D::kUint, K::kFromBcd},
    {"F_WORD_TO_BYTE", D::kWord, D::kByte, K::kPlain},
    {"F_WORD_TO_DINT", D::kWord, D::kDint, K::kPlain},
    {"F_WORD_TO_DWORD", D::kWord, D::kDword, K::kPlain},
    {"F_WORD_TO_INT", D::kWord, D::kInt, K::kPlain},
    {"F_WORD_TO_LINT", D::kWord, D::kLint, K::kPlain},
    {"F_WORD_TO_LWORD", D::kWord, D::kLword, K::kPlain},
    {"F_WORD_TO_SINT", D::kWord, D::kSint, K::kPlain},
    {"F_WORD_TO_STRING", D::kWord, D::kString, K::kPlain},
    {"F_WORD_TO_UDINT", D::kWord, D::kUdint, K::kPlain},
    {"F_WORD_TO_UINT", D::kWord, D::kUint, K::kPlain},
    {"F_WORD_TO_ULINT", D::kWord, D::kUlint, K::kPlain},
    {"F_WORD_TO_USINT", D::kWord, D::kUsint, K::kPlain},
    {"F_WORD_TO_WSTRING", D::kWord, D::kWstring, K::kPlain},
    {"F_WSTRING_TO_BOOL", D::kWstring, D::kBool, K::kPlain},
    {"F_WSTRING_TO_BYTE", D::kWstring, D::kByte, K::kPlain},
    {"F_WSTRING_TO_DINT", D::kWstring, D::kDint, K::kPlain},
    {"F_WSTRING_TO_DWORD", D::kWstring, D::kDword, K::kPlain},
    {"F_WSTRING_TO_INT", D::kWstring, D::kInt, K::kPlain},
    {"F_WSTRING_TO_LINT", D::kWstring, D::kLint, K::kPlain},
    {"F_WSTRING_TO_LREAL", D::kWstring, D::kLreal, K::kPlain},
    {"F_WSTRING_TO_LWORD", D::kWstring, D::kLword, K::kPlain},
    {"F_WSTRING_TO_REAL", D::kWstring, D::kReal, K::kPlain},
    {"F_WSTRING_TO_SINT", D::kWstring, D::kSint, K::kPlain},
    {"F_WSTRING_TO_STRING", D::kWstring, D::kString, K::kPlain},
    {"F_WSTRING_TO_TIME", D::kWstring, D::kTime, K::kPlain},
    {"F_WSTRING_TO_UDINT", D::kWstring, D::kUdint, K::kPlain},
    {"F_WSTRING_TO_UINT", D::kWstring, D::kUint, K::kPlain},
    {"F_WSTRING_TO_ULINT", D::kWstring, D::kUlint, K::kPlain},
    {"F_WSTRING_TO_USINT", D::kWstring, D::kUsint, K::kPlain},
    {"F_WSTRING_TO_WORD", D::kWstring, D::kWord, K::kPlain},
};

}  // namespace

void add_iec61131_conversions(TypeLibrary& lib) { add_conversion_rows<kConversions>(lib); }

}  // namespace plc::stdfb
