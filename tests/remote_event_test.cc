// The wire form of events between nodes (runtime/remote_event.h): what an
// event encodes to, that every value a target's inputs can hold survives
// the trip, and that decode() refuses, as a value, every kind of bytes that
// is not an event of the target resource.
#include "runtime/remote_event.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "runtime/device.h"
#include "tests/language_support.h"

using namespace plc;
using namespace plc::test;
namespace re = plc::remote_event;

namespace {

// An FB with an input of every elementary type, a STRING[5], a WSTRING[3],
// an array and a struct; it sits behind another FB so that its slots do
// not start at 0.
const char* kAllTypes = R"(
TYPE Point : STRUCT x : INT; ok : BOOL; END_STRUCT; END_TYPE
FUNCTION_BLOCK ALLTYPES
EVENT_INPUT REQ WITH B; SET; END_EVENT
EVENT_OUTPUT CNF; END_EVENT
VAR_INPUT
  B : BOOL; SI : SINT; I : INT; DI : DINT; LI : LINT;
  USI : USINT; UI : UINT; UDI : UDINT; ULI : ULINT;
  BYT : BYTE; W : WORD; DW : DWORD; LW : LWORD;
  R : REAL; LR : LREAL;
  TI : TIME; DA : DATE; TOFD : TIME_OF_DAY; DAT : DATE_AND_TIME;
  S : STRING[5]; WS : WSTRING[3]; A : ARRAY[0..2] OF INT; P : Point;
END_VAR
VAR_OUTPUT Q : INT; END_VAR
EC_STATES S0; S1 : Run -> CNF; END_STATES
EC_TRANSITIONS S0 TO S1 := REQ; S1 TO S0 := 1; END_TRANSITIONS
ALGORITHM Run IN ST: Q := I; END_ALGORITHM
END_FUNCTION_BLOCK
)";

struct Target {
  TypeLibrary lib = compiled(kAllTypes);
  Rig rig{{{{"Before", "E_CTU", {}, ""}, {"X", "ALLTYPES", {}, ""}}, {}, {}}, {}, lib};
  Resource& r = *rig.res;
  FbIndex x = rig.fb("X");

  // The absolute slot of input `name`, plus `offset` within it.
  uint32_t slot(const char* name, uint32_t offset = 0) const {
    const auto& iface = r.type_of(x).iface;
    return r.slot_of(x, iface.input_slot(*iface.find_input(name)) + offset);
  }
  // An event REQ of X writing `values` into the slots of input `name` from its first.
  InboxEvent event(const char* name, std::vector<Value> values, uint16_t ei = 0) const {
    InboxEvent e;
    e.fb = index_of(x);
    e.ei = EventId{ei};
    for (const Value& v : values) {
      e.slot[e.count] = slot(name, e.count);
      e.value[e.count++] = v;
    }
    return e;
  }
};

std::vector<unsigned char> encode(const InboxEvent& e) {
  std::vector<unsigned char> b(re::encoded_size(e));
  REQUIRE(re::encode(e, b.data()) == b.size());
  return b;
}

re::Error decode_error(const Target& t, const std::vector<unsigned char>& b) { return re::decode(t.r, b).error; }

bool same_event(const InboxEvent& a, const InboxEvent& b) {
  if (a.fb != b.fb || a.ei != b.ei || a.count != b.count) return false;
  for (unsigned k = 0; k < a.count; ++k)
    if (a.slot[k] != b.slot[k] || a.value[k].u != b.value[k].u) return false;
  return true;
}

Value real(double d) { return Value::of_real(d); }

}  // namespace

TEST_CASE("an event encodes as fb u32, event u16, count u8, then slot u32 and value u64 each, little-endian",
          "[remote_event]") {
  InboxEvent e;
  e.fb = 0x04030201;
  e.ei = EventId{0x0605};
  e.count = 1;
  e.slot[0] = 0x0a090807;
  e.value[0] = Value::of_uint(0x1211100f0e0d0c0bull);
  CHECK(encode(e) == std::vector<unsigned char>{1, 2, 3, 4, 5, 6, 1, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18});
  e.count = 0;
  CHECK(encode(e) == std::vector<unsigned char>{1, 2, 3, 4, 5, 6, 0});
  CHECK(re::kMaxBytes == 7 + 12 * 8);
}

