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
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/data_type.h"

namespace plc {

// Index of an event input or output within its FB type's interface.
enum class EventId : uint16_t {};
inline constexpr EventId kNoEvent{0xFFFF};
constexpr uint16_t index_of(EventId e) { return static_cast<uint16_t>(e); }

struct EventDecl {
  std::string name;
  std::vector<uint16_t> with;  // data inputs (for EI) or outputs (for EO)
};

struct VarDecl {
  std::string name;
  DataType type = DataType::kBool;
  Value initial{.u = 0};
};

struct Interface {
  std::vector<EventDecl> event_inputs;
  std::vector<EventDecl> event_outputs;
  std::vector<VarDecl> inputs;
  std::vector<VarDecl> outputs;
  std::vector<VarDecl> internals;

  uint32_t slot_count() const { return uint32_t(inputs.size() + outputs.size() + internals.size()); }
  uint32_t input_slot(uint16_t k) const { return k; }
  uint32_t output_slot(uint16_t k) const { return uint32_t(inputs.size()) + k; }
  uint32_t internal_slot(uint16_t k) const { return uint32_t(inputs.size() + outputs.size()) + k; }

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
};

enum class FbKind : uint8_t { kNative, kBasic, kSimple, kComposite };

struct FbType {
  std::string name;
  std::string comment;
  Interface iface;
  FbKind kind = FbKind::kNative;
  NativeBehaviour native;
};

// Case-insensitive comparison: IEC 61131-3 identifiers ignore case.
bool same_identifier(std::string_view a, std::string_view b);

}  // namespace plc
