// The NIFs of a type library (LibraryHandle): compile IEC 61499 text or
// load 4diac files into it, all or nothing.
#include "nif/handles.h"
#include "nif/nif.h"
#include "runtime/fourdiac/load_file.h"

namespace plc::nif {

// library_new() -> Library: the standard blocks and the process image.
ERL_NIF_TERM library_new(ErlNifEnv* env, int, const ERL_NIF_TERM[]) {
  return guarded(env, [&] {
    void* mem = enif_alloc_resource(g_library_type, sizeof(LibraryHandle));
    if (!mem) return enif_raise_exception(env, make_atom(env, "enomem"));
    auto* h = new (mem) LibraryHandle();
    h->lib = g_library;
    ERL_NIF_TERM term = enif_make_resource(env, h);
    enif_release_resource(h);
    return term;
  });
}

namespace {

// Publishes a successful compile into the library and describes it.
ERL_NIF_TERM commit(ErlNifEnv* env, LibraryHandle* h, TypeLibrary& staged, lang::TypeScope& scope, lang::Compiled& out,
                    const Diagnostics& diags) {
  std::vector<std::string> warnings, systems;
  for (const auto& d : diags.list())
    if (d.warning) warnings.push_back(d.str());
  h->lib = std::make_shared<const TypeLibrary>(std::move(staged));
  h->scope = std::move(scope);
  for (auto& s : out.systems) {
    systems.push_back(s.name);
    std::string key = identifier_key(s.name);  // before s is moved from
    h->systems[key] = std::make_shared<const lang::SystemDef>(std::move(s));
    summary_of(h, key, *h->systems[key]);
  }
  ERL_NIF_TERM info = enif_make_new_map(env);
  enif_make_map_put(env, info, make_atom(env, "types"), binaries(env, out.types), &info);
  enif_make_map_put(env, info, make_atom(env, "systems"), binaries(env, systems), &info);
  enif_make_map_put(env, info, make_atom(env, "warnings"), binaries(env, warnings), &info);
  return ok_tuple(env, info);
}

}  // namespace

// library_compile(Library, FileName, Text) ->
//   {ok, #{types => [Name], systems => [Name], warnings => [Diagnostic]}}
//   | {error, [Diagnostic]}. Dirty.
ERL_NIF_TERM library_compile(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    LibraryHandle* h = get_library(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc library handle");
    auto file = get_string(env, argv[1]);
    ErlNifBinary text;
    if (!file) return raise_badarg(env, "the file name must be a binary");
    if (!enif_inspect_iolist_as_binary(env, argv[2], &text))
      return raise_badarg(env, "the source text must be an iolist");
    std::lock_guard lock(h->mutex);
    TypeLibrary staged = *h->lib;
    lang::TypeScope scope = h->scope;
    Diagnostics diags;
    lang::Compiled out;
    if (!lang::compile(*file, std::string_view(reinterpret_cast<const char*>(text.data), text.size), staged, scope,
                       diags, &out))
      return error_list(env, diags);
    return commit(env, h, staged, scope, out, diags);
  });
}

// library_load_4diac(Library, Path, Folders) -> as library_compile/3: a
// 4diac IDE file (.fbt, .adp, .dtp, .sys) whose types are found in its own
// folder and in Folders (fourdiac/load_file.h). Dirty.
ERL_NIF_TERM library_load_4diac(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    LibraryHandle* h = get_library(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc library handle");
    auto path = get_string(env, argv[1]);
    auto items = get_list(env, argv[2]);
    if (!path) return raise_badarg(env, "the path must be a binary or a string");
    if (!items) return raise_badarg(env, "the folders must be a list");
    std::vector<std::string> folders;
    for (ERL_NIF_TERM t : *items) {
      auto f = get_string(env, t);
      if (!f) return raise_badarg(env, "each folder must be a binary or a string");
      folders.push_back(*f);
    }
    if (!fourdiac::is_4diac_file(*path)) return raise_badarg(env, "not a 4diac file (.fbt, .adp, .dtp or .sys)");
    std::lock_guard lock(h->mutex);
    TypeLibrary staged = *h->lib;
    lang::TypeScope scope = h->scope;
    Diagnostics diags;
    lang::Compiled out;
    if (!fourdiac::load_file(*path, folders, staged, scope, diags, &out)) return error_list(env, diags);
    return commit(env, h, staged, scope, out, diags);
  });
}

const LibraryHandle::Summary* summary_of(LibraryHandle* h, const std::string& key, const lang::SystemDef& def) {
  auto& s = h->summaries[key];
  if (s.lib != h->lib || !s.plan) {
    std::vector<bool> none(def.resources.size(), false);
    auto plan = DevicePlan::make(def.resources, def.application, *h->lib, &none);
    if (!plan) {
      h->summaries.erase(key);
      return nullptr;
    }
    s.lib = h->lib;
    s.plan = *plan;
  }
  return &s;
}

}  // namespace plc::nif