TEST_CASE("encode refuses an event carrying more values than an event can", "[remote_event]") {
  InboxEvent e;
  e.count = InboxEvent::kMaxValues + 1;
  unsigned char buf[re::kMaxBytes + re::kValueBytes] = {};
  CHECK(re::encode(e, buf) == 0);
}

TEST_CASE("every elementary type's extreme values survive encode, decode and delivery", "[remote_event]") {
  Target t;
  const double inf = std::numeric_limits<double>::infinity(), nan = std::numeric_limits<double>::quiet_NaN();
  const double float_max = double(std::numeric_limits<float>::max());
  const double float_denorm = double(std::numeric_limits<float>::denorm_min());
  struct Case {
    const char* var;
    std::vector<Value> values;
  };
  const std::vector<Case> cases = {
      {"B", {Value::of_bool(false), Value::of_bool(true)}},
      {"SI", {Value::of_int(-128), Value::of_int(127), Value::of_int(0)}},
      {"I", {Value::of_int(-32768), Value::of_int(32767)}},
      {"DI", {Value::of_int(INT32_MIN), Value::of_int(INT32_MAX)}},
      {"LI", {Value::of_int(INT64_MIN), Value::of_int(INT64_MAX)}},
      {"USI", {Value::of_uint(0), Value::of_uint(255)}},
      {"UI", {Value::of_uint(65535)}},
      {"UDI", {Value::of_uint(UINT32_MAX)}},
      {"ULI", {Value::of_uint(UINT64_MAX)}},
      {"BYT", {Value::of_uint(0xff)}},
      {"W", {Value::of_uint(0xffff)}},
      {"DW", {Value::of_uint(0xffffffff)}},
      {"LW", {Value::of_uint(UINT64_MAX)}},
      {"R",
       {real(0.0), real(-0.0), real(float_max), real(-float_max), real(float_denorm), real(inf), real(-inf),
        real(nan)}},
      {"LR",
       {real(std::numeric_limits<double>::max()), real(std::numeric_limits<double>::denorm_min()), real(-0.0),
        real(inf), real(-inf), real(nan)}},
      {"TI", {Value::of_int(INT64_MIN), Value::of_int(INT64_MAX)}},
      {"DA", {Value::of_int(INT64_MIN), Value::of_int(INT64_MAX)}},
      {"TOFD", {Value::of_int(INT64_MIN), Value::of_int(INT64_MAX)}},
      {"DAT", {Value::of_int(INT64_MIN), Value::of_int(INT64_MAX)}},
  };
  for (const auto& c : cases)
    for (const Value& v : c.values) {
      INFO(c.var << " = " << v.u);
      const InboxEvent e = t.event(c.var, {v});
      const auto bytes = encode(e);
      auto d = re::decode(t.r, bytes);
      REQUIRE(d.error == re::Error::kNone);
      CHECK(same_event(d.event, e));
      REQUIRE(t.r.post(d.event));
      t.rig.run();
      CHECK(t.r.vars(t.x)[t.slot(c.var) - t.r.slot_of(t.x)].u == v.u);
    }
}

TEST_CASE("strings, arrays and structs travel slot by slot", "[remote_event]") {
  Target t;
  const auto& iface = t.r.type_of(t.x).iface;
  const VarDecl& s = iface.inputs[*iface.find_input("S")];
  const VarDecl& ws = iface.inputs[*iface.find_input("WS")];
  SECTION("a STRING of its full length and an empty WSTRING") {
    std::vector<Value> slots(s.slots());
    write_string(s, "hello", slots.data());
    auto d = re::decode(t.r, encode(t.event("S", slots)));
    REQUIRE(d);
    REQUIRE(t.r.post(d.event));
    t.rig.run();
    CHECK(read_string(s, t.r.vars(t.x) + (t.slot("S") - t.r.slot_of(t.x))) == "hello");
    std::vector<Value> empty(ws.slots());
    write_string(ws, "", empty.data());
    CHECK(re::decode(t.r, encode(t.event("WS", empty))));
  }
  SECTION("an array's elements and a struct's members") {
    auto d = re::decode(t.r, encode(t.event("A", {Value::of_int(-1), Value::of_int(32767), Value::of_int(-32768)})));
    REQUIRE(d);
    REQUIRE(t.r.post(d.event));
    auto p = re::decode(t.r, encode(t.event("P", {Value::of_int(-5), Value::of_bool(true)})));
    REQUIRE(p);
    REQUIRE(t.r.post(p.event));
    t.rig.run();
    const Value* a = t.r.vars(t.x) + (t.slot("A") - t.r.slot_of(t.x));
    CHECK(a[0].i == -1);
    CHECK(a[1].i == 32767);
    CHECK(a[2].i == -32768);
    const Value* pt = t.r.vars(t.x) + (t.slot("P") - t.r.slot_of(t.x));
    CHECK(pt[0].i == -5);
    CHECK(pt[1].u == 1);
  }
}

