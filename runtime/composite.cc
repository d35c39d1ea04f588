#include "runtime/composite.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace plc {
namespace {

constexpr int kMaxDepth = 32;

struct Edge {
  std::string src, dst, where;
};

class Flattener {
 public:
  Flattener(const TypeLibrary& lib, Diagnostics& diag) : lib_(lib), diag_(diag) {}

  FbNetwork run(const FbNetwork& net) {
    expand(net, "", 0);
    FbNetwork out;
    out.fbs = std::move(fbs_);
    connect(event_edges_, out.event_connections, true);
    connect(data_edges_, out.data_connections, false);
    apply_composite_parameters(out);
    return out;
  }

 private:
  // Qualifies a port reference written at `prefix` ("" at top level, "C."
  // inside composite instance C): "FB.P" -> prefix + "FB.P"; a boundary
  // port "P" -> "C.P".
  static std::string qualify(const std::string& ref, const std::string& prefix) { return prefix + ref; }

  void expand(const FbNetwork& net, const std::string& prefix, int depth) {
    if (depth > kMaxDepth) {
      diag_.error(prefix, "composite FBs nested deeper than 32 levels (a type containing itself?)");
      return;
    }
    for (const auto& fb : net.fbs) {
      const FbType* t = lib_.find(fb.type);
      std::string name = prefix + fb.name;
      if (t && t->kind == FbKind::kComposite && t->network) {
        composites_[name] = t;
        for (const auto& p : fb.parameters) composite_params_.push_back({name + "." + p.name, p.literal, fb.where});
        expand(*t->network, name + ".", depth + 1);
      } else {
        FbInstanceDecl d = fb;
        d.name = name;
        fbs_.push_back(std::move(d));
      }
    }
    for (const auto& c : net.event_connections)
      event_edges_.push_back({qualify(c.source, prefix), qualify(c.destination, prefix), c.where});
    for (const auto& c : net.data_connections)
      data_edges_.push_back({qualify(c.source, prefix), qualify(c.destination, prefix), c.where});
  }

  // The composite instance a port node belongs to, if any ("C.REQ" -> C).
  const FbType* composite_of(const std::string& node, std::string* port = nullptr) const {
    auto dot = node.rfind('.');
    if (dot == std::string::npos) return nullptr;
    auto it = composites_.find(node.substr(0, dot));
    if (it == composites_.end()) return nullptr;
    if (port) *port = node.substr(dot + 1);
    return it->second;
  }

  // Follows edges from `node` through composite boundaries to real inputs.
  void reach(const std::string& node, const std::multimap<std::string, const Edge*>& out_edges,
             std::set<std::string>& seen, std::vector<std::string>& found) {
    if (!seen.insert(node).second) return;
    if (!composite_of(node)) {
      found.push_back(node);
      return;
    }
    auto [lo, hi] = out_edges.equal_range(node);
    for (auto it = lo; it != hi; ++it) reach(it->second->dst, out_edges, seen, found);
  }

  void check_boundary(const std::string& node, bool event, const std::string& where) {
    std::string port;
    const FbType* t = composite_of(node, &port);
    if (!t) return;
    const auto& i = t->iface;
    bool ok = event ? (i.find_event_input(port) || i.find_event_output(port)) : (i.find_input(port) || i.find_output(port));
    if (!ok) diag_.error(where.empty() ? node : where, "composite '" + t->name + "' has no " +
                                                          (event ? "event" : "data") + " port '" + port + "'");
  }

  void connect(const std::vector<Edge>& edges, std::vector<ConnectionDecl>& out, bool event) {
    std::multimap<std::string, const Edge*> by_src;
    for (const auto& e : edges) {
      by_src.emplace(e.src, &e);
      check_boundary(e.src, event, e.where);
      check_boundary(e.dst, event, e.where);
    }
    for (const auto& e : edges) {
      if (composite_of(e.src)) continue;  // reached from a real source instead
      std::set<std::string> seen;
      std::vector<std::string> found;
      reach(e.dst, by_src, seen, found);
      for (auto& d : found) out.push_back({e.src, d, e.where});
    }
    if (!event) data_by_src_ = std::move(by_src);
  }

  void apply_composite_parameters(FbNetwork& out) {
    for (const auto& p : composite_params_) {
      std::set<std::string> seen;
      std::vector<std::string> found;
      reach(p.node, data_by_src_, seen, found);
      for (const auto& input : found) {
        auto dot = input.rfind('.');
        for (auto& fb : out.fbs)
          if (fb.name == input.substr(0, dot)) fb.parameters.push_back({input.substr(dot + 1), p.literal});
      }
    }
  }

  struct CompositeParam {
    std::string node, literal, where;
  };

  const TypeLibrary& lib_;
  Diagnostics& diag_;
  std::vector<FbInstanceDecl> fbs_;
  std::vector<Edge> event_edges_, data_edges_;
  std::map<std::string, const FbType*> composites_;
  std::vector<CompositeParam> composite_params_;
  std::multimap<std::string, const Edge*> data_by_src_;
};

bool has_composites(const FbNetwork& net, const TypeLibrary& lib) {
  for (const auto& fb : net.fbs)
    if (const FbType* t = lib.find(fb.type); t && t->kind == FbKind::kComposite) return true;
  return false;
}

}  // namespace

FbNetwork flatten(const FbNetwork& net, const TypeLibrary& lib, Diagnostics& diag) {
  if (!has_composites(net, lib)) return net;
  return Flattener(lib, diag).run(net);
}

}  // namespace plc
