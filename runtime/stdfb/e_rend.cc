// E_REND (IEC 61499-1 Annex A): rendezvous (AND) of two events. EO is
// emitted once both EI1 and EI2 have arrived, in either order, since the
// last EO or R; repeats of the same input before the other are absorbed.
// R forgets what has arrived. Same ECC as 4diac FORTE (states START, EI1,
// EI2), kept here as two internal flags.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Slot { GOT_EI1, GOT_EI2 };
enum In : uint16_t { EI1, EI2, R };
enum Out : uint16_t { EO };

void on_event(FbContext& fb, EventId ei) {
  switch (index_of(ei)) {
    case EI1:
    case EI2: {
      const bool first = index_of(ei) == EI1;
      if (fb.v[first ? GOT_EI2 : GOT_EI1].as_bool()) {
        fb.v[GOT_EI1] = fb.v[GOT_EI2] = Value::of_bool(false);
        fb.emit(EventId{EO});
      } else {
        fb.v[first ? GOT_EI1 : GOT_EI2] = Value::of_bool(true);
      }
      break;
    }
    case R: fb.v[GOT_EI1] = fb.v[GOT_EI2] = Value::of_bool(false); break;
  }
}

}  // namespace

FbType e_rend() {
  return FbTypeBuilder("E_REND")
      .comment("Rendezvous (AND) of two events")
      .event_input("EI1")
      .event_input("EI2")
      .event_input("R")
      .event_output("EO")
      .internal("GOT_EI1", DataType::kBool)
      .internal("GOT_EI2", DataType::kBool)
      .native({on_event, nullptr})
      .build();
}

}  // namespace plc::stdfb
