// E_T_FF (IEC 61499-1 Annex A): toggle flip-flop. Every CLK inverts Q and
// emits EO (with Q). As 4diac FORTE.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Slot { Q };
enum Out : uint16_t { EO };

void on_event(FbContext& fb, EventId) {
  fb.v[Q] = Value::of_bool(!fb.v[Q].as_bool());
  fb.emit(EventId{EO});
}

}  // namespace

FbType e_t_ff() {
  return FbTypeBuilder("E_T_FF")
      .comment("Toggle flip-flop")
      .event_input("CLK")
      .event_output("EO", {"Q"})
      .output("Q", DataType::kBool)
      .native({on_event, nullptr})
      .build();
}

}  // namespace plc::stdfb
