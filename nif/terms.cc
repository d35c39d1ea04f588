#include "nif/terms.h"

#include <cmath>
#include <cstring>
#include <limits>

namespace plc::nif {

std::optional<std::string> get_string(ErlNifEnv* env, ERL_NIF_TERM t) {
  ErlNifBinary bin;
  if (enif_inspect_binary(env, t, &bin)) return std::string(reinterpret_cast<const char*>(bin.data), bin.size);
  unsigned len;
  if (enif_get_list_length(env, t, &len) && len < 4096) {
    std::string s(len + 1, '\0');
    if (enif_get_string(env, t, s.data(), len + 1, ERL_NIF_LATIN1) == int(len + 1)) {
      s.resize(len);
      return s;
    }
  }
  return std::nullopt;
}

std::optional<std::vector<ERL_NIF_TERM>> get_list(ErlNifEnv* env, ERL_NIF_TERM t) {
  unsigned len;
  if (!enif_get_list_length(env, t, &len)) return std::nullopt;
  std::vector<ERL_NIF_TERM> out;
  out.reserve(len);
  ERL_NIF_TERM head, tail = t;
  while (enif_get_list_cell(env, tail, &head, &tail)) out.push_back(head);
  return out;
}

std::optional<std::vector<ERL_NIF_TERM>> get_tuple(ErlNifEnv* env, ERL_NIF_TERM t, int arity) {
  int n;
  const ERL_NIF_TERM* elems;
  if (!enif_get_tuple(env, t, &n, &elems) || n != arity) return std::nullopt;
  return std::vector<ERL_NIF_TERM>(elems, elems + n);
}

std::optional<uint64_t> get_uint(ErlNifEnv* env, ERL_NIF_TERM t) {
  ErlNifUInt64 v;
  if (!enif_get_uint64(env, t, &v)) return std::nullopt;
  return uint64_t(v);
}

std::optional<ERL_NIF_TERM> get_map_value(ErlNifEnv* env, ERL_NIF_TERM map, const char* key) {
  ERL_NIF_TERM v;
  if (!enif_get_map_value(env, map, enif_make_atom(env, key), &v)) return std::nullopt;
  return v;
}

ERL_NIF_TERM make_binary(ErlNifEnv* env, const std::string& s) {
  ERL_NIF_TERM t;
  unsigned char* p = enif_make_new_binary(env, s.size(), &t);
  if (p && !s.empty()) std::memcpy(p, s.data(), s.size());
  return t;
}

ERL_NIF_TERM make_atom(ErlNifEnv* env, const char* name) { return enif_make_atom(env, name); }

ERL_NIF_TERM make_real(ErlNifEnv* env, double d) {
  // enif_make_double refuses what an Erlang float cannot hold and returns
  // an exception term, which must never end up inside a message.
  if (std::isnan(d)) return make_atom(env, "nan");
  if (std::isinf(d)) return make_atom(env, d > 0 ? "infinity" : "neg_infinity");
  return enif_make_double(env, d);
}

std::optional<double> get_real(ErlNifEnv* env, ERL_NIF_TERM t) {
  double d;
  ErlNifSInt64 i;
  char atom[16];
  if (enif_get_double(env, t, &d)) return d;
  if (enif_get_int64(env, t, &i)) return double(i);
  if (!enif_get_atom(env, t, atom, sizeof atom, ERL_NIF_LATIN1)) return std::nullopt;
  if (std::strcmp(atom, "infinity") == 0) return std::numeric_limits<double>::infinity();
  if (std::strcmp(atom, "neg_infinity") == 0) return -std::numeric_limits<double>::infinity();
  if (std::strcmp(atom, "nan") == 0) return std::numeric_limits<double>::quiet_NaN();
  return std::nullopt;
}

ERL_NIF_TERM make_value(ErlNifEnv* env, DataType t, Value v) {
  if (t == DataType::kBool) return make_atom(env, v.u ? "true" : "false");
  if (is_real(t)) return make_real(env, v.r);
  if (is_unsigned_int(t)) return enif_make_uint64(env, v.u);
  return enif_make_int64(env, v.i);
}

namespace {

ERL_NIF_TERM make_element(ErlNifEnv* env, const VarDecl& var, const Value* slots) {
  if (var.type == DataType::kString || var.type == DataType::kWstring) return make_binary(env, read_string(var, slots));
  if (var.type == DataType::kStruct) {
    ERL_NIF_TERM map = enif_make_new_map(env);
    if (!var.struct_type) return map;
    uint32_t k = 0;
    for (const auto& m : var.struct_type->members) {
      enif_make_map_put(env, map, make_binary(env, m.name), make_var(env, m, slots + k), &map);
      k += m.slots();
    }
    return map;
  }
  return make_value(env, var.type, slots[0]);
}

}  // namespace

ERL_NIF_TERM make_var(ErlNifEnv* env, const VarDecl& var, const Value* slots) {
  if (!var.array_size) return make_element(env, var, slots);
  ERL_NIF_TERM list = enif_make_list(env, 0);
  for (uint32_t k = var.array_size; k > 0; --k)
    list = enif_make_list_cell(env, make_element(env, var, slots + (k - 1) * var.element_slots()), list);
  return list;
}

std::optional<Value> get_value(ErlNifEnv* env, ERL_NIF_TERM term, DataType t) {
  if (t == DataType::kBool) {
    char atom[8];
    if (enif_get_atom(env, term, atom, sizeof atom, ERL_NIF_LATIN1)) {
      if (std::strcmp(atom, "true") == 0) return Value::of_bool(true);
      if (std::strcmp(atom, "false") == 0) return Value::of_bool(false);
    }
    return std::nullopt;
  }
  if (is_real(t)) {
    auto d = get_real(env, term);
    if (!d) return std::nullopt;
    return normalize(t, Value::of_real(*d));
  }
  if (t == DataType::kString || t == DataType::kWstring || t == DataType::kStruct) return std::nullopt;
  ErlNifSInt64 i;
  ErlNifUInt64 u;
  Value v;
  if (enif_get_int64(env, term, &i)) v = Value::of_int(i);
  else if (enif_get_uint64(env, term, &u)) v = Value::of_uint(u);
  else return std::nullopt;
  // Refuse values that do not fit instead of wrapping them silently.
  if (normalize(t, v).u != v.u) return std::nullopt;
  // 64-bit signed types (LINT, TIME, DATE, ...) take only what fits in int64.
  if (!is_unsigned_int(t) && bit_width(t) == 64 && !enif_get_int64(env, term, &i)) return std::nullopt;
  if (is_unsigned_int(t) && bit_width(t) == 64 && enif_get_int64(env, term, &i) && i < 0) return std::nullopt;
  return v;
}

ERL_NIF_TERM raise_badarg(ErlNifEnv* env, const std::string& reason) {
  return enif_raise_exception(env, enif_make_tuple2(env, make_atom(env, "badarg"), make_binary(env, reason)));
}

namespace {

bool get_element(ErlNifEnv* env, ERL_NIF_TERM term, const VarDecl& var, Value* slots) {
  if (var.type == DataType::kString || var.type == DataType::kWstring) {
    ErlNifBinary bin;
    if (!enif_inspect_binary(env, term, &bin) || bin.size > var.max_length()) return false;
    write_string(var, std::string_view(reinterpret_cast<const char*>(bin.data), bin.size), slots);
    return true;
  }
  if (var.type == DataType::kStruct) {  // a map of every member by name, as make_element makes it
    size_t size;
    if (!var.struct_type || !enif_get_map_size(env, term, &size) || size != var.struct_type->members.size())
      return false;
    uint32_t k = 0;
    for (const auto& m : var.struct_type->members) {
      ERL_NIF_TERM value;
      if (!enif_get_map_value(env, term, make_binary(env, m.name), &value) || !get_var(env, value, m, slots + k))
        return false;
      k += m.slots();
    }
    return true;
  }
  auto v = get_value(env, term, var.type);
  if (!v) return false;
  slots[0] = *v;
  return true;
}

}  // namespace

bool get_var(ErlNifEnv* env, ERL_NIF_TERM term, const VarDecl& var, Value* slots) {
  if (!var.array_size) return get_element(env, term, var, slots);
  unsigned len;
  if (!enif_get_list_length(env, term, &len) || len != var.array_size) return false;
  ERL_NIF_TERM head, tail = term;
  for (uint32_t k = 0; enif_get_list_cell(env, tail, &head, &tail); ++k)
    if (!get_element(env, head, var, slots + k * var.element_slots())) return false;
  return true;
}

ERL_NIF_TERM ok_tuple(ErlNifEnv* env, ERL_NIF_TERM t) { return enif_make_tuple2(env, make_atom(env, "ok"), t); }

ERL_NIF_TERM stopped(ErlNifEnv* env) {
  return enif_make_tuple2(env, make_atom(env, "error"), make_atom(env, "stopped"));
}

ERL_NIF_TERM inbox_full(ErlNifEnv* env) {
  return enif_make_tuple2(env, make_atom(env, "error"), make_atom(env, "inbox_full"));
}

ERL_NIF_TERM binaries(ErlNifEnv* env, const std::vector<std::string>& items) {
  ERL_NIF_TERM list = enif_make_list(env, 0);
  for (auto it = items.rbegin(); it != items.rend(); ++it) list = enif_make_list_cell(env, make_binary(env, *it), list);
  return list;
}

ERL_NIF_TERM error_list(ErlNifEnv* env, const Diagnostics& d) {
  std::vector<std::string> errors;
  for (const auto& e : d.list())
    if (!e.warning) errors.push_back(e.str());
  return enif_make_tuple2(env, make_atom(env, "error"), binaries(env, errors));
}

// "FB.PORT" pairs from a list of {Src, Dst} tuples.
static bool get_connections(ErlNifEnv* env, ERL_NIF_TERM list, std::vector<ConnectionDecl>& out, std::string& why) {
  auto items = get_list(env, list);
  if (!items) return why = "connections must be a list", false;
  for (ERL_NIF_TERM item : *items) {
    auto pair = get_tuple(env, item, 2);
    std::optional<std::string> s, d;
    if (pair) s = get_string(env, (*pair)[0]), d = get_string(env, (*pair)[1]);
    if (!s || !d) return why = "a connection must be {<<\"FB.OUT\">>, <<\"FB.IN\">>}", false;
    out.push_back({*s, *d, ""});
  }
  return true;
}

bool get_options(ErlNifEnv* env, ERL_NIF_TERM spec, ResourceOptions& opts, std::string& why) {
  if (auto q = get_map_value(env, spec, "queue_capacity")) {
    auto v = get_uint(env, *q);
    if (!v || *v == 0 || *v > (1u << 24)) return why = "queue_capacity must be an integer in 1..16777216", false;
    opts.queue_capacity = uint32_t(*v);
    opts.payload_capacity = uint32_t(*v) * 4;
  }
  if (auto b = get_map_value(env, spec, "event_budget")) {
    auto v = get_uint(env, *b);
    if (!v || *v == 0 || *v > (1u << 30)) return why = "event_budget must be an integer in 1..2^30", false;
    opts.event_budget = uint32_t(*v);
  }
  if (auto b = get_map_value(env, spec, "instruction_budget")) {
    auto v = get_uint(env, *b);
    if (!v || *v < 100 || *v > (1ull << 40)) return why = "instruction_budget must be an integer in 100..2^40", false;
    opts.instruction_budget = int64_t(*v);
  }
  if (auto b = get_map_value(env, spec, "max_algorithm_slices")) {
    auto v = get_uint(env, *b);
    if (!v || *v > (1u << 30)) return why = "max_algorithm_slices must be an integer in 0..2^30 (0: unlimited)", false;
    opts.max_algorithm_slices = uint32_t(*v);
  }
  if (auto b = get_map_value(env, spec, "inbox_capacity")) {
    auto v = get_uint(env, *b);
    if (!v || *v == 0 || *v > (1u << 28)) return why = "inbox_capacity must be an integer in 1..2^28", false;
    opts.inbox_capacity = uint32_t(*v);
  }
  return true;
}

bool get_network(ErlNifEnv* env, ERL_NIF_TERM spec, FbNetwork& net, std::string& why) {
  auto fbs = get_map_value(env, spec, "fbs");
  auto items = fbs ? get_list(env, *fbs) : std::nullopt;
  if (!items) return why = "fbs must be a list of {Name, Type, Params}", false;
  for (ERL_NIF_TERM item : *items) {
    auto t = get_tuple(env, item, 3);
    std::optional<std::string> name, type;
    std::optional<std::vector<ERL_NIF_TERM>> params;
    if (t) name = get_string(env, (*t)[0]), type = get_string(env, (*t)[1]), params = get_list(env, (*t)[2]);
    if (!name || !type || !params) return why = "an FB must be {Name, Type, [{Param, Literal}]}", false;
    FbInstanceDecl decl{*name, *type, {}, ""};
    for (ERL_NIF_TERM p : *params) {
      auto pt = get_tuple(env, p, 2);
      std::optional<std::string> pn, pv;
      if (pt) pn = get_string(env, (*pt)[0]), pv = get_string(env, (*pt)[1]);
      if (!pn || !pv) return why = "a parameter must be {Name, Literal}", false;
      decl.parameters.push_back({*pn, *pv});
    }
    net.fbs.push_back(std::move(decl));
  }
  if (auto ev = get_map_value(env, spec, "events"); ev && !get_connections(env, *ev, net.event_connections, why))
    return false;
  if (auto da = get_map_value(env, spec, "data"); da && !get_connections(env, *da, net.data_connections, why))
    return false;
  return true;
}

}  // namespace plc::nif
