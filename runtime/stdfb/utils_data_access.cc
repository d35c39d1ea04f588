// 4diac's utils blocks that reach into an array or a structure (utils/):
//
// - GET_AT_INDEX: REQ copies IN_ARRAY[INDEX] to OUT and emits CNF with QO
//   TRUE; an INDEX outside the array's bounds (its declared indices,
//   ARRAY[1..3] takes 1 to 3), or an IN_ARRAY that is no array, gives QO
//   FALSE and leaves OUT as it was.
// - SET_AT_INDEX: REQ copies IN_ARRAY to OUT_ARRAY with element INDEX
//   set to VALUE, QO TRUE; out of bounds: QO FALSE, OUT_ARRAY unchanged.
//   IN_ARRAY and OUT_ARRAY are one ANY type per instance, decided at
//   load; OUT (VALUE) holds one element of it, so FORTE's check that the
//   element types match is done at load.
// - GET_STRUCT_VALUE: REQ looks up `member` in in_struct, a path of
//   member names separated by '.' for nested structures (case does not
//   matter, as for every IEC identifier); when it exists and has
//   output's type, it is copied to output and QO is TRUE, else QO is
//   FALSE and output stays. A STRING member goes into a STRING output of
//   another capacity, cut to it. in_struct and output are each their own
//   ANY type.
#include <string_view>

#include "runtime/fb_type_builder.h"
#include "runtime/stdfb/generic_ports.h"
#include "runtime/stdfb/iec61131_blocks.h"
#include "runtime/type_library.h"

namespace plc::stdfb {
namespace {

// The slot offset of element INDEX of `array`, or false when out of bounds.
bool element_at(const VarDecl& array, uint64_t index, uint32_t& offset) {
  if (!array.array_size) return false;
  const int64_t k = int64_t(index) - array.array_lo;
  if (k < 0 || k >= int64_t(array.array_size)) return false;
  offset = uint32_t(k) * array.element_slots();
  return true;
}

void get_at_index(FbContext& fb, EventId) {
  const Port in = input_port(fb, 0), out = output_port(fb, 1);
  uint32_t at = 0;
  const bool ok = element_at(in.decl, input_port(fb, 1).v->u, at);
  if (ok) copy_value(out, Port{out.decl, in.v + at});
  *output_port(fb, 0).v = Value::of_bool(ok);
  fb.emit(EventId{0});
}

void set_at_index(FbContext& fb, EventId) {
  const Port in = input_port(fb, 0), value = input_port(fb, 2), out = output_port(fb, 1);
  uint32_t at = 0;
  const bool ok = element_at(in.decl, input_port(fb, 1).v->u, at);
  if (ok) {
    copy_value(out, in);
    copy_value(Port{value.decl, out.v + at}, value);
  }
  *output_port(fb, 0).v = Value::of_bool(ok);
  fb.emit(EventId{0});
}

// The member at `path` ("a.b") of the structure `d` held in `slots`.
const VarDecl* find_member(const VarDecl& d, const Value* slots, std::string_view path, const Value*& at) {
  const VarDecl* cur = &d;
  at = slots;
  while (true) {
    if (cur->type != DataType::kStruct || cur->array_size || !cur->struct_type) return nullptr;
    const size_t dot = path.find('.');
    const std::string_view name = path.substr(0, dot);
    const VarDecl* found = nullptr;
    for (const VarDecl& m : cur->struct_type->members) {
      if (same_identifier(m.name, name)) {
        found = &m;
        break;
      }
      at += m.slots();
    }
    if (!found || dot == std::string_view::npos) return found;
    cur = found;
    path.remove_prefix(dot + 1);
  }
}

bool same_shape(const VarDecl& a, const VarDecl& b) {
  if (a.type != b.type || a.array_size != b.array_size) return false;
  if (a.type == DataType::kStruct)
    return a.struct_type && b.struct_type && same_identifier(a.struct_type->name, b.struct_type->name);
  return true;
}

void get_struct_value(FbContext& fb, EventId) {
  const Port in = input_port(fb, 0), member = input_port(fb, 1), out = output_port(fb, 1);
  const Text name(member);
  char path[VarDecl::kDefaultStringLength];
  uint32_t n = 0;
  for (; n < name.size() && n < sizeof path; ++n) path[n] = char(name[n]);
  const Value* at = nullptr;
  const VarDecl* m = find_member(in.decl, in.v, std::string_view(path, n), at);
  bool ok = m && same_shape(*m, out.decl);
  if (ok && m->slots() == out.decl.slots()) {
    copy_value(out, Port{*m, const_cast<Value*>(at)});
  } else if (ok && is_text(m->type) && !m->array_size) {
    TextOut(out).append(Text(*m, at));
  } else {
    ok = false;
  }
  *output_port(fb, 0).v = Value::of_bool(ok);
  fb.emit(EventId{0});
}

}  // namespace

void add_utils_data_access(TypeLibrary& lib) {
  using G = GenericClass;
  lib.add(FbTypeBuilder("GET_AT_INDEX")
              .comment("Fetch value from array at given index. Array data type has to match with output data type.")
              .event_input("REQ", {"IN_ARRAY", "INDEX"})
              .event_output("CNF", {"QO", "OUT"})
              .generic_input("IN_ARRAY", G::kAny, 1)
              .input("INDEX", DataType::kUint)
              .output("QO", DataType::kBool)
              .generic_output("OUT", G::kAny, 1, true)
              .native({get_at_index, nullptr})
              .build());
  lib.add(FbTypeBuilder("SET_AT_INDEX")
              .comment("Set value of array at given index.")
              .event_input("REQ", {"IN_ARRAY", "INDEX", "VALUE"})
              .event_output("CNF", {"QO", "OUT_ARRAY"})
              .generic_input("IN_ARRAY", G::kAny, 1)
              .input("INDEX", DataType::kUint)
              .generic_input("VALUE", G::kAny, 1, true)
              .output("QO", DataType::kBool)
              .generic_output("OUT_ARRAY", G::kAny, 1)
              .native({set_at_index, nullptr})
              .build());
  lib.add(FbTypeBuilder("GET_STRUCT_VALUE")
              .comment("Service Interface Function Block Type")
              .event_input("REQ", {"member", "in_struct"})
              .event_output("CNF", {"QO", "output"})
              .generic_input("in_struct", G::kAny, 1)
              .input("member", DataType::kString)
              .output("QO", DataType::kBool)
              .generic_output("output", G::kAny, 2)
              .native({get_struct_value, nullptr})
              .build());
}

}  // namespace plc::stdfb
