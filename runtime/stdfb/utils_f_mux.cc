// 4diac's F_MUX_2_1 and F_MUX_2_2 (utils/, FORTE's GEN_F_MUX): event
// input EIk copies its inputs IN_k_1 (, IN_k_2) to OUT_1 (, OUT_2) and
// emits EO with QO TRUE and STATUS 'OK'. IN_1_j, IN_2_j and OUT_j are one
// ANY type per instance, decided at load, so the "Datatype ERROR" that
// FORTE reports when an input's type differs from its output's is a load
// error in plc instead.
#include <string>

#include "runtime/fb_type_builder.h"
#include "runtime/stdfb/generic_ports.h"
#include "runtime/stdfb/iec61131_blocks.h"
#include "runtime/type_library.h"

namespace plc::stdfb {
namespace {

void mux(FbContext& fb, EventId ei) {
  const uint16_t outputs = uint16_t(fb.type().iface.outputs.size() - 2);
  for (uint16_t j = 0; j < outputs; ++j)
    copy_value(output_port(fb, uint16_t(2 + j)), input_port(fb, uint16_t(index_of(ei) * outputs + j)));
  *output_port(fb, 0).v = Value::of_bool(true);
  {
    TextOut status(output_port(fb, 1));
    status.append("OK", 2);
  }
  fb.emit(EventId{0});
}

FbType f_mux(int outputs) {
  const std::string name = "F_MUX_2_" + std::to_string(outputs);
  FbTypeBuilder b(name);
  b.comment("Service Interface Function Block Type");
  if (outputs == 1) {
    b.event_input("EI1", {"IN_1_1"}).event_input("EI2", {"IN_2_1"}).event_output("EO", {"QO", "STATUS", "OUT_1"});
  } else {
    b.event_input("EI1", {"IN_1_1", "IN_1_2"})
        .event_input("EI2", {"IN_2_1", "IN_2_2"})
        .event_output("EO", {"QO", "STATUS", "OUT_1", "OUT_2"});
  }
  for (int k = 1; k <= 2; ++k)
    for (int j = 1; j <= outputs; ++j)
      b.generic_input("IN_" + std::to_string(k) + "_" + std::to_string(j), GenericClass::kAny, uint8_t(j));
  b.output("QO", DataType::kBool).output("STATUS", DataType::kWstring);
  for (int j = 1; j <= outputs; ++j) b.generic_output("OUT_" + std::to_string(j), GenericClass::kAny, uint8_t(j));
  return b.native({mux, nullptr}).build();
}

}  // namespace

void add_utils_f_mux(TypeLibrary& lib) {
  lib.add(f_mux(1));
  lib.add(f_mux(2));
}

}  // namespace plc::stdfb
