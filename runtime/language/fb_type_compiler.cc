#include "runtime/language/fb_type_compiler.h"

#include <algorithm>
#include <cctype>
#include <map>

#include "runtime/connection.h"
#include "runtime/ecc.h"
#include "runtime/language/st_compiler.h"
#include "runtime/language/suggest.h"
#include "runtime/stdfb/communication.h"
#include "runtime/type_library.h"

namespace plc::lang {
namespace {

// Copies a tree; down the first operands in a loop (a chain a + b + ...
// is as long as the source), recursing only into the others.
ExprPtr clone(const Expr& e) {
  ExprPtr root;
  ExprPtr* into = &root;
  for (const Expr* x = &e; x;) {
    auto c = std::make_unique<Expr>();
    c->kind = x->kind;
    c->op = x->op;
    c->loc = x->loc;
    c->text = x->text;
    c->arg_names = x->arg_names;
    c->args.resize(x->args.size());
    for (size_t k = 1; k < x->args.size(); ++k)
      if (x->args[k]) c->args[k] = clone(*x->args[k]);
    *into = std::move(c);
    const Expr* first = x->args.empty() ? nullptr : x->args[0].get();
    if (first) into = &(*into)->args[0];
    x = first;
  }
  return root;
}

class TypeCompiler {
 public:
  TypeCompiler(const FbTypeAst& t, const TypeScope& scope, const TypeLibrary& lib, std::string_view file,
               Diagnostics& diags)
      : ast_(t), scope_(scope), lib_(lib), file_(file), diags_(diags) {}

  std::optional<FbType> run() {
    t_.name = ast_.name.text;
    t_.comment = ast_.comment;
    interface();
    if (ast_.kind != FbTypeKind::kServiceInterface) widen_generics();
    switch (ast_.kind) {
      case FbTypeKind::kServiceInterface: return service_interface();
      case FbTypeKind::kComposite: composite(); break;
      case FbTypeKind::kSimple: simple(); break;
      case FbTypeKind::kBasic: basic(); break;
    }
    if (!ok_) return std::nullopt;
    return std::move(t_);
  }

 private:
  std::string at(Loc l) const { return where(file_, l.line, l.col); }
  void error(Loc l, std::string m) {
    ok_ = false;
    diags_.error(at(l), std::move(m));
  }
  void warning(Loc l, std::string m) { diags_.warning(at(l), std::move(m)); }

  // ---- interface
  bool declare(const Name& n, const char* what) {
    auto [it, fresh] = names_.emplace(identifier_key(n.text), what);
    if (!fresh) {
      error(n.loc, "duplicate name '" + n.text + "' (already declared as " + it->second + ")");
      return false;
    }
    return true;
  }

  void interface() {
    for (const auto& e : ast_.event_inputs)
      if (declare(e.name, "an event input")) t_.iface.event_inputs.push_back({e.name.text, {}});
    for (const auto& e : ast_.event_outputs)
      if (declare(e.name, "an event output")) t_.iface.event_outputs.push_back({e.name.text, {}});
    const size_t errors = diags_.error_count();
    for (const auto* list : {&ast_.inputs, &ast_.outputs, &ast_.internals})
      collect_constants(*list, file_, diags_, constants_);
    for (const auto* list : {&ast_.inputs, &ast_.outputs, &ast_.internals})
      for (const VarDeclAst& v : *list)
        if (v.constant) constant_names_.push_back(v.name.text);
    if (diags_.error_count() != errors) ok_ = false;
    vars(ast_.inputs, t_.iface.inputs, "an input variable");
    vars(ast_.outputs, t_.iface.outputs, "an output variable");
    vars(ast_.internals, t_.iface.internals, "an internal variable");
    with(ast_.event_inputs, t_.iface.event_inputs, true);
    with(ast_.event_outputs, t_.iface.event_outputs, false);
  }

