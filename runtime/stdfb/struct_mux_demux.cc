// 4diac's STRUCT_MUX and STRUCT_DEMUX (convert/): a structure built from,
// or split into, one port per member. Their 4diac interface has only the
// structure's port (OUT or IN, ANY_STRUCT); the member ports come with the
// structure. Here the structure is decided at load like any generic port
// (generic_type.h: a STRUCT_MUX's OUT takes the type of the input it
// feeds, a STRUCT_DEMUX's IN the type of the output feeding it), and the
// concrete type gets one input (MUX) or output (DEMUX) per member, named
// and typed as the member and carried by REQ (MUX) or CNF (DEMUX), as
// FORTE's generated GEN_STRUCT_MUX/GEN_STRUCT_DEMUX do.
//
// A member's slots are laid out as the structure lays them out, one member
// after the other, so REQ copies the member ports' slots into the
// structure's in one pass (and back for DEMUX).
#include <algorithm>

#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"
#include "runtime/stdfb/iec61131_conversion.h"

namespace plc::stdfb {
namespace {

constexpr EventId kCnf{0};

void mux_req(FbContext& fb, EventId) {
  const Interface& i = fb.type().iface;
  const uint32_t n = i.outputs[0].slots();
  std::copy(fb.v, fb.v + n, fb.v + i.output_slot(0));
  fb.emit(kCnf);
}

void demux_req(FbContext& fb, EventId) {
  const Interface& i = fb.type().iface;
  const uint32_t n = i.inputs[0].slots();
  std::copy(fb.v, fb.v + n, fb.v + i.output_slot(0));
  fb.emit(kCnf);
}

// The member ports of the structure `s`, in its order.
std::vector<VarDecl> member_ports(const VarDecl& s) {
  if (s.type != DataType::kStruct || !s.struct_type || s.array_size) return {};
  return s.struct_type->members;
}

void refine_mux(FbType& t) {
  t.iface.inputs = member_ports(t.iface.outputs[0]);
  t.iface.event_inputs[0].with.clear();
  for (uint16_t k = 0; k < t.iface.inputs.size(); ++k) t.iface.event_inputs[0].with.push_back(k);
}

void refine_demux(FbType& t) {
  std::vector<VarDecl> members = member_ports(t.iface.inputs[0]);
  t.iface.outputs = std::move(members);
  t.iface.event_outputs[0].with.clear();
  for (uint16_t k = 0; k < t.iface.outputs.size(); ++k) t.iface.event_outputs[0].with.push_back(k);
}

FbType struct_mux() {
  FbType t = FbTypeBuilder("STRUCT_MUX")
                 .event_input("REQ")
                 .event_output("CNF", {"OUT"})
                 .generic_output("OUT", GenericClass::kAnyStruct, 1)
                 .native({mux_req, nullptr})
                 .build();
  t.refine = refine_mux;
  return t;
}

FbType struct_demux() {
  FbType t = FbTypeBuilder("STRUCT_DEMUX")
                 .event_input("REQ", {"IN"})
                 .event_output("CNF")
                 .generic_input("IN", GenericClass::kAnyStruct, 1)
                 .native({demux_req, nullptr})
                 .build();
  t.refine = refine_demux;
  return t;
}

}  // namespace

void add_struct_mux_demux(TypeLibrary& lib) {
  lib.add(struct_mux());
  lib.add(struct_demux());
}

}  // namespace plc::stdfb
