#include "runtime/language/compiler.h"

#include <cctype>
#include <map>

#include "runtime/device.h"
#include "runtime/language/fb_type_compiler.h"
#include "runtime/language/parser.h"
#include "runtime/language/suggest.h"
#include "runtime/type_library.h"
#include "runtime/resource.h"

namespace plc::lang {
namespace {


}  // namespace

bool check(std::string_view file, const FileAst& ast, TypeLibrary& lib, TypeScope& scope, Diagnostics& diags, Compiled* out);

bool compile(std::string_view file, std::string_view text, TypeLibrary& lib, TypeScope& scope, Diagnostics& diags,
             Compiled* out) {
  const size_t errors_before = diags.error_count(), first = diags.size();
  FileAst ast = parse_file(file, text, diags);
  if (diags.error_count() != errors_before) return false;  // no meaning to give a tree with holes
  const bool ok = check(file, ast, lib, scope, diags, out);
  diags.sort_from(first);
  return ok;
}

bool check(std::string_view file, const FileAst& ast, TypeLibrary& lib, TypeScope& scope, Diagnostics& diags, Compiled* out) {
  const size_t errors_before = diags.error_count();

  TypeScope staged_scope = scope;
  resolve_structs(ast.structs, staged_scope, file, diags);
  TypeLibrary staged = lib;
  Compiled result;
  std::map<std::string, Loc> defined;
  // Types in file order; composites after the others, so they may use
  // types defined later in the file.
  for (int pass = 0; pass < 2; ++pass)
    for (const auto& t : ast.fb_types) {
      if ((t.kind == FbTypeKind::kComposite) != (pass == 1)) continue;
      if (!defined.emplace(identifier_key(t.name.text), t.name.loc).second) {
        diags.error(where(file, t.name.loc.line, t.name.loc.col), "duplicate FB type '" + t.name.text + "'");
        continue;
      }
      if (auto ft = compile_fb_type(t, staged_scope, staged, file, diags)) {
        result.types.push_back(ft->name);
        staged.add(std::move(*ft));
      }
    }
  // A composite is checked by loading one instance of it.
  for (const auto& t : ast.fb_types) {
    if (t.kind != FbTypeKind::kComposite || !staged.find(t.name.text)) continue;
    FbNetwork probe;
    probe.fbs.push_back({"$check", t.name.text, {}, where(file, t.name.loc.line, t.name.loc.col)});
    auto r = Resource::load(probe, staged);
    if (!r) diags.append(r.errors());
  }
  for (const auto& s : ast.systems) {
    auto sys = compile_system(s, file, diags);
    if (!sys) continue;
    auto device = Device::load(sys->resources, sys->application, staged);
    if (!device) {
      diags.append(device.errors());
      continue;
    }
    result.systems.push_back(std::move(*sys));
  }
  if (diags.error_count() != errors_before) return false;
  lib = std::move(staged);
  scope = std::move(staged_scope);
  if (out) *out = std::move(result);
  return true;
}

}  // namespace plc::lang