  void vars(const std::vector<VarDeclAst>& in, std::vector<VarDecl>& out, const char* what) {
    for (const auto& v : in) {
      if (!declare(v.name, what)) continue;
      if (auto fb = function_block_type(v.type, scope_)) {
        instance(v, std::move(fb), &out == &t_.iface.internals ? nullptr : what);
        continue;
      }
      auto d = resolve_var(v, scope_, file_, diags_, &constants_);
      if (d && d->ref_to && &out != &t_.iface.internals) {
        error(v.name.loc, "'" + v.name.text + "' cannot be " + what +
                              ": a reference is no value a connection can carry (declare it in VAR)");
        d.reset();
      }
      if (d && (slots_ += d->slots()) > kMaxDataSlots) {
        // Variables take slots in declaration order: inputs, outputs, internals.
        if (slots_ - d->slots() <= kMaxDataSlots)
          error(v.name.loc, "variable '" + v.name.text + "' does not fit: FB type " + t_.name +
                                " would have more than " + std::to_string(kMaxDataSlots) + " slots of data");
        d.reset();
      }
      if (!d) {
        ok_ = false;
        unresolved_.push_back(v.name.text);
        continue;
      }
      out.push_back(std::move(*d));
    }
  }

  // `Timer : TON` in VAR: the instance's variables become internals
  // (st_compiler.h declare_instance). `not_internal`: where it was
  // declared instead, an error.
  void instance(const VarDeclAst& v, std::shared_ptr<FunctionDef> fb, const char* not_internal) {
    std::string why;
    Loc at = v.type.loc;
    if (not_internal) {
      why = "FB instance '" + v.name.text + "' must be declared in VAR, not as " + not_internal;
    } else if (v.type.is_array) {
      why = "arrays of FB instances are not supported ('" + v.name.text + "')";
    } else if (!v.initial.empty() && fb->state == FunctionDef::State::kOk) {
      std::vector<VarDecl> scratch;
      declare_instance("i", *fb, scratch);
      if (std::string bad = initialise_instance("i", *fb, v.initial, scratch); !bad.empty()) {
        why = "FB instance '" + v.name.text + "': " + bad;
        at = v.initial_loc;
      }
    }
    if (!why.empty()) error(at, why);
    const uint32_t n = fb->state == FunctionDef::State::kOk ? instance_slots(*fb) : 0;
    if (why.empty() && fb->state == FunctionDef::State::kOk && (slots_ += n) > kMaxDataSlots) {
      if (slots_ - n <= kMaxDataSlots)
        error(v.name.loc, "FB instance '" + v.name.text + "' does not fit: FB type " + t_.name +
                              " would have more than " + std::to_string(kMaxDataSlots) + " slots of data");
      why = "too big";
    }
    if (!why.empty() || fb->state != FunctionDef::State::kOk) {  // a broken FB type was reported already
      ok_ = false;
      unresolved_.push_back(v.name.text);
      return;
    }
    const size_t first = t_.iface.internals.size();
    declare_instance(v.name.text, *fb, t_.iface.internals);
    if (!v.initial.empty()) initialise_instance(v.name.text, *fb, v.initial, t_.iface.internals);
    if (v.retain)  // VAR RETAIN Timer : TON: the whole instance is retained (references excepted: retain.h)
      for (size_t k = first; k < t_.iface.internals.size(); ++k) t_.iface.internals[k].retain = true;
    instances_.push_back({v.name.text, std::move(fb)});
  }

  bool is_unresolved(const std::string& name) const {
    for (const auto& n : unresolved_)
      if (same_identifier(n, name)) return true;
    return false;
  }

