#include "runtime/fourdiac/fb_network_importer.h"

#include <cstring>
#include <map>
#include <set>

#include "runtime/fourdiac/type_context.h"
#include "runtime/fourdiac/var_declaration.h"
#include "runtime/type_library.h"

namespace plc::fourdiac {
namespace {

struct SubAppPorts {
  std::set<std::string> event_inputs, event_outputs, inputs, outputs;  // identifier keys
  bool declares(const std::string& port) const {
    const std::string k = identifier_key(port);
    return event_inputs.count(k) || event_outputs.count(k) || inputs.count(k) || outputs.count(k);
  }
};

// A connection as written, its ends qualified with the SubApp path.
struct Edge {
  std::string source, destination;
  lang::Loc loc;
  pugi::xml_node at;
};

class NetworkImporter {
 public:
  NetworkImporter(const LibraryElement& x, TypeContext& ctx, const std::vector<AdapterDecl>* boundary,
                  ImportedNetwork& out, const ResourceScope* resource)
      : x_(x), ctx_(ctx), boundary_(boundary), resource_(resource), out_(out) {}

  bool run(pugi::xml_node network) {
    walk(network, "", 0);
    add_implicit_fbs();
    own_adapter_ends(events_, true);
    own_adapter_ends(data_, false);
    expand_adapters();
    resolve(events_, out_.net.event_connections, true);
    resolve(data_, out_.net.data_connections, false);
    apply_subapp_parameters();
    return ok_;
  }

 private:
  enum class Kind { kFb, kSubApp, kBoundary, kMapped, kUnknown };

  void error(pugi::xml_node n, const std::string& m) {
    ok_ = false;
    x_.error(n, m);
  }

  // ---- reading the tree
  void walk(pugi::xml_node network, const std::string& prefix, int depth) {
    if (depth > kMaxSubAppDepth) {
      error(network, "SubApps nested deeper than " + std::to_string(kMaxSubAppDepth) + " levels");
      return;
    }
    for (pugi::xml_node c : network.children()) {
      const std::string kind = c.name();
      if (kind == "FB") fb(c, prefix);
      else if (kind == "SubApp") subapp(c, prefix, depth);
      else if (kind == "Group") walk(c, prefix, depth + 1);
      else if (kind == "EventConnections") connections(c, prefix, events_);
      else if (kind == "DataConnections") connections(c, prefix, data_);
      else if (kind == "AdapterConnections") connections(c, prefix, adapters_);
    }
  }

  bool name_of(pugi::xml_node n, const std::string& prefix, const char* what, std::string& qualified) {
    auto name = x_.required(n, "Name");
    if (!name) return false;
    if (!is_identifier(*name)) {
      error(n, "'" + *name + "' is not a valid " + what + " name");
      return false;
    }
    qualified = prefix + *name;
    if (prefix.empty() && own_adapter(*name)) {
      error(n, "duplicate name '" + *name + "' (a plug or socket of this composite already has it)");
      return false;
    }
    if (!names_.insert(identifier_key(qualified)).second) {
      error(n, "duplicate name '" + *name + "' (an FB or SubApp of this network already has it)");
      return false;
    }
    return true;
  }

  void fb(pugi::xml_node n, const std::string& prefix) {
    std::string name;
    if (name_of(n, prefix, "FB", name)) instance(n, name);
  }

  // An FB, or a typed SubApp: an instance of its type, with its parameters.
  void instance(pugi::xml_node n, const std::string& name) {
    auto type_ref = x_.required(n, "Type");
    const std::string type = type_ref ? ctx_.fb_type(*type_ref, x_, n) : "";
    if (type.empty()) {
      ok_ = false;
      broken_.insert(identifier_key(name));
      return;
    }
    lang::FbInstanceAst f;
    f.name = {name, x_.attribute_loc(n, "Name")};
    f.type = {type, x_.attribute_loc(n, "Type")};
    const FbType* t = ctx_.find(type);
    for (pugi::xml_node p : n.children("Parameter")) {
      auto pname = x_.required(p, "Name");
      if (!pname) {
        ok_ = false;
        continue;
      }
      f.parameters.push_back(
          {{*pname, x_.attribute_loc(p, "Name")}, literal_for(t, *pname, p.attribute("Value").value())});
    }
    fbs_[identifier_key(name)] = out_.net.fbs.size();
    out_.net.fbs.push_back(std::move(f));
  }

