#include "runtime/composite.h"

#include <algorithm>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "runtime/connection.h"

namespace plc {
namespace {

// Which kind of node a connection end is. A boundary port of a composite
// instance is two nodes: its input side (outer connections end there, inner
// ones start there) and its output side (inner connections end there, outer
// ones start there). Keeping the two apart is what lets an input and an
// output share a name, and lets a pass-through connect them.
enum class Side : uint8_t { kFb, kInput, kOutput };

struct Node {
  Side side;
  std::string name;              // "C.Inner.PORT" for an FB's port, "C.PORT" for a boundary port
  std::string key;               // side and case-insensitive name: equal keys are the same node
  const VarDecl* var = nullptr;  // a data port's variable, once known
};

Node make_node(Side side, std::string name, const VarDecl* var = nullptr) {
  std::string key = char('0' + int(side)) + identifier_key(name);
  return Node{side, std::move(name), std::move(key), var};
}

struct Edge {
  Node src, dst;
  std::string where;
};

// Boundary node key -> the edges that continue from it, in declaration order.
using Adjacency = std::unordered_map<std::string, std::vector<const Edge*>>;

// The network being expanded: the top level, or the inner network of the
// composite instance `path`, of type `type`.
struct Scope {
  std::string prefix;  // "" or "O.P."
  std::string path;    // "" or "O.P"
  const FbType* type = nullptr;
};

struct Instance {
  std::string path;    // qualified, as declared
  const FbType* type;  // nullptr: unknown (the resource loader reports it)
  bool composite;
};

struct CompositeParameter {
  Node input;  // the input side of the composite's data input
  std::string literal;
};

std::string port_word(bool event, bool input) {
  return event ? (input ? "an event input" : "an event output") : (input ? "a data input" : "a data output");
}

struct PortRef {
  std::string name;    // as declared
  const VarDecl* var;  // data ports only
};

// The port `name` of `iface` of the given kind and direction, if it has one.
std::optional<PortRef> find_port(const Interface& i, bool event, bool input, std::string_view name) {
  if (event) {
    auto e = input ? i.find_event_input(name) : i.find_event_output(name);
    if (!e) return std::nullopt;
    return PortRef{(input ? i.event_inputs : i.event_outputs)[index_of(*e)].name, nullptr};
  }
  auto k = input ? i.find_input(name) : i.find_output(name);
  if (!k) return std::nullopt;
  const VarDecl& v = (input ? i.inputs : i.outputs)[*k];
  return PortRef{v.name, &v};
}

// "'P.REQ' is an event input of composite 'PAIR': connections can end there, not start there".
// Seen from outside an FB, connections end at its inputs; inside a
// composite, they start at its inputs.
std::string wrong_direction(const std::string& port, bool event, bool is_input, const std::string& owner, bool inside) {
  const bool ends_there = is_input != inside;
  return "'" + port + "' is " + port_word(event, is_input) + " of " + owner + ": " + (inside ? "inside it, " : "") +
         "connections can " + (ends_there ? "end there, not start there" : "start there, not end there");
}

std::string where_of(const FbInstanceDecl& fb, const std::string& path) { return fb.where.empty() ? path : fb.where; }

class Flattener {
 public:
  Flattener(const TypeLibrary& lib, Diagnostics& diag) : lib_(lib), diag_(diag) {}

  FbNetwork run(const FbNetwork& net) {
    FbNetwork out;
    if (!check_recursion(net)) return out;
    expand(net, Scope{});
    out.fbs = std::move(fbs_);
    out.event_connections = connect(event_edges_);
    out.data_connections = connect(data_edges_);
    apply_composite_parameters(out);
    return out;
  }

 private:
  const FbType* composite_type(const std::string& name) const {
    const FbType* t = lib_.find(name);
    return t && t->kind == FbKind::kComposite && t->network ? t : nullptr;
  }

  // A composite type that contains itself would be infinite. The check runs
  // on the types, before any instance is expanded, so a cycle costs nothing
  // and is reported with its path.
  bool check_recursion(const FbNetwork& net) {
    const size_t errors = diag_.list().size();
    for (const auto& fb : net.fbs)
      if (const FbType* root = composite_type(fb.type); root && !marks_.count(root))
        find_cycles(root, where_of(fb, fb.name));
    return diag_.list().size() == errors;
  }

