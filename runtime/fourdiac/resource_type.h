// Resource types (IEC 61499-1 Annex B RESOURCE_TYPE; 4diac ResourceType,
// .res files): what every resource of the type brings with it.
//
//   <ResourceType Name="EMB_RES">
//     <VarDeclaration Name="ID" Type="WSTRING"/>          (parameters)
//     <FBNetwork><FB Name="START" Type="E_RESTART"/></FBNetwork>
//   </ResourceType>
//
// - VarDeclaration: the resource's parameters (type_parameters.h); a
//   System's <Resource Type="T"> may give them values, checked against
//   their types (nothing in a resource reads them: they are not wired to
//   the type's FBs). plc's own resource options (queue_capacity, ...) are
//   allowed besides them.
// - FBNetwork: the type's FBs (with their Parameters), implicit in every
//   resource of the type: a System's resource network uses them without
//   declaring them (EMB_RES's START). Their types must exist.
// - Connections inside the type's network (4diac's DM_RES wires its FBs
//   and parameters together) and SubApps there are not supported, reported
//   where written; FBTypeName (the FB types a resource supports) is not
//   needed to run and is ignored.
//
// A resource whose Type no .res of the folders defines keeps 4diac's
// convention: START : E_RESTART (sys_importer.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/fourdiac/library_element.h"
#include "runtime/fourdiac/type_parameters.h"
#include "runtime/language/ast.h"

namespace plc::fourdiac {

class TypeContext;

struct ResourceType {
  std::string name;
  std::vector<TypeParameter> parameters;
  std::vector<lang::FbInstanceAst> fbs;  // its implicit FBs (locations in its file)
};

// Reads a ResourceType document; nullopt when something was reported.
std::optional<ResourceType> import_resource_type(const LibraryElement& x, TypeContext& ctx,
                                                 const lang::TypeScope& scope);

}  // namespace plc::fourdiac
