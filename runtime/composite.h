// Composite FBs (IEC 61499-1 5.3) are flattened when a network is loaded:
// every inner instance of a composite instance C becomes an instance of the
// resource named "C.Inner" (recursively: "C.D.Inner"), and every chain of
// connections through a composite's boundary (outer -> C.REQ -> inner, or
// inner -> C.CNF -> outer, or straight through REQ -> CNF) becomes one
// direct connection. Crossing a composite boundary therefore costs nothing
// at run time; FORTE instead re-queues events at the boundary.
//
// Inside a composite type's network, boundary ports are written without an
// FB name ("REQ", "CNF", "IN1"), as in 4diac, and resolved by direction: a
// connection that starts at the boundary starts at one of the composite's
// inputs, one that ends there ends at one of its outputs (so an input and
// an output may share a name, and "IN" -> "IN" is a pass-through). Seen
// from outside, a connection starts at a composite's output and ends at its
// input. Every connection inside a composite or through its boundary is
// checked hop by hop (the port exists, points the right way, and for data
// the types fit), whether or not it leads to an FB. Names are IEC
// identifiers: case-insensitive.
//
// A parameter on a composite instance's data input is checked like one on
// any FB (the input exists, the literal suits its type) and is applied to
// every inner input that this input feeds; the outermost parameter wins.
// A data input's declared initial value is applied the same way, before
// the instance's parameters: an inner input fed from an unconnected,
// unparameterised composite input starts with that value, not zero.
// Difference from the standard, on purpose: a composite's data input is not
// a separate copy sampled when the composite's event arrives; inner FBs
// sample the outer source directly when their own event arrives (which,
// with no boundary hop, is the same dispatch for data carried by its event).
//
// A composite type that contains itself, directly or through others, is an
// error found on the types before anything is expanded.
#pragma once

#include "runtime/fb_network.h"
#include "runtime/status.h"
#include "runtime/type_library.h"

namespace plc {

// Returns `net` with every composite instance replaced by its inner network;
// problems (unknown or misdirected ports, type mismatches, bad parameters,
// a type containing itself) are added to `diag`. Networks without
// composites come back unchanged, for the resource loader to check.
FbNetwork flatten(const FbNetwork& net, const TypeLibrary& lib, Diagnostics& diag);

// Whether `net` has a composite instance (that flatten() would expand).
bool has_composites(const FbNetwork& net, const TypeLibrary& lib);

}  // namespace plc
