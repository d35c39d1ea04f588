#include "runtime/fbdk_asn1.h"

#include <bit>
#include <cfloat>
#include <cmath>
#include <cstring>
#include <limits>

namespace plc::fbdk {
namespace {

constexpr uint32_t kMaxCount = 0xFFFF;  // a u16 count

bool is_scalar_bool(const VarDecl& d) { return d.type == DataType::kBool && !d.array_size; }

// A data type's width in bytes on the wire (integers, bit strings, reals,
// TIME and dates); 0 for the others.
unsigned wire_bytes(DataType t) {
  switch (t) {
    case DataType::kSint:
    case DataType::kUsint:
    case DataType::kByte: return 1;
    case DataType::kInt:
    case DataType::kUint:
    case DataType::kWord: return 2;
    case DataType::kDint:
    case DataType::kUdint:
    case DataType::kDword:
    case DataType::kReal: return 4;
    case DataType::kLint:
    case DataType::kUlint:
    case DataType::kLword:
    case DataType::kLreal:
    case DataType::kTime:
    case DataType::kDate:
    case DataType::kTimeOfDay:
    case DataType::kDateAndTime: return 8;
    default: return 0;
  }
}

// IEEE single of a double, as C converts it but defined for every input:
// beyond the float range an infinity, a NaN the canonical quiet NaN (what
// the Erlang codec sent for `nan`).
uint32_t single_bits(double d) {
  if (std::isnan(d)) return 0x7FC00000u;
  // FLT_MAX + half its ulp (2^103) and beyond round to infinity.
  constexpr double kRoundsToInf = double(FLT_MAX) + 0x1p103;
  if (std::fabs(d) >= kRoundsToInf) return d > 0 ? 0x7F800000u : 0xFF800000u;
  if (std::fabs(d) > double(FLT_MAX)) return std::bit_cast<uint32_t>(d > 0 ? FLT_MAX : -FLT_MAX);
  return std::bit_cast<uint32_t>(float(d));
}

uint64_t double_bits(double d) { return std::isnan(d) ? 0x7FF8000000000000ull : std::bit_cast<uint64_t>(d); }

uint16_t unit_at(const Value* s, uint32_t k) {
  const auto* b = reinterpret_cast<const unsigned char*>(s + 1);
  return uint16_t(b[2 * k] | b[2 * k + 1] << 8);
}

// ------------------------------------------------------------------ encoding

// Writes to `p` (or only counts when p is null), and records the first
// reason the SDs cannot be sent.
class Writer {
 public:
  explicit Writer(unsigned char* p) : p_(p) {}
  void byte(uint8_t b) {
    if (p_) p_[n_] = b;
    ++n_;
  }
  void be(uint64_t v, unsigned bytes) {
    for (unsigned k = bytes; k > 0; --k) byte(uint8_t(v >> (8 * (k - 1))));
  }
  bool fail(Fault f, uint64_t detail) {
    if (!error) error = {f, point, uint32_t(n_), 0, 0, detail};
    return false;
  }
  size_t size() const { return n_; }
  uint16_t point = 0;
  Error error;

