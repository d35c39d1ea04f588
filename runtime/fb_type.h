// Function block types (IEC 61499-1 clause 5): an interface of event and
// data ports plus a behaviour.
//
// Instance data is laid out flat: every variable is one Value slot, in the
// order inputs, outputs, internals. A WITH association (5.2.1.2) is stored
// as indices into the inputs (for an event input) or outputs (for an event
// output). Native behaviour (service interface FBs and the standard event
// blocks) is a pair of plain function pointers, called with an FbContext.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/algorithm.h"
#include "runtime/data_type.h"
#include "runtime/fb_network.h"
#include "runtime/generic_type.h"

namespace plc {

// Index of an event input or output within its FB type's interface.
enum class EventId : uint16_t {};
inline constexpr EventId kNoEvent{0xFFFF};
constexpr uint16_t index_of(EventId e) { return static_cast<uint16_t>(e); }

struct EventDecl {
  std::string name;
  std::vector<uint16_t> with;  // data inputs (for EI) or outputs (for EO)
};

// One dimension of a multi-dimensional array: ARRAY[lo..lo+size-1, ...].
struct ArrayDim {
  int64_t lo = 0;
  uint32_t size = 0;
};

struct StructType;
struct EnumType;  // the language's enumerated types (runtime/language/declarations.h)

// A variable. Scalars take one slot; ARRAY[0..n-1] OF T takes n times the
// slots of T; STRING[n] and WSTRING[n] are stored inline: slot 0 holds the
// length in characters, the following slots the characters (1 byte each
// for STRING, 2 for WSTRING), so copying a variable is copying its slots.
// A STRUCT takes the slots of its members, in declaration order.
struct VarDecl {
  std::string name;
  DataType type = DataType::kBool;
  Value initial{.u = 0};                          // of every element; strings start empty
  uint32_t array_size = 0;                        // 0: not an array
  uint16_t string_length = 0;                     // STRING/WSTRING capacity; 0: kDefaultStringLength
  std::shared_ptr<const StructType> struct_type;  // when type == kStruct
  int64_t array_lo = 0;                           // ARRAY[lo..lo+array_size-1]: the first index, for the language
  // A full initial value as written (`[1, 2, 3]`, `'text'`, `(x := 1)`),
  // applied over `initial` by write_initial; "" for none.
  std::string initial_literal;
  // A port of a generic native type (generic_type.h): its declared class
  // (kNone: not generic), the group (1-based) whose type it shares, and
  // whether it holds the group's type or one element of it (GET_AT_INDEX's
  // OUT is an element of its ANY array IN_ARRAY). `type` is the class's
  // default until a load decides it per instance.
  GenericClass generic = GenericClass::kNone;
  uint8_t generic_group = 0;
  bool generic_element = false;
  // An enumerated type of the language: the values are stored as `type`
  // (an integer); only the compiler looks at it.
  std::shared_ptr<const EnumType> enum_type;
  // A multi-dimensional array (or an array of arrays) of the language: its
  // dimensions, the first first; the slots hold the elements in row-major
  // order and `array_size` counts them all, so to the engine it is the
  // one-dimensional array of that size. Empty for one dimension.
  std::vector<ArrayDim> array_dims;
  // A subrange of an integer type (IEC 61131-3 6.4.4.4, `INT (0..100)`):
  // the compiler checks what is stored into it.
  bool subrange = false;
  int64_t range_lo = 0, range_hi = 0;
  // RETAIN (IEC 61131-3 6.5.6, IEC 61499-1's retained data): kept across
  // a restart of its resource (runtime/retain.h); the engine itself only
  // reads the flag.
  bool retain = false;
  // A reference of the language (REF_TO, IEC 61131-3 6.4.4.10): what it
  // refers to. The slot holds 0 (NULL) or 1 + the first slot of a variable
  // of the same instance; only the compiled algorithms set it (a reference
  // is never written from outside nor retained, and a changed program keeps
  // it only when the instance's variables, its target included, are the same).
  std::shared_ptr<const VarDecl> ref_to;