  void with(const std::vector<EventDeclAst>& in, std::vector<EventDecl>& out, bool input) {
    for (const auto& e : in) {
      EventDecl* decl = nullptr;
      for (auto& d : out)
        if (same_identifier(d.name, e.name.text)) decl = &d;
      if (!decl) continue;  // a duplicate, reported
      for (const Name& w : e.with) {
        if (is_unresolved(w.text)) continue;  // its declaration was reported
        auto k = input ? t_.iface.find_input(w.text) : t_.iface.find_output(w.text);
        if (k) {
          if (std::find(decl->with.begin(), decl->with.end(), *k) != decl->with.end())
            error(w.loc, "'" + w.text + "' appears twice in the WITH list of " + e.name.text);
          else decl->with.push_back(*k);
          continue;
        }
        const char* want = input ? "input" : "output";
        if (input ? bool(t_.iface.find_output(w.text)) : bool(t_.iface.find_input(w.text))) {
          error(w.loc, "WITH of event " + std::string(want) + " '" + e.name.text + "' names '" + w.text +
                           "', which is an " + (input ? "output" : "input") + " variable; it must name " + want +
                           " variables");
        } else {
          std::vector<std::string> names;
          for (const auto& v : input ? t_.iface.inputs : t_.iface.outputs) names.push_back(v.name);
          error(w.loc, "WITH of event " + std::string(want) + " '" + e.name.text + "' names unknown " + want +
                           " variable '" + w.text + "'" + did_you_mean(w.text, names));
        }
      }
    }
  }

  // Only native blocks decide generic ports per instance (generic_type.h):
  // in a basic, simple or composite type a generic port keeps its class's
  // widest type (ANY_NUM: LREAL), which its algorithms are compiled for.
  void widen_generics() {
    auto widen = [&](const std::vector<VarDeclAst>& decls, std::vector<VarDecl>& vars) {
      for (size_t k = 0; k < vars.size(); ++k) {
        if (vars[k].generic == GenericClass::kAnyStruct)
          error(k < decls.size() ? decls[k].type.loc : ast_.name.loc,
                "ANY_STRUCT is supported on the ports of plc's native blocks only, not in " + t_.name);
        vars[k].generic = GenericClass::kNone;
        vars[k].generic_group = 0;
      }
    };
    widen(ast_.inputs, t_.iface.inputs);
    widen(ast_.outputs, t_.iface.outputs);
  }