  // The resource type's own FBs (START), unless the network has its own.
  void add_implicit_fbs() {
    if (!resource_) return;
    for (lang::FbInstanceAst f : resource_->implicit_fbs) {
      const std::string key = identifier_key(f.name.text);
      if (names_.count(key) || !ctx_.find(f.type.text)) continue;
      names_.insert(key);
      fbs_[key] = out_.net.fbs.size();
      f.name.loc = f.type.loc = resource_->at;
      for (auto& p : f.parameters) p.first.loc = resource_->at;
      out_.net.fbs.push_back(std::move(f));
    }
  }

  static std::string literal_for(const FbType* t, const std::string& input, const std::string& literal) {
    if (!t) return literal;
    auto k = t->iface.find_input(input);
    // A generic port's type is decided by its literals: they stay as written.
    if (!k || t->iface.inputs[*k].array_size || t->iface.inputs[*k].generic != GenericClass::kNone) return literal;
    return adapt_literal(t->iface.inputs[*k].type, literal);
  }

  void subapp(pugi::xml_node n, const std::string& prefix, int depth) {
    std::string name;
    if (!name_of(n, prefix, "SubApp", name)) return;
    if (*n.attribute("Type").value()) {  // its content comes from its type (a .sub), not from here
      instance(n, name);
      return;
    }
    SubAppPorts& ports = subapps_[identifier_key(name)];
    if (pugi::xml_node list = n.child("SubAppInterfaceList")) {
      auto add = [&](pugi::xml_node section, const char* item, std::set<std::string>& into) {
        for (pugi::xml_node p : section.children(item))
          if (auto pn = x_.required(p, "Name")) into.insert(identifier_key(*pn));
      };
      add(list.child("SubAppEventInputs"), "SubAppEvent", ports.event_inputs);
      add(list.child("SubAppEventOutputs"), "SubAppEvent", ports.event_outputs);
      add(list.child("InputVars"), "VarDeclaration", ports.inputs);
      add(list.child("OutputVars"), "VarDeclaration", ports.outputs);
      if (list.child("Plugs").child("AdapterDeclaration") || list.child("Sockets").child("AdapterDeclaration"))
        error(list, "adapters on a SubApp's interface are not supported");
      for (pugi::xml_node e : list.child("SubAppEventInputs").children("SubAppEvent"))
        if (const char* pn = e.attribute("Name").value(); *pn) entry_order_.push_back(name + "." + pn);
    }
    for (pugi::xml_node p : n.children("Parameter"))
      if (auto pn = x_.required(p, "Name"))
        subapp_parameters_.push_back({name + "." + *pn, p.attribute("Value").value(), p});
    out_.subapps.push_back({name, n.attribute("Comment").value(), x_.loc(n)});
    walk(n.child("SubAppNetwork"), name + ".", depth + 1);
  }

  void connections(pugi::xml_node section, const std::string& prefix, std::vector<Edge>& into) {
    for (pugi::xml_node c : section.children("Connection")) {
      if (!c.attribute("Source") && !c.attribute("Destination")) {  // a leftover 4diac IDE saves and ignores
        x_.warning(c, "connection without Source and Destination ignored");
        continue;
      }
      auto s = x_.required(c, "Source");
      auto d = x_.required(c, "Destination");
      if (!s || !d) {
        ok_ = false;
        continue;
      }
      std::string qs, qd;
      if (!qualify(*s, prefix, c, qs) || !qualify(*d, prefix, c, qd)) continue;
      into.push_back({qs, qd, x_.loc(c), c});
    }
  }

