// FBDK ASN.1 (runtime/fbdk_asn1.h) pinned with FORTE's own test vectors
// (4diac-forte tests/core/cominfra/fbdkasn1layer_serdeserdata.h and the
// cases of fbdkasn1layerser_test.cpp / fbdkasn1layerdeser_test.cpp that use
// them: the vectors the Erlang codec plc_fbdk_asn1 was pinned with, which
// tools/forte_interop.sh proved against a running FORTE), then FORTE's
// other rules, round trips and hostile packets, each located.
#include "runtime/fbdk_asn1.h"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstring>
#include <limits>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "tests/allocation_counter.h"

using namespace plc;
using plc::fbdk::Fault;
using plc::fbdk::Framing;
using Bytes = std::vector<unsigned char>;

namespace {

VarDecl var(DataType t, uint32_t array = 0, uint16_t length = 0) {
  VarDecl d;
  d.name = "V";
  d.type = t;
  d.array_size = array;
  d.string_length = length;
  return d;
}

VarDecl structure(std::vector<VarDecl> members, uint32_t array = 0) {
  auto st = std::make_shared<StructType>();
  st->name = "S";
  for (size_t k = 0; k < members.size(); ++k) {
    members[k].name = "M" + std::to_string(k + 1);
    st->members.push_back(members[k]);
  }
  VarDecl d = var(DataType::kStruct, array);
  d.struct_type = st;
  return d;
}

// One port's slots, with helpers to fill them.
struct Slots {
  explicit Slots(const VarDecl& d) : decl(d), v(d.slots(), Value{.u = 0}) {}
  VarDecl decl;
  std::vector<Value> v;
};

Bytes encode(const std::vector<VarDecl>& sds, const std::vector<Value>& slots) {
  auto size = fbdk::encoded_size({sds}, slots.data());
  REQUIRE_FALSE(size.error);
  Bytes out(size.bytes, 0xEE);
  fbdk::encode({sds}, slots.data(), out.data());
  return out;
}

Bytes encode1(const VarDecl& d, const std::vector<Value>& slots) { return encode({d}, slots); }

fbdk::Decoded decode(const std::vector<VarDecl>& rds, const Bytes& b, std::vector<Value>& out,
                     Framing f = Framing::kDatagram) {
  out.assign(fbdk::Ports{rds}.slots(), Value{.u = 0xDDDDDDDDDDDDDDDD});
  return fbdk::decode({rds}, b, out.data(), f);
}

std::vector<Value> string_slots(const VarDecl& d, std::string_view s) {
  std::vector<Value> v(d.slots(), Value{.u = 0});
  write_string(d, s, v.data());
  return v;
}

struct Vector {
  DataType type;
  Value value;
  Bytes bytes;
};

Value i(int64_t x) { return Value::of_int(x); }
Value u(uint64_t x) { return Value::of_uint(x); }
Value r(double x) { return Value::of_real(x); }
Value single(float x) { return Value::of_real(double(x)); }

// FORTE's scalar vectors: each encodes to exactly these bytes and decodes
// back to exactly this value.
const std::vector<Vector>& scalar_vectors() {
  using D = DataType;
  static const std::vector<Vector> v = {
      {D::kBool, u(0), {0x40}},
      {D::kBool, u(1), {0x41}},
      {D::kByte, u(0), {0x51, 0}},
      {D::kByte, u(12), {0x51, 12}},
      {D::kByte, u(128), {0x51, 128}},
      {D::kByte, u(255), {0x51, 255}},
      {D::kWord, u(0), {0x52, 0, 0}},
      {D::kWord, u(255), {0x52, 0, 255}},
      {D::kWord, u(256), {0x52, 1, 0}},
      {D::kWord, u(65535), {0x52, 0xFF, 0xFF}},
      {D::kWord, u(40396), {0x52, 0x9D, 0xCC}},
      {D::kDword, u(0), {0x53, 0, 0, 0, 0}},
      {D::kDword, u(255), {0x53, 0, 0, 0, 0xFF}},
      {D::kDword, u(256), {0x53, 0, 0, 1, 0}},
      {D::kDword, u(65535), {0x53, 0, 0, 0xFF, 0xFF}},
      {D::kDword, u(65536), {0x53, 0, 1, 0, 0}},
      {D::kDword, u(4294967295), {0x53, 0xFF, 0xFF, 0xFF, 0xFF}},
      {D::kDword, u(690586453), {0x53, 0x29, 0x29, 0x83, 0x55}},
      {D::kLword, u(0), {0x54, 0, 0, 0, 0, 0, 0, 0, 0}},
      {D::kLword, u(255), {0x54, 0, 0, 0, 0, 0, 0, 0, 0xFF}},
      {D::kLword, u(256), {0x54, 0, 0, 0, 0, 0, 0, 1, 0}},
      {D::kLword, u(65535), {0x54, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF}},
      {D::kLword, u(65536), {0x54, 0, 0, 0, 0, 0, 1, 0, 0}},
      {D::kLword, u(4294967295), {0x54, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF}},
      {D::kLword, u(4294967296), {0x54, 0, 0, 0, 1, 0, 0, 0, 0}},
      {D::kLword, u(18446744073709551615u), {0x54, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}},
      {D::kLword, u(3544923647067170873), {0x54, 0x31, 0x32, 0x19, 0x46, 0x73, 0x52, 0x28, 0x39}},
      {D::kUsint, u(0), {0x46, 0}},
      {D::kUsint, u(12), {0x46, 12}},
      {D::kUsint, u(128), {0x46, 128}},
      {D::kUsint, u(255), {0x46, 255}},
      {D::kUint, u(0), {0x47, 0, 0}},
      {D::kUint, u(255), {0x47, 0, 255}},
      {D::kUint, u(256), {0x47, 1, 0}},
      {D::kUint, u(65535), {0x47, 0xFF, 0xFF}},
      {D::kUint, u(40396), {0x47, 0x9D, 0xCC}},
      {D::kUdint, u(0), {0x48, 0, 0, 0, 0}},
      {D::kUdint, u(255), {0x48, 0, 0, 0, 0xFF}},
      {D::kUdint, u(256), {0x48, 0, 0, 1, 0}},
      {D::kUdint, u(65535), {0x48, 0, 0, 0xFF, 0xFF}},
      {D::kUdint, u(65536), {0x48, 0, 1, 0, 0}},
      {D::kUdint, u(4294967295), {0x48, 0xFF, 0xFF, 0xFF, 0xFF}},
      {D::kUdint, u(690586453), {0x48, 0x29, 0x29, 0x83, 0x55}},
      {D::kUlint, u(0), {0x49, 0, 0, 0, 0, 0, 0, 0, 0}},
      {D::kUlint, u(255), {0x49, 0, 0, 0, 0, 0, 0, 0, 0xFF}},
      {D::kUlint, u(256), {0x49, 0, 0, 0, 0, 0, 0, 1, 0}},
      {D::kUlint, u(65535), {0x49, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF}},
      {D::kUlint, u(65536), {0x49, 0, 0, 0, 0, 0, 1, 0, 0}},
      {D::kUlint, u(4294967295), {0x49, 0, 0, 0, 0, 0xFF, 0xFF, 0xFF, 0xFF}},
      {D::kUlint, u(4294967296), {0x49, 0, 0, 0, 1, 0, 0, 0, 0}},
      {D::kUlint, u(18446744073709551615u), {0x49, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}},
      {D::kUlint, u(3544923647067170873), {0x49, 0x31, 0x32, 0x19, 0x46, 0x73, 0x52, 0x28, 0x39}},
      {D::kSint, i(0), {0x42, 0}},
      {D::kSint, i(-128), {0x42, 0x80}},
      {D::kSint, i(127), {0x42, 127}},
      {D::kSint, i(-90), {0x42, 0xA6}},
      {D::kSint, i(90), {0x42, 0x5A}},
      {D::kInt, i(0), {0x43, 0, 0}},
      {D::kInt, i(-128), {0x43, 0xFF, 0x80}},
      {D::kInt, i(-129), {0x43, 0xFF, 0x7F}},
      {D::kInt, i(127), {0x43, 0, 127}},
      {D::kInt, i(128), {0x43, 0, 128}},
      {D::kInt, i(-32768), {0x43, 0x80, 0}},
      {D::kInt, i(32767), {0x43, 0x7F, 0xFF}},
      {D::kInt, i(10934), {0x43, 0x2A, 0xB6}},
      {D::kInt, i(-10934), {0x43, 0xD5, 0x4A}},
      {D::kDint, i(0), {0x44, 0, 0, 0, 0}},
      {D::kDint, i(-128), {0x44, 0xFF, 0xFF, 0xFF, 0x80}},
      {D::kDint, i(-129), {0x44, 0xFF, 0xFF, 0xFF, 0x7F}},
      {D::kDint, i(127), {0x44, 0, 0, 0, 127}},
      {D::kDint, i(128), {0x44, 0, 0, 0, 128}},
      {D::kDint, i(-32768), {0x44, 0xFF, 0xFF, 0x80, 0}},
      {D::kDint, i(-32769), {0x44, 0xFF, 0xFF, 0x7F, 0xFF}},
      {D::kDint, i(32767), {0x44, 0, 0, 0x7F, 0xFF}},
      {D::kDint, i(32768), {0x44, 0, 0, 0x80, 0}},
      {D::kDint, i(-2147483648), {0x44, 0x80, 0, 0, 0}},
      {D::kDint, i(2147483647), {0x44, 0x7F, 0xFF, 0xFF, 0xFF}},
      {D::kDint, i(800058586), {0x44, 0x2F, 0xAF, 0xEC, 0xDA}},
      {D::kDint, i(-800058586), {0x44, 0xD0, 0x50, 0x13, 0x26}},
      {D::kLint, i(0), {0x45, 0, 0, 0, 0, 0, 0, 0, 0}},
      {D::kLint, i(-128), {0x45, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x80}},
      {D::kLint, i(-129), {0x45, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F}},
      {D::kLint, i(127), {0x45, 0, 0, 0, 0, 0, 0, 0, 127}},
      {D::kLint, i(128), {0x45, 0, 0, 0, 0, 0, 0, 0, 128}},
      {D::kLint, i(-32768), {0x45, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0}},
      {D::kLint, i(-32769), {0x45, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF}},
      {D::kLint, i(32767), {0x45, 0, 0, 0, 0, 0, 0, 0x7F, 0xFF}},
      {D::kLint, i(32768), {0x45, 0, 0, 0, 0, 0, 0, 0x80, 0}},
      {D::kLint, i(-2147483648), {0x45, 0xFF, 0xFF, 0xFF, 0xFF, 0x80, 0, 0, 0}},
      {D::kLint, i(-2147483649), {0x45, 0xFF, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF}},
      {D::kLint, i(2147483647), {0x45, 0, 0, 0, 0, 0x7F, 0xFF, 0xFF, 0xFF}},
      {D::kLint, i(2147483648), {0x45, 0, 0, 0, 0, 0x80, 0, 0, 0}},
      {D::kLint, i(std::numeric_limits<int64_t>::min()), {0x45, 0x80, 0, 0, 0, 0, 0, 0, 0}},
      {D::kLint, i(9223372036854775807), {0x45, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF}},
      {D::kLint, i(800058586), {0x45, 0, 0, 0, 0, 0x2F, 0xAF, 0xEC, 0xDA}},
      {D::kLint, i(-800058586), {0x45, 0xFF, 0xFF, 0xFF, 0xFF, 0xD0, 0x50, 0x13, 0x26}},
      // REAL values as C's float literals: the nearest single, kept in a double.
      {D::kReal, r(0.0), {0x4A, 0, 0, 0, 0}},
      {D::kReal, single(2.2874e6f), {0x4A, 0x4A, 0x0B, 0x9C, 0xA0}},
      {D::kReal, single(-6.2587e-4f), {0x4A, 0xBA, 0x24, 0x11, 0x6D}},
      {D::kReal, single(1.0e-37f), {0x4A, 0x02, 0x08, 0x1C, 0xEA}},
      {D::kReal, r(36.0), {0x4A, 0x42, 0x10, 0, 0}},
      {D::kLreal, r(0.0), {0x4B, 0, 0, 0, 0, 0, 0, 0, 0}},
      {D::kLreal, r(2.28743e6), {0x4B, 0x41, 0x41, 0x73, 0xA3, 0, 0, 0, 0}},
      {D::kLreal, r(-6.2587e-4), {0x4B, 0xBF, 0x44, 0x82, 0x2D, 0x97, 0x3C, 0xF2, 0xFB}},
      {D::kLreal, r(1.0e-37), {0x4B, 0x38, 0x41, 0x03, 0x9D, 0x42, 0x8A, 0x8B, 0x8F}},
      {D::kLreal, r(36.0), {0x4B, 0x40, 0x42, 0, 0, 0, 0, 0, 0}},
      // TIME: T#0s, T#3000ms, T#3s22ms, sent in microseconds.
      {D::kTime, i(0), {0x4C, 0, 0, 0, 0, 0, 0, 0, 0}},
      {D::kTime, i(3000000000), {0x4C, 0, 0, 0, 0, 0, 0x2D, 0xC6, 0xC0}},
      {D::kTime, i(3022000000), {0x4C, 0, 0, 0, 0, 0, 0x2E, 0x1C, 0xB0}},
  };
  return v;
}

const Bytes kHalloWorld = {'H', 'a', 'l', 'l', 'o', 'W', 'o', 'r', 'l', 'd'};

Bytes cat(Bytes a, const Bytes& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// FORTE's vectors of every kind, as (RD/SD declaration, slots, bytes).
struct Case {
  std::string name;
  VarDecl decl;
  std::vector<Value> slots;
  Bytes bytes;
};

std::vector<Case> all_vectors() {
  std::vector<Case> out;
  for (const auto& v : scalar_vectors())
    out.push_back({std::string(type_name(v.type)) + " " + std::to_string(v.value.u), var(v.type), {v.value}, v.bytes});
  const VarDecl s = var(DataType::kString), ws = var(DataType::kWstring);
  out.push_back({"STRING ''", s, string_slots(s, ""), {0x50, 0, 0}});
  out.push_back({"STRING 'HalloWorld'", s, string_slots(s, "HalloWorld"), cat({0x50, 0, 0x0A}, kHalloWorld)});
  out.push_back({"WSTRING ''", ws, string_slots(ws, ""), {0x55, 0, 0}});
  out.push_back(
      {"WSTRING 'HalloWorld'", ws, string_slots(ws, "HalloWorld"), {0x55, 0, 0x0A, 0, 'H', 0, 'a', 0, 'l', 0, 'l', 0,
                                                                    'o',  0, 'W',  0, 'o', 0, 'r', 0, 'l', 0, 'd'}});
  const VarDecl bools = var(DataType::kBool, 5), sints = var(DataType::kSint, 4), strings = var(DataType::kString, 2);
  out.push_back(
      {"ARRAY[5] OF BOOL 10011", bools, {u(1), u(0), u(0), u(1), u(1)}, {0x76, 0, 5, 0x41, 0x40, 0x40, 0x41, 0x41}});
  out.push_back(
      {"ARRAY[5] OF BOOL 01010", bools, {u(0), u(1), u(0), u(1), u(0)}, {0x76, 0, 5, 0x40, 0x41, 0x40, 0x41, 0x40}});
  out.push_back({"ARRAY[4] OF SINT", sints, {i(-128), i(127), i(0), i(-90)}, {0x76, 0, 4, 0x42, 0x80, 127, 0, 0xA6}});
  out.push_back(
      {"ARRAY[4] OF SINT again", sints, {i(-90), i(90), i(127), i(0)}, {0x76, 0, 4, 0x42, 0xA6, 0x5A, 127, 0}});
  std::vector<Value> two(strings.slots(), Value{.u = 0});
  write_string(strings, "HalloWorld", two.data() + strings.element_slots());
  out.push_back({"ARRAY[2] OF STRING", strings, two, cat({0x76, 0, 2, 0x50, 0, 0, 0, 0x0A}, kHalloWorld)});
  return out;
}

}  // namespace

TEST_CASE("every FORTE vector encodes to FORTE's bytes and decodes to its value", "[fbdk_asn1]") {
  for (const Case& c : all_vectors()) {
    INFO(c.name);
    CHECK(encode1(c.decl, c.slots) == c.bytes);
    std::vector<Value> got;
    auto d = decode({c.decl}, c.bytes, got);
    REQUIRE(d);
    CHECK(d.bytes == c.bytes.size());
    CHECK((got.empty() || std::memcmp(got.data(), c.slots.data(), got.size() * sizeof(Value)) == 0));
  }
}

// Single_Serialize_Test_MultiDatas / Single_Deserialize_Test_MultiDatas.
TEST_CASE("FORTE's multi-data message is the data points in port order", "[fbdk_asn1]") {
  const std::vector<VarDecl> ports = {var(DataType::kTime), var(DataType::kWord), var(DataType::kString),
                                      var(DataType::kInt),  var(DataType::kBool), var(DataType::kTime)};
  std::vector<Value> slots = {i(3000000000), u(40396)};
  for (Value v : string_slots(ports[2], "HalloWorld")) slots.push_back(v);
  slots.insert(slots.end(), {i(-10934), u(1), i(3022000000)});
  const Bytes bytes = cat(cat({0x4C, 0, 0, 0, 0, 0, 0x2D, 0xC6, 0xC0, 0x52, 0x9D, 0xCC, 0x50, 0, 0x0A}, kHalloWorld),
                          {0x43, 0xD5, 0x4A, 0x41, 0x4C, 0, 0, 0, 0, 0, 0x2E, 0x1C, 0xB0});
  CHECK(encode(ports, slots) == bytes);
  std::vector<Value> got;
  REQUIRE(decode(ports, bytes, got));
  CHECK((got.empty() || std::memcmp(got.data(), slots.data(), got.size() * sizeof(Value)) == 0));
}

// Single_Serialize_Test_WSTRING / Single_Deserialize_Test_WSTRING: FORTE
// decodes 日本語 (UTF-16BE 65E5 672C 8A9E); a plc WSTRING holds characters
// up to U+00FF only, so the decoder says which one it cannot.
TEST_CASE("FORTE's nihongo WSTRING is refused naming its first character", "[fbdk_asn1]") {
  std::vector<Value> got;
  auto d = decode({var(DataType::kWstring)}, {0x55, 0, 3, 0x65, 0xE5, 0x67, 0x2C, 0x8A, 0x9E}, got);
  CHECK(d.error.fault == Fault::kBeyondLatin1);
  CHECK(d.error.point == 1);
  CHECK(d.error.offset == 1);
  CHECK(d.error.detail == 0x65E5);
  CHECK(fbdk::describe(d.error) == "data point 1, byte 1: a WSTRING character U+65E5 beyond U+00FF");
}

// Single_Deserialize_Test_ARRAY.
TEST_CASE("an RD array longer than the message is zero-filled, a shorter one drops the rest", "[fbdk_asn1]") {
  const Bytes bool10011 = {0x76, 0, 5, 0x41, 0x40, 0x40, 0x41, 0x41};
  const Bytes sint4 = {0x76, 0, 4, 0x42, 0x80, 127, 0, 0xA6};
  std::vector<Value> got;
  REQUIRE(decode({var(DataType::kBool, 7)}, bool10011, got));
  CHECK(std::vector<uint64_t>{got[0].u, got[1].u, got[2].u, got[3].u, got[4].u, got[5].u, got[6].u} ==
        std::vector<uint64_t>{1, 0, 0, 1, 1, 0, 0});
  REQUIRE(decode({var(DataType::kBool, 3)}, bool10011, got));
  CHECK(std::vector<uint64_t>{got[0].u, got[1].u, got[2].u} == std::vector<uint64_t>{1, 0, 0});
  REQUIRE(decode({var(DataType::kSint, 7)}, sint4, got));
  CHECK(std::vector<int64_t>{got[0].i, got[1].i, got[2].i, got[3].i, got[4].i, got[5].i, got[6].i} ==
        std::vector<int64_t>{-128, 127, 0, -90, 0, 0, 0});
  REQUIRE(decode({var(DataType::kSint, 2)}, sint4, got));
  CHECK(std::vector<int64_t>{got[0].i, got[1].i} == std::vector<int64_t>{-128, 127});
}

// The Single_Deserialize_Negative_Test_* cases: every other sample is
// refused by an RD of each type, at its first data point.
TEST_CASE("an RD of each type refuses the sample of every other type", "[fbdk_asn1]") {
  using D = DataType;
  const std::vector<std::pair<VarDecl, Bytes>> samples = {
      {var(D::kBool), {0x40}},
      {var(D::kByte), {0x51, 128}},
      {var(D::kWord), {0x52, 0x9D, 0xCC}},
      {var(D::kDword), {0x53, 0x29, 0x29, 0x83, 0x55}},
      {var(D::kLword), {0x54, 0, 0, 0, 1, 0, 0, 0, 0}},
      {var(D::kUsint), {0x46, 128}},
      {var(D::kUint), {0x47, 0x9D, 0xCC}},
      {var(D::kUdint), {0x48, 0x29, 0x29, 0x83, 0x55}},
      {var(D::kUlint), {0x49, 0x31, 0x32, 0x19, 0x46, 0x73, 0x52, 0x28, 0x39}},
      {var(D::kSint), {0x42, 0xA6}},
      {var(D::kInt), {0x43, 0xD5, 0x4A}},
      {var(D::kDint), {0x44, 0x2F, 0xAF, 0xEC, 0xDA}},
      {var(D::kLint), {0x45, 0xFF, 0xFF, 0xFF, 0xFF, 0xD0, 0x50, 0x13, 0x26}},
      {var(D::kReal), {0x4A, 0x02, 0x08, 0x1C, 0xEA}},
      {var(D::kLreal), {0x4B, 0xBF, 0x44, 0x82, 0x2D, 0x97, 0x3C, 0xF2, 0xFB}},
      {var(D::kString), cat({0x50, 0, 0x0A}, kHalloWorld)},
      {var(D::kWstring), {0x55, 0, 2, 0, 'H', 0, 'a'}},
      {var(D::kTime), {0x4C, 0, 0, 0, 0, 0, 0x2E, 0x1C, 0xB0}},
      {var(D::kBool, 5), {0x76, 0, 5, 0x40, 0x41, 0x40, 0x41, 0x40}},
      {var(D::kSint, 4), {0x76, 0, 4, 0x42, 0xA6, 0x5A, 127, 0}},
      {var(D::kString, 2), cat({0x76, 0, 2, 0x50, 0, 0, 0, 0x0A}, kHalloWorld)},
  };
  for (size_t rd = 0; rd < samples.size(); ++rd)
    for (size_t sent = 0; sent < samples.size(); ++sent) {
      if (rd == sent) continue;
      INFO("RD " << rd << " refuses sample " << sent);
      std::vector<Value> got;
      auto d = decode({samples[rd].first}, samples[sent].second, got);
      CHECK(d.error.fault != Fault::kNone);
      CHECK(d.error.point == 1);
    }
}

// The serializer tests' "buffer too small" cases: a message cut anywhere is
// truncated, never a value; a stream waits for the rest.
TEST_CASE("every FORTE vector cut short is truncated, and incomplete in a stream", "[fbdk_asn1]") {
  for (const Case& c : all_vectors())
    for (size_t n = 0; n < c.bytes.size(); ++n) {
      INFO(c.name << " cut to " << n << " bytes");
      const Bytes cut(c.bytes.begin(), c.bytes.begin() + long(n));
      std::vector<Value> got;
      auto d = decode({c.decl}, cut, got);
      CHECK(d.error.fault == Fault::kTruncated);
      CHECK(d.error.point == 1);
      CHECK(decode({c.decl}, cut, got, Framing::kStream).incomplete());
    }
}

TEST_CASE("a block without data sends and expects the NULL byte", "[fbdk_asn1]") {
  CHECK(encode({}, {}) == Bytes{0x05});
  std::vector<Value> got;
  auto ok = decode({}, {0x05}, got);
  CHECK(ok);
  CHECK(ok.bytes == 1);
  auto other = decode({}, {0x40}, got);
  CHECK(other.error.fault == Fault::kNotNull);
  CHECK(other.error.got == 0x40);
  CHECK(fbdk::describe(other.error) == "byte 0: a block without data expects 0x05 (NULL), got 0x40 (BOOL FALSE)");
  auto twice = decode({}, {0x05, 0x05}, got);
  CHECK(twice.error.fault == Fault::kTrailingBytes);
  CHECK(twice.error.detail == 1);
  CHECK(decode({}, {}, got).error.fault == Fault::kTruncated);
  CHECK(decode({}, {}, got, Framing::kStream).incomplete());
  auto first = decode({}, {0x05, 0x05}, got, Framing::kStream);
  CHECK(first);
  CHECK(first.bytes == 1);
}

TEST_CASE("a structure sends its tag, then its members untagged but for BOOLs", "[fbdk_asn1]") {
  const VarDecl point =
      structure({var(DataType::kBool), var(DataType::kInt), var(DataType::kString, 0, 4), var(DataType::kBool)});
  std::vector<Value> slots = {u(1), i(-2)};
  for (Value v : string_slots(point.struct_type->members[2], "x")) slots.push_back(v);
  slots.push_back(u(0));
  const Bytes bytes = {0x61, 0x41, 0xFF, 0xFE, 0, 1, 'x', 0x40};
  CHECK(encode1(point, slots) == bytes);
  std::vector<Value> got;
  REQUIRE(decode({point}, bytes, got));
  CHECK((got.empty() || std::memcmp(got.data(), slots.data(), got.size() * sizeof(Value)) == 0));
}

TEST_CASE("an array of structures tags the structure once", "[fbdk_asn1]") {
  const VarDecl pairs = structure({var(DataType::kBool), var(DataType::kUsint)}, 2);
  const std::vector<Value> slots = {u(1), u(7), u(0), u(8)};
  const Bytes bytes = {0x76, 0, 2, 0x61, 0x41, 7, 0x40, 8};
  CHECK(encode1(pairs, slots) == bytes);
  std::vector<Value> got;
  REQUIRE(decode({pairs}, bytes, got));
  CHECK((got.empty() || std::memcmp(got.data(), slots.data(), got.size() * sizeof(Value)) == 0));
}

TEST_CASE("a structure as the first member of a structure is a bare member", "[fbdk_asn1]") {
  const VarDecl outer = structure({structure({var(DataType::kInt)}), var(DataType::kBool)});
  const std::vector<Value> slots = {i(7), u(1)};
  const Bytes bytes = {0x61, 0, 7, 0x41};
  CHECK(encode1(outer, slots) == bytes);
  std::vector<Value> got;
  REQUIRE(decode({outer}, bytes, got));
  CHECK(got[0].i == 7);
  CHECK(got[1].u == 1);
}

// The engine has no arrays of arrays; an array member of an array of
// structures is the nearest: the inner array is bare, its BOOLs points.
TEST_CASE("an array member of structures in an array is a bare count and its elements", "[fbdk_asn1]") {
  const VarDecl rows = structure({var(DataType::kBool, 2)}, 2);
  const std::vector<Value> slots = {u(1), u(0), u(0), u(1)};
  const Bytes bytes = {0x76, 0, 2, 0x61, 0, 2, 0x41, 0x40, 0, 2, 0x40, 0x41};
  CHECK(encode1(rows, slots) == bytes);
  std::vector<Value> got;
  REQUIRE(decode({rows}, bytes, got));
  CHECK((got.empty() || std::memcmp(got.data(), slots.data(), got.size() * sizeof(Value)) == 0));
}

TEST_CASE("an array message with no elements leaves every element zero", "[fbdk_asn1]") {
  std::vector<Value> got;
  REQUIRE(decode({var(DataType::kInt, 3)}, {0x76, 0, 0}, got));
  CHECK((got[0].u | got[1].u | got[2].u) == 0);
  const VarDecl strings = var(DataType::kString, 2);
  REQUIRE(decode({strings}, {0x76, 0, 0}, got));
  CHECK(read_string(strings, got.data()).empty());
  CHECK(read_string(strings, got.data() + strings.element_slots()).empty());
  REQUIRE(decode({structure({var(DataType::kBool), var(DataType::kReal)}, 1)}, {0x76, 0, 0}, got));
  CHECK(got[0].u == 0);
  CHECK(got[1].r == 0.0);
}

TEST_CASE("DATE, TIME_OF_DAY and DATE_AND_TIME travel in nanoseconds as FORTE 3 keeps them", "[fbdk_asn1]") {
  // DATE#2024-10-16 (1729036800 s since 1970), TOD#12:00:00.5.
  const int64_t date = 1729036800LL * 1000000000, tod = 12LL * 3600 * 1000000000 + 500000000;
  auto be = [](int64_t v) {
    Bytes b;
    for (int k = 7; k >= 0; --k) b.push_back(uint8_t(uint64_t(v) >> (8 * k)));
    return b;
  };
  const std::vector<VarDecl> ports = {var(DataType::kDate), var(DataType::kTimeOfDay), var(DataType::kDateAndTime)};
  CHECK(encode(ports, {i(date), i(tod), i(date + tod)}) ==
        cat(cat(cat({0x4D}, be(date)), cat({0x4E}, be(tod))), cat({0x4F}, be(date + tod))));
  std::vector<Value> got;
  REQUIRE(decode({var(DataType::kDate)}, cat({0x4D}, be(-1)), got));
  CHECK(got[0].i == -1);
}

TEST_CASE("a TIME below a microsecond is truncated toward zero as FORTE divides", "[fbdk_asn1]") {
  const VarDecl t = var(DataType::kTime);
  CHECK(encode1(t, {i(1999)}) == Bytes{0x4C, 0, 0, 0, 0, 0, 0, 0, 1});
  CHECK(encode1(t, {i(-1999)}) == Bytes{0x4C, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF});
  std::vector<Value> got;
  REQUIRE(decode({t}, {0x4C, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFB}, got));
  CHECK(got[0].i == -5000);
}

TEST_CASE("a TIME beyond 64-bit nanoseconds is out of range", "[fbdk_asn1]") {
  const uint64_t max = uint64_t(std::numeric_limits<int64_t>::max() / 1000);
  auto time = [](uint64_t us) {
    Bytes b = {0x4C};
    for (int k = 7; k >= 0; --k) b.push_back(uint8_t(us >> (8 * k)));
    return b;
  };
  std::vector<Value> got;
  REQUIRE(decode({var(DataType::kTime)}, time(max), got));
  CHECK(got[0].i == int64_t(max) * 1000);
  auto beyond = decode({var(DataType::kTime)}, time(max + 1), got);
  CHECK(beyond.error.fault == Fault::kOutOfRange);
  CHECK(beyond.error.detail == max + 1);
  CHECK(beyond.error.offset == 1);
  const uint64_t min = uint64_t(std::numeric_limits<int64_t>::min() / 1000);
  REQUIRE(decode({var(DataType::kTime)}, time(min), got));
  CHECK(decode({var(DataType::kTime)}, time(min - 1), got).error.fault == Fault::kOutOfRange);
}

TEST_CASE("REALs that are not finite travel as IEEE 754, a NaN as the quiet NaN", "[fbdk_asn1]") {
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  const VarDecl real = var(DataType::kReal), lreal = var(DataType::kLreal);
  CHECK(encode({real, real, lreal, real, lreal}, {r(inf), r(-inf), r(inf), r(nan), r(-nan)}) ==
        Bytes{0x4A, 0x7F, 0x80, 0,    0,    0x4A, 0xFF, 0x80, 0,    0,    0x4B, 0x7F, 0xF0, 0, 0, 0, 0,
              0,    0,    0x4A, 0x7F, 0xC0, 0,    0,    0x4B, 0x7F, 0xF8, 0,    0,    0,    0, 0, 0});
  std::vector<Value> got;
  REQUIRE(decode({real, real, real, lreal, lreal},
                 {0x4A, 0x7F, 0x80, 0, 0, 0x4A, 0xFF, 0x80, 0,    0,    0x4A, 0x7F, 0xC0, 0, 1, 0x4B, 0xFF,
                  0xF8, 0,    0,    0, 0, 0,    1,    0x4B, 0xFF, 0xF0, 0,    0,    0,    0, 0, 0},
                 got));
  CHECK(got[0].r == inf);
  CHECK(got[1].r == -inf);
  CHECK(got[2].u == Value::of_real(nan).u);  // the canonical quiet NaN, whatever payload came
  CHECK(got[3].u == Value::of_real(nan).u);
  CHECK(got[4].r == -inf);
}

TEST_CASE("a value beyond the single range is an infinity, not undefined behaviour", "[fbdk_asn1]") {
  const VarDecl real = var(DataType::kReal);
  CHECK(encode1(real, {r(1.0e300)}) == Bytes{0x4A, 0x7F, 0x80, 0, 0});
  CHECK(encode1(real, {r(-1.0e300)}) == Bytes{0x4A, 0xFF, 0x80, 0, 0});
  CHECK(encode1(real, {r(double(std::numeric_limits<float>::max()))}) == Bytes{0x4A, 0x7F, 0x7F, 0xFF, 0xFF});
  CHECK(encode1(real, {r(double(std::numeric_limits<float>::max()) + 0x1p102)}) == Bytes{0x4A, 0x7F, 0x7F, 0xFF, 0xFF});
  CHECK(encode1(real, {r(double(std::numeric_limits<float>::max()) + 0x1p103)}) == Bytes{0x4A, 0x7F, 0x80, 0, 0});
}

TEST_CASE("a WSTRING is UTF-16 big-endian and may carry a byte order mark", "[fbdk_asn1]") {
  const VarDecl ws = var(DataType::kWstring);
  CHECK(encode1(ws, string_slots(ws, "\xE4\xFF")) == Bytes{0x55, 0, 2, 0, 0xE4, 0, 0xFF});
  std::vector<Value> got;
  // The count includes the mark, as FORTE reads it [deserializeValueWString].
  REQUIRE(decode({ws}, {0x55, 0, 3, 0xFE, 0xFF, 0, 'H', 0, 'i'}, got));
  CHECK(read_string(ws, got.data()) == "Hi");
  REQUIRE(decode({ws}, {0x55, 0, 3, 0xFF, 0xFE, 'H', 0, 'i', 0}, got));
  CHECK(read_string(ws, got.data()) == "Hi");
  auto emoji = decode({ws}, {0x55, 0, 2, 0xD8, 0x3D, 0xDE, 0x00}, got);
  CHECK(emoji.error.fault == Fault::kBeyondLatin1);
  CHECK(emoji.error.detail == 0x1F600);
  CHECK(decode({ws}, {0x55, 0, 1, 0xD8, 0x3D}, got).error.fault == Fault::kBadUtf16);
  CHECK(decode({ws}, {0x55, 0, 1, 0xDE, 0x00}, got).error.fault == Fault::kBadUtf16);
  // Invalid UTF-16 anywhere is named before a wide character.
  CHECK(decode({ws}, {0x55, 0, 2, 0x01, 0x00, 0xD8, 0x3D}, got).error.fault == Fault::kBadUtf16);
}

TEST_CASE("a WSTRING sends the UTF-16 units the engine holds", "[fbdk_asn1]") {
  const VarDecl ws = var(DataType::kWstring, 0, 4);
  std::vector<Value> slots(ws.slots(), Value{.u = 0});
  slots[0] = u(2);
  auto* b = reinterpret_cast<unsigned char*>(slots.data() + 1);
  b[0] = 0xE5, b[1] = 0x65, b[2] = 'a';  // U+65E5, 'a': low byte first
  CHECK(encode1(ws, slots) == Bytes{0x55, 0, 2, 0x65, 0xE5, 0, 'a'});
}

TEST_CASE("a STRING or WSTRING beyond the RD's capacity is refused, but not in a dropped element", "[fbdk_asn1]") {
  std::vector<Value> got;
  auto s = decode({var(DataType::kString, 0, 3)}, {0x50, 0, 4, 'a', 'b', 'c', 'd'}, got);
  CHECK(s.error.fault == Fault::kTooLong);
  CHECK(s.error.detail == 4);
  CHECK(s.error.offset == 1);
  REQUIRE(decode({var(DataType::kString, 0, 3)}, {0x50, 0, 3, 'a', 'b', 'c'}, got));
  CHECK(decode({var(DataType::kWstring, 0, 1)}, {0x55, 0, 2, 0, 'a', 0, 'b'}, got).error.fault == Fault::kTooLong);
  REQUIRE(decode({var(DataType::kWstring, 0, 1)}, {0x55, 0, 2, 0xFE, 0xFF, 0, 'b'}, got));  // the mark is no character
  const VarDecl one = var(DataType::kString, 1, 1);
  REQUIRE(decode({one}, {0x76, 0, 2, 0x50, 0, 1, 'a', 0, 5, 'l', 'o', 'n', 'g', '!'}, got));
  CHECK(read_string(one, got.data()) == "a");
  // A dropped element is checked all the same.
  CHECK(decode({var(DataType::kWstring, 1)}, {0x76, 0, 2, 0x55, 0, 0, 0, 1, 0x65, 0xE5}, got).error.fault ==
        Fault::kBeyondLatin1);
}

TEST_CASE("an array beyond 65535 elements cannot be sent", "[fbdk_asn1]") {
  const std::vector<VarDecl> big = {var(DataType::kInt), var(DataType::kBool, 65536)};
  std::vector<Value> slots(fbdk::Ports{big}.slots(), Value{.u = 0});
  auto size = fbdk::encoded_size({big}, slots.data());
  CHECK(size.error.fault == Fault::kTooLong);
  CHECK(size.error.point == 2);
  CHECK(size.error.detail == 65536);
  const std::vector<VarDecl> most = {var(DataType::kBool, 65535)};
  CHECK(fbdk::encoded_size({most}, slots.data()).bytes == 3 + 65535);
}

TEST_CASE("wrong tags are located and named with what was expected", "[fbdk_asn1]") {
  std::vector<Value> got;
  auto d = decode({var(DataType::kInt)}, {0x42, 0}, got);
  CHECK(d.error.fault == Fault::kBadTag);
  CHECK(d.error.expected == 0x43);
  CHECK(d.error.got == 0x42);
  CHECK(fbdk::describe(d.error) == "data point 1, byte 0: expected tag 0x43 (INT), got 0x42 (SINT)");
  d = decode({var(DataType::kBool)}, {0x42, 0}, got);
  CHECK((d.error.expected == 0x40 && d.error.got == 0x42));
  d = decode({var(DataType::kSint, 1)}, {0x76, 0, 1, 0x43, 0, 0}, got);
  CHECK((d.error.fault == Fault::kBadTag && d.error.expected == 0x42 && d.error.got == 0x43 && d.error.offset == 3));
  d = decode({var(DataType::kBool, 2)}, {0x76, 0, 2, 0x41, 0x42}, got);
  CHECK((d.error.fault == Fault::kBadTag && d.error.expected == 0x40 && d.error.offset == 4));
  d = decode({var(DataType::kBool), structure({var(DataType::kInt)})}, {0x41, 0x76}, got);
  CHECK((d.error.point == 2 && d.error.offset == 1 && d.error.expected == 0x61 && d.error.got == 0x76));
  CHECK(fbdk::describe(d.error) == "data point 2, byte 1: expected tag 0x61 (structure), got 0x76 (ARRAY)");
  d = decode({structure({var(DataType::kBool), var(DataType::kInt)})}, {0x61, 0x43, 0, 1}, got);
  CHECK((d.error.fault == Fault::kBadTag && d.error.offset == 1 && d.error.expected == 0x40));
}

TEST_CASE("bytes after the last RD are refused in a datagram and left for the next message of a stream",
          "[fbdk_asn1]") {
  std::vector<Value> got;
  auto d = decode({var(DataType::kSint)}, {0x42, 1, 0x42, 2}, got);
  CHECK(d.error.fault == Fault::kTrailingBytes);
  CHECK(d.error.detail == 2);
  CHECK(d.error.offset == 2);
  CHECK(fbdk::describe(d.error) == "byte 2: 2 bytes after the last value");
  auto s = decode({var(DataType::kSint)}, {0x42, 1, 0x42, 2}, got, Framing::kStream);
  REQUIRE(s);
  CHECK(s.bytes == 2);
  CHECK(got[0].i == 1);
  CHECK(decode({var(DataType::kSint)}, {0x43}, got, Framing::kStream).error.fault == Fault::kBadTag);
}

TEST_CASE("huge lengths in a short packet are truncated, never read past it", "[fbdk_asn1]") {
  std::vector<Value> got;
  CHECK(decode({var(DataType::kString)}, {0x50, 0xFF, 0xFF, 'a', 'b', 'c'}, got).error.fault == Fault::kTruncated);
  CHECK(decode({var(DataType::kWstring)}, {0x55, 0xFF, 0xFF, 0, 'a'}, got).error.fault == Fault::kTruncated);
  CHECK(decode({var(DataType::kBool, 2)}, {0x76, 0xFF, 0xFF, 0x41}, got).error.fault == Fault::kTruncated);
  CHECK(decode({var(DataType::kLint, 2)}, {0x76, 0xFF, 0xFF, 0x45, 0}, got).error.fault == Fault::kTruncated);
  CHECK(decode({var(DataType::kString, 1)}, {0x76, 0xFF, 0xFF, 0x50, 0, 1}, got, Framing::kStream).incomplete());
}

namespace {

// Random declarations of every shape the engine has (elementary, STRING[n],
// WSTRING[n], arrays, structures of them, arrays of structures) and random
// values they can hold.
struct Random {
  std::mt19937_64 gen{16022026};
  uint64_t below(uint64_t n) { return gen() % n; }

