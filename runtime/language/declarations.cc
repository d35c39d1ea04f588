#include "runtime/language/declarations.h"

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
  return n;
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

std::optional<VarDecl> resolve_var(const VarDeclAst& v, const TypeScope& scope, std::string_view file,
                                   Diagnostics& diags, const Constants* constants) {
  VarDecl d;
  d.name = v.name.text;
  d.retain = v.retain;
  const TypeRef& t = v.type;
  auto at = [&](Loc l) { return where(file, l.line, l.col); };
  if (auto dt = parse_type_name(t.name); dt && *dt != DataType::kStruct) {
    d.type = *dt;
  } else if (auto generic = parse_generic_class(t.name)) {
    d.type = default_type(*generic).value_or(DataType::kLreal);
    d.generic = *generic;
  } else if (auto en = scope.find_enum(t.name)) {
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
    for (const char* n : {"BOOL",  "SINT",  "INT",  "DINT",        "LINT",          "USINT",  "UINT",
                          "UDINT", "ULINT", "BYTE", "WORD",        "DWORD",         "LWORD",  "REAL",
                          "LREAL", "TIME",  "DATE", "TIME_OF_DAY", "DATE_AND_TIME", "STRING", "WSTRING"})
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
  if (t.is_array && (!t.lo_name.text.empty() || !t.hi_name.text.empty())) {
    TypeRef bounds = t;
    for (auto [n, b] : {std::pair{&t.lo_name, &bounds.lo}, std::pair{&t.hi_name, &bounds.hi}}) {
      if (n->text.empty()) continue;
      const Constant* c = constants ? find_constant(*constants, n->text) : nullptr;
      if (!c) c = scope.find_global_constant(n->text);
      if (c && !(is_signed_int(c->type) || is_unsigned_int(c->type))) c = nullptr;
      if (!c) {
        diags.error(at(n->loc), "array bound '" + n->text + "' is not a constant of an integer type (VAR CONSTANT)");
        return std::nullopt;
      }
      *b = is_signed_int(c->type) ? c->value.i : int64_t(c->value.u);
    }
    VarDeclAst resolved = v;
    resolved.type = bounds;
    resolved.type.lo_name = resolved.type.hi_name = {};
    return resolve_var(resolved, scope, file, diags, constants);
  }
  if (t.is_array) {
    if (t.hi < t.lo) {
      diags.error(at(t.loc),
                  "array upper bound " + std::to_string(t.hi) + " is below its lower bound " + std::to_string(t.lo));
      return std::nullopt;
    }
    const uint64_t n = uint64_t(t.hi) - uint64_t(t.lo) + 1;
    if (n == 0 || n > kMaxSlots || n * d.element_slots() > kMaxSlots) {
      diags.error(at(t.loc), "array '" + d.name + "' is too large (" + std::to_string(n) + " elements)");
      return std::nullopt;
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
      std::string type = t.name;
      if (t.is_array) type = "ARRAY[" + std::to_string(t.lo) + ".." + std::to_string(t.hi) + "] OF " + t.name;
      diags.error(at(v.initial_loc.line ? v.initial_loc : v.name.loc),
                  "invalid initial value '" + v.initial + "' for '" + d.name + "' of type " + type);
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
    if (scope.find(s.name.text) || scope.broken(s.name.text)) {
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
