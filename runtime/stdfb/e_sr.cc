// E_SR (IEC 61499-1 Annex A): event-driven bistable, set first in the
// interface. S sets Q, R resets it; EO (with Q) is emitted only when Q
// changes, so a repeated S or R, or an R before any S, emits nothing. As
// 4diac FORTE's ECC (states START, SET, RESET), whose state is Q itself.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Slot { Q };
enum In : uint16_t { S, R };
enum Out : uint16_t { EO };

void on_event(FbContext& fb, EventId ei) {
  const bool set = index_of(ei) == S;
  if (fb.v[Q].as_bool() == set) return;
  fb.v[Q] = Value::of_bool(set);
  fb.emit(EventId{EO});
}

}  // namespace

FbType e_sr() {
  return FbTypeBuilder("E_SR")
      .comment("Event-driven bistable (S, R)")
      .event_input("S")
      .event_input("R")
      .event_output("EO", {"Q"})
      .output("Q", DataType::kBool)
      .native({on_event, nullptr})
      .build();
}

}  // namespace plc::stdfb