  // "FB.PORT" -> prefix + "FB.PORT"; a bare "PORT" is the enclosing SubApp's
  // port (prefix + "PORT") or the composite's own. In a resource's network,
  // "App.FB.PORT" (and "App.Sub.FB.PORT") names a mapped FB.
  bool qualify(const std::string& end, const std::string& prefix, pugi::xml_node c, std::string& out) {
    auto dot = end.find('.');
    bool ok = dot == std::string::npos ? is_identifier(end)
                                       : is_identifier(end.substr(0, dot)) && is_identifier(end.substr(dot + 1));
    if (!ok && resource_ && prefix.empty() && dot != std::string::npos) ok = is_path(end);
    if (!ok) {
      error(c, "'" + end + "' is not of the form FB.PORT");
      return false;
    }
    if (dot == std::string::npos && prefix.empty() && !boundary_) {
      error(c, "'" + end + "' names no FB (write FB.PORT)");
      return false;
    }
    out = prefix + end;
    return true;
  }

  // "A.B.C": identifiers joined by single dots.
  static bool is_path(const std::string& end) {
    size_t from = 0;
    for (size_t dot; (dot = end.find('.', from)) != std::string::npos; from = dot + 1)
      if (!is_identifier(end.substr(from, dot - from))) return false;
    return is_identifier(end.substr(from));
  }

  // ---- resolving
  Kind kind_of(const std::string& node, std::string& owner, std::string& port) const {
    auto dot = node.rfind('.');
    if (dot == std::string::npos) {
      owner.clear();
      port = node;
      return Kind::kBoundary;
    }
    owner = node.substr(0, dot);
    port = node.substr(dot + 1);
    const std::string key = identifier_key(owner);
    if (fbs_.count(key)) return Kind::kFb;
    if (subapps_.count(key)) return Kind::kSubApp;
    if (resource_ && resource_->mapped.count(key)) return Kind::kMapped;
    return Kind::kUnknown;
  }

  // Checks one end; false (reported unless the FB was already) when it is unusable.
  bool usable(const std::string& node, const Edge& e) {
    std::string owner, port;
    switch (kind_of(node, owner, port)) {
      case Kind::kFb:
      case Kind::kMapped:
      case Kind::kBoundary: return true;
      case Kind::kSubApp:
        if (subapps_.at(identifier_key(owner)).declares(port)) return true;
        error(e.at, "SubApp '" + owner + "' has no port '" + port + "'");
        return false;
      case Kind::kUnknown:
        if (!broken_.count(identifier_key(owner)))
          error(e.at, "unknown FB or SubApp '" + owner + "' in '" + node + "'");
        return false;
    }
    return false;
  }

  bool terminal(const std::string& node) const {
    std::string owner, port;
    const Kind k = kind_of(node, owner, port);
    return k == Kind::kFb || k == Kind::kMapped || k == Kind::kBoundary;
  }

  // Follows `from` through SubApp ports to the FB (or boundary) ports it
  // reaches, depth first in connection order (an explicit stack: a chain of
  // SubApps may be as long as the file).
  void reach(const std::string& from, const std::map<std::string, std::vector<size_t>>& next,
             const std::vector<Edge>& edges, std::set<std::string>& seen,
             std::vector<std::pair<std::string, const Edge*>>& out) const {
    static const std::vector<size_t> kNone;
    auto successors = [&](const std::string& node) -> const std::vector<size_t>& {
      auto it = next.find(identifier_key(node));
      return it == next.end() ? kNone : it->second;
    };
    std::vector<std::pair<const std::vector<size_t>*, size_t>> stack{{&successors(from), 0}};
    while (!stack.empty()) {
      auto& [list, k] = stack.back();
      if (k == list->size()) {
        stack.pop_back();
        continue;
      }
      const Edge& e = edges[(*list)[k++]];
      if (terminal(e.destination)) out.push_back({e.destination, &e});
      else if (seen.insert(identifier_key(e.destination)).second) stack.push_back({&successors(e.destination), 0});
    }
  }

