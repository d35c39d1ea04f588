// The comparison functions of IEC 61131-3 (6.6.2.5.8, Table 27) as
// 4diac's FBs (iec61131-3/comparison/): REQ compares IN1 with IN2 and
// emits CNF with the BOOL OUT. IN1 and IN2 are one ANY_ELEMENTARY type
// per instance, decided at load, so an INT and a UINT compare as their
// unified type (DINT), as FORTE's get_castable_type does at run time.
//
// The order is generic_ports.h's compare: numbers by value, FALSE < TRUE,
// TIME and dates by time, strings character by character. A NaN compares
// unequal to everything, itself too: F_NE is TRUE and every other FALSE
// (FORTE's C++ operators on float).
#include "runtime/fb_type_builder.h"
#include "runtime/stdfb/generic_ports.h"
#include "runtime/stdfb/iec61131_blocks.h"
#include "runtime/stdfb/iec61131_function_fb.h"
#include "runtime/type_library.h"

namespace plc::stdfb {
namespace {

template <bool (*holds)(Order)>
void compare_event(FbContext& fb, EventId) {
  *output_port(fb, 0).v = Value::of_bool(holds(compare(input_port(fb, 0), input_port(fb, 1))));
  fb.emit(EventId{0});
}

bool eq(Order o) { return o == Order::kEqual; }
bool ne(Order o) { return o != Order::kEqual; }
bool gt(Order o) { return o == Order::kGreater; }
bool ge(Order o) { return o == Order::kGreater || o == Order::kEqual; }
bool lt(Order o) { return o == Order::kLess; }
bool le(Order o) { return o == Order::kLess || o == Order::kEqual; }

FbType comparison(const char* name, const char* comment, void (*on_event)(FbContext&, EventId)) {
  return function_fb(name, comment,
                     {any("IN1", GenericClass::kAnyElementary, 1), any("IN2", GenericClass::kAnyElementary, 1)},
                     fixed("OUT", DataType::kBool), on_event);
}

}  // namespace

void add_iec61131_comparison(TypeLibrary& lib) {
  lib.add(comparison("F_EQ", "equal", compare_event<eq>));
  lib.add(comparison("F_NE", "not equal", compare_event<ne>));
  lib.add(comparison("F_GT", "greater than", compare_event<gt>));
  lib.add(comparison("F_GE", "greater or equal", compare_event<ge>));
  lib.add(comparison("F_LT", "lower than", compare_event<lt>));
  lib.add(comparison("F_LE", "less or equal", compare_event<le>));
}

}  // namespace plc::stdfb
