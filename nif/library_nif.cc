// The NIFs of a type library (LibraryHandle): compile IEC 61499 text or
// load 4diac files into it, all or nothing.
#include "nif/big_stack.h"
#include "nif/handles.h"
#include "nif/nif.h"
#include "nif/terms.h"
#include "runtime/connection.h"
#include "runtime/fourdiac/load_file.h"
#include "runtime/generic_type.h"

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
    const std::string_view source(reinterpret_cast<const char*>(text.data), text.size);
    if (!on_big_stack([&] { return lang::compile(*file, source, staged, scope, diags, &out); }))
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
    if (!on_big_stack([&] { return fourdiac::load_file(*path, folders, staged, scope, diags, &out); }))
      return error_list(env, diags);
    return commit(env, h, staged, scope, out, diags);
  });
}

namespace {

// The text of a port's type: a generic port's class (ANY_NUM), a
// structure's name, else the elementary type, `ARRAY [lo..hi] OF T` for
// an array.
std::string type_text(const VarDecl& v) {
  std::string t = v.generic != GenericClass::kNone               ? std::string(generic_class_name(v.generic))
                  : v.type == DataType::kStruct && v.struct_type ? v.struct_type->name
                                                                 : std::string(type_name(v.type));
  if (!v.array_size) return t;
  return "ARRAY [" + std::to_string(v.array_lo) + ".." + std::to_string(v.array_lo + int64_t(v.array_size) - 1) +
         "] OF " + t;
}

ERL_NIF_TERM event_names(ErlNifEnv* env, const std::vector<EventDecl>& events) {
  std::vector<std::string> names;
  for (const auto& e : events) names.push_back(e.name);
  return binaries(env, names);
}

ERL_NIF_TERM typed_vars(ErlNifEnv* env, const std::vector<VarDecl>& vars) {
  ERL_NIF_TERM list = enif_make_list(env, 0);
  for (size_t k = vars.size(); k > 0; --k)
    list = enif_make_list_cell(
        env, enif_make_tuple2(env, make_binary(env, vars[k - 1].name), make_binary(env, type_text(vars[k - 1]))), list);
  return list;
}

const VarDecl* find_var(const Interface& i, std::string_view name) {
  if (auto k = i.find_input(name)) return &i.inputs[*k];
  if (auto k = i.find_output(name)) return &i.outputs[*k];
  if (auto k = i.find_internal(name)) return &i.internals[*k];
  return nullptr;
}

}  // namespace

// library_type(Library, Name) -> {ok, #{event_inputs, event_outputs,
// inputs => [{Name, TypeText}], outputs => [...]}} | {error, not_found}.
ERL_NIF_TERM library_type(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    LibraryHandle* h = get_library(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc library handle");
    auto name = get_string(env, argv[1]);
    if (!name || name->size() > 1024) return raise_badarg(env, "the type name must be a binary of at most 1024 bytes");
    std::shared_ptr<const TypeLibrary> lib = h->snapshot();
    const FbType* t = lib->find(*name);
    if (!t) return enif_make_tuple2(env, make_atom(env, "error"), make_atom(env, "not_found"));
    ERL_NIF_TERM info = enif_make_new_map(env);
    enif_make_map_put(env, info, make_atom(env, "name"), make_binary(env, t->name), &info);
    enif_make_map_put(env, info, make_atom(env, "event_inputs"), event_names(env, t->iface.event_inputs), &info);
    enif_make_map_put(env, info, make_atom(env, "event_outputs"), event_names(env, t->iface.event_outputs), &info);
    enif_make_map_put(env, info, make_atom(env, "inputs"), typed_vars(env, t->iface.inputs), &info);
    enif_make_map_put(env, info, make_atom(env, "outputs"), typed_vars(env, t->iface.outputs), &info);
    enif_make_map_put(env, info, make_atom(env, "internals"), typed_vars(env, t->iface.internals), &info);
    return ok_tuple(env, info);
  });
}

// library_types(Library) -> [Name]: every FB type of the library.
ERL_NIF_TERM library_types(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    LibraryHandle* h = get_library(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc library handle");
    std::shared_ptr<const TypeLibrary> lib = h->snapshot();
    return binaries(env, lib->names());
  });
}

// library_adapter_types(Library) -> [Name]: every adapter type loaded into
// the library (with the 4diac FB types that use them).
ERL_NIF_TERM library_adapter_types(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    LibraryHandle* h = get_library(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc library handle");
    std::shared_ptr<const TypeLibrary> lib = h->snapshot();
    return binaries(env, lib->adapter_names());
  });
}

// library_literal(Library, Type, Var, Literal) -> {ok, Term} | error: the
// IEC 61131-3 literal `Literal` parsed completely for variable `Var` of FB
// type `Type`, as a term (make_var). A generic port takes a literal of
// any type of its class (the type the literal's form says).
ERL_NIF_TERM library_literal(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    LibraryHandle* h = get_library(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc library handle");
    auto type = get_string(env, argv[1]);
    auto var = get_string(env, argv[2]);
    ErlNifBinary text;
    if (!type || !var || type->size() > 1024 || var->size() > 1024)
      return raise_badarg(env, "the type and variable names must be binaries of at most 1024 bytes");
    if (!enif_inspect_binary(env, argv[3], &text)) return raise_badarg(env, "the literal must be a binary");
    std::shared_ptr<const TypeLibrary> lib = h->snapshot();
    const ERL_NIF_TERM error = make_atom(env, "error");
    const FbType* t = lib->find(*type);
    const VarDecl* decl = t ? find_var(t->iface, *var) : nullptr;
    if (!decl) return error;
    const std::string_view literal(reinterpret_cast<const char*>(text.data), text.size);
    VarDecl v = *decl;
    if (v.generic != GenericClass::kNone) {
      auto form = literal_form(literal);
      if (!form || !in_class(v.generic, *form) || v.array_size) return error;
      v.type = *form;
      v.struct_type = nullptr;
    }
    std::vector<Value> slots(v.slots());
    write_initial(v, slots.data());
    if (!parse_var_literal(v, literal, slots.data())) return error;
    return ok_tuple(env, make_var(env, v, slots.data()));
  });
}

// library_connectable(Library, {Type, Output}, {Type, Input}) -> boolean():
// whether data output Output of FB type Type may feed data input Input of
// the other, before generic ports are decided (connection.h may_feed);
// false when a type or port is unknown.
ERL_NIF_TERM library_connectable(ErlNifEnv* env, int, const ERL_NIF_TERM argv[]) {
  return guarded(env, [&] {
    LibraryHandle* h = get_library(env, argv[0]);
    if (!h) return raise_badarg(env, "not a plc library handle");
    auto from = get_tuple(env, argv[1], 2);
    auto to = get_tuple(env, argv[2], 2);
    std::optional<std::string> ft, fv, tt, tv;
    if (from) ft = get_string(env, (*from)[0]), fv = get_string(env, (*from)[1]);
    if (to) tt = get_string(env, (*to)[0]), tv = get_string(env, (*to)[1]);
    if (!ft || !fv || !tt || !tv) return raise_badarg(env, "ports must be {Type, Port} of binaries");
    std::shared_ptr<const TypeLibrary> lib = h->snapshot();
    const FbType* a = lib->find(*ft);
    const FbType* b = lib->find(*tt);
    auto out = a ? a->iface.find_output(*fv) : std::nullopt;
    auto in = b ? b->iface.find_input(*tv) : std::nullopt;
    bool ok = out && in && may_feed(a->iface.outputs[*out], b->iface.inputs[*in]);
    return make_atom(env, ok ? "true" : "false");
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
