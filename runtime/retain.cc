#include "runtime/retain.h"

#include <cmath>
#include <cstring>

#include "runtime/resource.h"

namespace plc {
namespace {

constexpr std::string_view kMagic = "PLCRETN1";
constexpr uint32_t kVersion = 1;

// A retained variable of an instance and its first slot.
struct Retained {
  const VarDecl* decl;
  uint32_t slot;
};

// A reference is never retained (retain.h).
std::vector<Retained> retained_of(const Interface& i) {
  std::vector<Retained> out;
  auto kept = [](const VarDecl& d) { return d.retain && !d.ref_to; };
  for (uint16_t k = 0; k < i.inputs.size(); ++k)
    if (kept(i.inputs[k])) out.push_back({&i.inputs[k], i.input_slot(k)});
  for (uint16_t k = 0; k < i.outputs.size(); ++k)
    if (kept(i.outputs[k])) out.push_back({&i.outputs[k], i.output_slot(k)});
  for (uint16_t k = 0; k < i.internals.size(); ++k)
    if (kept(i.internals[k])) out.push_back({&i.internals[k], i.internal_slot(k)});
  return out;
}

std::string element_signature(const VarDecl& v) {
  if (v.type == DataType::kStruct) {
    std::string s = v.struct_type ? v.struct_type->name : "STRUCT";
    s += '{';
    if (v.struct_type)
      for (size_t k = 0; k < v.struct_type->members.size(); ++k) {
        const VarDecl& m = v.struct_type->members[k];
        s += (k ? "," : "") + m.name + ":" + retain_signature(m);
      }
    return s + '}';
  }
  std::string s(type_name(v.type));
  if (v.type == DataType::kString || v.type == DataType::kWstring) s += "[" + std::to_string(v.max_length()) + "]";
  return s;
}

// Whether `v` (one element, at `slots`) holds a value its type can hold.
bool valid_element(const VarDecl& v, const Value* slots) {
  switch (v.type) {
    case DataType::kBool: return slots[0].u <= 1;
    case DataType::kString:
    case DataType::kWstring: return slots[0].u <= v.max_length();
    case DataType::kReal: return std::isnan(slots[0].r) || double(float(slots[0].r)) == slots[0].r;
    case DataType::kStruct: {
      if (!v.struct_type) return false;
      uint32_t at = 0;
      for (const VarDecl& m : v.struct_type->members) {
        const uint32_t n = m.element_slots();
        for (uint32_t e = 0; e < (m.array_size ? m.array_size : 1); ++e)
          if (!valid_element(m, slots + at + e * n)) return false;
        at += m.slots();
      }
      return true;
    }
    default:
      if (is_signed_int(v.type) || is_unsigned_int(v.type)) return normalize(v.type, slots[0]).u == slots[0].u;
      return true;  // LREAL, TIME and the dates: every bit pattern is a value
  }
}

bool valid_value(const VarDecl& v, const Value* slots) {
  const uint32_t n = v.element_slots();
  for (uint32_t e = 0; e < (v.array_size ? v.array_size : 1); ++e)
    if (!valid_element(v, slots + e * n)) return false;
  return true;
}

void put_u16(std::string& out, uint16_t x) {
  out += char(x & 0xFF);
  out += char(x >> 8);
}
void put_u32(std::string& out, uint32_t x) {
  for (int k = 0; k < 4; ++k) out += char((x >> (8 * k)) & 0xFF);
}
void put_u64(std::string& out, uint64_t x) {
  for (int k = 0; k < 8; ++k) out += char((x >> (8 * k)) & 0xFF);
}
void put_text(std::string& out, const std::string& s) {
  const size_t n = s.size() > 0xFFFF ? 0xFFFF : s.size();  // names are far shorter
  put_u16(out, uint16_t(n));
  out.append(s, 0, n);
}

// Reads the image from the front, remembering where it is for the errors.
class Reader {
 public:
  explicit Reader(std::string_view b) : b_(b) {}
  size_t offset() const { return at_; }
  size_t left() const { return b_.size() - at_; }
  bool u16(uint16_t& x) { return uint(x, 2); }
  bool u32(uint32_t& x) { return uint(x, 4); }
  bool u64(uint64_t& x) { return uint(x, 8); }
  bool text(std::string& s) {
    uint16_t n;
    if (!u16(n) || left() < n) return false;
    s.assign(b_.substr(at_, n));
    at_ += n;
    return true;
  }

