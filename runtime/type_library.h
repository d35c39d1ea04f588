// A set of FB types looked up by name (case-insensitive), the way a
// device's type library works in IEC 61499-1 and in 4diac.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/fb_type.h"

namespace plc {

// The key under which a case-insensitive IEC identifier is stored in a map:
// its upper-case form (same_identifier(a, b) == (key(a) == key(b))).
std::string identifier_key(std::string_view name);

class TypeLibrary {
 public:
  TypeLibrary() = default;
  // A copy shares nothing mutable with the original: compilers stage new
  // types in a copy and commit them only when the whole file is valid.
  TypeLibrary(const TypeLibrary& other) { *this = other; }
  TypeLibrary& operator=(const TypeLibrary& other) {
    if (this == &other) return *this;
    types_.clear();
    for (const auto& [key, type] : other.types_) types_[key] = std::make_unique<FbType>(*type);
    adapters_ = other.adapters_;
    return *this;
  }
  TypeLibrary(TypeLibrary&&) = default;
  TypeLibrary& operator=(TypeLibrary&&) = default;

  // Adds or replaces a type; returns the stored type.
  const FbType& add(FbType type);
  const FbType* find(std::string_view name) const;
  size_t size() const { return types_.size(); }
  std::vector<std::string> names() const {
    std::vector<std::string> n;
    for (const auto& [key, type] : types_) n.push_back(type->name);
    return n;
  }
  // The adapter types (IEC 61499-1 5.5) loaded with the FB types that use
  // them. Only their names: plc flattens a plug or socket into ports of its
  // FB (fourdiac/adapter_type.h). The management protocol's QUERY
  // AdapterType lists them.
  void add_adapter(const std::string& name) { adapters_[identifier_key(name)] = name; }
  std::vector<std::string> adapter_names() const {
    std::vector<std::string> n;
    for (const auto& [key, name] : adapters_) n.push_back(name);
    return n;
  }

 private:
  std::map<std::string, std::unique_ptr<FbType>> types_;  // key: upper-case name
  std::map<std::string, std::string> adapters_;           // key: upper-case name
};

// The standard event blocks of IEC 61499-1 Annex A, implemented natively.
void add_standard_blocks(TypeLibrary& lib);

}  // namespace plc
