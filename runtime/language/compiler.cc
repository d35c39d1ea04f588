#include "runtime/language/compiler.h"

#include <cctype>
#include <map>
#include <set>

#include "runtime/composite.h"
#include "runtime/device.h"
#include "runtime/language/fb_type_compiler.h"
#include "runtime/language/parser.h"
#include "runtime/language/st_compiler.h"
#include "runtime/language/suggest.h"
#include "runtime/resource.h"
#include "runtime/type_library.h"

namespace plc::lang {
namespace {

// The instance a composite type is checked in; its name is cut from the
// messages, which then name the inner FBs as the type's text does.
constexpr std::string_view kProbe = "$check";

std::string without_probe(std::string s) {
  const std::string prefix = std::string(kProbe) + ".";
  for (size_t at = s.find(prefix); at != std::string::npos; at = s.find(prefix, at)) s.erase(at, prefix.size());
  return s;
}

// Whether `net`, or a composite inside it, has an instance of a type of
// `failed` (types of the file that have errors, already reported).
bool uses(const FbNetwork& net, const TypeLibrary& lib, const std::set<std::string>& failed,
          std::set<std::string>& seen) {
  for (const auto& fb : net.fbs) {
    const std::string key = identifier_key(fb.type);
    if (failed.count(key)) return true;
    const FbType* t = lib.find(fb.type);
    if (t && t->kind == FbKind::kComposite && t->network && seen.insert(key).second &&
        uses(*t->network, lib, failed, seen))
      return true;
  }
  return false;
}

// Every error of a network, by loading it into a throw-away resource. The
// flattener's (composites) and the loader's (instances, parameters, plain
// connections) are collected separately: loading stops after the first.
Diagnostics check_network(const FbNetwork& net, const TypeLibrary& lib) {
  Diagnostics d;
  FbNetwork flat = flatten(net, lib, d);
  auto r = Resource::load(flat, lib);
  if (r) return d;
  // An instance whose declaration failed (reported) is no "unknown FB
  // instance" where a connection names it.
  std::set<std::string> declared;
  for (const auto& fb : flat.fbs) declared.insert(identifier_key(fb.name));
  const std::string unknown = "unknown FB instance '";
  for (const auto& e : r.errors().list()) {
    if (e.message.rfind(unknown, 0) == 0) {
      const size_t end = e.message.find('\'', unknown.size());
      if (declared.count(identifier_key(e.message.substr(unknown.size(), end - unknown.size())))) continue;
    }
    d.error(e.where, e.message);
  }
  return d;
}

}  // namespace

bool check(std::string_view file, const FileAst& ast, TypeLibrary& lib, TypeScope& scope, Diagnostics& diags,
           Compiled* out);

bool compile(std::string_view file, std::string_view text, TypeLibrary& lib, TypeScope& scope, Diagnostics& diags,
             Compiled* out) {
  const size_t errors_before = diags.error_count(), first = diags.size();
  FileAst ast = parse_file(file, text, diags);
  if (diags.error_count() != errors_before) return false;  // no meaning to give a tree with holes
  const bool ok = check(file, ast, lib, scope, diags, out);
  diags.sort_from(first);
  return ok;
}

bool check(std::string_view file, const FileAst& ast, TypeLibrary& lib, TypeScope& scope, Diagnostics& diags,
           Compiled* out) {
  const size_t errors_before = diags.error_count();

  TypeScope staged_scope = scope;
  resolve_global_constants(ast.global_constants, staged_scope, file, diags);
  resolve_enums(ast.enums, staged_scope, file, diags);
  auto later = resolve_aliases(ast.aliases, staged_scope, file, diags, ast.structs);
  resolve_structs(ast.structs, staged_scope, file, diags);
  resolve_aliases(std::move(later), staged_scope, file, diags, {});
  check_functions(file, ast.functions, staged_scope, diags);
  TypeLibrary staged = lib;
  Compiled result;
  std::map<std::string, Loc> defined;
  std::set<std::string> failed;        // FB types of the file with errors
  std::set<const FbTypeAst*> checked;  // and those without
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
        checked.insert(&t);
      } else {
        failed.insert(identifier_key(t.name.text));
      }
    }
  // A composite is checked by loading one instance of it, unless it uses a
  // type with errors: what it would report follows from those. An error
  // inside a composite that others use is reported once.
  std::set<std::string> reported;
  for (const auto& t : ast.fb_types) {
    if (t.kind != FbTypeKind::kComposite || !checked.count(&t)) continue;
    FbNetwork probe;
    probe.fbs.push_back({std::string(kProbe), t.name.text, {}, where(file, t.name.loc.line, t.name.loc.col)});
    std::set<std::string> seen;
    if (uses(probe, staged, failed, seen)) continue;
    Diagnostics d = check_network(probe, staged);
    for (const auto& e : d.list())
      if (!reported.count(e.where)) diags.error(e.where, without_probe(e.message));
    for (const auto& e : d.list()) reported.insert(e.where);
  }
  for (const auto& s : ast.systems) {
    const size_t before = diags.error_count();
    SystemDef sys = compile_system(s, file, diags);
    std::set<std::string> seen;
    if (uses(sys.application.network, staged, failed, seen)) continue;
    // The network on its own, so that its errors are reported even when
    // the mapping has some; then the resources as mapped.
    diags.append(check_network(sys.application.network, staged));
    if (diags.error_count() != before) continue;
    auto device = Device::load(sys.resources, sys.application, staged);
    if (!device) {
      diags.append(device.errors());
      continue;
    }
    result.systems.push_back(std::move(sys));
  }
  if (diags.error_count() != errors_before) return false;
  lib = std::move(staged);
  scope = std::move(staged_scope);
  if (out) *out = std::move(result);
  return true;
}

}  // namespace plc::lang
