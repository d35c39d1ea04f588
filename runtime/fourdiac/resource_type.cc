#include "runtime/fourdiac/resource_type.h"

#include <cstring>
#include <set>

#include "runtime/fourdiac/fb_network_importer.h"
#include "runtime/fourdiac/type_context.h"
#include "runtime/fourdiac/var_declaration.h"

namespace plc::fourdiac {

namespace {

// An implicit FB's Parameters name inputs of its type and are literals of
// their types (a System's resource network would report them only at the
// resource). A generic input's literal decides its type at load: not here.
bool check_fb_parameters(const LibraryElement& x, pugi::xml_node fb, TypeContext& ctx) {
  const FbType* t = ctx.find(fb.attribute("Type").value());
  if (!t) return true;  // reported by the network's import
  bool ok = true;
  for (pugi::xml_node p : fb.children("Parameter")) {
    const std::string name = p.attribute("Name").value(), value = p.attribute("Value").value();
    auto k = t->iface.find_input(name);
    if (!k) {
      x.error(p, "FB type " + t->name + " has no data input '" + name + "'");
      ok = false;
      continue;
    }
    const VarDecl& in = t->iface.inputs[*k];
    if (in.generic != GenericClass::kNone) continue;
    std::vector<Value> slots(in.slots());
    write_initial(in, slots.data());
    const std::string literal = in.array_size ? value : adapt_literal(in.type, value);
    if (!parse_var_literal(in, literal, slots.data())) {
      x.error(p, "invalid value '" + value + "' for input '" + in.name + "' of FB type " + t->name);
      ok = false;
    }
  }
  return ok;
}

}  // namespace

std::optional<ResourceType> import_resource_type(const LibraryElement& x, TypeContext& ctx,
                                                 const lang::TypeScope& scope) {
  pugi::xml_node root = x.root();
  if (std::strcmp(root.name(), "ResourceType") != 0) {
    x.error(root, std::string("expected a ResourceType, found ") + root.name());
    return std::nullopt;
  }
  auto name = x.required(root, "Name");
  if (!name) return std::nullopt;
  if (!is_identifier(*name)) {
    x.error(root, "'" + *name + "' is not a valid type name");
    return std::nullopt;
  }
  ResourceType t;
  t.name = *name;
  bool ok = import_type_parameters(x, root, ctx, scope, t.parameters);
  pugi::xml_node net = root.child("FBNetwork");
  for (pugi::xml_node c : net.children()) {
    const char* kind = c.name();
    if (std::strcmp(kind, "EventConnections") == 0 || std::strcmp(kind, "DataConnections") == 0 ||
        std::strcmp(kind, "AdapterConnections") == 0 || std::strcmp(kind, "SubApp") == 0) {
      x.error(c, std::string(kind) + " in a resource type's network are not supported (only FBs)");
      ok = false;
    }
  }
  ImportedNetwork imported;
  ok &= import_network(x, net, ctx, nullptr, imported);
  for (const auto& f : imported.net.fbs)
    if (find_parameter(t.parameters, f.name.text)) {
      x.error(net, "FB '" + f.name.text + "' has the name of a parameter of the resource type");
      ok = false;
    }
  for (pugi::xml_node n : net.children("FB")) ok &= check_fb_parameters(x, n, ctx);
  t.fbs = std::move(imported.net.fbs);
  if (!ok) return std::nullopt;
  return t;
}

}  // namespace plc::fourdiac
