// 4diac FBType documents (.fbt) turned into the language's FbTypeAst, so
// that the language's checker (compiler.h) gives them their meaning, with
// the same diagnostics as the textual language:
//
// - InterfaceList (interface_list.h), with Plugs and Sockets flattened into
//   ports (adapter_type.h);
// - BasicFB: InternalVars (and InternalConstVars), ECC with ECState,
//   ECAction (Algorithm, Output) and ECTransition (Condition: `1`, `EI`,
//   `EI[guard]`, `[guard]`, `adp.EI`, or a guard expression), Algorithm
//   with ST (the Text attribute or the element's text; 4diac's `ALGORITHM
//   Name ... END_ALGORITHM` wrapping or the statements alone);
// - SimpleFB: InternalVars and algorithms named after the event inputs;
// - FBNetwork: a composite type (fb_network_importer.h);
// - a SubAppType document (.sub: SubAppInterfaceList, SubAppNetwork): a
//   typed SubApp, which plc makes a composite type, so that its instances
//   are flattened like a composite's (the standard's subapplication type,
//   IEC 61499-1 5.4, has no behaviour of its own either);
// - Service (or nothing but the interface): a service interface type, which
//   must be implemented natively by plc.
//
// ST goes through the language's parser (parse_algorithm_text,
// parse_transition_condition) with the position of the text in the file,
// so an ST error reads "E_CTU.fbt:57:7: error: ...". `adp.X` in ST and ECC
// becomes the adapter port `adp$X`.
#pragma once

#include <optional>
#include <vector>

#include "runtime/fourdiac/adapter_type.h"
#include "runtime/fourdiac/library_element.h"
#include "runtime/language/ast.h"

namespace plc::fourdiac {

class TypeContext;

struct ImportedFbType {
  lang::FbTypeAst ast;
  std::vector<AdapterDecl> adapters;  // its plugs and sockets
};

// `interface_only`: the behaviour is plc's native one (a standard block that
// 4diac ships as a basic FB): only the interface is read, and checked
// against the native type as a service interface. A body that is not one
// 4diac ships for the type (standard_body.h) gets a warning: it is not used.
std::optional<ImportedFbType> import_fb_type(const LibraryElement& x, TypeContext& ctx, bool interface_only);

}  // namespace plc::fourdiac
