// The parameters of a resource type (.res) or device type (.dev): the
// VarDeclarations at the top of the type (IEC 61499-1 Annex B: a resource
// or device type's "var declarations"), which a System gives values with
// <Parameter Name="MGR_ID" Value="..."/> on its Resource or Device.
//
// A declaration is read and resolved as an FB input would be (type,
// ArraySize, InitialValue), so an unknown type or an initial value that is
// no literal of the type is a located error in the type's file. A value a
// System gives is checked against the declaration's type where the System
// writes it. As FORTE's fromString does, the value of a STRING or WSTRING
// parameter that is not quoted (`localhost:61499`, as older 4diac projects
// write MGR_ID) is the text itself.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/fb_type.h"
#include "runtime/fourdiac/library_element.h"
#include "runtime/language/declarations.h"

namespace plc::fourdiac {

class TypeContext;

struct TypeParameter {
  VarDecl var;
  std::string type_name;  // as declared ("WSTRING", "ARRAY[0..3] OF DINT"), for messages
};

// The VarDeclarations directly under `owner`; false when one was reported.
bool import_type_parameters(const LibraryElement& x, pugi::xml_node owner, TypeContext& ctx,
                            const lang::TypeScope& scope, std::vector<TypeParameter>& out);

const TypeParameter* find_parameter(const std::vector<TypeParameter>& params, std::string_view name);

// The Parameter `p` (in `x`, a System) of a Resource or Device, declared
// as `decl` by its type: its Value must be a literal of the declaration's
// type (or an unquoted string, above). False when reported.
bool check_parameter_value(const LibraryElement& x, pugi::xml_node p, const TypeParameter& decl);

// "MGR_ID, BOUNDS" or "none": the names declared, for messages.
std::string parameter_names(const std::vector<TypeParameter>& params);

}  // namespace plc::fourdiac