  VarDecl decl(int depth) {
    const uint64_t pick = below(depth > 0 ? 8 : 6);
    if (pick >= 6) {
      std::vector<VarDecl> members;
      for (uint64_t k = 0, n = 1 + below(3); k < n; ++k) members.push_back(decl(depth - 1));
      return structure(members, pick == 7 ? uint32_t(1 + below(3)) : 0);
    }
    const auto t = DataType(below(uint8_t(DataType::kStruct)));
    return var(t, pick == 5 ? uint32_t(1 + below(4)) : 0, uint16_t(1 + below(6)));
  }

  void fill_element(const VarDecl& d, Value* s) {
    if (d.type == DataType::kStruct) {
      uint32_t at = 0;
      for (const VarDecl& m : d.struct_type->members) {
        fill(m, s + at);
        at += m.slots();
      }
    } else if (d.type == DataType::kString || d.type == DataType::kWstring) {
      std::string text(below(d.max_length() + 1), ' ');
      for (char& c : text) c = char(below(256));
      write_string(d, text, s);
    } else if (d.type == DataType::kTime) {
      *s = Value::of_int(int64_t(gen() >> 12) * 1000 * (below(2) ? 1 : -1));
    } else if (d.type == DataType::kLreal) {
      *s = Value::of_real(std::ldexp(double(gen() >> 11), int(below(200)) - 100) * (below(2) ? 1 : -1));
    } else {
      *s =
          normalize(d.type, d.type == DataType::kReal ? Value::of_real(double(int64_t(gen())) / 7) : Value{.u = gen()});
    }
  }
  void fill(const VarDecl& d, Value* s) {
    for (uint32_t k = 0; k < (d.array_size ? d.array_size : 1); ++k) fill_element(d, s + k * d.element_slots());
  }
};

}  // namespace

TEST_CASE("random values of random types survive the trip, and a stream ends each message exactly", "[fbdk_asn1]") {
  Random rnd;
  for (int round = 0; round < 2000; ++round) {
    std::vector<VarDecl> ports;
    for (uint64_t k = 0, n = rnd.below(4); k < n; ++k) ports.push_back(rnd.decl(2));
    std::vector<Value> slots(fbdk::Ports{ports}.slots(), Value{.u = 0});
    uint32_t at = 0;
    for (const VarDecl& d : ports) rnd.fill(d, slots.data() + at), at += d.slots();
    const Bytes bytes = encode(ports, slots);
    std::vector<Value> got;
    auto d = decode(ports, bytes, got);
    INFO("round " << round << ": " << fbdk::describe(d.error));
    REQUIRE(d);
    CHECK((got.empty() || std::memcmp(got.data(), slots.data(), got.size() * sizeof(Value)) == 0));
    auto s = decode(ports, cat(bytes, {1, 2}), got, Framing::kStream);
    REQUIRE(s);
    CHECK(s.bytes == bytes.size());
  }
}

TEST_CASE("random bytes and damaged messages are refused or decoded, never read past", "[fbdk_asn1]") {
  Random rnd;
  for (int round = 0; round < 3000; ++round) {
    std::vector<VarDecl> ports;
    for (uint64_t k = 0, n = rnd.below(4); k < n; ++k) ports.push_back(rnd.decl(2));
    std::vector<Value> slots(fbdk::Ports{ports}.slots(), Value{.u = 0});
    Bytes bytes = encode(ports, slots);
    const size_t at = rnd.below(bytes.size());
    switch (rnd.below(3)) {
      case 0: bytes[at] ^= uint8_t(1 + rnd.below(255)); break;
      case 1: bytes.erase(bytes.begin() + long(at)); break;
      default: bytes.insert(bytes.begin() + long(at), uint8_t(rnd.below(256)));
    }
    // An exact-size copy, so that a read past its end is one ASan sees.
    auto exact = std::make_unique<unsigned char[]>(bytes.size() + 1);
    if (!bytes.empty()) std::memcpy(exact.get(), bytes.data(), bytes.size());
    std::vector<Value> got(slots.size());
    auto d = fbdk::decode({ports}, {exact.get(), bytes.size()}, got.data(), Framing::kDatagram);
    auto s = fbdk::decode({ports}, {exact.get(), bytes.size()}, got.data(), Framing::kStream);
    if (d) CHECK((s && s.bytes == bytes.size()));
    if (s && s.bytes < bytes.size()) CHECK(d.error.fault == Fault::kTrailingBytes);
    CHECK(d.error.offset <= bytes.size());
  }
}

TEST_CASE("encoding and decoding allocate nothing", "[fbdk_asn1]") {
  const std::vector<VarDecl> ports = {var(DataType::kInt), var(DataType::kString), var(DataType::kWstring, 2),
                                      structure({var(DataType::kBool), var(DataType::kLreal)}, 3)};
  std::vector<Value> slots(fbdk::Ports{ports}.slots(), Value{.u = 0});
  write_string(ports[1], "hello", slots.data() + 1);
  std::vector<Value> got(slots.size());
  unsigned char buf[2048];
  const uint64_t before = plc::test::allocations();
  auto size = fbdk::encoded_size({ports}, slots.data());
  fbdk::encode({ports}, slots.data(), buf);
  auto d = fbdk::decode({ports}, {buf, size.bytes}, got.data(), Framing::kDatagram);
  CHECK(plc::test::allocations() == before);
  REQUIRE(d);
  CHECK((got.empty() || std::memcmp(got.data(), slots.data(), got.size() * sizeof(Value)) == 0));
}
