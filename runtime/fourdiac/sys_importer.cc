#include "runtime/fourdiac/sys_importer.h"

#include <cstring>
#include <map>
#include <optional>
#include <set>

#include "runtime/fourdiac/type_context.h"
#include "runtime/type_library.h"

namespace plc::fourdiac {
namespace {

struct Parameter {
  lang::Name name;
  std::string value;
  pugi::xml_node at;
};

std::vector<Parameter> parameters(const LibraryElement& x, pugi::xml_node n) {
  std::vector<Parameter> out;
  for (pugi::xml_node p : n.children("Parameter"))
    if (auto name = x.required(p, "Name"))
      out.push_back({{*name, x.attribute_loc(p, "Name")}, p.attribute("Value").value(), p});
  return out;
}

lang::FbInstanceAst start_fb() {
  lang::FbInstanceAst f;
  f.name.text = "START";
  f.type.text = "E_RESTART";
  return f;
}

// "FB.PORT" -> "FB"
std::string fb_of(const std::string& end) {
  auto dot = end.rfind('.');
  return dot == std::string::npos ? "" : end.substr(0, dot);
}

class SysImporter {
 public:
  SysImporter(const LibraryElement& x, TypeContext& ctx) : x_(x), ctx_(ctx) {}

  ImportedSystem run() {
    pugi::xml_node root = x_.root();
    if (std::strcmp(root.name(), "System") != 0) {
      x_.error(root, std::string("expected a System, found ") + root.name());
      return std::move(out_);
    }
    auto name = x_.required(root, "Name");
    if (!name) return std::move(out_);
    lang::SystemAst sys;
    sys.name = {*name, x_.attribute_loc(root, "Name")};
    for (pugi::xml_node a : root.children("Application")) application(a, sys);
    mappings(root, sys);
    for (pugi::xml_node d : root.children("Device")) device(d, sys);
    out_.file.systems.push_back(std::move(sys));
    out_.complete = ok_;
    return std::move(out_);
  }

 private:
  // A required Name that is an identifier (it is joined with '.' later).
  std::optional<std::string> name_of(pugi::xml_node n, const char* what) {
    auto name = x_.required(n, "Name");
    if (name && !is_identifier(*name)) {
      x_.error(n, "'" + *name + "' is not a valid " + what + " name");
      name.reset();
    }
    if (!name) ok_ = false;
    return name;
  }

  void application(pugi::xml_node a, lang::SystemAst& sys) {
    auto name = name_of(a, "application");
    if (!name) return;
    ImportedApplication app{*name, x_.loc(a), {}};
    pugi::xml_node net = a.child("SubAppNetwork");
    if (!net) net = a.child("FBNetwork");
    ok_ &= import_network(x_, net, ctx_, nullptr, app.network);
    sys.applications.push_back({{*name, x_.attribute_loc(a, "Name")}, app.network.net});
    out_.applications.push_back(std::move(app));
  }

  const ImportedApplication* find_app(const std::string& name) const {
    for (const auto& a : out_.applications)
      if (same_identifier(a.name, name)) return &a;
    return nullptr;
  }

  void mappings(pugi::xml_node root, lang::SystemAst& sys) {
    for (pugi::xml_node m : root.children("Mapping")) {
      auto from = x_.required(m, "From");
      auto to = x_.required(m, "To");
      if (!from || !to) {
        ok_ = false;
        continue;
      }
      const auto dot = from->find('.');
      const ImportedApplication* app = dot == std::string::npos ? nullptr : find_app(from->substr(0, dot));
      if (!app) {
        x_.error(m, "'" + *from + "' is not of the form Application.FB (or Application.SubApp)");
        ok_ = false;
        continue;
      }
      const std::string path = from->substr(dot + 1);
      const std::string key = identifier_key(path);
      std::vector<std::string> fbs;
      for (const auto& f : app->network.net.fbs) {
        const std::string fk = identifier_key(f.name.text);
        if (fk == key || fk.rfind(key + ".", 0) == 0) fbs.push_back(f.name.text);
      }
      if (fbs.empty()) fbs.push_back(path);  // unknown: let the checker say so
      for (const auto& fb : fbs) {
        sys.mappings.push_back({x_.loc(m), app->name + "." + fb, *to});
        // Copies in the resource's FBNetwork carry the FB's own name.
        auto last = fb.rfind('.');
        copies_[identifier_key(*to)][identifier_key(last == std::string::npos ? fb : fb.substr(last + 1))] = fb;
        copies_[identifier_key(*to)][identifier_key(fb)] = fb;
        copies_[identifier_key(*to)][identifier_key(app->name + "." + fb)] = fb;  // "App.FB.PORT"
      }
    }
  }

