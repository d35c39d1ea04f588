// Generic data types (IEC 61131-3 2.3.2, Figure 5 of edition 3): ANY,
// ANY_NUM, ANY_BIT, ... name sets of elementary types. 4diac declares the
// ports of its standard function blocks with them (F_ADD's IN1, IN2 and
// OUT are ANY_MAGNITUDE), and FORTE decides their type at run time, from
// the first value that reaches them.
//
// plc decides at load, per instance: a generic port takes the type of what
// is connected to it or of the typed literal written into it (INT#5), so a
// network's types are checked before it runs and the block's native code
// reads its ports' types from its own interface. Ports of one native type
// that must share a type form a group (VarDecl::generic_group): F_ADD's
// IN1, IN2 and OUT are group 1; F_SHL's IN and OUT are group 1, its N
// group 2. How a group's type is chosen (resolve_generics, generic_type.cc):
//   1. every connection into one of its inputs from a port whose type is
//      known, and every typed literal (INT#5) on one of its inputs, is a
//      candidate; candidates are unified (the wider when one converts
//      implicitly into the other; of two integers of one width, one signed
//      and one unsigned, the signed one, as 4diac's reference examples
//      expect INT#6 from UINT + INT; else the narrowest type both convert
//      into: SINT + UINT is DINT). Generic sources are decided first, so
//      chains F_ADD -> F_MUL -> F_SUB propagate;
//   2. else the first connection from one of its outputs into a port of
//      known type decides (F_ADD with untyped literals feeding an INT);
//   3. else an untyped literal decides by its form (5: LINT, 2.5: LREAL,
//      TRUE: BOOL, 'x': STRING, T#1s: TIME);
//   4. else the widest type of the class (ANY_NUM: LREAL, ANY_INT: LINT,
//      ANY_BIT: LWORD, ANY_STRING: STRING, ...).
// The result must belong to every port's class (an ANY_NUM port refuses
// a STRING): a located error otherwise.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/data_type.h"

namespace plc {

enum class GenericClass : uint8_t {
  kNone,  // not generic
  kAny,
  kAnyElementary,
  kAnyMagnitude,
  kAnyNum,
  kAnyReal,
  kAnyInt,
  kAnySigned,
  kAnyUnsigned,
  kAnyBit,
  kAnyString,  // ANY_STRING, ANY_CHARS, ANY_CHAR: STRING or WSTRING
  kAnyDuration,
  kAnyDate,
  kAnyStruct,
};

// ANY_NUM -> kAnyNum (case-insensitive); nullopt when `name` is no generic type.
std::optional<GenericClass> parse_generic_class(std::string_view name);
std::string_view generic_class_name(GenericClass c);

// Whether the elementary type `t` (kStruct for a structure) belongs to `c`.
bool in_class(GenericClass c, DataType t);

// The type a port of class `c` takes when nothing decides it (step 4
// above); nullopt for ANY_STRUCT, which something must decide.
std::optional<DataType> default_type(GenericClass c);

// The type an untyped literal is by its form (step 3): nullopt when the
// text is none of the forms.
std::optional<DataType> literal_form(std::string_view literal);

// Unifies two candidate types of one group (step 1); nullopt when no type
// holds both.
std::optional<DataType> unify(DataType a, DataType b);

struct FbType;
struct FbNetwork;
struct VarDecl;
class TypeLibrary;
class Diagnostics;

// Whether any port of `t` is generic.
bool is_generic(const FbType& t);

// A generic type with group k (1-based) bound to `types[k - 1]`: every
// generic port takes its group's type (a STRING group takes the longest
// capacity among its candidates, given in `lengths`). The result is a
// concrete type: same name, same behaviour, its ports typed; each port
// keeps its class and group so that messages can name them.
struct GroupType {
  DataType type = DataType::kLreal;
  uint16_t string_length = 0;  // STRING/WSTRING capacity, 0: the default
  uint32_t array_size = 0;     // a port of shape kSame takes it
  int64_t array_lo = 0;
  std::shared_ptr<const struct StructType> struct_type;
};
FbType specialize(const FbType& generic, const std::vector<GroupType>& groups);

// A typed literal on a decided generic port, rewritten in the port's type
// when its value fits (UINT#8 on a port decided INT is 8); anything else
// comes back unchanged for the loader to judge.
std::string literal_for(const VarDecl& port, std::string_view literal);

// The concrete types of the generic instances of a flattened network, by
// the instance's upper-case name (identifier_key). Instances of concrete
// types are not in it. Problems (a type no candidate agrees on, a type
// outside a port's class, an ANY_STRUCT nothing decides) go to `diag`,
// located at the instance.
using GenericInstances = std::map<std::string, std::shared_ptr<const FbType>>;
GenericInstances resolve_generics(const FbNetwork& flat, const TypeLibrary& lib, Diagnostics& diag);

}  // namespace plc