  // ---- service interface: the native type, checked against the text
  std::optional<FbType> service_interface() {
    const FbType* native = lib_.find(t_.name);
    if (!native || native->kind != FbKind::kNative) {
      error(ast_.name.loc,
            "service interface type '" + t_.name + "' has no native implementation registered in this runtime");
      return std::nullopt;
    }
    // An interface with errors (reported) cannot be compared; without
    // them, its lists are the declarations one for one.
    if (!ok_) return std::nullopt;
    // A communication block declared with another number of SDs or RDs
    // than its name says is that block with the file's numbers
    // (stdfb::communication_type: 4diac's own PUBLISH_9/PUBLISH_10 files).
    std::optional<FbType> resized;
    if (auto role = stdfb::service_role(*native)) {
      const int sds = int(t_.iface.inputs.size()) - 2, rds = int(t_.iface.outputs.size()) - 2;
      if (sds >= 0 && rds >= 0 &&
          (size_t(sds) + 2 != native->iface.inputs.size() || size_t(rds) + 2 != native->iface.outputs.size()))
        native = &resized.emplace(stdfb::communication_type(native->name, *role, sds, rds));
    }
    const Interface& n = native->iface;
    // Where declaration k of a list is written; a missing one is reported at the type's name.
    auto at_decl = [&](const auto& decls, size_t k) { return k < decls.size() ? decls[k].name.loc : ast_.name.loc; };
    auto check_count = [&](const auto& decls, size_t theirs, const char* what) {
      if (decls.size() != theirs)
        error(at_decl(decls, theirs), t_.name + " declares " + std::to_string(decls.size()) + " " + what +
                                          "s; the native type has " + std::to_string(theirs));
    };
    auto check_events = [&](const std::vector<EventDeclAst>& decls, const std::vector<EventDecl>& mine,
                            const std::vector<EventDecl>& theirs, const std::vector<VarDecl>& my_vars,
                            const std::vector<VarDecl>& their_vars, const char* what) {
      check_count(decls, theirs.size(), what);
      for (size_t k = 0; k < mine.size() && k < theirs.size(); ++k) {
        if (!same_identifier(mine[k].name, theirs[k].name)) {
          error(at_decl(decls, k), std::string(what) + " " + std::to_string(k + 1) + " of " + t_.name + " is '" +
                                       theirs[k].name + "' in the native type, not '" + mine[k].name + "'");
          continue;
        }
        std::vector<std::string> a, b;
        for (auto w : mine[k].with) a.push_back(identifier_key(my_vars[w].name));
        for (auto w : theirs[k].with) b.push_back(identifier_key(their_vars[w].name));
        std::sort(a.begin(), a.end());
        std::sort(b.begin(), b.end());
        auto spelled = [](const EventDecl& e, const std::vector<VarDecl>& vars) {
          std::string s = e.name;
          for (size_t j = 0; j < e.with.size(); ++j) s += (j ? ", " : " WITH ") + vars[e.with[j]].name;
          return s;
        };
        if (a != b)
          error(at_decl(decls, k), std::string(what) + " " + std::to_string(k + 1) + " of " + t_.name + " is '" +
                                       spelled(theirs[k], their_vars) + "' in the native type, not '" +
                                       spelled(mine[k], my_vars) + "'");
      }
    };
    auto check_vars = [&](const std::vector<VarDeclAst>& decls, const std::vector<VarDecl>& mine,
                          const std::vector<VarDecl>& theirs, const char* what) {
      check_count(decls, theirs.size(), what);
      auto spelled = [](const VarDecl& v) {
        return v.generic == GenericClass::kNone ? describe_type(v) : std::string(generic_class_name(v.generic));
      };
      for (size_t k = 0; k < mine.size() && k < theirs.size(); ++k)
        if (!same_identifier(mine[k].name, theirs[k].name) || mine[k].generic != theirs[k].generic ||
            (theirs[k].generic == GenericClass::kNone &&
             (mine[k].type != theirs[k].type || mine[k].array_size != theirs[k].array_size)))
          error(at_decl(decls, k), std::string(what) + " " + std::to_string(k + 1) + " of " + t_.name + " is '" +
                                       theirs[k].name + " : " + spelled(theirs[k]) + "' in the native type, not '" +
                                       mine[k].name + " : " + spelled(mine[k]) + "'");
    };
    check_vars(ast_.inputs, t_.iface.inputs, n.inputs, "input variable");
    check_vars(ast_.outputs, t_.iface.outputs, n.outputs, "output variable");
    check_events(ast_.event_inputs, t_.iface.event_inputs, n.event_inputs, t_.iface.inputs, n.inputs, "event input");
    check_events(ast_.event_outputs, t_.iface.event_outputs, n.event_outputs, t_.iface.outputs, n.outputs,
                 "event output");
    if (!ok_) return std::nullopt;
    FbType copy = *native;
    if (!t_.comment.empty()) copy.comment = t_.comment;
    return copy;
  }

  // ---- algorithms
  std::map<std::string, int32_t> algorithms() {
    std::map<std::string, int32_t> index;
    StCompiler st(file_, t_.iface, scope_, diags_, unresolved_);
    st.set_instances(instances_);
    st.set_constants(constants_, constant_names_);
    for (const auto& a : ast_.algorithms) {
      if (index.count(identifier_key(a.name.text))) {
        error(a.name.loc, "duplicate algorithm '" + a.name.text + "'");
        continue;
      }
      auto alg = st.algorithm(a);
      if (!alg) {
        ok_ = false;
        alg = Algorithm{a.name.text, {}, {}};
      }
      alg->name = a.name.text;
      index[identifier_key(a.name.text)] = int32_t(t_.algorithms.size());
      t_.algorithms.push_back(std::move(*alg));
    }
    return index;
  }

