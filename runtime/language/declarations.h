// Variable declarations and data types as written (ast.h) turned into the
// engine's VarDecl and StructType, with their checks: unknown types, array
// bounds, string capacities, initial values that are no literal of the type.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/fb_type.h"
#include "runtime/language/ast.h"
#include "runtime/status.h"

namespace plc::lang {

// The structured types visible to a file (its own TYPE blocks and those
// already known to the library), looked up case-insensitively.
class TypeScope {
 public:
  void add(std::shared_ptr<const StructType> t);
  std::shared_ptr<const StructType> find(std::string_view name) const;
  std::vector<std::string> names() const;
  // A structured type declared with errors (reported): declarations of its
  // type fail without a second report.
  void add_broken(std::string_view name);
  bool broken(std::string_view name) const;

 private:
  std::map<std::string, std::shared_ptr<const StructType>> structs_;  // key: upper case
  std::map<std::string, std::string> broken_;                         // key: upper case
};

// Resolves one declaration; reports problems to `diags` and returns nullopt.
std::optional<VarDecl> resolve_var(const VarDeclAst& v, const TypeScope& scope, std::string_view file,
                                   Diagnostics& diags);

// Resolves TYPE ... STRUCT blocks in order (a struct may use earlier ones)
// and adds them to `scope`.
void resolve_structs(const std::vector<StructTypeAst>& structs, TypeScope& scope, std::string_view file,
                     Diagnostics& diags);

}  // namespace plc::lang
