// libFuzzer target over the decoder of events that arrive from other
// nodes (runtime/remote_event.h), a trust boundary: arbitrary bytes are
// decoded against one resource holding an FB with an input of every
// elementary type, a STRING, a WSTRING, an array and a struct. Besides
// crashes (ASan, UBSan) it traps when a decoded event does not encode back
// to the very same bytes, or when delivering it leaves a string longer
// than its capacity. Built and run by tests/fuzz/run.sh (clang).
//
// With REMOTE_EVENT_FUZZ_SEEDS=<folder> set, it first writes the seed
// corpus there: real events of the target, encoded (how
// tests/fuzz/corpus_remote_event/ was made).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "runtime/clock.h"
#include "runtime/language/compiler.h"
#include "runtime/process_image.h"
#include "runtime/remote_event.h"
#include "runtime/type_library.h"

namespace {

const char* kTypes = R"(
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
VAR_OUTPUT Q : STRING[5]; END_VAR
EC_STATES S0; S1 : Run -> CNF; END_STATES
EC_TRANSITIONS S0 TO S1 := REQ; S1 TO S0 := 1; END_TRANSITIONS
ALGORITHM Run IN ST: Q := CONCAT(S, 'xyz'); END_ALGORITHM
END_FUNCTION_BLOCK
)";

struct Target {
  plc::TypeLibrary lib;
  std::unique_ptr<plc::Resource> res;
  plc::FbIndex x{};
};

Target& target() {
  static Target* t = [] {
    auto* t = new Target;
    plc::add_standard_blocks(t->lib);
    plc::add_process_image_blocks(t->lib);
    plc::lang::TypeScope scope;
    plc::Diagnostics diags;
    if (!plc::lang::compile("fuzz_types.st", kTypes, t->lib, scope, diags)) {
      std::fprintf(stderr, "remote_event_fuzz: %s", diags.str().c_str());
      std::abort();
    }
    plc::FbNetwork net{{{"Before", "E_CTU", {}, ""}, {"X", "ALLTYPES", {}, ""}}, {}, {}};
    auto loaded = plc::Resource::load(net, t->lib, {});
    if (!loaded) std::abort();
    t->res = std::move(loaded.value());
    t->x = *t->res->find_fb("X");
    return t;
  }();
  return *t;
}

// Real events of the target: each input alone with a typical value, an
// array and a struct whole, strings, both events without values.
void write_seeds(const char* folder) {
  Target& t = target();
  const auto& iface = t.res->type_of(t.x).iface;
  std::vector<plc::InboxEvent> events;
  for (uint16_t in = 0; in < iface.inputs.size(); ++in) {
    const plc::VarDecl& var = iface.inputs[in];
    plc::InboxEvent e;
    e.fb = plc::index_of(t.x);
    e.ei = plc::EventId{0};
    std::vector<plc::Value> slots(var.slots());
    plc::write_initial(var, slots.data());
    if (var.type == plc::DataType::kString || var.type == plc::DataType::kWstring)
      plc::write_string(var, var.type == plc::DataType::kString ? "hello" : "abc", slots.data());
    else if (var.type == plc::DataType::kReal || var.type == plc::DataType::kLreal)
      slots[0] = plc::Value::of_real(-2.5);
    else if (var.type != plc::DataType::kStruct) slots[0] = plc::normalize(var.type, plc::Value::of_int(-1));
    for (uint32_t k = 0; k < slots.size() && e.count < plc::InboxEvent::kMaxValues; ++k) {
      e.slot[e.count] = t.res->slot_of(t.x, iface.input_slot(in) + k);
      e.value[e.count++] = slots[k];
    }
    events.push_back(e);
  }
  events.push_back({plc::index_of(t.x), plc::EventId{0}, 0, {}, {}});
  events.push_back({plc::index_of(t.x), plc::EventId{1}, 0, {}, {}});
  for (size_t k = 0; k < events.size(); ++k) {
    unsigned char buf[plc::remote_event::kMaxBytes];
    const size_t n = plc::remote_event::encode(events[k], buf);
    const std::string path = std::string(folder) + "/event_" + std::to_string(k);
    FILE* f = std::fopen(path.c_str(), "wb");
    if (!f || std::fwrite(buf, 1, n, f) != n) std::abort();
    std::fclose(f);
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  if (const char* folder = std::getenv("REMOTE_EVENT_FUZZ_SEEDS")) write_seeds(folder);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Target& t = target();
  auto d = plc::remote_event::decode(*t.res, {data, size});
  (void)plc::remote_event::describe(d.error);
  if (!d) return 0;
  unsigned char again[plc::remote_event::kMaxBytes];
  const size_t n = plc::remote_event::encode(d.event, again);
  if (n != size || std::memcmp(again, data, size) != 0) __builtin_trap();
  if (!t.res->post(d.event)) __builtin_trap();  // stepped after each post: the inbox is empty
  while (t.res->step(plc::Time{0}).more_work) {
  }
  const auto& iface = t.res->type_of(t.x).iface;
  for (uint16_t in = 0; in < iface.inputs.size(); ++in) {
    const plc::VarDecl& var = iface.inputs[in];
    if (var.type != plc::DataType::kString && var.type != plc::DataType::kWstring) continue;
    if (t.res->vars(t.x)[iface.input_slot(in)].u > var.max_length()) __builtin_trap();
  }
  return 0;
}
