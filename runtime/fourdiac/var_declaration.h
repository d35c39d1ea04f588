// 4diac VarDeclaration elements (interface, internal and structure
// variables) and literals, turned into the language's declarations.
//
//   <VarDeclaration Name="PV" Type="UINT" ArraySize="4" InitialValue="[1,2]"/>
//
// - Type: an elementary type, STRING[n], or a structured type (a .dtp,
//   possibly package-qualified "pkg::Name"), resolved through the
//   TypeContext.
// - ArraySize: "4" (0..3), "1..4" or "[1..4]"; one dimension.
// - 4diac's generic types (ANY_NUM, ...) are kept by name: a native
//   block's generic port is decided per instance at load (generic_type.h);
//   in a basic, simple or composite type it takes the widest type of its
//   class (ANY_NUM: LREAL), and a typed literal of a narrower type given
//   to it (INT#5) is widened (adapt_literal).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "runtime/data_type.h"
#include "runtime/fourdiac/library_element.h"
#include "runtime/language/ast.h"

namespace plc::fourdiac {

class TypeContext;

// A typed literal of another elementary type that converts into `target`
// without loss (IEC 61131-3 implicit conversions: USINT#5 into INT, INT#5
// into LREAL) is rewritten as a literal of `target`; anything else comes
// back unchanged, for the checker to judge. A value of a STRING or WSTRING
// that is neither quoted nor typed is the text itself, as FORTE's
// fromString reads it (4diac-examples write `ID="239.0.0.1:61000"`): it
// comes back quoted.
std::string adapt_literal(DataType target, std::string_view literal);

// One VarDeclaration; nullopt (reported) when it cannot be read.
std::optional<lang::VarDeclAst> import_var(const LibraryElement& x, pugi::xml_node var, TypeContext& ctx);

}  // namespace plc::fourdiac