namespace {

// Captures what a resource sends to another node.
struct Capture final : EventSink {
  std::vector<std::vector<unsigned char>> sent;
  bool post(const InboxEvent& e) override {
    sent.push_back(encode(e));
    return true;
  }
};

}  // namespace

TEST_CASE("an event of a real link decodes against an instance of its target and delivers its values",
          "[remote_event][device]") {
  Application app{
      "APP",
      {{{"C", "E_CTU", {{"PV", "100"}}, ""}, {"K", "E_CTU", {}, ""}}, {{"C.CUO", "K.CU", ""}}, {{"C.CV", "K.PV", ""}}},
      {{"C", "R1", ""}, {"K", "R2", ""}}};
  auto plan = DevicePlan::make({{"R1", {}}, {"R2", {}}}, app, standard_library());
  REQUIRE(plan);
  Capture to_r1, to_r2;
  std::vector<EventSink*> sinks{&to_r1, &to_r2};
  auto r1 = (*plan)->instantiate(0, standard_library(), sinks);
  auto r2 = (*plan)->instantiate(1, standard_library(), sinks);
  REQUIRE(r1);
  REQUIRE(r2);
  Resource& src = *r1.value();
  for (int k = 0; k < 3; ++k) src.inject(*src.find_fb("C"), EventId{0});
  src.step(Time{0});
  REQUIRE(to_r2.sent.size() == 3);
  Resource& dst = *r2.value();
  Recorder rec(dst);
  rec.observe_all();
  for (const auto& bytes : to_r2.sent) {
    CHECK(bytes.size() == re::kHeaderBytes + re::kValueBytes);
    auto d = re::decode(dst, bytes);
    REQUIRE(d);
    REQUIRE(dst.post(d.event));
  }
  dst.step(Time{0});
  // PV arrives as C's count with each event: CV reaches PV, so Q every time.
  CHECK(rec.take() == Events{"K.CUO(Q=TRUE,CV=1)", "K.CUO(Q=TRUE,CV=2)", "K.CUO(Q=TRUE,CV=3)"});
  CHECK(dst.vars(*dst.find_fb("K"))[0].u == 3);  // PV, K's first input
}

TEST_CASE("decode refuses bytes shorter than the header or than the values they announce", "[remote_event][reject]") {
  Target t;
  const auto full = encode(t.event("I", {Value::of_int(7), Value::of_int(8)}));
  for (size_t n = 0; n < full.size(); ++n) {
    INFO("length " << n);
    CHECK(decode_error(t, std::vector<unsigned char>(full.begin(), full.begin() + long(n))) == re::Error::kTruncated);
  }
}

TEST_CASE("decode refuses bytes after the last value", "[remote_event][reject]") {
  Target t;
  auto b = encode(t.event("I", {Value::of_int(7)}));
  b.push_back(0);
  CHECK(decode_error(t, b) == re::Error::kTrailingBytes);
}

TEST_CASE("decode refuses a count above what an event carries", "[remote_event][reject]") {
  Target t;
  std::vector<unsigned char> b = encode(t.event("I", {}));
  b[6] = InboxEvent::kMaxValues + 1;
  b.resize(re::kHeaderBytes + re::kValueBytes * (InboxEvent::kMaxValues + 1));
  CHECK(decode_error(t, b) == re::Error::kTooManyValues);
  b[6] = 255;
  CHECK(decode_error(t, b) == re::Error::kTooManyValues);
}

