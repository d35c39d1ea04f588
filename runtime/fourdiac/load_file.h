// Loads one 4diac IDE file the way 4diac's project type library would: the
// types it names come from its own folder (searched recursively) and from
// `folders`. A .fbt, .sub, .adp or .dtp adds its type (and the types it uses) to
// `lib`/`scope`; a .res or .dev is read and checked (the types of its FBs and
// parameters exist); a .sys is imported and checked as a system, which `out`
// receives. Used by `plc check` and by the NIF (plc:load_4diac/2).
// A textual file (.st) finds its types in the same places
// (load_types_used).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "runtime/language/ast.h"
#include "runtime/language/compiler.h"
#include "runtime/status.h"
#include "runtime/type_library.h"

namespace plc::fourdiac {

// .fbt, .sub, .adp, .dtp, .res, .dev, .sys, in any case; also 4diac's
// kinds that load_file refuses with one clear error (.seg, .atp, .fct).
bool is_4diac_file(const std::string& path);

// Every problem goes to `diags` (with file:line:col); false when there is
// an error. Like lang::compile, the caller stages `lib` and `scope` in a
// copy and keeps them only on success.
bool load_file(const std::string& file, const std::vector<std::string>& folders, TypeLibrary& lib,
               lang::TypeScope& scope, Diagnostics& diags, lang::Compiled* out = nullptr);

// Before a textual file `file` (parsed as `ast`) is compiled: loads the FB
// types it uses from its folder (recursively) and from `folders`, as
// load_file does for a 4diac file, except the types `lib` has and those
// named in `defined` (identifier keys: the types of the files compiled with
// it). Names no file there defines are left for the compiler to report.
// False when a type loaded has errors (in `diags`).
bool load_types_used(const std::string& file, const lang::FileAst& ast, const std::set<std::string>& defined,
                     const std::vector<std::string>& folders, TypeLibrary& lib, lang::TypeScope& scope,
                     Diagnostics& diags);

}  // namespace plc::fourdiac