 private:
  template <typename T>
  bool uint(T& x, int bytes) {
    if (left() < size_t(bytes)) return false;
    uint64_t v = 0;
    for (int k = 0; k < bytes; ++k) v |= uint64_t(uint8_t(b_[at_ + k])) << (8 * k);
    at_ += size_t(bytes);
    x = T(v);
    return true;
  }
  std::string_view b_;
  size_t at_ = 0;
};

Diagnostics error_at(size_t offset, const std::string& what) {
  Diagnostics d;
  d.error("retain image byte " + std::to_string(offset), what);
  return d;
}

}  // namespace

std::string retain_signature(const VarDecl& v) {
  if (!v.array_size) return element_signature(v);
  return "ARRAY[" + std::to_string(v.array_lo) + ".." + std::to_string(v.array_lo + int64_t(v.array_size) - 1) +
         "] OF " + element_signature(v);
}

bool has_retained(const Resource& r) {
  for (uint32_t f = 0; f < r.fb_count(); ++f)
    if (!retained_of(r.type_of(FbIndex{f}).iface).empty()) return true;
  return false;
}

RetainImage capture_retained(const Resource& r) {
  RetainImage image;
  for (uint32_t f = 0; f < r.fb_count(); ++f) {
    const Value* vars = r.vars(FbIndex{f});
    for (const Retained& x : retained_of(r.type_of(FbIndex{f}).iface)) {
      const Value* from = vars + x.slot;
      image.entries.push_back(
          {r.name_of(FbIndex{f}), x.decl->name, retain_signature(*x.decl), {from, from + x.decl->slots()}});
    }
  }
  return image;
}

std::string serialize_retain(const RetainImage& image) {
  std::string out(kMagic);
  put_u32(out, kVersion);
  put_u32(out, uint32_t(image.entries.size()));
  for (const RetainEntry& e : image.entries) {
    put_text(out, e.fb);
    put_text(out, e.var);
    put_text(out, e.type);
    put_u32(out, uint32_t(e.slots.size()));
    for (Value v : e.slots) put_u64(out, v.u);
  }
  return out;
}

Expected<RetainImage> parse_retain(std::string_view bytes) {
  if (bytes.size() < kMagic.size() || bytes.substr(0, kMagic.size()) != kMagic)
    return error_at(0, "not a retain image (no PLCRETN1 header)");
  Reader in(bytes.substr(kMagic.size()));
  auto offset = [&] { return kMagic.size() + in.offset(); };
  uint32_t version = 0, count = 0;
  if (!in.u32(version)) return error_at(offset(), "truncated before the version");
  if (version != kVersion)
    return error_at(offset() - 4, "unsupported version " + std::to_string(version) + " (this runtime reads 1)");
  if (!in.u32(count)) return error_at(offset(), "truncated before the entry count");
  RetainImage image;
  for (uint32_t k = 0; k < count; ++k) {
    const std::string which = "entry " + std::to_string(k + 1) + " of " + std::to_string(count);
    RetainEntry e;
    uint32_t n = 0;
    if (!in.text(e.fb) || !in.text(e.var) || !in.text(e.type) || !in.u32(n))
      return error_at(offset(), "truncated in " + which);
    if (in.left() / 8 < n)
      return error_at(offset(), which + " has " + std::to_string(n) + " slots, more than the image holds");
    e.slots.resize(n);
    for (Value& v : e.slots) in.u64(v.u);
    image.entries.push_back(std::move(e));
  }
  if (in.left()) return error_at(offset(), std::to_string(in.left()) + " bytes after the last entry");
  return image;
}

std::vector<RetainDropped> restore_retained(Resource& r, const RetainImage& image) {
  std::vector<RetainDropped> dropped;
  for (const RetainEntry& e : image.entries) {
    auto drop = [&](std::string why) { dropped.push_back({e.fb, e.var, std::move(why)}); };
    auto f = r.find_fb(e.fb);
    if (!f) {
      drop("no instance " + e.fb);
      continue;
    }
    const Retained* match = nullptr;
    const auto vars = retained_of(r.type_of(*f).iface);
    for (const Retained& x : vars)
      if (same_identifier(x.decl->name, e.var)) match = &x;
    if (!match) {
      drop("no RETAIN variable " + e.var + " in " + e.fb);
      continue;
    }
    const std::string now = retain_signature(*match->decl);
    if (now != e.type || e.slots.size() != match->decl->slots()) {
      drop("type changed from " + e.type + " to " + now);
      continue;
    }
    if (!valid_value(*match->decl, e.slots.data())) {
      drop("value out of the range of " + now);
      continue;
    }
    std::memcpy(r.vars(*f) + match->slot, e.slots.data(), e.slots.size() * sizeof(Value));
  }
  return dropped;
}

}  // namespace plc
