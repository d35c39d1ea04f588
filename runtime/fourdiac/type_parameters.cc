#include "runtime/fourdiac/type_parameters.h"

#include <set>

#include "runtime/fourdiac/type_context.h"
#include "runtime/fourdiac/var_declaration.h"
#include "runtime/type_library.h"

namespace plc::fourdiac {

bool import_type_parameters(const LibraryElement& x, pugi::xml_node owner, TypeContext& ctx,
                            const lang::TypeScope& scope, std::vector<TypeParameter>& out) {
  bool ok = true;
  std::set<std::string> names;
  for (pugi::xml_node v : owner.children("VarDeclaration")) {
    auto ast = import_var(x, v, ctx);
    if (!ast) {
      ok = false;
      continue;
    }
    if (!names.insert(identifier_key(ast->name.text)).second) {
      x.error(v, "duplicate parameter '" + ast->name.text + "'");
      ok = false;
      continue;
    }
    auto var = lang::resolve_var(*ast, scope, x.file(), x.diags());
    if (!var) {
      ok = false;
      continue;
    }
    std::string type = ast->type.name;
    if (ast->type.is_array)
      type = "ARRAY[" + std::to_string(ast->type.lo) + ".." + std::to_string(ast->type.hi) + "] OF " + type;
    out.push_back({std::move(*var), std::move(type)});
  }
  return ok;
}

const TypeParameter* find_parameter(const std::vector<TypeParameter>& params, std::string_view name) {
  for (const auto& p : params)
    if (same_identifier(p.var.name, name)) return &p;
  return nullptr;
}

namespace {

// A value FORTE's fromString takes as the text itself: of a STRING or
// WSTRING, not quoted nor typed ("localhost:61499"), within the length.
bool unquoted_string(const VarDecl& v, const std::string& value) {
  if (v.array_size || (v.type != DataType::kString && v.type != DataType::kWstring)) return false;
  if (value.empty() || value[0] == '\'' || value[0] == '"' || value.size() > v.max_length()) return false;
  const auto hash = value.find('#');
  return hash == std::string::npos ||
         !(same_identifier(value.substr(0, hash), "STRING") || same_identifier(value.substr(0, hash), "WSTRING"));
}

}  // namespace

bool check_parameter_value(const LibraryElement& x, pugi::xml_node p, const TypeParameter& decl) {
  const std::string value = p.attribute("Value").value();
  std::vector<Value> slots(decl.var.slots());
  write_initial(decl.var, slots.data());
  if (parse_var_literal(decl.var, value, slots.data())) return true;
  if (unquoted_string(decl.var, value)) return true;
  x.error(p, "invalid value '" + value + "' for parameter '" + decl.var.name + "' of type " + decl.type_name);
  return false;
}

std::string parameter_names(const std::vector<TypeParameter>& params) {
  std::string s;
  for (const auto& p : params) s += (s.empty() ? "" : ", ") + p.var.name;
  return s.empty() ? "none" : s;
}

}  // namespace plc::fourdiac
