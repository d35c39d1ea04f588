#include "runtime/language/declarations.h"

#include <algorithm>
#include <cctype>

#include "runtime/language/standard_function_blocks.h"
#include "runtime/language/suggest.h"
#include "runtime/type_library.h"

namespace plc::lang {
namespace {

// Above this an FB would not fit the engine's 16-bit slot numbers anyway.
constexpr uint64_t kMaxSlots = 60000;

}  // namespace

}  // namespace plc::lang

namespace plc {
const int64_t* EnumType::find(std::string_view value) const {
  for (const auto& [n, v] : values)
    if (same_identifier(n, value)) return &v;
  return nullptr;
}
}  // namespace plc

namespace plc::lang {

void TypeScope::add_enum(std::shared_ptr<const EnumType> t) { enums_[identifier_key(t->name)] = std::move(t); }

std::shared_ptr<const EnumType> TypeScope::find_enum(std::string_view name) const {
  auto it = enums_.find(identifier_key(name));
  return it == enums_.end() ? nullptr : it->second;
}

std::vector<std::shared_ptr<const EnumType>> TypeScope::enums_with(std::string_view value) const {
  std::vector<std::shared_ptr<const EnumType>> out;
  for (const auto& [k, t] : enums_)
    if (t->find(value)) out.push_back(t);
  return out;
}

std::optional<int64_t> enum_literal(const EnumType& t, std::string_view text) {
  if (auto hash = text.find('#'); hash != std::string_view::npos) {
    if (!same_identifier(text.substr(0, hash), t.name)) return std::nullopt;
    text = text.substr(hash + 1);
  }
  if (const int64_t* v = t.find(text)) return *v;
  return std::nullopt;
}

void resolve_global_constants(const std::vector<VarDeclAst>& decls, TypeScope& scope, std::string_view file,
                              Diagnostics& diags) {
  for (const VarDeclAst& v : decls) {
    auto at = where(file, v.name.loc.line, v.name.loc.col);
    auto dt = parse_type_name(v.type.name);
    if (v.type.is_array || !dt || *dt == DataType::kString || *dt == DataType::kWstring || *dt == DataType::kStruct) {
      diags.error(at, "global constant '" + v.name.text + "' must be of an elementary type other than STRING");
      continue;
    }
    if (scope.find_global_constant(v.name.text)) {
      diags.error(at, "duplicate global constant '" + v.name.text + "'");
      continue;
    }
    auto value = v.initial.empty() ? std::nullopt : parse_literal(*dt, v.initial);
    if (!value) {
      diags.error(at, v.initial.empty() ? "constant '" + v.name.text + "' needs an initial value"
                                        : "invalid initial value '" + v.initial + "' for '" + v.name.text +
                                              "' of type " + std::string(type_name(*dt)));
      continue;
    }
    scope.add_global_constant({v.name.text, *dt, *value});
  }
}

void resolve_enums(const std::vector<EnumTypeAst>& enums, TypeScope& scope, std::string_view file, Diagnostics& diags) {
  for (const auto& e : enums) {
    auto at = [&](Loc l) { return where(file, l.line, l.col); };
    if (scope.find(e.name.text) || scope.find_enum(e.name.text) || scope.broken(e.name.text) ||
        parse_type_name(e.name.text)) {
      diags.error(at(e.name.loc), "duplicate data type '" + e.name.text + "'");
      continue;
    }
    auto t = std::make_shared<EnumType>();
    t->name = e.name.text;
    bool ok = true;
    std::optional<DataType> base;
    if (!e.base.text.empty()) {
      base = parse_type_name(e.base.text);
      if (!base || !(is_signed_int(*base) || is_unsigned_int(*base)) || *base == DataType::kLint ||
          *base == DataType::kUlint || *base == DataType::kLword) {
        diags.error(at(e.base.loc), "the values of enumerated type " + e.name.text +
                                        " must be of an integer or bit string type up to 32 bits, not '" + e.base.text +
                                        "'");
        scope.add_broken(e.name.text);
        continue;
      }
      t->base = *base;
    }
    int64_t next = 0;
    for (const auto& [n, text] : e.values) {
      if (t->find(n.text)) {
        diags.error(at(n.loc), "duplicate value '" + n.text + "' in enumerated type " + e.name.text);
        ok = false;
        continue;
      }
      if (!text.empty()) {
        const DataType as = base ? *base : DataType::kDint;
        auto v = parse_literal(as, text);
        if (!v) {
          diags.error(at(n.loc), "the value of '" + n.text + "' must be a literal of " + std::string(type_name(as)) +
                                     ", not '" + text + "'");
          ok = false;
          continue;
        }
        next = is_signed_int(as) ? v->i : int64_t(v->u);
      }
      if (base && !parse_literal(*base, std::to_string(next))) {
        diags.error(at(n.loc), "the value of '" + n.text + "' is out of the range of " + e.base.text);
        ok = false;
        continue;
      }
      if (!base && (next < INT32_MIN || next > INT32_MAX)) {
        diags.error(at(n.loc), "the value of '" + n.text + "' is out of the range of DINT");
        ok = false;
        continue;
      }
      t->values.push_back({n.text, next});
      if (!base && (next < INT16_MIN || next > INT16_MAX)) t->base = DataType::kDint;
      ++next;
    }
    if (ok) scope.add_enum(std::move(t));
    else scope.add_broken(e.name.text);
  }
}

namespace {

std::vector<ArrayRange> dimensions(const TypeRef& t) {
  std::vector<ArrayRange> dims;
  if (!t.is_array) return dims;
  dims.push_back({t.lo, t.hi, t.lo_name, t.hi_name});
  dims.insert(dims.end(), t.more_dims.begin(), t.more_dims.end());
  return dims;
}

void set_dimensions(TypeRef& t, std::vector<ArrayRange> dims) {
  t.is_array = !dims.empty();
  t.more_dims.clear();
  if (dims.empty()) return;
  t.lo = dims[0].lo;
  t.hi = dims[0].hi;
  t.lo_name = dims[0].lo_name;
  t.hi_name = dims[0].hi_name;
  t.more_dims.assign(dims.begin() + 1, dims.end());
}

// The type as written, for messages.
std::string written(const TypeRef& t) {
  std::string s;
  if (t.ref_to) return "REF_TO " + written(*t.ref_to);
  if (t.is_array) {
    s = "ARRAY[";
    for (const ArrayRange& r : dimensions(t))
      s += (s.size() > 6 ? ", " : "") + std::to_string(r.lo) + ".." + std::to_string(r.hi);
    s += "] OF ";
  }
  s += t.name;
  if (t.subrange) s += " (" + std::to_string(t.range_lo) + ".." + std::to_string(t.range_hi) + ")";
  return s;
}

bool in_range(const VarDecl& d, Value v) {
  if (is_signed_int(d.type)) return v.i >= d.range_lo && v.i <= d.range_hi;
  return v.u >= uint64_t(d.range_lo) && v.u <= uint64_t(d.range_hi);
}

// INT (lo..hi): the limits are values of the integer type, lo <= hi; the
// default initial value is lo (IEC 61131-3 6.4.4.4).
template <class At>
bool subrange(VarDecl& d, const TypeRef& t, const At& at, Diagnostics& diags) {
  const bool integer = !d.enum_type && d.generic == GenericClass::kNone && d.type != DataType::kStruct &&
                       (is_signed_int(d.type) || (d.type >= DataType::kUsint && d.type <= DataType::kUlint));
  if (!integer) {
    diags.error(at(t.range_loc), "a subrange needs an integer type, not " + t.name);
    return false;
  }
  for (int64_t limit : {t.range_lo, t.range_hi})
    if (!(is_signed_int(d.type) ? limit == normalize(d.type, Value::of_int(limit)).i
                                : limit >= 0 && uint64_t(limit) == normalize(d.type, Value::of_int(limit)).u)) {
      diags.error(at(t.range_loc), "subrange limit " + std::to_string(limit) + " is out of the range of " + t.name);
      return false;
    }
  if (t.range_hi < t.range_lo) {
    diags.error(at(t.range_loc), "subrange upper limit " + std::to_string(t.range_hi) + " is below its lower limit " +
                                     std::to_string(t.range_lo));
    return false;
  }
  d.subrange = true;
  d.range_lo = t.range_lo;
  d.range_hi = t.range_hi;
  d.initial = Value::of_int(t.range_lo);
  return true;
}

}  // namespace

void TypeScope::add_alias(TypeAliasAst a) {
  std::string key = identifier_key(a.name.text);
  aliases_[key] = std::move(a);
}

const TypeAliasAst* TypeScope::find_alias(std::string_view name) const {
  auto it = aliases_.find(identifier_key(name));
  return it == aliases_.end() ? nullptr : &it->second;
}

void TypeScope::add(std::shared_ptr<const StructType> t) { structs_[identifier_key(t->name)] = std::move(t); }

std::shared_ptr<const StructType> TypeScope::find(std::string_view name) const {
  auto it = structs_.find(identifier_key(name));
  return it == structs_.end() ? nullptr : it->second;
}

void TypeScope::add_function(std::shared_ptr<FunctionDef> f) {
  functions_[identifier_key(f->ast->name.text)] = std::move(f);
}

std::shared_ptr<FunctionDef> TypeScope::find_function(std::string_view name) const {
  auto it = functions_.find(identifier_key(name));
  if (it != functions_.end()) return it->second;
  return standard_ ? standard_function_block(name) : nullptr;
}

std::vector<std::string> TypeScope::function_names() const {
  std::vector<std::string> n;
  for (const auto& [k, f] : functions_) n.push_back(f->ast->name.text);
  return n;
}

void TypeScope::add_broken(std::string_view name) { broken_.emplace(identifier_key(name), std::string(name)); }

bool TypeScope::broken(std::string_view name) const { return broken_.count(identifier_key(name)) != 0; }

std::vector<std::string> TypeScope::names() const {
  std::vector<std::string> n;
  for (const auto& [k, v] : structs_) n.push_back(v->name);
  for (const auto& [k, v] : broken_) n.push_back(v);
  for (const auto& [k, v] : enums_) n.push_back(v->name);
  for (const auto& [k, v] : aliases_) n.push_back(v.name.text);
  return n;
}

std::vector<TypeAliasAst> resolve_aliases(std::vector<TypeAliasAst> aliases, TypeScope& scope, std::string_view file,
                                          Diagnostics& diags, const std::vector<StructTypeAst>& later) {
  std::vector<TypeAliasAst> deferred;
  for (TypeAliasAst& a : aliases) {
    const bool waits = std::any_of(later.begin(), later.end(),
                                   [&](const StructTypeAst& s) { return same_identifier(s.name.text, a.type.name); });
    if (waits && !scope.find(a.type.name) && !scope.broken(a.type.name)) {
      deferred.push_back(std::move(a));
      continue;
    }
    if (scope.find(a.name.text) || scope.find_enum(a.name.text) || scope.find_alias(a.name.text) ||
        scope.broken(a.name.text) || parse_type_name(a.name.text)) {
      diags.error(where(file, a.name.loc.line, a.name.loc.col), "duplicate data type '" + a.name.text + "'");
      continue;
    }
    VarDeclAst probe{a.name, a.type, a.initial, a.initial_loc};
    if (!resolve_var(probe, scope, file, diags)) {
      scope.add_broken(a.name.text);
      continue;
    }
    // Bounds named by global constants: their values, so that where the
    // type is used no local constant of that name stands for them.
    std::vector<ArrayRange> dims = dimensions(a.type);
    for (ArrayRange& r : dims)
      for (auto [n, b] : {std::pair{&r.lo_name, &r.lo}, std::pair{&r.hi_name, &r.hi}})
        if (const Constant* c = n->text.empty() ? nullptr : scope.find_global_constant(n->text)) {
          *b = is_signed_int(c->type) ? c->value.i : int64_t(c->value.u);
          *n = {};
        }
    set_dimensions(a.type, std::move(dims));
    scope.add_alias(std::move(a));
  }
  return deferred;
}

void collect_constants(const std::vector<VarDeclAst>& decls, std::string_view file, Diagnostics& diags,
                       Constants& out) {
  for (const VarDeclAst& v : decls) {
    if (!v.constant) continue;
    if (v.initial.empty()) {
      diags.error(where(file, v.name.loc.line, v.name.loc.col), "constant '" + v.name.text +
                                                                    "' needs an initial value (VAR CONSTANT " +
                                                                    v.name.text + " : " + v.type.name + " := ...)");
      continue;
    }
    auto dt = parse_type_name(v.type.name);
    if (v.type.is_array || !dt || !(is_signed_int(*dt) || is_unsigned_int(*dt))) continue;
    if (auto val = parse_literal(*dt, v.initial)) out.push_back({v.name.text, *dt, *val});
  }
}

const Constant* find_constant(const Constants& list, std::string_view name) {
  for (const Constant& c : list)
    if (same_identifier(c.name, name)) return &c;
  return nullptr;
}

// REF_TO type: a ULINT slot (0: NULL) that refers to a variable of that
// type. Kept to what cannot dangle or be forged: a variable of its own
// (no arrays or structures of references), NULL at the start, not
// retained, no reference to a reference.
static std::optional<VarDecl> resolve_reference(const VarDeclAst& v, const TypeScope& scope, std::string_view file,
                                                Diagnostics& diags, const Constants* constants) {
  auto at = [&](Loc l) { return where(file, l.line, l.col); };
  const TypeRef& t = v.type;
  const std::string what = "reference '" + v.name.text + "'";
  if (t.is_array) {
    diags.error(at(t.loc), "arrays of references are not supported (" + what + ")");
    return std::nullopt;
  }
  if (t.ref_to->ref_to) {
    diags.error(at(t.ref_to->loc), "a reference to a reference is not supported (" + what + ")");
    return std::nullopt;
  }
  if (v.retain) {
    diags.error(at(v.name.loc), what + " cannot be RETAIN: it refers to a variable of the running program");
    return std::nullopt;
  }
  if (!v.initial.empty() && !same_identifier(v.initial, "NULL")) {
    diags.error(at(v.initial_loc.line ? v.initial_loc : v.name.loc),
                what + " starts as NULL: set it with REF(variable) in an algorithm, not '" + v.initial + "'");
    return std::nullopt;
  }
  VarDeclAst target = v;
  target.type = *t.ref_to;
  target.initial.clear();
  target.constant = false;
  auto d = resolve_var(target, scope, file, diags, constants);
  if (!d) return std::nullopt;
  if (d->ref_to) {  // through a named type: TYPE IntRef : REF_TO INT; ... REF_TO IntRef
    diags.error(at(t.ref_to->loc), "a reference to a reference is not supported (" + what + ")");
    return std::nullopt;
  }
  VarDecl r;
  r.name = v.name.text;
  r.type = DataType::kUlint;
  r.ref_to = std::make_shared<const VarDecl>(std::move(*d));
  return r;
}

std::optional<VarDecl> resolve_var(const VarDeclAst& v, const TypeScope& scope, std::string_view file,
                                   Diagnostics& diags, const Constants* constants) {
  VarDecl d;
  d.name = v.name.text;
  d.retain = v.retain;
  const TypeRef& t = v.type;
  auto at = [&](Loc l) { return where(file, l.line, l.col); };
  if (t.ref_to) return resolve_reference(v, scope, file, diags, constants);
  // Array bounds named by constants: their values first.
  if (t.is_array) {
    std::vector<ArrayRange> dims = dimensions(t);
    bool named = false;
    for (ArrayRange& r : dims)
      for (auto [n, b] : {std::pair{&r.lo_name, &r.lo}, std::pair{&r.hi_name, &r.hi}}) {
        if (n->text.empty()) continue;
        named = true;
        const Constant* c = constants ? find_constant(*constants, n->text) : nullptr;
        if (!c) c = scope.find_global_constant(n->text);
        if (c && !(is_signed_int(c->type) || is_unsigned_int(c->type))) c = nullptr;
        if (!c) {
          diags.error(at(n->loc), "array bound '" + n->text + "' is not a constant of an integer type (VAR CONSTANT)");
          return std::nullopt;
        }
        *b = is_signed_int(c->type) ? c->value.i : int64_t(c->value.u);
        *n = {};
      }
    if (named) {
      VarDeclAst resolved = v;
      set_dimensions(resolved.type, std::move(dims));
      return resolve_var(resolved, scope, file, diags, constants);
    }
  }
  // A named type: what it names in its place, inside this variable's own
  // array dimensions; its initial value unless the variable has one.
  if (const TypeAliasAst* a = scope.find_alias(t.name); a && !parse_type_name(t.name)) {
    if (t.subrange || t.string_length) {
      diags.error(at(t.loc),
                  "'" + t.name + "' is a named type: it takes no " + (t.subrange ? "subrange" : "length") + " here");
      return std::nullopt;
    }
    VarDeclAst sub = v;
    sub.type = a->type;
    std::vector<ArrayRange> outer = dimensions(t), inner = dimensions(a->type);
    uint64_t count = 1;
    for (const ArrayRange& r : outer) count = std::min<uint64_t>(count * (uint64_t(r.hi - r.lo) + 1), kMaxSlots + 1);
    if (!outer.empty()) {
      outer.insert(outer.end(), inner.begin(), inner.end());
      set_dimensions(sub.type, std::move(outer));
      sub.type.loc = t.loc;
    }
    if (v.initial.empty() && !a->initial.empty()) {
      sub.initial = t.is_array ? "[" + std::to_string(count) + "(" + a->initial + ")]" : a->initial;
      sub.initial_loc = v.name.loc;
    }
    return resolve_var(sub, scope, file, diags, constants);
  }
  if (auto dt = parse_type_name(t.name); dt && *dt != DataType::kStruct) {
    d.type = *dt;
  } else if (auto generic = parse_generic_class(t.name)) {
    d.type = default_type(*generic).value_or(DataType::kLreal);
    d.generic = *generic;
  } else if (auto en = scope.find_enum(t.name)) {
    if (t.subrange) {
      diags.error(at(t.range_loc), "a subrange needs an integer type, not the enumerated type " + en->name);
      return std::nullopt;
    }
    d.type = en->base;
    d.enum_type = en;
    d.initial = Value::of_int(en->values.empty() ? 0 : en->values[0].second);
    if (!v.initial.empty()) {
      auto val = t.is_array ? std::nullopt : enum_literal(*en, v.initial);
      if (!val) {
        diags.error(at(v.initial_loc.line ? v.initial_loc : v.name.loc),
                    "invalid initial value '" + v.initial + "' for '" + d.name + "' of type " + en->name +
                        (t.is_array ? " (an array of an enumerated type starts at its first value)" : ""));
        return std::nullopt;
      }
      d.initial = Value::of_int(*val);
    }
    if (t.is_array) {
      VarDeclAst plain = v;
      plain.type.name = std::string(type_name(en->base));
      plain.initial.clear();
      auto arr = resolve_var(plain, scope, file, diags, constants);
      if (!arr) return std::nullopt;
      arr->enum_type = en;
      arr->initial = d.initial;
      return arr;
    }
    return d;
  } else if (auto st = scope.find(t.name)) {
    d.type = DataType::kStruct;
    d.struct_type = st;
  } else if (scope.broken(t.name)) {
    return std::nullopt;
  } else {
    std::vector<std::string> names = scope.names();
    for (const char* n :
         {"BOOL",          "SINT",   "INT",     "DINT",  "LINT",  "USINT", "UINT", "UDINT", "ULINT",
          "BYTE",          "WORD",   "DWORD",   "LWORD", "REAL",  "LREAL", "TIME", "DATE",  "TIME_OF_DAY",
          "DATE_AND_TIME", "STRING", "WSTRING", "LTIME", "LDATE", "LTOD",  "LDT"})
      names.push_back(n);
    for (const char* n : {"TON", "TOF", "TP", "CTU", "CTD", "CTUD", "R_TRIG", "F_TRIG", "SR", "RS"}) names.push_back(n);
    for (const std::string& n : scope.function_names())
      if (scope.find_function(n)->function_block()) names.push_back(n);
    diags.error(at(t.loc), "unknown data type '" + t.name + "'" + did_you_mean(t.name, names));
    return std::nullopt;
  }
  if (t.string_length) {
    if (d.type != DataType::kString && d.type != DataType::kWstring) {
      diags.error(at(t.loc), "only STRING and WSTRING take a length, not " + t.name);
      return std::nullopt;
    }
    if (t.string_length > 4096) {
      diags.error(at(t.loc), "STRING length " + std::to_string(t.string_length) + " is over the maximum of 4096");
      return std::nullopt;
    }
    d.string_length = uint16_t(t.string_length);
  }
  if (t.subrange && !subrange(d, t, at, diags)) return std::nullopt;
  if (t.is_array) {
    std::vector<ArrayRange> ranges = dimensions(t);
    uint64_t n = 1;
    for (const ArrayRange& r : ranges) {
      if (r.hi < r.lo) {
        diags.error(at(t.loc),
                    "array upper bound " + std::to_string(r.hi) + " is below its lower bound " + std::to_string(r.lo));
        return std::nullopt;
      }
      const uint64_t size = uint64_t(r.hi) - uint64_t(r.lo) + 1;
      if (size == 0 || size > kMaxSlots || n * size > kMaxSlots || n * size * d.element_slots() > kMaxSlots) {
        diags.error(at(t.loc), "array '" + d.name + "' is too large (" +
                                   std::to_string(size > kMaxSlots ? size : n * size) + " elements)");
        return std::nullopt;
      }
      n *= size;
      if (ranges.size() > 1) d.array_dims.push_back({r.lo, uint32_t(size)});
    }
    d.array_size = uint32_t(n);
    d.array_lo = t.lo;
  }
  if (d.slots() > kMaxSlots) {
    diags.error(at(v.name.loc), "variable '" + d.name + "' is too large");
    return std::nullopt;
  }
  if (!v.initial.empty()) {
    std::vector<Value> slots(d.slots());
    write_initial(d, slots.data());
    if (!parse_var_literal(d, v.initial, slots.data())) {
      diags.error(at(v.initial_loc.line ? v.initial_loc : v.name.loc),
                  "invalid initial value '" + v.initial + "' for '" + d.name + "' of type " + written(t));
      return std::nullopt;
    }
    if (d.subrange)
      for (uint32_t k = 0; k < (d.array_size ? d.array_size : 1); ++k)
        if (!in_range(d, slots[k])) {
          diags.error(at(v.initial_loc.line ? v.initial_loc : v.name.loc),
                      "initial value '" + v.initial + "' of '" + d.name + "' is outside its subrange " +
                          std::to_string(d.range_lo) + ".." + std::to_string(d.range_hi));
          return std::nullopt;
        }
    if (!d.array_size && d.type != DataType::kStruct && d.type != DataType::kString && d.type != DataType::kWstring)
      d.initial = slots[0];
    else d.initial_literal = v.initial;
  }
  return d;
}

void resolve_structs(const std::vector<StructTypeAst>& structs, TypeScope& scope, std::string_view file,
                     Diagnostics& diags) {
  for (const auto& s : structs) {
    if (scope.find(s.name.text) || scope.broken(s.name.text) || scope.find_alias(s.name.text)) {
      diags.error(where(file, s.name.loc.line, s.name.loc.col), "duplicate data type '" + s.name.text + "'");
      continue;
    }
    auto st = std::make_shared<StructType>();
    st->name = s.name.text;
    bool ok = true;
    for (const auto& m : s.members) {
      for (const auto& prev : st->members)
        if (same_identifier(prev.name, m.name.text)) {
          diags.error(where(file, m.name.loc.line, m.name.loc.col),
                      "duplicate member '" + m.name.text + "' in " + s.name.text);
          ok = false;
        }
      auto d = resolve_var(m, scope, file, diags);
      if (d && d->ref_to) {
        diags.error(where(file, m.name.loc.line, m.name.loc.col),
                    "member '" + m.name.text + "' of " + s.name.text +
                        ": a structure cannot hold a reference (it is copied, compared and sent as a value)");
        d.reset();
      }
      if (!d) ok = false;
      else st->members.push_back(std::move(*d));
    }
    if (st->members.empty() && ok) {
      diags.error(where(file, s.name.loc.line, s.name.loc.col), "structure " + s.name.text + " has no members");
      ok = false;
    }
    if (ok) scope.add(std::move(st));
    else scope.add_broken(s.name.text);
  }
}

}  // namespace plc::lang