  void resolve(std::vector<Edge>& edges, std::vector<lang::ConnectionAst>& out, bool events) {
    std::vector<Edge> good;
    for (auto& e : edges)
      if (usable(e.source, e) && usable(e.destination, e)) good.push_back(std::move(e));
    edges = std::move(good);
    std::map<std::string, std::vector<size_t>> next;
    std::set<std::string> fed;
    for (size_t k = 0; k < edges.size(); ++k) {
      next[identifier_key(edges[k].source)].push_back(k);
      fed.insert(identifier_key(edges[k].destination));
    }
    for (const Edge& e : edges) {
      if (!terminal(e.source)) continue;
      if (terminal(e.destination)) {
        out.push_back({e.loc, e.source, e.destination, false});
        continue;
      }
      std::set<std::string> seen{identifier_key(e.destination)};
      std::vector<std::pair<std::string, const Edge*>> dests;
      reach(e.destination, next, edges, seen, dests);
      for (const auto& [d, last] : dests) out.push_back({e.loc, e.source, d, false});
    }
    if (!events) {
      next_data_ = std::move(next);
      data_edges_ = edges;
      return;
    }
    for (const std::string& port : entry_order_) {
      if (fed.count(identifier_key(port))) continue;
      std::set<std::string> seen{identifier_key(port)};
      std::vector<std::pair<std::string, const Edge*>> dests;
      reach(port, next, edges, seen, dests);
      std::vector<std::string> names;
      for (const auto& [d, e] : dests) names.push_back(d);
      out_.entries.push_back({port, std::move(names)});
    }
  }

  void apply_subapp_parameters() {
    for (const auto& p : subapp_parameters_) {
      std::set<std::string> seen{identifier_key(p.port)};
      std::vector<std::pair<std::string, const Edge*>> dests;
      reach(p.port, next_data_, data_edges_, seen, dests);
      if (dests.empty()) x_.warning(p.at, "the parameter of SubApp input '" + p.port + "' reaches no FB input");
      for (const auto& [d, e] : dests) {
        std::string owner, port;
        if (kind_of(d, owner, port) != Kind::kFb) continue;
        auto& f = out_.net.fbs[fbs_.at(identifier_key(owner))];
        const FbType* t = ctx_.find(f.type.text);
        f.parameters.push_back({{port, x_.loc(p.at)}, literal_for(t, port, p.literal)});
      }
    }
  }

  // ---- adapters
  // The composite's own plug or socket named `name`, if there is one.
  const AdapterDecl* own_adapter(const std::string& name) const {
    if (boundary_)
      for (const auto& a : *boundary_)
        if (same_identifier(a.name, name)) return &a;
    return nullptr;
  }

  // Inside a composite, its own plug or socket "adp" appears as an FB whose
  // ports are the adapter's ("adp.START"): a socket offers the adapter
  // type's outputs as sources and takes its inputs as destinations (what the
  // plug at the other end sends arrives here), a plug the other way round.
  // Such an end becomes the composite's boundary port "adp$START", which the
  // engine flattens like any other; an edge with an unusable end is dropped
  // (reported).
  void own_adapter_ends(std::vector<Edge>& edges, bool events) {
    std::vector<Edge> kept;
    for (auto& e : edges)
      if (own_adapter_end(e.source, e, true, events) && own_adapter_end(e.destination, e, false, events))
        kept.push_back(std::move(e));
    edges = std::move(kept);
  }

  bool own_adapter_end(std::string& end, const Edge& e, bool source, bool events) {
    const auto dot = end.find('.');
    if (dot == std::string::npos || end.find('.', dot + 1) != std::string::npos) return true;
    const AdapterDecl* a = own_adapter(end.substr(0, dot));
    if (!a) return true;
    const AdapterType* t = ctx_.adapter_type(a->type, x_, e.at);
    if (!t) {
      ok_ = false;
      return false;
    }
    const std::string port = end.substr(dot + 1);
    auto declares = [&](const auto& list) {
      for (const auto& p : list)
        if (same_identifier(p.name.text, port)) return true;
      return false;
    };
    const bool is_input = events ? declares(t->event_inputs) : declares(t->inputs);
    const bool is_output = events ? declares(t->event_outputs) : declares(t->outputs);
    const char* what = a->plug ? "plug" : "socket";
    if (!is_input && !is_output) {
      error(e.at, "adapter type " + t->name + " (" + what + " '" + a->name + "') has no " +
                      (events ? "event" : "data") + " port '" + port + "'");
      return false;
    }
    // Seen from inside, a socket's outputs are sources, a plug's inputs.
    const bool as_source = a->plug ? is_input : is_output, as_destination = a->plug ? is_output : is_input;
    if (source ? !as_source : !as_destination) {
      error(e.at, "'" + end + "' is " + (is_input ? "an input" : "an output") + " of adapter type " + t->name +
                      ": inside the composite, " + what + " '" + a->name + "' takes it as a " +
                      (source ? "destination" : "source") + ", not as a " + (source ? "source" : "destination"));
      return false;
    }
    end = adapter_port(a->name, port);
    return true;
  }

