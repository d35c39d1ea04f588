#include "runtime/generic_type.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <vector>

#include "runtime/connection.h"
#include "runtime/fb_network.h"
#include "runtime/fb_type.h"
#include "runtime/status.h"
#include "runtime/type_library.h"

namespace plc {
namespace {

using D = DataType;

struct ClassName {
  GenericClass c;
  const char* name;
};
constexpr ClassName kClasses[] = {
    {GenericClass::kAny, "ANY"},
    {GenericClass::kAny, "ANY_DERIVED"},
    {GenericClass::kAnyElementary, "ANY_ELEMENTARY"},
    {GenericClass::kAnyMagnitude, "ANY_MAGNITUDE"},
    {GenericClass::kAnyNum, "ANY_NUM"},
    {GenericClass::kAnyReal, "ANY_REAL"},
    {GenericClass::kAnyInt, "ANY_INT"},
    {GenericClass::kAnySigned, "ANY_SIGNED"},
    {GenericClass::kAnyUnsigned, "ANY_UNSIGNED"},
    {GenericClass::kAnyBit, "ANY_BIT"},
    {GenericClass::kAnyString, "ANY_STRING"},
    {GenericClass::kAnyString, "ANY_CHARS"},
    {GenericClass::kAnyString, "ANY_CHAR"},
    {GenericClass::kAnyDuration, "ANY_DURATION"},
    {GenericClass::kAnyDate, "ANY_DATE"},
    {GenericClass::kAnyStruct, "ANY_STRUCT"},
};

bool is_integer(D t) { return is_signed_int(t) || (t >= D::kUsint && t <= D::kUlint); }
bool is_bits(D t) { return t == D::kBool || (t >= D::kByte && t <= D::kLword); }
bool is_text(D t) { return t == D::kString || t == D::kWstring; }

std::string upper(std::string_view s) {
  std::string u(s);
  for (char& c : u) c = char(std::toupper(static_cast<unsigned char>(c)));
  return u;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

// The type a literal names by its prefix (INT#5, T#1s, DT#...), if any.
std::optional<D> typed_literal(std::string_view literal) {
  const std::string_view text = trim(literal);
  const auto hash = text.find('#');
  if (hash == std::string_view::npos || hash == 0) return std::nullopt;
  const std::string prefix = upper(text.substr(0, hash));
  if (prefix == "T" || prefix == "TIME" || prefix == "LTIME") return D::kTime;
  if (prefix == "D" || prefix == "DATE") return D::kDate;
  if (prefix == "TOD" || prefix == "TIME_OF_DAY") return D::kTimeOfDay;
  if (prefix == "DT" || prefix == "DATE_AND_TIME") return D::kDateAndTime;
  if (auto t = parse_type_name(prefix); t && *t != D::kStruct) return t;
  return std::nullopt;
}

VarDecl as_var(const GroupType& g, const VarDecl& port) {
  VarDecl v = port;
  v.type = g.type;
  v.string_length = is_text(g.type) ? g.string_length : 0;
  v.struct_type = g.type == D::kStruct ? g.struct_type : nullptr;
  v.array_size = port.generic_element ? 0 : g.array_size;
  v.array_lo = port.generic_element ? 0 : g.array_lo;
  v.initial = Value{.u = 0};
  v.initial_literal.clear();
  return v;
}

GroupType of_var(const VarDecl& v) {
  return {v.type, is_text(v.type) ? v.max_length() : uint16_t(0), v.array_size, v.array_lo, v.struct_type};
}

std::string describe(const GroupType& g) {
  VarDecl v;
  v.type = g.type;
  v.string_length = g.string_length;
  v.array_size = g.array_size;
  v.struct_type = g.struct_type;
  return describe_type(v);
}

}  // namespace

std::optional<GenericClass> parse_generic_class(std::string_view name) {
  const std::string n = upper(trim(name));
  for (const auto& c : kClasses)
    if (n == c.name) return c.c;
  return std::nullopt;
}

std::string_view generic_class_name(GenericClass c) {
  for (const auto& k : kClasses)
    if (k.c == c) return k.name;
  return "";
}

bool in_class(GenericClass c, D t) {
  switch (c) {
    case GenericClass::kNone: return false;
    case GenericClass::kAny: return true;
    case GenericClass::kAnyElementary: return t != D::kStruct;
    case GenericClass::kAnyMagnitude: return is_integer(t) || is_real(t) || t == D::kTime;
    case GenericClass::kAnyNum: return is_integer(t) || is_real(t);
    case GenericClass::kAnyReal: return is_real(t);
    case GenericClass::kAnyInt: return is_integer(t);
    case GenericClass::kAnySigned: return is_signed_int(t);
    case GenericClass::kAnyUnsigned: return t >= D::kUsint && t <= D::kUlint;
    case GenericClass::kAnyBit: return is_bits(t);
    case GenericClass::kAnyString: return is_text(t);
    case GenericClass::kAnyDuration: return t == D::kTime;
    case GenericClass::kAnyDate: return t == D::kDate || t == D::kTimeOfDay || t == D::kDateAndTime;
    case GenericClass::kAnyStruct: return t == D::kStruct;
  }
  return false;
}

std::optional<D> default_type(GenericClass c) {
  switch (c) {
    case GenericClass::kNone:
    case GenericClass::kAnyStruct: return std::nullopt;
    case GenericClass::kAny:
    case GenericClass::kAnyElementary:
    case GenericClass::kAnyMagnitude:
    case GenericClass::kAnyNum:
    case GenericClass::kAnyReal: return D::kLreal;
    case GenericClass::kAnyInt:
    case GenericClass::kAnySigned: return D::kLint;
    case GenericClass::kAnyUnsigned: return D::kUlint;
    case GenericClass::kAnyBit: return D::kLword;
    case GenericClass::kAnyString: return D::kString;
    case GenericClass::kAnyDuration: return D::kTime;
    case GenericClass::kAnyDate: return D::kDateAndTime;
  }
  return std::nullopt;
}

std::optional<D> literal_form(std::string_view literal) {
  const std::string_view text = trim(literal);
  if (text.empty()) return std::nullopt;
  if (auto t = typed_literal(text)) return t;
  if (text.front() == '\'') return D::kString;
  if (text.front() == '"') return D::kWstring;
  const std::string u = upper(text);
  if (u == "TRUE" || u == "FALSE") return D::kBool;
  size_t k = (u[0] == '-' || u[0] == '+') ? 1 : 0;
  if (k == u.size() || !std::isdigit(static_cast<unsigned char>(u[k]))) return std::nullopt;
  if (u.find('#') != std::string::npos) return D::kLint;  // 16#FF
  return u.find_first_of(".E") != std::string::npos ? D::kLreal : D::kLint;
}

std::optional<D> unify(D a, D b) {
  if (a == b) return a;
  if (implicitly_converts(a, b)) return b;
  if (implicitly_converts(b, a)) return a;
  if (is_integer(a) && is_integer(b) && bit_width(a) == bit_width(b)) return is_signed_int(a) ? a : b;
  for (D t : {D::kSint, D::kInt, D::kDint, D::kLint, D::kReal, D::kLreal})
    if (implicitly_converts(a, t) && implicitly_converts(b, t)) return t;
  return std::nullopt;
}

bool is_generic(const FbType& t) {
  for (const auto* list : {&t.iface.inputs, &t.iface.outputs})
    for (const auto& v : *list)
      if (v.generic != GenericClass::kNone) return true;
  return false;
}

FbType specialize(const FbType& generic, const std::vector<GroupType>& groups) {
  FbType t = generic;
  for (auto* list : {&t.iface.inputs, &t.iface.outputs})
    for (auto& v : *list)
      if (v.generic != GenericClass::kNone && v.generic_group >= 1 && v.generic_group <= groups.size())
        v = as_var(groups[v.generic_group - 1], v);
  if (t.refine) t.refine(t);
  return t;
}

std::string literal_for(const VarDecl& port, std::string_view literal) {
  if (port.generic == GenericClass::kNone || port.array_size || is_text(port.type) || port.type == D::kStruct)
    return std::string(literal);
  const auto from = typed_literal(literal);
  if (!from || *from == port.type || is_text(*from)) return std::string(literal);
  auto v = parse_literal(*from, trim(literal));
  if (!v) return std::string(literal);
  Value out = *v;
  if (is_real(port.type) && !is_real(*from)) out = Value::of_real(is_signed_int(*from) ? double(v->i) : double(v->u));
  else if (is_real(port.type) != is_real(*from)) return std::string(literal);
  const std::string text = format_value(port.type, out);
  return parse_literal(port.type, text) ? text : std::string(literal);
}

namespace {

// One instance of a generic type while its groups are decided.
struct Pending {
  const FbInstanceDecl* decl;
  const FbType* type;
  std::vector<std::optional<GroupType>> groups;  // decided so far
};

class Resolver {
 public:
  Resolver(const FbNetwork& net, const TypeLibrary& lib, Diagnostics& diag) : diag_(diag) {
    for (const auto& d : net.fbs) {
      const FbType* t = lib.find(d.type);
      if (!t) continue;
      types_[identifier_key(d.name)] = t;
      if (!is_generic(*t)) continue;
      size_t n = 0;
      for (const auto* list : {&t->iface.inputs, &t->iface.outputs})
        for (const auto& v : *list)
          if (v.generic != GenericClass::kNone) n = std::max<size_t>(n, v.generic_group);
      pending_[identifier_key(d.name)] = {&d, t, std::vector<std::optional<GroupType>>(n)};
    }
    for (const auto& c : net.data_connections) {
      auto [sk, sport] = split(c.source);
      auto [dk, dport] = split(c.destination);
      if (pending_.count(dk)) into_[dk].push_back(&c);
      if (pending_.count(sk)) out_of_[sk].push_back(&c);
    }
  }

