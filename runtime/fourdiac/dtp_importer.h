// 4diac DataType documents (.dtp) with a StructuredType, turned into the
// language's StructTypeAst (TYPE Name : STRUCT ... END_STRUCT END_TYPE).
// Members may use other structured types (resolved through the
// TypeContext). Other kinds of data type (directly derived, enumerated,
// subrange, array types) are reported as unsupported.
#pragma once

#include <optional>

#include "runtime/fourdiac/library_element.h"
#include "runtime/language/ast.h"

namespace plc::fourdiac {

class TypeContext;

std::optional<lang::StructTypeAst> import_data_type(const LibraryElement& x, TypeContext& ctx);

}  // namespace plc::fourdiac
