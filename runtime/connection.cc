#include "runtime/connection.h"

namespace plc {
namespace {

// Integers a REAL (24-bit mantissa) or LREAL (53-bit) represents exactly.
bool real_holds(DataType from, DataType to) {
  if (to == DataType::kLreal && from == DataType::kReal) return true;
  const bool integer = is_signed_int(from) || (from >= DataType::kUsint && from <= DataType::kUlint);
  if (!integer || !is_real(to)) return false;
  return bit_width(from) <= (to == DataType::kReal ? 16u : 32u);
}

}  // namespace

bool implicitly_converts(DataType from, DataType to) {
  if (from == to) return true;
  if (real_holds(from, to)) return true;
  const bool fs = is_signed_int(from), ts = is_signed_int(to);
  const bool fu = is_unsigned_int(from), tu = is_unsigned_int(to);
  if (!(fs || fu) || !(ts || tu)) return false;
  if (fs && tu) return false;                            // a negative value has no unsigned form
  if (fu && ts) return bit_width(to) > bit_width(from);  // the sign bit needs one more
  return bit_width(to) >= bit_width(from);
}

bool can_feed(const VarDecl& from, const VarDecl& to) {
  if (from.array_size != to.array_size) return false;
  if (from.type == DataType::kString || from.type == DataType::kWstring)
    return from.type == to.type && from.max_length() == to.max_length();
  if (from.type == DataType::kStruct || to.type == DataType::kStruct)
    return from.type == to.type && from.struct_type && to.struct_type &&
           same_identifier(from.struct_type->name, to.struct_type->name) && from.slots() == to.slots();
  if (to.generic != GenericClass::kNone && from.type >= DataType::kUsint && from.type <= DataType::kUlint &&
      is_signed_int(to.type) && bit_width(from.type) == bit_width(to.type))
    return true;
  return implicitly_converts(from.type, to.type);
}

bool may_feed(const VarDecl& from, const VarDecl& to) {
  if (from.generic == GenericClass::kNone && to.generic == GenericClass::kNone) return can_feed(from, to);
  if (to.generic == GenericClass::kNone) return in_class(from.generic, to.type);
  if (from.generic == GenericClass::kNone) return in_class(to.generic, from.type);
  for (uint8_t t = 0; t <= uint8_t(DataType::kStruct); ++t)
    if (in_class(from.generic, DataType(t)) && in_class(to.generic, DataType(t))) return true;
  return false;
}

Conversion conversion_of(const VarDecl& from, const VarDecl& to) {
  if (is_signed_int(to.type) && !is_signed_int(from.type) && bit_width(from.type) == bit_width(to.type)) {
    switch (bit_width(to.type)) {
      case 8: return Conversion::kSignExtend8;
      case 16: return Conversion::kSignExtend16;
      case 32: return Conversion::kSignExtend32;
      default: return Conversion::kNone;  // 64 bits: the same bits read as signed
    }
  }
  if (!is_real(to.type) || is_real(from.type)) return Conversion::kNone;
  return is_signed_int(from.type) ? Conversion::kSignedToReal : Conversion::kUnsignedToReal;
}

std::string describe_type(const VarDecl& v) {
  std::string t(v.type == DataType::kStruct && v.struct_type ? v.struct_type->name : std::string(type_name(v.type)));
  if (v.type == DataType::kString || v.type == DataType::kWstring) t += "[" + std::to_string(v.max_length()) + "]";
  if (v.array_size) t = "ARRAY[0.." + std::to_string(v.array_size - 1) + "] OF " + t;
  return t;
}

}  // namespace plc