  GenericInstances run() {
    if (pending_.empty()) return {};
    // Step 1: inputs, generic sources first, until nothing changes; then
    // what remains with at least one known candidate (cycles). Each group
    // that steps 2-4 decide is propagated before the next is decided, so a
    // decided type reaches the generic blocks downstream.
    propagate();
    for (int step = 2; step <= 4; ++step)
      while (decide_one(step)) propagate();
    GenericInstances out;
    for (auto& [key, p] : pending_) {
      bool ok = true;
      for (size_t g = 0; g < p.groups.size(); ++g)
        if (!p.groups[g]) ok = false;
      if (!ok) continue;
      std::vector<GroupType> groups;
      for (auto& g : p.groups) groups.push_back(*g);
      FbType concrete = specialize(*p.type, groups);
      if (check_classes(p, concrete)) out[key] = std::make_shared<const FbType>(std::move(concrete));
    }
    return out;
  }

 private:
  void propagate() {
    for (bool partial : {false, true})
      for (bool changed = true; changed;) {
        changed = false;
        for (auto& [key, p] : pending_)
          for (size_t g = 0; g < p.groups.size(); ++g)
            if (!p.groups[g] && !failed_.count(key + "#" + std::to_string(g)))
              changed |= decide_from_inputs(key, p, uint8_t(g + 1), partial);
      }
  }

