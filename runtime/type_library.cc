#include "runtime/type_library.h"

#include <cctype>

namespace plc {

std::string identifier_key(std::string_view name) {
  std::string key(name);
  for (auto& c : key) c = char(std::toupper(static_cast<unsigned char>(c)));
  return key;
}

const FbType& TypeLibrary::add(FbType type) {
  auto& slot = types_[identifier_key(type.name)];
  slot = std::make_unique<FbType>(std::move(type));
  return *slot;
}

const FbType* TypeLibrary::find(std::string_view name) const {
  auto it = types_.find(identifier_key(name));
  return it == types_.end() ? nullptr : it->second.get();
}

}  // namespace plc
