#include "runtime/fourdiac/interface_list.h"

#include <cstring>

#include "runtime/fourdiac/type_context.h"
#include "runtime/fourdiac/var_declaration.h"

namespace plc::fourdiac {
namespace {

bool events(const LibraryElement& x, pugi::xml_node section, std::vector<lang::EventDeclAst>& out) {
  bool ok = true;
  for (pugi::xml_node e : section.children()) {
    if (std::strcmp(e.name(), "Event") != 0 && std::strcmp(e.name(), "SubAppEvent") != 0) continue;
    auto name = x.required(e, "Name");
    if (!name) {
      ok = false;
      continue;
    }
    if (!is_identifier(*name)) {
      x.error(e, "'" + *name + "' is not a valid event name");
      ok = false;
      continue;
    }
    lang::EventDeclAst d;
    d.name = {*name, x.attribute_loc(e, "Name")};
    for (pugi::xml_node w : e.children("With")) {
      auto var = x.required(w, "Var");
      if (!var) {
        ok = false;
        continue;
      }
      d.with.push_back({*var, x.attribute_loc(w, "Var")});
    }
    out.push_back(std::move(d));
  }
  return ok;
}

bool vars(const LibraryElement& x, pugi::xml_node section, TypeContext& ctx, std::vector<lang::VarDeclAst>& out) {
  bool ok = true;
  for (pugi::xml_node v : section.children("VarDeclaration")) {
    if (auto d = import_var(x, v, ctx)) out.push_back(std::move(*d));
    else ok = false;
  }
  return ok;
}

bool adapter_decls(const LibraryElement& x, pugi::xml_node section, bool plug, TypeContext& ctx,
                   std::vector<AdapterDecl>* adapters, lang::FbTypeAst& out) {
  bool ok = true;
  for (pugi::xml_node a : section.children("AdapterDeclaration")) {
    if (!adapters) {
      x.error(a, "an adapter type cannot have plugs or sockets");
      ok = false;
      continue;
    }
    auto name = x.required(a, "Name");
    auto type = x.required(a, "Type");
    if (!name || !type) {
      ok = false;
      continue;
    }
    if (!is_identifier(*name)) {
      x.error(a, "'" + *name + "' is not a valid adapter name");
      ok = false;
      continue;
    }
    const AdapterType* t = ctx.adapter_type(*type, x, a);
    if (!t) {  // reported; kept, without ports, so that what uses it is not reported as unknown
      adapters->push_back({*name, *type, plug});
      ok = false;
      continue;
    }
    AdapterDecl d{*name, t->name, plug};
    add_adapter_ports(d, *t, out);
    adapters->push_back(std::move(d));
  }
  return ok;
}

}  // namespace

bool import_interface_list(const LibraryElement& x, pugi::xml_node list, TypeContext& ctx, lang::FbTypeAst& out,
                           std::vector<AdapterDecl>* adapters) {
  bool ok = true;
  for (pugi::xml_node section : list.children()) {
    const std::string name = section.name();
    if (name == "EventInputs" || name == "SubAppEventInputs") ok &= events(x, section, out.event_inputs);
    else if (name == "EventOutputs" || name == "SubAppEventOutputs") ok &= events(x, section, out.event_outputs);
    else if (name == "InputVars") ok &= vars(x, section, ctx, out.inputs);
    else if (name == "OutputVars") ok &= vars(x, section, ctx, out.outputs);
    else if (name == "Plugs") ok &= adapter_decls(x, section, true, ctx, adapters, out);
    else if (name == "Sockets") ok &= adapter_decls(x, section, false, ctx, adapters, out);
    else if (name == "InOutVars" && section.child("VarDeclaration")) {
      x.error(section, "in-out variables (VAR_IN_OUT) are not supported");
      ok = false;
    } else if (name == "ErrorMessage" || name == "Attribute" || name == "InOutVars") {
      continue;
    } else if (section.type() == pugi::node_element) {
      x.warning(section, "unknown element '" + name + "' ignored");
    }
  }
  return ok;
}

}  // namespace plc::fourdiac