  // Depth first over the types inside `root`, with an explicit stack.
  void find_cycles(const FbType* root, const std::string& at) {
    std::vector<const FbType*> path{root};  // the types being explored
    std::vector<size_t> next{0};            // per type on the path: its next inner FB to look at
    marks_[root] = Mark::kOpen;
    while (!path.empty()) {
      const auto& inner = path.back()->network->fbs;
      if (next.back() == inner.size()) {
        marks_[path.back()] = Mark::kDone;
        path.pop_back();
        next.pop_back();
        continue;
      }
      const FbType* child = composite_type(inner[next.back()++].type);
      if (!child) continue;
      auto [mark, fresh] = marks_.try_emplace(child, Mark::kOpen);
      if (fresh) {
        path.push_back(child);
        next.push_back(0);
      } else if (mark->second == Mark::kOpen) {
        report_cycle(path, child, at);
      }
    }
  }

  void report_cycle(const std::vector<const FbType*>& path, const FbType* back_to, const std::string& at) {
    std::string chain;
    for (auto t = std::find(path.begin(), path.end(), back_to); t != path.end(); ++t) chain += (*t)->name + " -> ";
    std::string message = "composite type " + back_to->name + " contains itself: " + chain + back_to->name;
    // A type holding several instances of the same cycle reports it once.
    if (reported_cycles_.insert(message).second) diag_.error(at, std::move(message));
  }

  // Instances first, so that this level's connections can name all of them.
  void expand(const FbNetwork& net, const Scope& s) {
    for (const auto& fb : net.fbs) add_instance(fb, s);
    for (const auto& c : net.event_connections) add_connection(c, s, true);
    for (const auto& c : net.data_connections) add_connection(c, s, false);
  }

  void add_instance(const FbInstanceDecl& fb, const Scope& s) {
    const FbType* t = lib_.find(fb.type);
    const bool composite = t && t->kind == FbKind::kComposite && t->network;
    std::string path = s.prefix + fb.name;
    auto [it, fresh] = instances_.try_emplace(identifier_key(path), Instance{path, t, composite});
    if (!fresh && (composite || it->second.composite)) {
      diag_.error(where_of(fb, path), "duplicate FB instance name '" + path + "'");
      return;
    }
    if (!composite) {  // duplicates of plain FBs are the resource loader's to report
      FbInstanceDecl d = fb;
      d.name = std::move(path);
      fbs_.push_back(std::move(d));
      return;
    }
    expand(*t->network, Scope{path + ".", path, t});
    // A data input's declared initial value reaches the inner inputs it
    // feeds, as a parameter would; then the instance's own parameters.
    // After the inner network's own parameters: the outermost one is applied last and wins.
    for (const auto& var : t->iface.inputs)
      if (auto literal = initial_literal(var)) add_parameter(path, *t, {var.name, *literal}, where_of(fb, path));
    for (const auto& p : fb.parameters) add_parameter(path, *t, p, where_of(fb, path));
  }

  // The declared initial value of a composite's data input as a literal;
  // none when it is the type's zero (nothing to pass on).
  static std::optional<std::string> initial_literal(const VarDecl& var) {
    if (!var.initial_literal.empty()) return var.initial_literal;
    if (var.array_size || var.type == DataType::kStruct || var.type == DataType::kString ||
        var.type == DataType::kWstring || var.initial.u == 0)
      return std::nullopt;
    return format_value(var.type, var.initial);
  }

  // Checked as the resource loader checks an FB's parameters: the input
  // must exist and the literal must suit it.
  void add_parameter(const std::string& path, const FbType& t, const Parameter& p, const std::string& at) {
    auto k = t.iface.find_input(p.name);
    if (!k) {
      diag_.error(at, "'" + path + "' (" + t.name + ") has no data input '" + p.name + "'");
      return;
    }
    const VarDecl& var = t.iface.inputs[*k];
    std::vector<Value> value(var.slots());
    if (!parse_var_literal(var, p.literal, value.data())) {
      diag_.error(at,
                  "'" + p.literal + "' is not a valid " + describe_type(var) + " literal for " + path + "." + p.name);
      return;
    }
    params_.push_back({make_node(Side::kInput, path + "." + var.name, &var), p.literal});
  }