  void basic() {
    if (ast_.states.empty()) {
      error(ast_.name.loc, "basic FB type '" + t_.name + "' has an ECC without states (EC_STATES)");
      return;
    }
    t_.iface.internals.push_back({"$state", DataType::kUint, {}, 0, 0, nullptr});
    auto algs = algorithms();
    std::vector<bool> used(t_.algorithms.size());
    auto ecc = std::make_shared<Ecc>();
    std::map<std::string, uint16_t> states;
    std::vector<std::string> state_names;
    for (const auto& s : ast_.states) {
      if (states.count(identifier_key(s.name.text))) {
        error(s.name.loc, "duplicate ECC state '" + s.name.text + "'");
        continue;
      }
      states[identifier_key(s.name.text)] = uint16_t(ecc->states.size());
      state_names.push_back(s.name.text);
      EccState st{s.name.text, {}};
      for (const auto& a : s.actions) {
        EccAction act;
        if (!a.algorithm.text.empty()) {
          auto it = algs.find(identifier_key(a.algorithm.text));
          if (it == algs.end()) {
            std::vector<std::string> names;
            for (const auto& x : ast_.algorithms) names.push_back(x.name.text);
            error(a.algorithm.loc, "unknown algorithm '" + a.algorithm.text + "' in state " + s.name.text +
                                       did_you_mean(a.algorithm.text, names));
          } else {
            act.algorithm = it->second;
            used[size_t(it->second)] = true;
          }
        }
        if (!a.output.text.empty()) {
          if (auto e = t_.iface.find_event_output(a.output.text)) act.output = *e;
          else
            error(a.output.loc, "unknown event output '" + a.output.text + "' in state " + s.name.text +
                                    event_hint(a.output.text, false));
        }
        st.actions.push_back(act);
      }
      ecc->states.push_back(std::move(st));
    }
    auto state = [&](const Name& n) -> std::optional<uint16_t> {
      auto it = states.find(identifier_key(n.text));
      if (it != states.end()) return it->second;
      error(n.loc, "unknown ECC state '" + n.text + "'" + did_you_mean(n.text, state_names));
      return std::nullopt;
    };
    StCompiler st(file_, t_.iface, scope_, diags_, unresolved_);
    st.set_instances(instances_);
    st.set_constants(constants_, constant_names_);
    for (const auto& tr : ast_.transitions) {
      auto from = state(tr.from), to = state(tr.to);
      EccTransition out;
      const Expr* guard = nullptr;
      ExprPtr owned;
      Name event = tr.event;
      if (event.text.empty() && tr.condition) owned = split(*tr.condition, event, guard);
      else guard = tr.condition.get();
      if (owned) guard = owned.get();
      const std::string name = tr.from.text + " TO " + tr.to.text;
      if (!event.text.empty()) {
        if (auto e = t_.iface.find_event_input(event.text)) out.event = *e;
        else if (t_.iface.find_event_output(event.text))
          error(event.loc, "'" + event.text + "' in the transition " + name +
                               " is an event output; a transition waits for an event input");
        else error(event.loc, unknown_event(event.text, name));
      }
      if (guard && !events_in_guard(*guard, name)) {
        ok_ = false;
      } else if (guard) {
        auto alg = st.guard(name, *guard);
        if (!alg) ok_ = false;
        else {
          out.guard = int32_t(t_.algorithms.size());
          t_.algorithms.push_back(std::move(*alg));
          used.push_back(true);
        }
      }
      if (!from || !to) continue;
      out.from = *from;
      out.to = *to;
      ecc->transitions.push_back(out);
    }
    if (!ok_) return;
    // Unreachable states and unused algorithms: warnings.
    std::vector<bool> reached(ecc->states.size());
    std::vector<uint16_t> todo{0};
    reached[0] = true;
    while (!todo.empty()) {
      uint16_t s = todo.back();
      todo.pop_back();
      for (const auto& tr : ecc->transitions)
        if (tr.from == s && !reached[tr.to]) reached[tr.to] = true, todo.push_back(tr.to);
    }
    for (size_t s = 0; s < reached.size(); ++s)
      if (!reached[s])
        warning(ast_.states[s].name.loc,
                "ECC state '" + ecc->states[s].name + "' is unreachable from the initial state " + ecc->states[0].name);
    for (const auto& a : ast_.algorithms) {
      auto it = algs.find(identifier_key(a.name.text));
      if (it != algs.end() && !used[size_t(it->second)])
        warning(a.name.loc, "algorithm '" + a.name.text + "' is never used");
    }
    make_basic(t_, std::move(ecc));
  }

