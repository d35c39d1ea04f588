// E_F_TRIG (IEC 61499-1 Annex A): falling edge detection. EI (with QI)
// emits EO when QI is FALSE and was TRUE at the previous EI (FALSE before
// the first), so a first EI with QI = FALSE is no edge.
//
// The standard defines E_F_TRIG as an E_D_FF whose EO goes through an
// E_SWITCH on its Q (EO0 -> EO); 4diac FORTE ships that network. Here the
// flip-flop's Q is the internal variable QI_LAST; the behaviour is the
// same.
#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/standard_blocks.h"

namespace plc::stdfb {
namespace {

enum Slot { QI, QI_LAST };
enum Out : uint16_t { EO };

void on_event(FbContext& fb, EventId) {
  const bool falling = !fb.v[QI].as_bool() && fb.v[QI_LAST].as_bool();
  fb.v[QI_LAST] = Value::of_bool(fb.v[QI].as_bool());
  if (falling) fb.emit(EventId{EO});
}

}  // namespace

FbType e_f_trig() {
  return FbTypeBuilder("E_F_TRIG")
      .comment("Falling edge detection")
      .event_input("EI", {"QI"})
      .event_output("EO")
      .input("QI", DataType::kBool)
      .internal("QI_LAST", DataType::kBool)
      .native({on_event, nullptr})
      .build();
}

}  // namespace plc::stdfb
