// E_RESTART (IEC 61499-1 Annex A): the resource's START block. It has no
// event inputs; the resource fires COLD, WARM or STOP when it is started
// cold, started warm or stopped (Resource::start).
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {

FbType e_restart() {
  return FbTypeBuilder("E_RESTART")
      .comment("Events at resource cold start, warm start and stop")
      .event_output("COLD")
      .event_output("WARM")
      .event_output("STOP")
      .native({[](FbContext&, EventId) {}, nullptr})
      .build();
}

}  // namespace plc::stdfb