  // A name in a transition that is no event input, nor a variable: a
  // misspelt event, or a misspelt variable read as a guard.
  std::string unknown_event(const std::string& name, const std::string& transition) {
    if (std::string hint = event_hint(name, true); !hint.empty())
      return "unknown event input '" + name + "' in the transition " + transition + hint;
    std::vector<std::string> vars;
    for (const auto* list : {&t_.iface.inputs, &t_.iface.outputs, &t_.iface.internals})
      for (const auto& v : *list) vars.push_back(v.name);
    if (std::string hint = did_you_mean(name, vars); !hint.empty())
      return "unknown event input or variable '" + name + "' in the transition " + transition + hint;
    return "unknown event input '" + name + "' in the transition " + transition;
  }

  std::string event_hint(const std::string& name, bool input) {
    std::vector<std::string> names;
    for (const auto& e : input ? t_.iface.event_inputs : t_.iface.event_outputs) names.push_back(e.name);
    return did_you_mean(name, names);
  }

  bool is_variable(const std::string& name) const {
    return t_.iface.find_input(name) || t_.iface.find_output(name) || t_.iface.find_internal(name) ||
           is_unresolved(name);
  }

  bool is_event_input(const Expr& e) const {
    return e.kind == ExprKind::kName && t_.iface.find_event_input(e.text).has_value();
  }

  // A guard reads variables: an event input in it (negated, or not the
  // condition's first operand) is reported here, in the terms of the ECC.
  // False when there was one.
  bool events_in_guard(const Expr& top, const std::string& transition) {
    // Down the first operands in a loop (a chain a AND b AND ... is as long
    // as the source), then the other operands bottom-up: the order of a
    // walk that recurses into every operand.
    std::vector<const Expr*> spine;
    bool ok = true;
    for (const Expr* g = &top; g; g = g->args.empty() ? nullptr : g->args[0].get()) {
      if (g->kind == ExprKind::kUnary && g->op == OpKind::kNot && !g->args.empty() && g->args[0] &&
          is_event_input(*g->args[0])) {
        error(g->loc, "event input '" + g->args[0]->text + "' cannot be negated in the transition " + transition +
                          ": a transition fires when an event arrives");
        ok = false;
        break;
      }
      if (is_event_input(*g)) {
        error(g->loc, "event input '" + g->text + "' inside the guard of the transition " + transition +
                          ": a condition is one event, then a BOOL guard (Event AND guard, or Event[guard])");
        ok = false;
        break;
      }
      spine.push_back(g);
    }
    for (auto it = spine.rbegin(); it != spine.rend(); ++it)
      for (size_t k = 1; k < (*it)->args.size(); ++k)
        if ((*it)->args[k]) ok &= events_in_guard(*(*it)->args[k], transition);
    return ok;
  }

  // Splits `Event`, `Event AND guard`, `1` and `guard` (first edition).
  // Returns a rebuilt guard when one had to be cut out of an AND chain.
  ExprPtr split(const Expr& c, Name& event, const Expr*& guard) {
    if (c.kind == ExprKind::kLiteral && (c.text == "1" || identifier_key(c.text) == "TRUE")) return nullptr;
    // The leftmost operand of a chain of ANDs.
    std::vector<const Expr*> chain;
    const Expr* x = &c;
    while (x->kind == ExprKind::kBinary && x->op == OpKind::kAnd && x->args.size() == 2 && x->args[0] && x->args[1]) {
      chain.push_back(x);
      x = x->args[0].get();
    }
    // A name there that is no variable is the event: a declared one, or
    // most likely a misspelt one.
    if (x->kind != ExprKind::kName || is_variable(x->text)) {
      guard = &c;
      return nullptr;
    }
    event = {x->text, x->loc};
    if (chain.empty()) return nullptr;
    // Rebuild the chain without its first operand; a node is where its
    // first operand is, as the parser places it.
    ExprPtr g = clone(*chain.back()->args[1]);
    for (auto it = chain.rbegin() + 1; it != chain.rend(); ++it) {
      auto n = std::make_unique<Expr>();
      n->kind = ExprKind::kBinary;
      n->op = OpKind::kAnd;
      n->loc = g->loc;
      n->args.push_back(std::move(g));
      n->args.push_back(clone(*(*it)->args[1]));
      g = std::move(n);
    }
    return g;
  }

