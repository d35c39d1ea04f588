#include "runtime/remote_event.h"

namespace plc::remote_event {
namespace {

void put_le(unsigned char*& p, uint64_t v, int bytes) {
  for (int k = 0; k < bytes; ++k) *p++ = static_cast<unsigned char>(v >> (8 * k));
}

uint64_t get_le(const unsigned char*& p, int bytes) {
  uint64_t v = 0;
  for (int k = 0; k < bytes; ++k) v |= uint64_t(*p++) << (8 * k);
  return v;
}

// Whether `v` may be stored at slot `offset` of variable `var` (its element
// layout repeated over an array): what the engine itself would store there.
Error check_slot(const VarDecl& var, uint32_t offset, Value v) {
  const uint32_t es = var.element_slots();
  if (es == 0) return Error::kNotAnInput;
  const uint32_t within = offset % es;
  switch (var.type) {
    case DataType::kString:
    case DataType::kWstring: return within != 0 || v.u <= var.max_length() ? Error::kNone : Error::kStringTooLong;
    case DataType::kStruct: {
      if (!var.struct_type) return Error::kNotAnInput;
      uint32_t at = 0;
      for (const auto& m : var.struct_type->members) {
        const uint32_t n = m.slots();
        if (within < at + n) return check_slot(m, within - at, v);
        at += n;
      }
      return Error::kNotAnInput;
    }
    case DataType::kBool: return v.u <= 1 ? Error::kNone : Error::kValueDoesNotFit;
    case DataType::kReal: {
      // Float precision, or a NaN (whose payload float rounding may change).
      const bool fits = v.r != v.r || normalize(var.type, v).u == v.u;
      return fits ? Error::kNone : Error::kValueDoesNotFit;
    }
    default:
      if (is_signed_int(var.type) || is_unsigned_int(var.type))
        return normalize(var.type, v).u == v.u ? Error::kNone : Error::kValueDoesNotFit;
      return Error::kNone;  // LREAL, TIME, DATE...: every bit pattern is a value
  }
}

// The input variable of `iface` holding FB-relative slot `local`, and the
// slot's offset within it.
const VarDecl* input_at(const Interface& iface, uint64_t local, uint32_t& offset) {
  for (uint16_t in = 0; in < iface.inputs.size(); ++in) {
    const uint32_t first = iface.input_slot(in), n = iface.inputs[in].slots();
    if (local >= first && local < uint64_t(first) + n) {
      offset = uint32_t(local - first);
      return &iface.inputs[in];
    }
  }
  return nullptr;
}

}  // namespace

size_t encode(const InboxEvent& e, unsigned char* out) {
  if (e.count > InboxEvent::kMaxValues) return 0;
  unsigned char* p = out;
  put_le(p, e.fb, 4);
  put_le(p, index_of(e.ei), 2);
  put_le(p, e.count, 1);
  for (unsigned k = 0; k < e.count; ++k) {
    put_le(p, e.slot[k], 4);
    put_le(p, e.value[k].u, 8);
  }
  return size_t(p - out);
}

std::string_view describe(Error e) {
  switch (e) {
    case Error::kNone: return "no error";
    case Error::kTruncated: return "truncated";
    case Error::kTrailingBytes: return "bytes after the last value";
    case Error::kTooManyValues: return "more values than an event carries";
    case Error::kUnknownFb: return "no such FB";
    case Error::kUnknownEvent: return "no such event input";
    case Error::kNotAnInput: return "a slot outside the FB's inputs";
    case Error::kStringTooLong: return "a string longer than its variable";
    case Error::kValueDoesNotFit: return "a value its variable's type cannot hold";
  }
  return "unknown error";
}

Decoded decode(const Resource& target, std::span<const unsigned char> bytes) {
  Decoded out;
  auto fail = [&](Error e) {
    out.error = e;
    return out;
  };
  if (bytes.size() < kHeaderBytes) return fail(Error::kTruncated);
  const unsigned char* p = bytes.data();
  const uint64_t fb = get_le(p, 4), ei = get_le(p, 2), count = get_le(p, 1);
  if (count > uint64_t(InboxEvent::kMaxValues)) return fail(Error::kTooManyValues);
  const size_t size = kHeaderBytes + kValueBytes * count;
  if (bytes.size() < size) return fail(Error::kTruncated);
  if (bytes.size() > size) return fail(Error::kTrailingBytes);
  if (fb >= target.fb_count()) return fail(Error::kUnknownFb);
  const FbIndex f{uint32_t(fb)};
  const Interface& iface = target.type_of(f).iface;
  if (ei >= iface.event_inputs.size()) return fail(Error::kUnknownEvent);
  const uint32_t base = target.slot_of(f, 0);
  InboxEvent& e = out.event;
  e.fb = uint32_t(fb);
  e.ei = EventId{uint16_t(ei)};
  e.count = uint8_t(count);
  for (unsigned k = 0; k < count; ++k) {
    const uint64_t slot = get_le(p, 4);
    const Value v{.u = get_le(p, 8)};
    uint32_t offset = 0;
    const VarDecl* var = slot < base ? nullptr : input_at(iface, slot - base, offset);
    if (!var) return fail(Error::kNotAnInput);
    if (Error err = check_slot(*var, offset, v); err != Error::kNone) return fail(err);
    e.slot[k] = uint32_t(slot);
    e.value[k] = v;
  }
  return out;
}

}  // namespace plc::remote_event
