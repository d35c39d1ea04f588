// A set of FB types looked up by name (case-insensitive), the way a
// device's type library works in IEC 61499-1 and in 4diac.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "runtime/fb_type.h"

namespace plc {

class TypeLibrary {
 public:
  // Adds or replaces a type; returns the stored type.
  const FbType& add(FbType type);
  const FbType* find(std::string_view name) const;
  size_t size() const { return types_.size(); }

 private:
  std::map<std::string, std::unique_ptr<FbType>> types_;  // key: upper-case name
};

// The standard event blocks of IEC 61499-1 Annex A, implemented natively.
void add_standard_blocks(TypeLibrary& lib);

}  // namespace plc
