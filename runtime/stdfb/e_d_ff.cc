// E_D_FF (IEC 61499-1 Annex A): data latch (D) flip-flop. CLK (with D)
// latches Q := D and emits EO (with Q) only when that changes Q. As 4diac
// FORTE's ECC (states START, SET, RESET), whose state is Q itself.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Slot { D, Q };
enum Out : uint16_t { EO };

void on_event(FbContext& fb, EventId) {
  if (fb.v[Q].as_bool() == fb.v[D].as_bool()) return;
  fb.v[Q] = Value::of_bool(fb.v[D].as_bool());
  fb.emit(EventId{EO});
}

}  // namespace

FbType e_d_ff() {
  return FbTypeBuilder("E_D_FF")
      .comment("Data latch (D) flip-flop")
      .event_input("CLK", {"D"})
      .event_output("EO", {"Q"})
      .input("D", DataType::kBool)
      .output("Q", DataType::kBool)
      .native({on_event, nullptr})
      .build();
}

}  // namespace plc::stdfb
