// E_PERMIT (IEC 61499-1 Annex A): permissive propagation of an event. EI
// emits EO when PERMIT (sent with EI) is TRUE, and nothing otherwise.
// Same as 4diac FORTE.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Slot { PERMIT };
enum Out : uint16_t { EO };

void on_event(FbContext& fb, EventId) {
  if (fb.v[PERMIT].as_bool()) fb.emit(EventId{EO});
}

}  // namespace

FbType e_permit() {
  return FbTypeBuilder("E_PERMIT")
      .comment("Permissive propagation of an event")
      .event_input("EI", {"PERMIT"})
      .event_output("EO")
      .input("PERMIT", DataType::kBool)
      .native({on_event, nullptr})
      .build();
}

}  // namespace plc::stdfb