 private:
  unsigned char* p_;
  size_t n_ = 0;
};

bool put_bare(const VarDecl& d, const Value* s, Writer& w);

bool put_struct(const VarDecl& d, const Value* s, Writer& w) {
  if (!d.struct_type) return w.fail(Fault::kNoType, 0);
  uint32_t at = 0;
  for (const VarDecl& m : d.struct_type->members) {
    if (is_scalar_bool(m)) w.byte(s[at].u ? kTrueTag : kFalseTag);
    else if (!put_bare(m, s + at, w)) return false;
    at += m.slots();
  }
  return true;
}

// One element's value without its tag [serializeValue].
bool put_element(const VarDecl& d, const Value* s, Writer& w) {
  switch (d.type) {
    case DataType::kBool: w.byte(s->u ? kTrueTag : kFalseTag); return true;
    case DataType::kReal: w.be(single_bits(s->r), 4); return true;
    case DataType::kLreal: w.be(double_bits(s->r), 8); return true;
    case DataType::kTime: w.be(uint64_t(s->i / 1000), 8); return true;  // [CIEC_TIME::getInMicroSeconds]
    case DataType::kString: {
      const auto n = uint32_t(std::min<uint64_t>(s[0].u, d.max_length()));
      const auto* b = reinterpret_cast<const unsigned char*>(s + 1);
      w.be(n, 2);
      for (uint32_t k = 0; k < n; ++k) w.byte(b[k]);
      return true;
    }
    case DataType::kWstring: {
      const auto n = uint32_t(std::min<uint64_t>(s[0].u, d.max_length()));
      w.be(n, 2);
      for (uint32_t k = 0; k < n; ++k) w.be(unit_at(s, k), 2);
      return true;
    }
    case DataType::kStruct: return put_struct(d, s, w);
    default: w.be(s->u, wire_bytes(d.type)); return true;
  }
}

// An array's count and elements [serializeArray].
bool put_array(const VarDecl& d, const Value* s, Writer& w) {
  if (d.array_size > kMaxCount) return w.fail(Fault::kTooLong, d.array_size);
  w.be(d.array_size, 2);
  const uint32_t per = d.element_slots();
  if (d.type != DataType::kBool) w.byte(tag_of(d.type));
  for (uint32_t k = 0; k < d.array_size; ++k)
    if (!put_element(d, s + k * per, w)) return false;
  return true;
}

bool put_bare(const VarDecl& d, const Value* s, Writer& w) {
  return d.array_size ? put_array(d, s, w) : put_element(d, s, w);
}

// A data point: the tag and the value [serializeDataPoint].
bool put_point(const VarDecl& d, const Value* s, Writer& w) {
  if (d.array_size) {
    w.byte(kArrayTag);
    return put_array(d, s, w);
  }
  if (d.type != DataType::kBool) w.byte(tag_of(d.type));
  return put_element(d, s, w);
}

bool put_all(Ports sds, const Value* slots, Writer& w) {
  if (sds.decls.empty()) {
    w.byte(kNullTag);
    return true;
  }
  uint32_t at = 0;
  for (size_t k = 0; k < sds.decls.size(); ++k) {
    w.point = uint16_t(k + 1);
    if (!put_point(sds.decls[k], slots + at, w)) return false;
    at += sds.decls[k].slots();
  }
  return true;
}

// ------------------------------------------------------------------ decoding

// Reads the message; every take checks the bytes left first. A null
// destination decodes and checks without storing (an array's extra
// elements).
class Reader {
 public:
  explicit Reader(std::span<const unsigned char> b) : b_(b) {}
  bool has(size_t n) const { return b_.size() - at_ >= n; }
  bool take(uint64_t& v, unsigned bytes) {
    if (!has(bytes)) return truncated();
    v = 0;
    for (unsigned k = 0; k < bytes; ++k) v = v << 8 | b_[at_++];
    return true;
  }
  const unsigned char* skip(size_t n) {
    const unsigned char* p = b_.data() + at_;
    at_ += n;
    return p;
  }
  bool tag(uint8_t expected) {
    if (!has(1)) return truncated();
    const uint8_t got = b_[at_];
    if (got != expected) return fail({Fault::kBadTag, point, uint32_t(at_), expected, got, 0});
    ++at_;
    return true;
  }
  bool truncated() { return fail({Fault::kTruncated, point, uint32_t(at_), 0, 0, 0}); }
  bool fail(Fault f, size_t at, uint64_t detail) { return fail({f, point, uint32_t(at), 0, 0, detail}); }
  bool fail(const Error& e) {
    error = e;
    return false;
  }
  size_t at() const { return at_; }
  size_t size() const { return b_.size(); }
  uint8_t peek() const { return b_[at_]; }
  uint16_t point = 0;
  Error error;

