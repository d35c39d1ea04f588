#include "runtime/fourdiac/adapter_type.h"

#include <cstring>

#include "runtime/fourdiac/interface_list.h"
#include "runtime/fourdiac/type_context.h"

namespace plc::fourdiac {
namespace {

lang::EventDeclAst renamed(const lang::EventDeclAst& e, const std::string& adapter) {
  lang::EventDeclAst r;
  r.name = {adapter_port(adapter, e.name.text), e.name.loc};
  for (const auto& w : e.with) r.with.push_back({adapter_port(adapter, w.text), w.loc});
  return r;
}

lang::VarDeclAst renamed(const lang::VarDeclAst& v, const std::string& adapter) {
  lang::VarDeclAst r;
  r.name = {adapter_port(adapter, v.name.text), v.name.loc};
  r.type = v.type;
  r.initial = v.initial;
  r.initial_loc = v.initial_loc;
  return r;
}

}  // namespace

std::string adapter_port(std::string_view adapter, std::string_view port) {
  return std::string(adapter) + "$" + std::string(port);
}

std::optional<AdapterType> import_adapter_type(const LibraryElement& x, TypeContext& ctx) {
  pugi::xml_node root = x.root();
  if (std::strcmp(root.name(), "AdapterType") != 0) {
    x.error(root, std::string("expected an AdapterType, found ") + root.name());
    return std::nullopt;
  }
  auto name = x.required(root, "Name");
  if (!name) return std::nullopt;
  if (!is_identifier(*name)) {
    x.error(root, "'" + *name + "' is not a valid type name");
    return std::nullopt;
  }
  pugi::xml_node list = root.child("InterfaceList");
  if (!list) {
    x.error(root, "missing InterfaceList");
    return std::nullopt;
  }
  lang::FbTypeAst iface;
  if (!import_interface_list(x, list, ctx, iface, nullptr)) return std::nullopt;
  AdapterType t;
  t.name = *name;
  t.event_inputs = std::move(iface.event_inputs);
  t.event_outputs = std::move(iface.event_outputs);
  t.inputs = std::move(iface.inputs);
  t.outputs = std::move(iface.outputs);
  return t;
}

void add_adapter_ports(const AdapterDecl& d, const AdapterType& a, lang::FbTypeAst& fb) {
  // A plug receives the adapter's inputs and sends its outputs; a socket
  // the other way round.
  auto& ein = d.plug ? fb.event_inputs : fb.event_outputs;
  auto& eout = d.plug ? fb.event_outputs : fb.event_inputs;
  auto& vin = d.plug ? fb.inputs : fb.outputs;
  auto& vout = d.plug ? fb.outputs : fb.inputs;
  for (const auto& e : a.event_inputs) ein.push_back(renamed(e, d.name));
  for (const auto& e : a.event_outputs) eout.push_back(renamed(e, d.name));
  for (const auto& v : a.inputs) vin.push_back(renamed(v, d.name));
  for (const auto& v : a.outputs) vout.push_back(renamed(v, d.name));
}

std::vector<BundleConnection> adapter_bundle(const AdapterType& t, const std::string& a, bool a_provides,
                                             const std::string& b, bool b_provides, std::string& error) {
  if (a_provides == b_provides) {
    error = a_provides ? "both ends are sockets (an adapter connection joins a plug and a socket)"
                       : "both ends are plugs (an adapter connection joins a plug and a socket)";
    return {};
  }
  const std::string& provider = a_provides ? a : b;  // sends the adapter's inputs
  const std::string& consumer = a_provides ? b : a;
  auto port = [](const std::string& end, const std::string& p) {
    // "FB.adp" -> "FB.adp$P"; "adp" (a composite's boundary) -> "adp$P".
    return end + "$" + p;
  };
  std::vector<BundleConnection> out;
  for (const auto& e : t.event_inputs) out.push_back({port(provider, e.name.text), port(consumer, e.name.text), false});
  for (const auto& e : t.event_outputs)
    out.push_back({port(consumer, e.name.text), port(provider, e.name.text), false});
  for (const auto& v : t.inputs) out.push_back({port(provider, v.name.text), port(consumer, v.name.text), true});
  for (const auto& v : t.outputs) out.push_back({port(consumer, v.name.text), port(provider, v.name.text), true});
  return out;
}

}  // namespace plc::fourdiac
