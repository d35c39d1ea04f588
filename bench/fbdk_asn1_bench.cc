// Throughput of the FBDK ASN.1 codec (runtime/fbdk_asn1.h) that every
// PUBLISH/SUBSCRIBE and CLIENT/SERVER over IP runs once per message:
// encoding the SDs (in the NIF's observer) and decoding a datagram into the
// RDs (plc_nif:service_data/5), for three shapes of data:
//   int_string  an INT and a STRING of 5 characters (the usual pair)
//   elementary  one of every elementary type (19 values, 2 strings)
//   structs     ARRAY[16] OF a structure {BOOL, INT, REAL, STRING[8]}
// Prints BENCH fbdk_encode_<shape> and fbdk_decode_<shape> in messages/s,
// and their bytes/s of the message.
#include <benchmark/benchmark.h>

#include <memory>
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

std::vector<VarDecl> shape(int k) {
  using D = DataType;
  if (k == 0) return {var(D::kInt), var(D::kString, 0, 16)};
  if (k == 1) {
    std::vector<VarDecl> all;
    for (uint8_t t = 0; t < uint8_t(D::kStruct); ++t) all.push_back(var(D(t), 0, 16));
    return all;
  }
  auto st = std::make_shared<plc::StructType>();
  st->members = {var(D::kBool), var(D::kInt), var(D::kReal), var(D::kString, 0, 8)};
  VarDecl a = var(D::kStruct, 16);
  a.struct_type = st;
  return {a};
}

void fill(const VarDecl& d, Value* s) {
  for (uint32_t k = 0; k < (d.array_size ? d.array_size : 1); ++k) {
    Value* e = s + k * d.element_slots();
    if (d.type == DataType::kStruct) {
      uint32_t at = 0;
      for (const VarDecl& m : d.struct_type->members) fill(m, e + at), at += m.slots();
    } else if (d.type == DataType::kString || d.type == DataType::kWstring) {
      plc::write_string(d, "hello", e);
    } else {
      *e = plc::normalize(d.type, Value::of_int(-12345));
    }
  }
}

struct Message {
  std::vector<VarDecl> ports;
  std::vector<Value> slots;
  std::vector<unsigned char> bytes;
  explicit Message(int k) : ports(shape(k)), slots(plc::fbdk::Ports{ports}.slots()) {
    uint32_t at = 0;
    for (const VarDecl& d : ports) fill(d, slots.data() + at), at += d.slots();
    bytes.resize(plc::fbdk::encoded_size({ports}, slots.data()).bytes);
    plc::fbdk::encode({ports}, slots.data(), bytes.data());
  }
};

void report(benchmark::State& state, const Message& m) {
  state.SetItemsProcessed(int64_t(state.iterations()));
  state.SetBytesProcessed(int64_t(state.iterations() * m.bytes.size()));
  state.SetLabel("messages");
}

template <int kShape>
void fbdk_encode(benchmark::State& state) {
  const Message m(kShape);
  std::vector<unsigned char> out(m.bytes.size());
  for (auto _ : state) {
    const auto size = plc::fbdk::encoded_size({m.ports}, m.slots.data());
    plc::fbdk::encode({m.ports}, m.slots.data(), out.data());
    benchmark::DoNotOptimize(size.bytes);
    benchmark::DoNotOptimize(out.data());
  }
  if (out != m.bytes) state.SkipWithError("encoded differently");
  report(state, m);
}

template <int kShape>
void fbdk_decode(benchmark::State& state) {
  const Message m(kShape);
  std::vector<Value> rd(m.slots.size());
  for (auto _ : state) {
    auto d = plc::fbdk::decode({m.ports}, m.bytes, rd.data(), plc::fbdk::Framing::kDatagram);
    if (!d) return state.SkipWithError("does not decode");
    benchmark::DoNotOptimize(rd.data());
  }
  report(state, m);
}

void fbdk_encode_int_string(benchmark::State& s) { fbdk_encode<0>(s); }
void fbdk_encode_elementary(benchmark::State& s) { fbdk_encode<1>(s); }
void fbdk_encode_structs(benchmark::State& s) { fbdk_encode<2>(s); }
void fbdk_decode_int_string(benchmark::State& s) { fbdk_decode<0>(s); }
void fbdk_decode_elementary(benchmark::State& s) { fbdk_decode<1>(s); }
void fbdk_decode_structs(benchmark::State& s) { fbdk_decode<2>(s); }

BENCHMARK(fbdk_encode_int_string);
BENCHMARK(fbdk_encode_elementary);
BENCHMARK(fbdk_encode_structs);
BENCHMARK(fbdk_decode_int_string);
BENCHMARK(fbdk_decode_elementary);
BENCHMARK(fbdk_decode_structs);

}  // namespace
