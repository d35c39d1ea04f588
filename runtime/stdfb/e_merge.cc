// E_MERGE (IEC 61499-1 Annex A): merge (OR) of two events. EI1 or EI2
// each emit EO. Same as 4diac FORTE.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Out : uint16_t { EO };

void on_event(FbContext& fb, EventId) { fb.emit(EventId{EO}); }

}  // namespace

FbType e_merge() {
  return FbTypeBuilder("E_MERGE")
      .comment("Merge (OR) of two events")
      .event_input("EI1")
      .event_input("EI2")
      .event_output("EO")
      .native({on_event, nullptr})
      .build();
}

}  // namespace plc::stdfb