  // Whether `end` ("FB.adp", or "adp" of the composite) sends the adapter's
  // event inputs, and its adapter type; false when it is no adapter.
  bool adapter_end(const std::string& end, const Edge& e, bool& provides, std::string& type) {
    std::string owner, port;
    switch (kind_of(end, owner, port)) {
      case Kind::kBoundary:
        if (boundary_)
          for (const auto& a : *boundary_)
            if (same_identifier(a.name, port)) {
              provides = a.plug;  // seen from inside, the composite's plug acts as a socket
              type = a.type;
              return true;
            }
        error(e.at, "'" + port + "' is no plug or socket of this composite");
        return false;
      case Kind::kFb: {
        const auto& f = out_.net.fbs[fbs_.at(identifier_key(owner))];
        if (const auto* list = ctx_.adapters_of(f.type.text))
          for (const auto& a : *list)
            if (same_identifier(a.name, port)) {
              provides = !a.plug;
              type = a.type;
              return true;
            }
        error(e.at, "'" + port + "' is no plug or socket of '" + owner + "' (" + f.type.text + ")");
        return false;
      }
      case Kind::kSubApp:
        error(e.at, "adapters on a SubApp's interface are not supported ('" + end + "')");
        return false;
      case Kind::kMapped:
        error(e.at, "an adapter connection must name the resource's copy of the FB, not '" + end + "'");
        return false;
      case Kind::kUnknown:
        if (!broken_.count(identifier_key(owner))) error(e.at, "unknown FB '" + owner + "' in '" + end + "'");
        return false;
    }
    return false;
  }

  void expand_adapters() {
    for (const Edge& e : adapters_) {
      bool ps = false, pd = false;
      std::string ts, td;
      if (!adapter_end(e.source, e, ps, ts) || !adapter_end(e.destination, e, pd, td)) continue;
      if (!same_identifier(ts, td)) {
        error(e.at, "the adapter types differ: " + e.source + " is " + ts + ", " + e.destination + " is " + td);
        continue;
      }
      const AdapterType* t = ctx_.adapter_type(ts, x_, e.at);
      if (!t) {
        ok_ = false;
        continue;
      }
      std::string why;
      auto bundle = adapter_bundle(*t, e.source, ps, e.destination, pd, why);
      if (!why.empty()) {
        error(e.at, why);
        continue;
      }
      for (const auto& b : bundle) (b.data ? data_ : events_).push_back({b.source, b.destination, e.loc, e.at});
    }
  }

  struct SubAppParameter {
    std::string port, literal;
    pugi::xml_node at;
  };

  const LibraryElement& x_;
  TypeContext& ctx_;
  const std::vector<AdapterDecl>* boundary_;
  const ResourceScope* resource_;
  ImportedNetwork& out_;
  std::set<std::string> names_;   // every FB and SubApp, qualified keys
  std::set<std::string> broken_;  // FBs and SubApps already reported
  std::map<std::string, size_t> fbs_;
  std::map<std::string, SubAppPorts> subapps_;
  std::vector<std::string> entry_order_;
  std::vector<SubAppParameter> subapp_parameters_;
  std::vector<Edge> events_, data_, adapters_;
  std::map<std::string, std::vector<size_t>> next_data_;
  std::vector<Edge> data_edges_;
  bool ok_ = true;
};

}  // namespace

bool import_network(const LibraryElement& x, pugi::xml_node network, TypeContext& ctx,
                    const std::vector<AdapterDecl>* boundary, ImportedNetwork& out, const ResourceScope* resource) {
  return NetworkImporter(x, ctx, boundary, out, resource).run(network);
}

}  // namespace plc::fourdiac
