// E_SPLIT (IEC 61499-1 Annex A): one event in, the same event out on EO1
// and then EO2, in that order.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

void on_event(FbContext& fb, EventId) {
  fb.emit(EventId{0});
  fb.emit(EventId{1});
}

}  // namespace

FbType e_split() {
  return FbTypeBuilder("E_SPLIT")
      .comment("Split an event into EO1 then EO2")
      .event_input("EI")
      .event_output("EO1")
      .event_output("EO2")
      .native({on_event, nullptr})
      .build();
}

}  // namespace plc::stdfb
