// 4diac InterfaceList elements (FB types and adapter types; a SubAppType's
// SubAppInterfaceList is read the same way): EventInputs and EventOutputs
// (Event with its With list; SubAppEventInputs, SubAppEventOutputs and
// SubAppEvent in a SubAppInterfaceList), InputVars and OutputVars
// (VarDeclaration), Plugs and Sockets (AdapterDeclaration). InOutVars
// (VAR_IN_OUT) have no counterpart in the engine and are reported.
#pragma once

#include <vector>

#include "runtime/fourdiac/adapter_type.h"
#include "runtime/fourdiac/library_element.h"
#include "runtime/language/ast.h"

namespace plc::fourdiac {

class TypeContext;

// Appends the interface to `out`; adapter declarations go to `adapters`
// (nullptr: none are allowed, as in an adapter type; one whose adapter type
// failed is there too, with no ports, so that the network and algorithms
// using it are not reported a second time). False when something was
// reported.
bool import_interface_list(const LibraryElement& x, pugi::xml_node list, TypeContext& ctx, lang::FbTypeAst& out,
                           std::vector<AdapterDecl>* adapters);

}  // namespace plc::fourdiac
