// The shape 4diac gives the IEC 61131-3 functions (clause 6.6.2.5) it
// wraps as function blocks (F_ADD, F_SIN, F_SHL, ...): one event input REQ
// WITH every input, one event output CNF WITH the one output OUT. Each REQ
// evaluates the function once on the inputs it samples and emits CNF.
//
// Generic ports (ANY_NUM, ANY_BIT, ...) are decided per instance at load
// (generic_type.h), so the native code reads its ports' concrete types
// from the instance's own interface at every REQ; every port of these
// blocks but F_MOVE's is a scalar, one slot.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include "runtime/fb_type_builder.h"
#include "runtime/resource.h"

namespace plc::stdfb {

// A port of a function FB: generic (its class and type group) or of one
// fixed type.
struct FunctionPort {
  const char* name;
  GenericClass generic = GenericClass::kNone;
  uint8_t group = 0;
  DataType type = DataType::kBool;  // when not generic
};
constexpr FunctionPort any(const char* name, GenericClass c, uint8_t group) { return {name, c, group}; }
constexpr FunctionPort fixed(const char* name, DataType t) { return {name, GenericClass::kNone, 0, t}; }

inline FbType function_fb(const char* name, const char* comment, std::initializer_list<FunctionPort> inputs,
                          FunctionPort output, void (*on_event)(FbContext&, EventId)) {
  FbTypeBuilder b(name);
  b.comment(comment).event_input("REQ").event_output("CNF", {output.name}).native({on_event, nullptr});
  for (const FunctionPort& p : inputs) {
    if (p.generic == GenericClass::kNone) b.input(p.name, p.type);
    else b.generic_input(p.name, p.generic, p.group);
  }
  if (output.generic == GenericClass::kNone) b.output(output.name, output.type);
  else b.generic_output(output.name, output.generic, output.group);
  FbType t = b.build();
  for (uint16_t k = 0; k < inputs.size(); ++k) t.iface.event_inputs[0].with.push_back(k);
  return t;
}

// One REQ of a function FB whose ports are scalars.
class FunctionCall {
 public:
  explicit FunctionCall(FbContext& fb) : fb_(fb), i_(fb.type().iface) {}
  DataType in_type(uint16_t k) const { return i_.inputs[k].type; }
  Value in(uint16_t k) const { return fb_.v[i_.input_slot(k)]; }
  DataType out_type() const { return i_.outputs[0].type; }
  // Stores OUT, wrapped to its type's width (a REAL rounded to float), and
  // emits CNF.
  void ret(Value out) {
    fb_.v[i_.output_slot(0)] = normalize(out_type(), out);
    fb_.emit(EventId{0});
  }

 private:
  FbContext& fb_;
  const Interface& i_;
};

}  // namespace plc::stdfb
