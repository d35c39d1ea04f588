#include "runtime/fourdiac/dtp_importer.h"

#include <cstring>

#include "runtime/fourdiac/type_context.h"
#include "runtime/fourdiac/var_declaration.h"

namespace plc::fourdiac {

std::optional<lang::StructTypeAst> import_data_type(const LibraryElement& x, TypeContext& ctx) {
  pugi::xml_node root = x.root();
  if (std::strcmp(root.name(), "DataType") != 0) {
    x.error(root, std::string("expected a DataType, found ") + root.name());
    return std::nullopt;
  }
  auto name = x.required(root, "Name");
  if (!name) return std::nullopt;
  if (!is_identifier(*name)) {
    x.error(root, "'" + *name + "' is not a valid type name");
    return std::nullopt;
  }
  pugi::xml_node st = root.child("StructuredType");
  if (!st) {
    for (const char* kind : {"DirectlyDerivedType", "EnumeratedType", "SubrangeType", "ArrayType"})
      if (root.child(kind)) {
        x.error(root.child(kind),
                std::string("data types of kind ") + kind + " are not supported (only StructuredType)");
        return std::nullopt;
      }
    x.error(root, "missing StructuredType");
    return std::nullopt;
  }
  lang::StructTypeAst s;
  s.name = {*name, x.attribute_loc(root, "Name")};
  bool ok = true;
  for (pugi::xml_node v : st.children("VarDeclaration")) {
    if (auto d = import_var(x, v, ctx)) s.members.push_back(std::move(*d));
    else ok = false;
  }
  if (!ok) return std::nullopt;
  return s;
}

}  // namespace plc::fourdiac
