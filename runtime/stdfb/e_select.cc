// E_SELECT (IEC 61499-1 Annex A): selection between two events by G. EI0
// emits EO when G is FALSE, EI1 when G is TRUE; the other input is
// ignored. G travels with both inputs. Same as 4diac FORTE.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Slot { G };
enum In : uint16_t { EI0, EI1 };
enum Out : uint16_t { EO };

void on_event(FbContext& fb, EventId ei) {
  if (fb.v[G].as_bool() == (index_of(ei) == EI1)) fb.emit(EventId{EO});
}

}  // namespace

FbType e_select() {
  return FbTypeBuilder("E_SELECT")
      .comment("Selection between two events by G")
      .event_input("EI0", {"G"})
      .event_input("EI1", {"G"})
      .event_output("EO")
      .input("G", DataType::kBool)
      .native({on_event, nullptr})
      .build();
}

}  // namespace plc::stdfb
