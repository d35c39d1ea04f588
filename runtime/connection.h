// Data connections (IEC 61499-1 5.3.2, IEC 61131-3 2.3.3): which variable
// may feed which. The resource loader, the composite flattener and the
// device loader all ask here, so a connection accepted inside one resource
// is accepted across resources and across composite boundaries too.
//
// The implicit conversions of IEC 61131-3 (3rd ed. figure 11) that lose
// nothing are accepted: an integer into a wider integer that holds all its
// values (SINT -> INT, USINT -> INT, UINT -> UDINT; not INT -> UINT), an
// integer into a REAL or LREAL that represents it exactly (SINT, INT, USINT,
// UINT -> REAL; also DINT, UDINT -> LREAL), and REAL -> LREAL. Everything
// else must match exactly. Integer widening and REAL -> LREAL keep the slot
// representation (data_type.h) and are plain slot copies; integer -> real
// converts the value as it is copied (Conversion).
#pragma once

#include <cstdint>
#include <string>

#include "runtime/fb_type.h"

namespace plc {

// Same shape (array size, string capacity, struct type) and a type that
// widens. Compares the ports' concrete types: for a generic port, the type
// its load decided (generic_type.h), or its class's default before that; a
// generic port decided signed also takes the unsigned type of its width
// (the unification rule), sign-extending the bits.
bool can_feed(const VarDecl& from, const VarDecl& to);

// Whether an elementary `from` converts into `to` without loss (the rule
// above, on types alone).
bool implicitly_converts(DataType from, DataType to);

// Before generic ports are decided (composite boundaries, connections
// between resources): a generic end accepts any type its class holds, and
// two generic ends whose classes share a type may meet; otherwise can_feed.
bool may_feed(const VarDecl& from, const VarDecl& to);

// What a copy from `from` into `to` does to each slot (can_feed holds).
enum class Conversion : uint8_t {
  kNone,            // slot copy
  kSignedToReal,    // Value.i -> Value.r
  kUnsignedToReal,  // Value.u -> Value.r
  // An unsigned integer into a generic port decided as the signed type of
  // its width (generic_type.h: UINT + INT is INT): the bits, sign-extended.
  kSignExtend8,
  kSignExtend16,
  kSignExtend32,
};
Conversion conversion_of(const VarDecl& from, const VarDecl& to);

// A slot index with the conversion its value needs on the way, in the top
// three bits (the engine's tables of slot copies carry it this way; slot
// indices stay below 2^29).
inline constexpr uint32_t kSlotIndexBits = 29;
inline constexpr uint32_t kSlotIndexMask = (uint32_t{1} << kSlotIndexBits) - 1;
constexpr uint32_t tag_slot(uint32_t slot, Conversion c) { return slot | (uint32_t(c) << kSlotIndexBits); }
constexpr uint32_t untag_slot(uint32_t tagged) { return tagged & kSlotIndexMask; }
inline Value convert_slot(Value v, uint32_t tagged) {
  switch (Conversion(tagged >> kSlotIndexBits)) {
    case Conversion::kNone: return v;
    case Conversion::kSignedToReal: return Value::of_real(double(v.i));
    case Conversion::kUnsignedToReal: return Value::of_real(double(v.u));
    case Conversion::kSignExtend8: return Value::of_int(int8_t(v.u));
    case Conversion::kSignExtend16: return Value::of_int(int16_t(v.u));
    case Conversion::kSignExtend32: return Value::of_int(int32_t(v.u));
  }
  return v;
}

// "UINT", "STRING[80]", "ARRAY[0..3] OF INT", "MY_STRUCT": for diagnostics.
std::string describe_type(const VarDecl& v);

}  // namespace plc