  void device(pugi::xml_node d, lang::SystemAst& sys) {
    auto name = name_of(d, "device");
    if (!name) return;
    lang::DeviceAst dev;
    dev.name = {*name, x_.attribute_loc(d, "Name")};
    dev.type = {d.attribute("Type").value(), x_.attribute_loc(d, "Type")};
    const DeviceType* dt = nullptr;
    if (!dev.type.text.empty()) dt = ctx_.device_type(dev.type.text, x_, d, ok_);
    for (auto& p : parameters(x_, d)) {
      if (dt) {
        if (const TypeParameter* decl = find_parameter(dt->parameters, p.name.text)) {
          ok_ &= check_parameter_value(x_, p.at, *decl);
        } else if (!is_plc_device_parameter(p.name.text)) {
          x_.error(p.at, "unknown parameter '" + p.name.text + "' of device type " + dt->name + " (it declares " +
                             parameter_names(dt->parameters) + "; plc's own: NODE)");
          ok_ = false;
          continue;
        }
      }
      dev.parameters.push_back({std::move(p.name), std::move(p.value)});
    }
    for (pugi::xml_node r : d.children("Resource")) {
      auto rname = name_of(r, "resource");
      if (!rname) continue;
      lang::ResourceAst res;
      res.name = {*rname, x_.attribute_loc(r, "Name")};
      res.type = {r.attribute("Type").value(), x_.attribute_loc(r, "Type")};
      const std::string key = identifier_key(*name + "." + *rname);
      ResourceScope scope;
      const ResourceType* rt = nullptr;
      if (!res.type.text.empty()) rt = ctx_.resource_type(res.type.text, x_, r, ok_);
      for (auto& p : parameters(x_, r)) {
        // The type's parameters are checked here; the others are plc's
        // resource options, which the checker reads (and reports unknown).
        if (const TypeParameter* decl = rt ? find_parameter(rt->parameters, p.name.text) : nullptr)
          ok_ &= check_parameter_value(x_, p.at, *decl);
        else res.parameters.push_back({std::move(p.name), std::move(p.value)});
      }
      if (rt) scope.implicit_fbs = rt->fbs;
      else scope.implicit_fbs = {start_fb()};  // 4diac's convention: every resource type of 4diac's has it
      scope.at = x_.loc(r);
      for (const auto& [copy, fb] : copies_[key]) scope.mapped.insert(copy);
      ImportedNetwork net;
      ok_ &= import_network(x_, r.child("FBNetwork"), ctx_, nullptr, net, &scope);
      res.network = resource_network(std::move(net.net), key);
      dev.resources.push_back(std::move(res));
    }
    sys.devices.push_back(std::move(dev));
  }

  // Leaves out the copies of mapped FBs (and connections among them) and an
  // unused START; connections to a copy go to the application's FB.
  lang::NetworkAst resource_network(lang::NetworkAst n, const std::string& resource) {
    const auto& copies = copies_[resource];
    auto copy_of = [&](const std::string& fb) -> const std::string* {
      auto it = copies.find(identifier_key(fb));
      return it == copies.end() ? nullptr : &it->second;
    };
    std::set<std::string> used;
    lang::NetworkAst out;
    for (auto* list : {&n.event_connections, &n.data_connections}) {
      auto& into = list == &n.event_connections ? out.event_connections : out.data_connections;
      for (auto& c : *list) {
        const std::string* s = copy_of(fb_of(c.source));
        const std::string* d = copy_of(fb_of(c.destination));
        if (s && d) continue;  // the application has it
        if (s) c.source = *s + c.source.substr(c.source.rfind('.'));
        if (d) c.destination = *d + c.destination.substr(c.destination.rfind('.'));
        used.insert(identifier_key(fb_of(c.source)));
        used.insert(identifier_key(fb_of(c.destination)));
        into.push_back(std::move(c));
      }
    }
    for (auto& f : n.fbs) {
      if (copy_of(f.name.text)) continue;
      if (same_identifier(f.name.text, "START") && same_identifier(f.type.text, "E_RESTART") &&
          !used.count(identifier_key(f.name.text)))
        continue;
      out.fbs.push_back(std::move(f));
    }
    return out;
  }

  const LibraryElement& x_;
  TypeContext& ctx_;
  ImportedSystem out_;
  // Per resource ("DEV.RES"), the names a mapped FB's copy may have there.
  std::map<std::string, std::map<std::string, std::string>> copies_;
  bool ok_ = true;
};

}  // namespace

ImportedSystem import_system(const LibraryElement& x, TypeContext& ctx) { return SysImporter(x, ctx).run(); }

}  // namespace plc::fourdiac