  void simple() {
    auto algs = algorithms();
    t_.simple.assign(t_.iface.event_inputs.size(), {});
    std::vector<bool> used(t_.algorithms.size());
    for (size_t k = 0; k < t_.iface.event_inputs.size(); ++k) {
      auto it = algs.find(identifier_key(t_.iface.event_inputs[k].name));
      if (it != algs.end()) {
        t_.simple[k].algorithm = it->second;
        used[size_t(it->second)] = true;
      }
      if (k < t_.iface.event_outputs.size()) t_.simple[k].outputs.push_back(EventId(uint16_t(k)));
    }
    for (const auto& a : ast_.algorithms) {
      auto it = algs.find(identifier_key(a.name.text));
      if (it != algs.end() && !used[size_t(it->second)])
        warning(a.name.loc, "algorithm '" + a.name.text + "' of simple FB " + t_.name +
                                " is named after no event input, so it never runs");
    }
    t_.kind = FbKind::kSimple;
    t_.native = {simple_on_event, nullptr};
  }

  void composite() {
    const size_t before = diags_.error_count();
    FbNetwork net = network_of(ast_.network, file_, diags_);
    if (diags_.error_count() != before) ok_ = false;
    t_.kind = FbKind::kComposite;
    t_.network = std::make_shared<const FbNetwork>(std::move(net));
  }

  const FbTypeAst& ast_;
  const TypeScope& scope_;
  const TypeLibrary& lib_;
  std::string file_;
  Diagnostics& diags_;
  FbType t_;
  std::map<std::string, std::string> names_;
  FbInstances instances_;                    // FB instances among the internals (VAR Timer : TON)
  Constants constants_;                      // VAR CONSTANT of integer types, with their values
  std::vector<std::string> constant_names_;  // every VAR CONSTANT
  std::vector<std::string> unresolved_;      // variables declared with an error
  uint64_t slots_ = 0;                       // taken by the variables declared so far
  bool ok_ = true;
};

}  // namespace

std::optional<FbType> compile_fb_type(const FbTypeAst& t, const TypeScope& scope, const TypeLibrary& lib,
                                      std::string_view file, Diagnostics& diags) {
  return TypeCompiler(t, scope, lib, file, diags).run();
}

FbNetwork network_of(const NetworkAst& n, std::string_view file, Diagnostics& diags) {
  FbNetwork net;
  auto at = [&](Loc l) { return where(file, l.line, l.col); };
  std::map<std::string, size_t> fbs;
  for (const auto& f : n.fbs) {
    if (fbs.count(identifier_key(f.name.text))) {
      diags.error(at(f.name.loc), "duplicate FB instance '" + f.name.text + "'");
      continue;
    }
    fbs[identifier_key(f.name.text)] = net.fbs.size();
    FbInstanceDecl d{f.name.text, f.type.text, {}, at(f.name.loc)};
    for (const auto& [p, literal] : f.parameters) d.parameters.push_back({p.text, literal});
    net.fbs.push_back(std::move(d));
  }
  for (const auto& c : n.event_connections) {
    if (c.source_is_literal) {
      diags.error(at(c.loc), "an event connection cannot start at a literal (" + c.source + ")");
      continue;
    }
    net.event_connections.push_back({c.source, c.destination, at(c.loc)});
  }
  for (const auto& c : n.data_connections) {
    if (!c.source_is_literal) {
      net.data_connections.push_back({c.source, c.destination, at(c.loc)});
      continue;
    }
    // `literal TO FB.IN`: a parameter of FB.
    auto dot = c.destination.rfind('.');
    auto it = dot == std::string::npos ? fbs.end() : fbs.find(identifier_key(c.destination.substr(0, dot)));
    if (it == fbs.end()) {
      diags.error(at(c.loc),
                  "a literal can only be connected to an input of an FB instance, not to '" + c.destination + "'");
      continue;
    }
    net.fbs[it->second].parameters.push_back({c.destination.substr(dot + 1), c.source});
  }
  return net;
}

}  // namespace plc::lang