  // Decides the first undecided group that step `step` can decide; false
  // when none is left (a group step 4 cannot decide is reported and
  // marked failed).
  bool decide_one(int step) {
    for (auto& [key, p] : pending_)
      for (size_t g = 0; g < p.groups.size(); ++g) {
        const std::string id = key + "#" + std::to_string(g);
        if (p.groups[g] || failed_.count(id)) continue;
        const uint8_t group = uint8_t(g + 1);
        std::optional<GroupType> t = step == 2   ? from_outputs(p, group)
                                     : step == 3 ? from_literal_form(p, group)
                                                 : from_default(p, group);
        if (t) {
          p.groups[g] = t;
          return true;
        }
        if (step == 4) failed_.insert(id);
      }
    return false;
  }

  std::string at(const Pending& p) const { return p.decl->where.empty() ? p.decl->name : p.decl->where; }
  std::string label(const Pending& p) const { return "'" + p.decl->name + "' (" + p.type->name + ")"; }

  // "A.B.PORT" -> (instance key, port).
  static std::pair<std::string, std::string> split(const std::string& ref) {
    const auto dot = ref.rfind('.');
    if (dot == std::string::npos) return {"", ref};
    return {identifier_key(ref.substr(0, dot)), ref.substr(dot + 1)};
  }

