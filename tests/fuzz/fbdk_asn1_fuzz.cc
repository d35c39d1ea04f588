// libFuzzer target over the FBDK ASN.1 decoder (runtime/fbdk_asn1.h), a
// trust boundary: every datagram or TCP segment a SUBSCRIBE, CLIENT or
// SERVER over IP receives goes through it. The first byte picks the RDs
// (one of kLayouts: none, every elementary type, arrays, structures and
// arrays of them), the rest is the message, decoded as a datagram and as a
// stream into an exact-size slot array. Besides crashes (ASan, UBSan) it
// traps when
// - the two framings disagree (a datagram decodes iff the stream takes
//   the whole message; a stream that takes less leaves trailing bytes, a
//   stream that waits for more is a truncated datagram);
// - a decoded STRING/WSTRING is longer than its capacity;
// - what decoded does not encode (into exactly encoded_size() bytes) and
//   decode again to the very same slots.
// Built and run by tests/fuzz/run.sh (clang).
//
// With FBDK_ASN1_FUZZ_SEEDS=<folder> set, it first writes the seed corpus
// there: a valid message of each layout (how tests/fuzz/corpus_fbdk_asn1/
// was made).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "runtime/fbdk_asn1.h"

namespace {

using plc::DataType;
using plc::Value;
using plc::VarDecl;

VarDecl var(DataType t, uint32_t array = 0, uint16_t length = 0) {
  VarDecl d;
  d.name = "V";
  d.type = t;
  d.array_size = array;
  d.string_length = length;
  return d;
}

VarDecl structure(std::vector<VarDecl> members, uint32_t array = 0) {
  auto st = std::make_shared<plc::StructType>();
  st->name = "S";
  st->members = std::move(members);
  VarDecl d = var(DataType::kStruct, array);
  d.struct_type = st;
  return d;
}

std::vector<std::vector<VarDecl>> make_layouts() {
  using D = DataType;
  std::vector<VarDecl> elementary;
  for (uint8_t t = 0; t < uint8_t(D::kStruct); ++t) elementary.push_back(var(D(t), 0, 5));
  const VarDecl inner = structure({var(D::kLreal), var(D::kWstring, 0, 2)});
  const VarDecl outer =
      structure({var(D::kBool), var(D::kInt), var(D::kString, 0, 4), var(D::kBool, 2), inner, var(D::kTime)});
  return {
      {},
      elementary,
      {var(D::kInt, 3), var(D::kBool, 4), var(D::kString, 2, 4), var(D::kWstring, 2, 1), var(D::kReal, 2)},
      {outer, structure(outer.struct_type->members, 2)},
      {var(D::kSint), var(D::kTime), var(D::kBool), var(D::kString, 0, 3)},
  };
}

const std::vector<std::vector<VarDecl>>& layouts() {
  static const auto* l = new std::vector<std::vector<VarDecl>>(make_layouts());
  return *l;
}

// Every STRING/WSTRING within its capacity.
bool strings_fit(const VarDecl& d, const Value* s) {
  for (uint32_t k = 0; k < (d.array_size ? d.array_size : 1); ++k) {
    const Value* e = s + k * d.element_slots();
    if ((d.type == DataType::kString || d.type == DataType::kWstring) && e->u > d.max_length()) return false;
    if (d.type == DataType::kStruct) {
      uint32_t at = 0;
      for (const VarDecl& m : d.struct_type->members) {
        if (!strings_fit(m, e + at)) return false;
        at += m.slots();
      }
    }
  }
  return true;
}

// A typical value in every slot: text in the strings, -1 in the numbers.
void fill(const VarDecl& d, Value* s) {
  for (uint32_t k = 0; k < (d.array_size ? d.array_size : 1); ++k) {
    Value* e = s + k * d.element_slots();
    if (d.type == DataType::kStruct) {
      uint32_t at = 0;
      for (const VarDecl& m : d.struct_type->members) fill(m, e + at), at += m.slots();
    } else if (d.type == DataType::kString || d.type == DataType::kWstring) {
      plc::write_string(d, "hello", e);
    } else if (d.type == DataType::kReal || d.type == DataType::kLreal) {
      *e = Value::of_real(-2.5);
    } else {
      *e = plc::normalize(d.type, Value::of_int(d.type == DataType::kTime ? -1000 : -1));
    }
  }
}

void write_seeds(const char* folder) {
  for (size_t l = 0; l < layouts().size(); ++l) {
    const plc::fbdk::Ports rds{layouts()[l]};
    std::vector<Value> slots(rds.slots(), Value{.u = 0});
    uint32_t at = 0;
    for (const VarDecl& d : rds.decls) fill(d, slots.data() + at), at += d.slots();
    const auto size = plc::fbdk::encoded_size(rds, slots.data());
    if (size.error) std::abort();
    std::vector<unsigned char> bytes(1 + size.bytes, uint8_t(l));
    plc::fbdk::encode(rds, slots.data(), bytes.data() + 1);
    const std::string path = std::string(folder) + "/layout_" + std::to_string(l);
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f || std::fwrite(bytes.data(), 1, bytes.size(), f) != bytes.size()) std::abort();
    std::fclose(f);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* folder = std::getenv("FBDK_ASN1_FUZZ_SEEDS")) write_seeds(folder);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const plc::fbdk::Ports rds{layouts()[data[0] % layouts().size()]};
  const std::span<const unsigned char> msg(data + 1, size - 1);
  const uint32_t n = rds.slots();
  auto slots = std::make_unique<Value[]>(n ? n : 1);
  auto d = plc::fbdk::decode(rds, msg, slots.get(), plc::fbdk::Framing::kDatagram);
  (void)plc::fbdk::describe(d.error);
  auto streamed = std::make_unique<Value[]>(n ? n : 1);
  auto s = plc::fbdk::decode(rds, msg, streamed.get(), plc::fbdk::Framing::kStream);
  if (bool(d) != (s && s.bytes == msg.size())) __builtin_trap();
  if (s && s.bytes < msg.size() && d.error.fault != plc::fbdk::Fault::kTrailingBytes) __builtin_trap();
  if (s.incomplete() != (d.error.fault == plc::fbdk::Fault::kTruncated)) __builtin_trap();
  if (d.error.offset > msg.size()) __builtin_trap();
  if (!d) return 0;
  uint32_t at = 0;
  for (const VarDecl& v : rds.decls) {
    if (!strings_fit(v, slots.get() + at)) __builtin_trap();
    at += v.slots();
  }
  const auto again = plc::fbdk::encoded_size(rds, slots.get());
  if (again.error) __builtin_trap();
  auto bytes = std::make_unique<unsigned char[]>(again.bytes);
  plc::fbdk::encode(rds, slots.get(), bytes.get());
  auto back = std::make_unique<Value[]>(n ? n : 1);
  auto d2 = plc::fbdk::decode(rds, {bytes.get(), again.bytes}, back.get(), plc::fbdk::Framing::kDatagram);
  if (!d2 || std::memcmp(back.get(), slots.get(), n * sizeof(Value)) != 0) __builtin_trap();
  return 0;
}