TEST_CASE("decode refuses an FB index the target does not have", "[remote_event][reject]") {
  Target t;
  InboxEvent e = t.event("I", {});
  e.fb = t.r.fb_count();
  CHECK(decode_error(t, encode(e)) == re::Error::kUnknownFb);
  e.fb = UINT32_MAX;
  CHECK(decode_error(t, encode(e)) == re::Error::kUnknownFb);
}

TEST_CASE("decode refuses an event index that is no event input of the FB, a plain write included",
          "[remote_event][reject]") {
  Target t;
  CHECK(re::decode(t.r, encode(t.event("I", {}, 1))));  // SET: the FB's second event input
  CHECK(decode_error(t, encode(t.event("I", {}, 2))) == re::Error::kUnknownEvent);
  CHECK(decode_error(t, encode(t.event("I", {}, index_of(kNoEvent)))) == re::Error::kUnknownEvent);
}

TEST_CASE("decode refuses a slot outside the FB's inputs: another FB's, an output, beyond the resource",
          "[remote_event][reject]") {
  Target t;
  const auto& iface = t.r.type_of(t.x).iface;
  const uint32_t output = t.r.slot_of(t.x, iface.output_slot(*iface.find_output("Q")));
  for (uint32_t slot : {t.r.slot_of(t.x) - 1, uint32_t(0), output, output + 1, UINT32_MAX}) {
    InboxEvent e = t.event("I", {Value::of_int(1)});
    e.slot[0] = slot;
    INFO("slot " << slot);
    CHECK(decode_error(t, encode(e)) == re::Error::kNotAnInput);
  }
}

TEST_CASE("decode refuses a STRING or WSTRING length beyond the variable's capacity", "[remote_event][reject]") {
  Target t;
  CHECK(re::decode(t.r, encode(t.event("S", {Value::of_uint(5)}))));
  CHECK(decode_error(t, encode(t.event("S", {Value::of_uint(6)}))) == re::Error::kStringTooLong);
  CHECK(decode_error(t, encode(t.event("S", {Value::of_uint(1ull << 63)}))) == re::Error::kStringTooLong);
  CHECK(re::decode(t.r, encode(t.event("WS", {Value::of_uint(3)}))));
  CHECK(decode_error(t, encode(t.event("WS", {Value::of_uint(4)}))) == re::Error::kStringTooLong);
  // The character slots after the length take any bytes.
  CHECK(re::decode(t.r, encode(t.event("S", {Value::of_uint(5), Value::of_uint(UINT64_MAX)}))));
}

TEST_CASE("decode refuses a value its slot's type cannot hold (a sender of another type)", "[remote_event][reject]") {
  Target t;
  struct Bad {
    const char* var;
    Value v;
  };
  for (const Bad& b : std::vector<Bad>{{"B", Value::of_uint(2)},
                                       {"SI", Value::of_int(128)},
                                       {"SI", Value::of_uint(0xff)},  // -1 not sign-extended
                                       {"I", Value::of_int(-32769)},
                                       {"USI", Value::of_uint(256)},
                                       {"UDI", Value::of_int(-1)},
                                       {"W", Value::of_uint(0x10000)},
                                       {"R", real(0.1)},  // not of float precision
                                       {"R", real(1e300)},
                                       {"A", Value::of_int(40000)},
                                       {"P", Value::of_int(1 << 20)}}) {
    INFO(b.var << " = " << b.v.u);
    CHECK(decode_error(t, encode(t.event(b.var, {b.v}))) == re::Error::kValueDoesNotFit);
  }
  // A struct's second member is a BOOL.
  CHECK(decode_error(t, encode(t.event("P", {Value::of_int(1), Value::of_uint(2)}))) == re::Error::kValueDoesNotFit);
  CHECK(re::decode(t.r, encode(t.event("R", {real(0.1f)}))));
}

TEST_CASE("every refusal has a sentence", "[remote_event]") {
  for (auto e :
       {re::Error::kTruncated, re::Error::kTrailingBytes, re::Error::kTooManyValues, re::Error::kUnknownFb,
        re::Error::kUnknownEvent, re::Error::kNotAnInput, re::Error::kStringTooLong, re::Error::kValueDoesNotFit})
    CHECK(re::describe(e) != re::describe(re::Error::kNone));
}