  static constexpr uint16_t kDefaultStringLength = 254;
  uint16_t max_length() const { return string_length ? string_length : kDefaultStringLength; }
  uint32_t element_slots() const;
  uint32_t slots() const { return element_slots() * (array_size ? array_size : 1); }
};

// A structured data type (IEC 61131-3 2.3.3.1, 4diac .dtp): named members,
// laid out one after the other in the variable's slots.
struct StructType {
  std::string name;
  std::vector<VarDecl> members;
  uint32_t slots() const;
  std::optional<uint32_t> member_slot(std::string_view member) const;  // offset of a member
};

// Writes the initial values of a variable (every element, every member)
// into its slots.
void write_initial(const VarDecl& var, Value* slots);

// STRING/WSTRING slots <-> text (characters beyond 8 bits of a WSTRING
// are kept as their low byte here; see the language issue for full UTF-16).
void write_string(const VarDecl& var, std::string_view s, Value* slots);
std::string read_string(const VarDecl& var, const Value* slots);

// Writes the literal `text` (a scalar literal, 'a string', or an array
// literal [1, 2, 3] for an array) into the variable's slots; false if it is
// not a valid literal for the variable.
bool parse_var_literal(const VarDecl& var, std::string_view text, Value* slots);

struct Interface {
  std::vector<EventDecl> event_inputs;
  std::vector<EventDecl> event_outputs;
  std::vector<VarDecl> inputs;
  std::vector<VarDecl> outputs;
  std::vector<VarDecl> internals;

  // Slot offsets within an instance, computed on each call (a sum over the
  // variables before): the loader uses them, and so do the generic native
  // blocks at dispatch (generic_ports.h), whose few scalar ports make it a
  // handful of additions, no allocation.
  uint32_t slot_count() const;
  uint32_t input_slot(uint16_t k) const;
  uint32_t output_slot(uint16_t k) const;
  uint32_t internal_slot(uint16_t k) const;

  std::optional<EventId> find_event_input(std::string_view name) const;
  std::optional<EventId> find_event_output(std::string_view name) const;
  std::optional<uint16_t> find_input(std::string_view name) const;
  std::optional<uint16_t> find_output(std::string_view name) const;
  std::optional<uint16_t> find_internal(std::string_view name) const;
};

class FbContext;

// Behaviour of a native (service interface or standard event) block.
struct NativeBehaviour {
  void (*on_event)(FbContext&, EventId ei) = nullptr;
  void (*on_timer)(FbContext&) = nullptr;  // the instance's timer expired
  // The resource is being destroyed: release what the instance holds
  // outside its slots (CSV_WRITER's open file). It must not emit events.
  void (*on_unload)(FbContext&) = nullptr;
  // The host posts it events in parts (Resource::post(parts, n), more
  // values than one InboxEvent holds): load() reserves room for them.
  bool posted_in_parts = false;
};

enum class FbKind : uint8_t { kNative, kBasic, kSimple, kComposite };

struct Ecc;

inline constexpr int32_t kNoAlgorithm = -1;

// Simple FB (4diac SimpleFB): each event input runs one algorithm and then
// emits the listed outputs.
struct SimpleEvent {
  int32_t algorithm = kNoAlgorithm;
  std::vector<EventId> outputs;
};

struct FbType {
  std::string name;
  std::string comment;
  Interface iface;
  FbKind kind = FbKind::kNative;
  // How the engine calls it: the block's own functions for native types,
  // ecc_on_event / simple_on_event for basic and simple FBs.
  NativeBehaviour native;
  std::vector<Algorithm> algorithms;         // basic and simple FBs
  std::shared_ptr<const Ecc> ecc;            // basic FBs
  std::vector<SimpleEvent> simple;           // simple FBs, one per event input
  std::shared_ptr<const FbNetwork> network;  // composite FBs: the inner network,
                                             // boundary ports named without "FB."
  // A generic native type whose ports depend on its decided types beyond
  // their own (STRUCT_MUX has one input per member of its OUT's
  // structure): called by specialize() on the concrete copy.
  void (*refine)(FbType& concrete) = nullptr;
};

// Case-insensitive comparison: IEC 61131-3 identifiers ignore case.
bool same_identifier(std::string_view a, std::string_view b);

}  // namespace plc