  // The concrete type of output `port` of instance `key`, when known.
  std::optional<VarDecl> known_output(const std::string& key, const std::string& port) const {
    auto t = types_.find(key);
    if (t == types_.end()) return std::nullopt;
    auto k = t->second->iface.find_output(port);
    if (!k) return std::nullopt;
    const VarDecl& v = t->second->iface.outputs[*k];
    if (v.generic == GenericClass::kNone) return v;
    auto p = pending_.find(key);
    if (p == pending_.end() || !p->second.groups[v.generic_group - 1]) return std::nullopt;
    return as_var(*p->second.groups[v.generic_group - 1], v);
  }

  std::optional<VarDecl> known_input(const std::string& key, const std::string& port) const {
    auto t = types_.find(key);
    if (t == types_.end()) return std::nullopt;
    auto k = t->second->iface.find_input(port);
    if (!k) return std::nullopt;
    const VarDecl& v = t->second->iface.inputs[*k];
    if (v.generic == GenericClass::kNone) return v;
    auto p = pending_.find(key);
    if (p == pending_.end() || !p->second.groups[v.generic_group - 1]) return std::nullopt;
    return as_var(*p->second.groups[v.generic_group - 1], v);
  }

  // Adds candidate `c` (from `what`) to `g`; false (reported) when they disagree.
  bool merge(const Pending& p, std::optional<GroupType>& g, const GroupType& c, const std::string& what,
             const std::string& key, uint8_t group) {
    if (!g) {
      g = c;
      first_[key + "#" + std::to_string(group - 1)] = what;
      return true;
    }
    const std::string before = first_[key + "#" + std::to_string(group - 1)];
    auto fail = [&] {
      diag_.error(at(p), label(p) + ": " + before + " is " + describe(*g) + " but " + what + " is " + describe(c) +
                             "; no type holds both");
      failed_.insert(key + "#" + std::to_string(group - 1));
      return false;
    };
    if (g->array_size != c.array_size) return fail();
    if (g->type == D::kStruct || c.type == D::kStruct) {
      if (g->type != c.type || !g->struct_type || !c.struct_type ||
          !same_identifier(g->struct_type->name, c.struct_type->name))
        return fail();
      return true;
    }
    if (is_text(g->type) || is_text(c.type)) {
      if (g->type != c.type) return fail();
      g->string_length = std::max(g->string_length, c.string_length);
      return true;
    }
    auto u = unify(g->type, c.type);
    if (!u) return fail();
    g->type = *u;
    return true;
  }

  bool decide_from_inputs(const std::string& key, Pending& p, uint8_t group, bool partial) {
    std::optional<GroupType> g;
    bool waiting = false;
    const auto& ins = p.type->iface.inputs;
    for (size_t k = 0; k < ins.size(); ++k) {
      const VarDecl& v = ins[k];
      if (v.generic_group != group || v.generic == GenericClass::kNone || v.generic_element) continue;
      for (const ConnectionDecl* cp : connections(into_, key)) {
        const ConnectionDecl& c = *cp;
        auto [dk, dport] = split(c.destination);
        if (!same_identifier(dport, v.name)) continue;
        auto [sk, sport] = split(c.source);
        auto src = known_output(sk, sport);
        if (!src) {
          waiting = true;
          continue;
        }
        if (src->generic_element) continue;
        if (!merge(p, g, of_var(*src), v.name + " (from " + c.source + ")", key, group)) return true;
      }
      for (const auto& prm : p.decl->parameters) {
        if (!same_identifier(prm.name, v.name)) continue;
        auto t = typed_literal(prm.literal);
        if (t && !merge(p, g, {*t, 0, 0, 0, nullptr}, v.name + " (" + std::string(trim(prm.literal)) + ")", key, group))
          return true;
        if (is_text(literal_form(prm.literal).value_or(D::kBool)) &&
            !merge(p, g, {*literal_form(prm.literal), 0, 0, 0, nullptr}, v.name, key, group))
          return true;
      }
    }
    if (!g || (waiting && !partial)) return false;
    p.groups[group - 1] = g;
    return true;
  }

