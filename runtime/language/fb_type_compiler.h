// FB type declarations (IEC 61499-1 Annex B: FUNCTION_BLOCK ...
// END_FUNCTION_BLOCK) turned into engine FB types, with the static checks
// of the language:
// - every name of the interface is unique (events and variables share one
//   scope, case-insensitive);
// - a WITH list names variables of the right direction (inputs for an
//   event input, outputs for an event output);
// - ECC: states and transitions name declared states, events and
//   algorithms; a transition condition is `1`, an event, a BOOL guard, or
//   both (`Event AND guard`, or `Event[guard]` as 4diac writes it); an
//   event is never negated nor read inside the guard; states that no
//   transition reaches are warned about;
// - algorithms compile (st_compiler.h); an algorithm that no state and no
//   event uses is warned about;
// - simple FBs (algorithms, no ECC): event input k runs the algorithm of
//   the same name, then emits event output k (as 4diac's SimpleFB does);
// - a service interface type (interface only) must match the native type
//   registered under its name in the library, event for event, variable
//   for variable: the text documents the native block, it cannot change it;
// - composite types keep their inner network by name; it is checked when
//   the type is loaded into a resource (compiler.h does a trial load);
// - a variable whose declaration has an error is still declared: using it
//   reports nothing more.
#pragma once

#include <optional>
#include <string_view>

#include "runtime/fb_type.h"
#include "runtime/language/ast.h"
#include "runtime/language/declarations.h"
#include "runtime/status.h"
#include "runtime/type_library.h"

namespace plc::lang {

std::optional<FbType> compile_fb_type(const FbTypeAst& t, const TypeScope& scope, const TypeLibrary& lib,
                                      std::string_view file, Diagnostics& diags);

// The engine's form of a network as written: parameters from `FB : T :=
// (P := v)` and from `literal TO FB.P` data connections; every element
// keeps its file:line:col for the loader's diagnostics.
FbNetwork network_of(const NetworkAst& n, std::string_view file, Diagnostics& diags);

}  // namespace plc::lang
