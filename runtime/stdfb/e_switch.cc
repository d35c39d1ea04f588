// E_SWITCH (IEC 61499-1 Annex A): switching (demultiplexing) an event by
// G. EI emits EO0 when G is FALSE and EO1 when G is TRUE. Same as 4diac
// FORTE.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Slot { G };
enum Out : uint16_t { EO0, EO1 };

void on_event(FbContext& fb, EventId) { fb.emit(EventId{fb.v[G].as_bool() ? EO1 : EO0}); }

}  // namespace

FbType e_switch() {
  return FbTypeBuilder("E_SWITCH")
      .comment("Switching an event to EO0 or EO1 by G")
      .event_input("EI", {"G"})
      .event_output("EO0")
      .event_output("EO1")
      .input("G", DataType::kBool)
      .native({on_event, nullptr})
      .build();
}

}  // namespace plc::stdfb
