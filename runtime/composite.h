// Composite FBs (IEC 61499-1 5.3) are flattened when a network is loaded:
// every inner instance of a composite instance C becomes an instance of the
// resource named "C.Inner" (recursively: "C.D.Inner"), and every chain of
// connections through a composite's boundary (outer -> C.REQ -> inner, or
// inner -> C.CNF -> outer, or straight through REQ -> CNF) becomes one
// direct connection. Crossing a composite boundary therefore costs nothing
// at run time; FORTE instead re-queues events at the boundary.
//
// Inside a composite type's network, boundary ports are written without an
// FB name ("REQ", "CNF", "IN1"), as in 4diac. A parameter on a composite
// instance's data input is applied to every inner input that this input
// feeds. Difference from the standard, on purpose: a composite's data input
// is not a separate copy sampled when the composite's event arrives; inner
// FBs sample the outer source directly when their own event arrives (which,
// with no boundary hop, is the same dispatch for data carried by its event).
#pragma once

#include "runtime/fb_network.h"
#include "runtime/status.h"
#include "runtime/type_library.h"

namespace plc {

// Returns `net` with every composite instance replaced by its inner network;
// problems (unknown boundary ports, recursion deeper than 32 levels) are
// added to `diag`. Networks without composites come back unchanged.
FbNetwork flatten(const FbNetwork& net, const TypeLibrary& lib, Diagnostics& diag);

}  // namespace plc
