#include "runtime/type_library.h"

#include <cctype>

namespace plc {
namespace {

std::string upper(std::string_view s) {
  std::string u(s);
  for (auto& c : u) c = char(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

}  // namespace

const FbType& TypeLibrary::add(FbType type) {
  auto& slot = types_[upper(type.name)];
  slot = std::make_unique<FbType>(std::move(type));
  return *slot;
}

const FbType* TypeLibrary::find(std::string_view name) const {
  auto it = types_.find(upper(name));
  return it == types_.end() ? nullptr : it->second.get();
}

}  // namespace plc
