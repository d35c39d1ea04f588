// E_RS (IEC 61499-1 Annex A): event-driven bistable, reset first in the
// interface. R resets Q, S sets it; EO (with Q) is emitted only when Q
// changes, so a repeated S or R, or an R before any S, emits nothing. As
// 4diac FORTE, whose E_RS has E_SR's ECC: with events that never coincide
// the two differ only in the order of their inputs.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Slot { Q };
enum In : uint16_t { R, S };
enum Out : uint16_t { EO };

void on_event(FbContext& fb, EventId ei) {
  const bool set = index_of(ei) == S;
  if (fb.v[Q].as_bool() == set) return;
  fb.v[Q] = Value::of_bool(set);
  fb.emit(EventId{EO});
}

}  // namespace

FbType e_rs() {
  return FbTypeBuilder("E_RS")
      .comment("Event-driven bistable (R, S)")
      .event_input("R")
      .event_input("S")
      .event_output("EO", {"Q"})
      .output("Q", DataType::kBool)
      .native({on_event, nullptr})
      .build();
}

}  // namespace plc::stdfb
