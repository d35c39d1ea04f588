// The language's entry point: one source file (FB types, structured data
// types, systems) in, engine types out, with every diagnostic.
//
//   plc::TypeLibrary lib;  plc::add_standard_blocks(lib);
//   plc::lang::TypeScope scope;
//   plc::Diagnostics diags;
//   plc::lang::Compiled out;
//   if (!plc::lang::compile("voter.st", text, lib, scope, diags, &out))
//     std::cerr << diags.str();   // voter.st:12:7: error: unknown variable 'Sate' (did you mean 'State'?)
//
// A file is all or nothing: its types are added to the library (replacing
// types of the same name) only when it has no errors, so a bad reload never
// breaks what was running. Composite types and systems are checked by
// loading them into a throw-away resource or device, so their network
// errors are reported at compile time with their file:line:col (all of
// them, a system's even when its mapping has errors; not those of a
// network that uses a type of the file with errors).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/language/ast.h"
#include "runtime/language/declarations.h"
#include "runtime/language/system.h"
#include "runtime/status.h"
#include "runtime/type_library.h"

namespace plc::lang {

struct Compiled {
  std::vector<std::string> types;  // FB types defined by the file, in order
  std::vector<SystemDef> systems;
};

bool compile(std::string_view file, std::string_view text, TypeLibrary& lib, TypeScope& scope, Diagnostics& diags,
             Compiled* out = nullptr);

// The same from a tree already parsed (the 4diac importer builds one).
bool check(std::string_view file, const FileAst& ast, TypeLibrary& lib, TypeScope& scope, Diagnostics& diags,
           Compiled* out = nullptr);

}  // namespace plc::lang
