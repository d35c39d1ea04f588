#include "runtime/fb_type.h"

#include <cctype>

namespace plc {
namespace {

template <typename Decl>
std::optional<uint16_t> find(const std::vector<Decl>& v, std::string_view name) {
  for (size_t k = 0; k < v.size(); ++k)
    if (same_identifier(v[k].name, name)) return uint16_t(k);
  return std::nullopt;
}

}  // namespace

bool same_identifier(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t k = 0; k < a.size(); ++k)
    if (std::toupper(static_cast<unsigned char>(a[k])) != std::toupper(static_cast<unsigned char>(b[k])))
      return false;
  return true;
}

std::optional<EventId> Interface::find_event_input(std::string_view name) const {
  if (auto k = find(event_inputs, name)) return EventId{*k};
  return std::nullopt;
}
std::optional<EventId> Interface::find_event_output(std::string_view name) const {
  if (auto k = find(event_outputs, name)) return EventId{*k};
  return std::nullopt;
}
std::optional<uint16_t> Interface::find_input(std::string_view name) const { return find(inputs, name); }
std::optional<uint16_t> Interface::find_output(std::string_view name) const { return find(outputs, name); }
std::optional<uint16_t> Interface::find_internal(std::string_view name) const { return find(internals, name); }

}  // namespace plc