 private:
  std::span<const unsigned char> b_;
  size_t at_ = 0;
};

bool take_bare(const VarDecl& d, Value* s, Reader& r);

bool take_bool_point(Value* s, Reader& r) {
  if (!r.has(1)) return r.truncated();
  const uint8_t b = r.peek();
  if (b != kFalseTag && b != kTrueTag) return r.tag(kFalseTag);  // reports the bad tag
  r.skip(1);
  if (s) *s = Value::of_bool(b == kTrueTag);
  return true;
}

bool take_string(const VarDecl& d, Value* s, Reader& r) {
  uint64_t n;
  const size_t at = r.at();
  if (!r.take(n, 2)) return false;
  if (!r.has(n)) return r.truncated();
  const unsigned char* chars = r.skip(n);
  if (!s) return true;
  if (n > d.max_length()) return r.fail(Fault::kTooLong, at, n);
  auto* out = reinterpret_cast<unsigned char*>(s + 1);
  std::memset(out, 0, (d.element_slots() - 1) * sizeof(Value));
  std::memcpy(out, chars, n);
  s[0] = Value::of_uint(n);
  return true;
}

// UTF-16 with an optional byte order mark, big-endian without one
// [CIEC_WSTRING::fromUTF16]: every character must be valid UTF-16 (first
// checked over the whole string) and then within Latin-1.
bool take_wstring(const VarDecl& d, Value* s, Reader& r) {
  uint64_t n;
  const size_t at = r.at();
  if (!r.take(n, 2)) return false;
  if (!r.has(2 * n)) return r.truncated();
  const unsigned char* p = r.skip(2 * n);
  bool little = false;
  if (n > 0 && ((p[0] == 0xFE && p[1] == 0xFF) || (p[0] == 0xFF && p[1] == 0xFE))) {
    little = p[0] == 0xFF;
    p += 2;
    --n;
  }
  auto unit = [&](uint64_t k) {
    return little ? uint16_t(p[2 * k] | p[2 * k + 1] << 8) : uint16_t(p[2 * k] << 8 | p[2 * k + 1]);
  };
  uint32_t wide = 0;  // the first character beyond Latin-1
  for (uint64_t k = 0; k < n; ++k) {
    const uint16_t u = unit(k);
    if (u >= 0xDC00 && u <= 0xDFFF) return r.fail(Fault::kBadUtf16, at, k);
    if (u >= 0xD800 && u <= 0xDBFF) {
      if (k + 1 == n || unit(k + 1) < 0xDC00 || unit(k + 1) > 0xDFFF) return r.fail(Fault::kBadUtf16, at, k);
      if (!wide) wide = 0x10000 + ((uint32_t(u) - 0xD800) << 10) + (uint32_t(unit(k + 1)) - 0xDC00);
      ++k;
    } else if (u > 0xFF && !wide) {
      wide = u;
    }
  }
  if (wide) return r.fail(Fault::kBeyondLatin1, at, wide);
  if (!s) return true;
  if (n > d.max_length()) return r.fail(Fault::kTooLong, at, n);
  auto* out = reinterpret_cast<unsigned char*>(s + 1);
  std::memset(out, 0, (d.element_slots() - 1) * sizeof(Value));
  for (uint64_t k = 0; k < n; ++k) out[2 * k] = uint8_t(unit(k));
  s[0] = Value::of_uint(n);
  return true;
}

bool take_struct(const VarDecl& d, Value* s, Reader& r) {
  if (!d.struct_type) return r.fail(Fault::kNoType, r.at(), 0);
  uint32_t at = 0;
  for (const VarDecl& m : d.struct_type->members) {
    Value* ms = s ? s + at : nullptr;
    if (!(is_scalar_bool(m) ? take_bool_point(ms, r) : take_bare(m, ms, r))) return false;
    at += m.slots();
  }
  return true;
}

// One element's value without its tag [deserializeValue].
bool take_element(const VarDecl& d, Value* s, Reader& r) {
  uint64_t v;
  switch (d.type) {
    case DataType::kBool: return take_bool_point(s, r);
    case DataType::kString: return take_string(d, s, r);
    case DataType::kWstring: return take_wstring(d, s, r);
    case DataType::kStruct: return take_struct(d, s, r);
    case DataType::kReal: {
      if (!r.take(v, 4)) return false;
      const float f = std::bit_cast<float>(uint32_t(v));
      if (s) *s = Value::of_real(std::isnan(f) ? std::numeric_limits<double>::quiet_NaN() : double(f));
      return true;
    }
    case DataType::kLreal: {
      if (!r.take(v, 8)) return false;
      const double x = std::bit_cast<double>(v);
      if (s) *s = Value::of_real(std::isnan(x) ? std::numeric_limits<double>::quiet_NaN() : x);
      return true;
    }
    case DataType::kTime: {
      const size_t at = r.at();
      if (!r.take(v, 8)) return false;
      const auto us = int64_t(v);
      constexpr int64_t kMax = std::numeric_limits<int64_t>::max() / 1000;
      constexpr int64_t kMin = std::numeric_limits<int64_t>::min() / 1000;
      if (us > kMax || us < kMin) return r.fail(Fault::kOutOfRange, at, v);
      if (s) *s = Value::of_int(us * 1000);
      return true;
    }
    default: {
      const unsigned n = wire_bytes(d.type);
      if (!r.take(v, n)) return false;
      if (s) *s = normalize(d.type, Value::of_uint(v));  // sign-extends the signed ones
      return true;
    }
  }
}

// N elements arrived for an RD of array_size [deserializeArray]: extra
// ones are checked and dropped, missing ones zero.
bool take_array(const VarDecl& d, Value* s, Reader& r) {
  uint64_t n;
  if (!r.take(n, 2)) return false;
  const uint32_t per = d.element_slots();
  if (n > 0) {
    if (d.type != DataType::kBool && !r.tag(tag_of(d.type))) return false;
    for (uint64_t k = 0; k < n; ++k)
      if (!take_element(d, s && k < d.array_size ? s + k * per : nullptr, r)) return false;
  }
  if (s && n < d.array_size) std::memset(s + n * per, 0, (d.array_size - n) * per * sizeof(Value));
  return true;
}

bool take_bare(const VarDecl& d, Value* s, Reader& r) {
  return d.array_size ? take_array(d, s, r) : take_element(d, s, r);
}

// [deserializeDataPoint, deserializeTag]
bool take_point(const VarDecl& d, Value* s, Reader& r) {
  if (d.array_size) return r.tag(kArrayTag) && take_array(d, s, r);
  if (d.type == DataType::kBool) return take_bool_point(s, r);
  return r.tag(tag_of(d.type)) && take_element(d, s, r);
}

bool take_all(Ports rds, Value* slots, Reader& r) {
  if (rds.decls.empty()) {
    if (!r.has(1)) return r.truncated();
    if (r.peek() != kNullTag) return r.fail({Fault::kNotNull, 0, uint32_t(r.at()), kNullTag, r.peek(), 0});
    r.skip(1);
    return true;
  }
  uint32_t at = 0;
  for (size_t k = 0; k < rds.decls.size(); ++k) {
    r.point = uint16_t(k + 1);
    if (!take_point(rds.decls[k], slots + at, r)) return false;
    at += rds.decls[k].slots();
  }
  return true;
}

const char* tag_name(uint8_t tag) {
  switch (tag) {
    case kNullTag: return "NULL";
    case kFalseTag: return "BOOL FALSE";
    case kTrueTag: return "BOOL TRUE";
    case kArrayTag: return "ARRAY";
    case kStructTag: return "structure";
    case 0x59: return "LDATE";
    case 0x5A: return "LTIME_OF_DAY";
    case 0x5B: return "LDATE_AND_TIME";
    case 0x5C: return "LTIME";
    default:
      for (uint8_t t = uint8_t(DataType::kSint); t < uint8_t(DataType::kStruct); ++t)
        if (tag_of(DataType(t)) == tag) return type_name(DataType(t)).data();
      return nullptr;
  }
}

std::string hex(uint64_t v, int digits) {
  static const char* const kHex = "0123456789ABCDEF";
  std::string s;
  for (int k = digits - 1; k >= 0; --k) s += kHex[(v >> (4 * k)) & 15];
  return s;
}

std::string tag_text(uint8_t tag) {
  std::string s = "0x" + hex(tag, 2);
  if (const char* name = tag_name(tag)) s += std::string(" (") + name + ")";
  return s;
}

}  // namespace

uint8_t tag_of(DataType t) {
  switch (t) {
    case DataType::kBool: return kFalseTag;
    case DataType::kSint: return 0x42;
    case DataType::kInt: return 0x43;
    case DataType::kDint: return 0x44;
    case DataType::kLint: return 0x45;
    case DataType::kUsint: return 0x46;
    case DataType::kUint: return 0x47;
    case DataType::kUdint: return 0x48;
    case DataType::kUlint: return 0x49;
    case DataType::kReal: return 0x4A;
    case DataType::kLreal: return 0x4B;
    case DataType::kTime: return 0x4C;
    case DataType::kDate: return 0x4D;
    case DataType::kTimeOfDay: return 0x4E;
    case DataType::kDateAndTime: return 0x4F;
    case DataType::kString: return 0x50;
    case DataType::kByte: return 0x51;
    case DataType::kWord: return 0x52;
    case DataType::kDword: return 0x53;
    case DataType::kLword: return 0x54;
    case DataType::kWstring: return 0x55;
    case DataType::kStruct: return kStructTag;  // every FORTE 3 structure
  }
  return kNullTag;
}

uint32_t Ports::slots() const {
  uint32_t n = 0;
  for (const VarDecl& d : decls) n += d.slots();
  return n;
}

std::string describe(const Error& e) {
  std::string where = e.point ? "data point " + std::to_string(e.point) + ", byte " : "byte ";
  where += std::to_string(e.offset) + ": ";
  switch (e.fault) {
    case Fault::kNone: return "no error";
    case Fault::kTruncated: return where + "the message ends inside a value";
    case Fault::kBadTag: return where + "expected tag " + tag_text(e.expected) + ", got " + tag_text(e.got);
    case Fault::kNotNull:
      return where + "a block without data expects " + tag_text(e.expected) + ", got " + tag_text(e.got);
    case Fault::kTrailingBytes: return where + std::to_string(e.detail) + " bytes after the last value";
    case Fault::kOutOfRange:
      return where + "a TIME of " + std::to_string(int64_t(e.detail)) + " us is beyond 64-bit nanoseconds";
    case Fault::kTooLong: return where + "a length of " + std::to_string(e.detail) + " is beyond the capacity";
    case Fault::kBadUtf16: return where + "a WSTRING that is not UTF-16 (at unit " + std::to_string(e.detail) + ")";
    case Fault::kBeyondLatin1:
      return where + "a WSTRING character U+" + hex(e.detail, e.detail > 0xFFFF ? 5 : 4) + " beyond U+00FF";
    case Fault::kNoType: return where + "a structure whose type is not known";
  }
  return where;
}

Size encoded_size(Ports sds, const Value* slots) {
  Writer w(nullptr);
  put_all(sds, slots, w);
  return {w.error ? 0 : w.size(), w.error};
}

void encode(Ports sds, const Value* slots, unsigned char* out) {
  Writer w(out);
  put_all(sds, slots, w);
}

Decoded decode(Ports rds, std::span<const unsigned char> bytes, Value* slots, Framing framing) {
  Reader r(bytes);
  if (!take_all(rds, slots, r)) return {r.error, 0};
  if (framing == Framing::kDatagram && r.at() < r.size())
    return {{Fault::kTrailingBytes, 0, uint32_t(r.at()), 0, 0, r.size() - r.at()}, 0};
  return {{}, r.at()};
}

}  // namespace plc::fbdk
