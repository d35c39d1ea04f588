// Reading and writing the ports of generic native blocks in place
// (generic_type.h): each instance's type says, port by port, the concrete
// type and where its slots are, and these helpers work on those slots
// without allocating, so that dispatch stays allocation-free.
//
// STRING and WSTRING are stored as fb_type.h says: slot 0 the length, then
// the characters, one byte each for STRING, two (a UTF-16 code unit, low
// byte first) for WSTRING.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "runtime/fb_type.h"
#include "runtime/resource.h"

namespace plc::stdfb {

// A data port of the running instance: its declaration and its slots.
struct Port {
  const VarDecl& decl;
  Value* v;
};

inline Port input_port(FbContext& fb, uint16_t k) {
  const Interface& i = fb.type().iface;
  return {i.inputs[k], fb.v + i.input_slot(k)};
}
inline Port output_port(FbContext& fb, uint16_t k) {
  const Interface& i = fb.type().iface;
  return {i.outputs[k], fb.v + i.output_slot(k)};
}

inline bool is_text(DataType t) { return t == DataType::kString || t == DataType::kWstring; }

// Types whose value is the signed `i` of their slot.
inline bool held_signed(DataType t) {
  return is_signed_int(t) || t == DataType::kTime || t == DataType::kDate || t == DataType::kTimeOfDay ||
         t == DataType::kDateAndTime;
}

// An ANY_INT value as a 64-bit signed number (an ULINT beyond it saturates).
inline int64_t int_value(const Port& p) {
  if (is_signed_int(p.decl.type)) return p.v->i;
  return p.v->u > uint64_t(INT64_MAX) ? INT64_MAX : int64_t(p.v->u);
}

// Writes `n` into an ANY_INT port, wrapped to its width.
inline void set_int(const Port& p, int64_t n) { *p.v = normalize(p.decl.type, Value::of_int(n)); }

// The characters of a STRING or WSTRING.
class Text {
 public:
  Text(const VarDecl& d, const Value* slots)
      : bytes_(reinterpret_cast<const unsigned char*>(slots + 1)),
        size_(uint32_t(std::min<uint64_t>(slots[0].u, d.max_length()))),
        wide_(d.type == DataType::kWstring) {}
  explicit Text(const Port& p) : Text(p.decl, p.v) {}
  uint32_t size() const { return size_; }
  uint16_t operator[](uint32_t k) const { return wide_ ? uint16_t(bytes_[2 * k] | bytes_[2 * k + 1] << 8) : bytes_[k]; }

 private:
  const unsigned char* bytes_;
  uint32_t size_;
  bool wide_;
};

// Builds a STRING or WSTRING in its slots: characters beyond the capacity
// are dropped. The length is written by the destructor, the unused
// characters are cleared, so that equal strings have equal slots.
class TextOut {
 public:
  TextOut(const VarDecl& d, Value* slots)
      : slots_(slots),
        bytes_(reinterpret_cast<unsigned char*>(slots + 1)),
        cap_(d.max_length()),
        room_((d.element_slots() - 1) * sizeof(Value)),
        wide_(d.type == DataType::kWstring) {}
  explicit TextOut(const Port& p) : TextOut(p.decl, p.v) {}
  TextOut(const TextOut&) = delete;
  TextOut& operator=(const TextOut&) = delete;
  ~TextOut() {
    const size_t used = size_t(size_) * (wide_ ? 2 : 1);
    std::memset(bytes_ + used, 0, room_ - used);
    slots_[0] = Value::of_uint(size_);
  }

  void push(uint16_t c) {
    if (size_ == cap_) return;
    if (wide_) {
      bytes_[2 * size_] = uint8_t(c);
      bytes_[2 * size_ + 1] = uint8_t(c >> 8);
    } else {
      bytes_[size_] = uint8_t(c);
    }
    ++size_;
  }
  // Characters [from, from + n) of `t`.
  void append(const Text& t, uint32_t from, uint32_t n) {
    for (uint32_t k = from; k < from + n && k < t.size(); ++k) push(t[k]);
  }
  void append(const Text& t) { append(t, 0, t.size()); }
  void append(const char* s, size_t n) {
    for (size_t k = 0; k < n; ++k) push(static_cast<unsigned char>(s[k]));
  }

 private:
  Value* slots_;
  unsigned char* bytes_;
  uint32_t cap_;
  size_t room_;
  uint32_t size_ = 0;
  bool wide_;
};

// Copies a value between two ports of one type (the same slots).
inline void copy_value(const Port& to, const Port& from) { std::memcpy(to.v, from.v, to.decl.slots() * sizeof(Value)); }

// Clears a port to its type's zero: 0, FALSE, '' or T#0s.
inline void clear_value(const Port& p) { std::memset(p.v, 0, p.decl.slots() * sizeof(Value)); }

enum class Order : uint8_t { kLess, kEqual, kGreater, kUnordered };

// IEC 61131-3 comparison of two values of one type (6.6.2.5.8): numbers
// by value (a NaN is unordered), BOOL FALSE < TRUE, TIME and dates by
// time, STRING and WSTRING character by character (a prefix first);
// arrays element by element, structures member by member, the first
// difference deciding.
Order compare(const VarDecl& d, const Value* a, const Value* b);
inline Order compare(const Port& a, const Port& b) { return compare(a.decl, a.v, b.v); }

}  // namespace plc::stdfb