  std::optional<GroupType> from_outputs(const Pending& p, uint8_t group) const {
    const std::string key = identifier_key(p.decl->name);
    for (const auto& v : p.type->iface.outputs) {
      if (v.generic_group != group || v.generic == GenericClass::kNone || v.generic_element) continue;
      for (const ConnectionDecl* cp : connections(out_of_, key)) {
        const ConnectionDecl& c = *cp;
        auto [sk, sport] = split(c.source);
        if (!same_identifier(sport, v.name)) continue;
        auto [dk, dport] = split(c.destination);
        if (auto dst = known_input(dk, dport); dst && !dst->generic_element) return of_var(*dst);
      }
    }
    return std::nullopt;
  }

  // Step 3: the untyped literals of the group's inputs, by their forms,
  // unified (5 and 2.5: LREAL); forms no type holds decide nothing.
  std::optional<GroupType> from_literal_form(const Pending& p, uint8_t group) const {
    std::optional<D> t;
    for (const auto& v : p.type->iface.inputs) {
      if (v.generic_group != group || v.generic == GenericClass::kNone || v.generic_element) continue;
      for (const auto& prm : p.decl->parameters) {
        if (!same_identifier(prm.name, v.name)) continue;
        auto form = literal_form(prm.literal);
        if (!form || !in_class(v.generic, *form)) continue;
        t = t ? unify(*t, *form) : form;
        if (!t) return std::nullopt;
      }
    }
    if (!t) return std::nullopt;
    return GroupType{*t, 0, 0, 0, nullptr};
  }

  std::optional<GroupType> from_default(const Pending& p, uint8_t group) const {
    for (const auto* list : {&p.type->iface.inputs, &p.type->iface.outputs})
      for (const auto& v : *list) {
        if (v.generic_group != group || v.generic == GenericClass::kNone) continue;
        if (auto t = default_type(v.generic)) return GroupType{*t, 0, 0, 0, nullptr};
        diag_.error(at(p), label(p) + ": nothing decides the type of " + v.name + " (" +
                               std::string(generic_class_name(v.generic)) + "): connect it to a typed port");
        return std::nullopt;
      }
    return std::nullopt;
  }

  bool check_classes(const Pending& p, const FbType& concrete) const {
    bool ok = true;
    for (const auto* list : {&concrete.iface.inputs, &concrete.iface.outputs})
      for (const auto& v : *list)
        if (v.generic != GenericClass::kNone &&
            (!in_class(v.generic, v.type) || (v.array_size && v.generic != GenericClass::kAny))) {
          diag_.error(at(p), label(p) + ": " + v.name + " would be " + describe_type(v) + ", which is not " +
                                 std::string(generic_class_name(v.generic)));
          ok = false;
        }
    return ok;
  }

  using Index = std::map<std::string, std::vector<const ConnectionDecl*>>;
  static const std::vector<const ConnectionDecl*>& connections(const Index& index, const std::string& key) {
    static const std::vector<const ConnectionDecl*> kNone;
    auto it = index.find(key);
    return it == index.end() ? kNone : it->second;
  }

  Diagnostics& diag_;
  Index into_, out_of_;                         // data connections into / out of each generic instance
  std::map<std::string, const FbType*> types_;  // every instance with a known type
  std::map<std::string, Pending> pending_;      // the generic ones
  std::map<std::string, std::string> first_;    // "key#group" -> the first candidate's description
  std::set<std::string> failed_;                // "key#group" with disagreeing candidates (reported)
};

}  // namespace

GenericInstances resolve_generics(const FbNetwork& flat, const TypeLibrary& lib, Diagnostics& diag) {
  // Most networks have no generic block: then nothing is indexed.
  const bool any = std::any_of(flat.fbs.begin(), flat.fbs.end(), [&](const FbInstanceDecl& d) {
    const FbType* t = lib.find(d.type);
    return t && is_generic(*t);
  });
  if (!any) return {};
  return Resolver(flat, lib, diag).run();
}

}  // namespace plc
