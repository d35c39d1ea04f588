// 4diac's utils blocks that turn values into text (utils/):
//
// - APPEND_STRING_2, APPEND_STRING_3: REQ writes IN_1, IN_2 (, IN_3) one
//   after the other into the STRING OUT and emits CNF. A STRING or
//   WSTRING input is appended as its characters, any other value as
//   FORTE's toString writes it (utils_text_form.h): APPEND_STRING_2 of
//   'x = ' and INT#5 is 'x = 5'. Each input is its own ANY type. OUT
//   keeps the first 254 characters. FORTE removed the block in 2023
//   (GEN_APPEND_STRING); plc follows its last version.
// - OUT_ANY_CONSOLE: REQ sets QO to QI and, when QI, prints one line of
//   FORTE's log to the process's standard output,
//   "INFO: T#<ns since 1970>:  LABEL = value\n" (FORTE 2.x's one
//   DEVLOG_INFO(" %s = %s\n"); FORTE 3.x logs " LABEL = " and the value as
//   two DEVLOG_INFO calls, so its line reads
//   "INFO: T#..:  LABEL = INFO: T#..: value": plc keeps the one line), then
//   emits CNF.
#include <cstdio>

#include "runtime/fb_type_builder.h"
#include "runtime/stdfb/generic_ports.h"
#include "runtime/stdfb/iec61131_blocks.h"
#include "runtime/stdfb/utils_text_form.h"
#include "runtime/type_library.h"

namespace plc::stdfb {
namespace {

void append_string(FbContext& fb, EventId) {
  const Interface& i = fb.type().iface;
  char buf[VarDecl::kDefaultStringLength];
  TextSink text(buf, sizeof buf);
  for (uint16_t k = 0; k < i.inputs.size(); ++k) {
    const Port in = input_port(fb, k);
    write_text(text, in.decl, in.v, false);
  }
  {
    TextOut out(output_port(fb, 0));
    out.append(text.data(), text.size());
  }
  fb.emit(EventId{0});
}

FbType append_string_type(int n) {
  static const char* const kNames[] = {"IN_1", "IN_2", "IN_3"};
  FbTypeBuilder b(n == 2 ? "APPEND_STRING_2" : "APPEND_STRING_3");
  b.comment("Service Interface Function Block Type");
  if (n == 2) b.event_input("REQ", {"IN_1", "IN_2"});
  else b.event_input("REQ", {"IN_1", "IN_2", "IN_3"});
  b.event_output("CNF", {"OUT"});
  for (int k = 0; k < n; ++k) b.generic_input(kNames[k], GenericClass::kAny, uint8_t(k + 1));
  return b.output("OUT", DataType::kString).native({append_string, nullptr}).build();
}

void out_any_console(FbContext& fb, EventId) {
  const bool qi = fb.v[0].as_bool();
  *output_port(fb, 0).v = Value::of_bool(qi);
  if (qi) {
    char buf[256];
    TextSink out(buf, sizeof buf, stdout);
    put_log_prefix(out, "INFO");
    out.put(' ');
    const Port label = input_port(fb, 1), in = input_port(fb, 2);
    write_text(out, label.decl, label.v, false);
    out.put(" = ");
    write_text(out, in.decl, in.v);
    out.put('\n');
    out.flush();
    std::fflush(stdout);
  }
  fb.emit(EventId{0});
}

}  // namespace

void add_utils_text_output(TypeLibrary& lib) {
  lib.add(append_string_type(2));
  lib.add(append_string_type(3));
  lib.add(FbTypeBuilder("OUT_ANY_CONSOLE")
              .comment("Service Interface Function Block Type for debugging, tracing, etc.")
              .event_input("REQ", {"QI", "IN", "LABEL"})
              .event_output("CNF", {"QO"})
              .input("QI", DataType::kBool)
              .input("LABEL", DataType::kString)
              .generic_input("IN", GenericClass::kAny, 1)
              .output("QO", DataType::kBool)
              .native({out_any_console, nullptr})
              .build());
}

}  // namespace plc::stdfb
