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
  if (var.type == DataType::kStruct) return false;
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

}  // namespace plc::nif