  void add_connection(const ConnectionDecl& c, const Scope& s, bool event) {
    const std::string at = c.where.empty() ? s.prefix + c.source + " -> " + s.prefix + c.destination : c.where;
    auto src = resolve(c.source, s, true, event, at);
    auto dst = resolve(c.destination, s, false, event, at);
    if (!src || !dst) return;
    // The resource loader checks the connections that reach it unchanged.
    // Those inside a composite or through its boundary are rewritten here,
    // and one that leads nowhere would vanish unchecked: so they are
    // checked here, hop by hop.
    if (s.type || src->side != Side::kFb || dst->side != Side::kFb) {
      const bool src_ok = src->side != Side::kFb || check_fb_port(*src, c.source, s, true, event, at);
      const bool dst_ok = dst->side != Side::kFb || check_fb_port(*dst, c.destination, s, false, event, at);
      if (!src_ok || !dst_ok) return;
      if (src->var && dst->var && !may_feed(*src->var, *dst->var)) {
        diag_.error(at, "type mismatch: " + src->name + " is " + describe_type(*src->var) + " but " + dst->name +
                            " is " + describe_type(*dst->var));
        return;
      }
      // One source per data port, as for an FB's input (flattened, the second
      // source would only show up on the inner inputs, or nowhere).
      if (!event && dst->side != Side::kFb && !fed_.insert(dst->key).second) {
        diag_.error(at, std::string(dst->side == Side::kInput ? "data input '" : "data output '") + dst->name +
                            "' already has a connection");
        return;
      }
    }
    (event ? event_edges_ : data_edges_).push_back({std::move(*src), std::move(*dst), c.where});
  }

  // A connection end written in scope `s`. A source at the boundary of the
  // composite being expanded is one of its inputs, a destination one of its
  // outputs; seen from outside, a composite's port is the other way round.
  std::optional<Node> resolve(const std::string& ref, const Scope& s, bool source, bool event, const std::string& at) {
    const auto dot = ref.rfind('.');
    if (dot == std::string::npos && s.type) return boundary(s.path, *s.type, ref, source, true, event, at);
    if (dot != std::string::npos) {
      auto it = instances_.find(identifier_key(s.prefix + ref.substr(0, dot)));
      if (it != instances_.end() && it->second.composite)
        return boundary(it->second.path, *it->second.type, ref.substr(dot + 1), !source, false, event, at);
    }
    return make_node(Side::kFb, s.prefix + ref);
  }

  std::optional<Node> boundary(const std::string& path, const FbType& t, const std::string& port, bool input,
                               bool inside, bool event, const std::string& at) {
    if (auto p = find_port(t.iface, event, input, port))
      return make_node(input ? Side::kInput : Side::kOutput, path + "." + p->name, p->var);
    if (auto p = find_port(t.iface, event, !input, port))
      diag_.error(at, wrong_direction(path + "." + p->name, event, !input, "composite '" + t.name + "'", inside));
    else diag_.error(at, "composite '" + t.name + "' has no " + (event ? "event" : "data") + " port '" + port + "'");
    return std::nullopt;
  }

  // An inner FB's port must exist and point the right way: a connection
  // starts at an output and ends at an input.
  bool check_fb_port(Node& n, const std::string& ref, const Scope& s, bool source, bool event, const std::string& at) {
    const auto dot = ref.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == ref.size()) {
      diag_.error(at, "'" + n.name + "' is not of the form FB.PORT");
      return false;
    }
    const std::string fb = s.prefix + ref.substr(0, dot);
    auto it = instances_.find(identifier_key(fb));
    if (it == instances_.end()) {
      diag_.error(at, "unknown FB instance '" + fb + "' in '" + n.name + "'");
      return false;
    }
    const FbType* t = it->second.type;
    if (!t) return true;
    const std::string port = ref.substr(dot + 1);
    if (auto p = find_port(t->iface, event, !source, port)) {
      n.var = p->var;
      return true;
    }
    if (find_port(t->iface, event, source, port))
      diag_.error(at, wrong_direction(n.name, event, source, "'" + it->second.path + "' (" + t->name + ")", false));
    else diag_.error(at, "'" + n.name + "' is not " + port_word(event, !source));
    return false;
  }

