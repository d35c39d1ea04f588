// Data connections (IEC 61499-1 5.3.2, IEC 61131-3 2.3.3): which variable
// may feed which. The resource loader, the composite flattener and the
// device loader all ask here, so a connection accepted inside one resource
// is accepted across resources and across composite boundaries too.
//
// Data is copied slot by slot (fb_type.h), so only the implicit conversions
// of IEC 61131-3 that keep the slot representation are accepted: an integer
// into a wider integer that holds all its values (SINT -> INT, USINT ->
// INT, UINT -> UDINT; not INT -> UINT). Everything else must match exactly.
#pragma once

#include <string>

#include "runtime/fb_type.h"

namespace plc {

// Same shape (array size, string capacity, struct type) and a type that widens.
bool can_feed(const VarDecl& from, const VarDecl& to);

// "UINT", "STRING[80]", "ARRAY[0..3] OF INT", "MY_STRUCT": for diagnostics.
std::string describe_type(const VarDecl& v);

}  // namespace plc
