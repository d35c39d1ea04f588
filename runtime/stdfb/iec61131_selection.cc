// The selection functions of IEC 61131-3 (6.6.2.5.7, Table 26) as
// 4diac's FBs (iec61131-3/selection/): REQ selects one input and emits
// CNF with OUT. The selectable inputs and OUT are one type per instance,
// decided at load (ANY for F_SEL and F_MUX_2, ANY_ELEMENTARY for F_MAX,
// F_MIN and F_LIMIT); the value is copied whole, arrays and strings too.
//
// As FORTE (iec61131_functions.h, F_MUX_2):
// - MAX(IN1, IN2) is IN1 when IN1 > IN2, else IN2; MIN(IN1, IN2) is IN1
//   when IN1 < IN2, else IN2 (so a NaN IN1 gives IN2);
// - LIMIT(MN, IN, MX) is MIN(MAX(IN, MN), MX): when MN > MX it is MX;
// - MUX_2 with K outside 0..1 gives OUT the type's zero (0, FALSE, '')
//   and is a fault of the block, "K is not between 0 and 1" at REQ
//   (counted, reported to the observer: the BEAM host logs it as an error);
//   FORTE assigns an empty value and logs that error.
// Ordering is generic_ports.h's compare.
#include <string>

#include "runtime/fb_type_builder.h"
#include "runtime/stdfb/generic_ports.h"
#include "runtime/stdfb/iec61131_blocks.h"
#include "runtime/stdfb/iec61131_function_fb.h"
#include "runtime/type_library.h"

namespace plc::stdfb {
namespace {

using G = GenericClass;

void f_sel(FbContext& fb, EventId) {
  copy_value(output_port(fb, 0), input_port(fb, fb.v[0].as_bool() ? 2 : 1));
  fb.emit(EventId{0});
}

void f_mux_2(FbContext& fb, EventId) {
  const int64_t k = int_value(input_port(fb, 0));
  static const std::string kWhere = "REQ";
  if (k == 0 || k == 1) {
    copy_value(output_port(fb, 0), input_port(fb, uint16_t(1 + k)));
  } else {
    clear_value(output_port(fb, 0));
    fb.fault("K is not between 0 and 1", kWhere);
  }
  fb.emit(EventId{0});
}

const Port& max_of(const Port& a, const Port& b) { return compare(a, b) == Order::kGreater ? a : b; }
const Port& min_of(const Port& a, const Port& b) { return compare(a, b) == Order::kLess ? a : b; }

void f_max(FbContext& fb, EventId) {
  copy_value(output_port(fb, 0), max_of(input_port(fb, 0), input_port(fb, 1)));
  fb.emit(EventId{0});
}

void f_min(FbContext& fb, EventId) {
  copy_value(output_port(fb, 0), min_of(input_port(fb, 0), input_port(fb, 1)));
  fb.emit(EventId{0});
}

void f_limit(FbContext& fb, EventId) {
  const Port mn = input_port(fb, 0), in = input_port(fb, 1), mx = input_port(fb, 2);
  copy_value(output_port(fb, 0), min_of(max_of(in, mn), mx));
  fb.emit(EventId{0});
}

}  // namespace

void add_iec61131_selection(TypeLibrary& lib) {
  lib.add(function_fb("F_SEL", "binary selection",
                      {fixed("G", DataType::kBool), any("IN0", G::kAny, 1), any("IN1", G::kAny, 1)},
                      any("OUT", G::kAny, 1), f_sel));
  lib.add(function_fb("F_MUX_2", "multiplexer",
                      {any("K", G::kAnyInt, 2), any("IN1", G::kAny, 1), any("IN2", G::kAny, 1)}, any("OUT", G::kAny, 1),
                      f_mux_2));
  lib.add(function_fb("F_MAX", "maximum", {any("IN1", G::kAnyElementary, 1), any("IN2", G::kAnyElementary, 1)},
                      any("OUT", G::kAnyElementary, 1), f_max));
  lib.add(function_fb("F_MIN", "minimum", {any("IN1", G::kAnyElementary, 1), any("IN2", G::kAnyElementary, 1)},
                      any("OUT", G::kAnyElementary, 1), f_min));
  lib.add(
      function_fb("F_LIMIT", "limiter",
                  {any("MN", G::kAnyElementary, 1), any("IN", G::kAnyElementary, 1), any("MX", G::kAnyElementary, 1)},
                  any("OUT", G::kAnyElementary, 1), f_limit));
}

}  // namespace plc::stdfb