  static Adjacency continuations(const std::vector<Edge>& edges) {
    Adjacency next;
    for (const auto& e : edges)
      if (e.src.side != Side::kFb) next[e.src.key].push_back(&e);
    return next;
  }

  // The FB ports that `from` leads to through composite boundaries, depth
  // first in declaration order, each once. Iterative: a long chain of
  // boundaries costs no stack.
  static std::vector<const Node*> reach(const Node& from, const Adjacency& next) {
    std::vector<const Node*> found, todo{&from};
    std::unordered_set<std::string> seen;
    while (!todo.empty()) {
      const Node* n = todo.back();
      todo.pop_back();
      if (!seen.insert(n->key).second) continue;
      if (n->side == Side::kFb) {
        found.push_back(n);
        continue;
      }
      auto it = next.find(n->key);
      if (it == next.end()) continue;
      for (auto e = it->second.rbegin(); e != it->second.rend(); ++e) todo.push_back(&(*e)->dst);
    }
    return found;
  }

  // One direct connection per path from an FB's output to an FB's input.
  static std::vector<ConnectionDecl> connect(const std::vector<Edge>& edges) {
    const Adjacency next = continuations(edges);
    std::vector<ConnectionDecl> out;
    for (const auto& e : edges) {
      if (e.src.side != Side::kFb) continue;  // reached from an FB's output instead
      for (const Node* d : reach(e.dst, next)) out.push_back({e.src.name, d->name, e.where});
    }
    return out;
  }

  void apply_composite_parameters(FbNetwork& out) const {
    if (params_.empty()) return;
    const Adjacency next = continuations(data_edges_);
    std::unordered_map<std::string, size_t> by_name;
    for (size_t k = 0; k < out.fbs.size(); ++k) by_name.try_emplace(identifier_key(out.fbs[k].name), k);
    for (const auto& p : params_)
      for (const Node* input : reach(p.input, next)) {
        const auto dot = input->name.rfind('.');
        auto it = by_name.find(identifier_key(input->name.substr(0, dot)));
        if (it == by_name.end()) continue;
        // Applied in order, so the later (outer) one replaces an earlier one.
        auto& params = out.fbs[it->second].parameters;
        const std::string port = input->name.substr(dot + 1);
        auto same = std::find_if(params.begin(), params.end(),
                                 [&](const Parameter& q) { return same_identifier(q.name, port); });
        if (same != params.end()) same->literal = p.literal;
        else params.push_back({port, p.literal});
      }
  }

  const TypeLibrary& lib_;
  Diagnostics& diag_;
  std::vector<FbInstanceDecl> fbs_;
  std::vector<Edge> event_edges_, data_edges_;
  std::unordered_map<std::string, Instance> instances_;  // key: identifier_key(path)
  std::vector<CompositeParameter> params_;
  std::unordered_set<std::string> fed_;        // boundary data ports with a source
  enum class Mark : uint8_t { kOpen, kDone };  // of a composite type, while looking for cycles
  std::unordered_map<const FbType*, Mark> marks_;
  std::unordered_set<std::string> reported_cycles_;
};

}  // namespace

bool has_composites(const FbNetwork& net, const TypeLibrary& lib) {
  for (const auto& fb : net.fbs)
    if (const FbType* t = lib.find(fb.type); t && t->kind == FbKind::kComposite) return true;
  return false;
}

FbNetwork flatten(const FbNetwork& net, const TypeLibrary& lib, Diagnostics& diag) {
  if (!has_composites(net, lib)) return net;
  return Flattener(lib, diag).run(net);
}

}  // namespace plc
