#include "runtime/language/system.h"

#include <cctype>
#include <map>
#include <set>

#include "runtime/language/fb_type_compiler.h"
#include "runtime/language/suggest.h"
#include "runtime/type_library.h"

namespace plc::lang {
namespace {

// Sets one ResourceOptions field from a parameter; false if unknown.
bool set_option(ResourceOptions& o, const std::string& name, const std::string& literal, std::string& error) {
  const std::string n = identifier_key(name);
  auto number = [&](uint64_t max) -> std::optional<uint64_t> {
    auto v = parse_literal(DataType::kUlint, literal);
    if (!v || v->u == 0 || v->u > max) {
      error = "invalid value '" + literal + "' for " + name + " (1.." + std::to_string(max) + ")";
      return std::nullopt;
    }
    return v->u;
  };
  if (n == "QUEUE_CAPACITY") {
    if (auto v = number(1u << 24)) o.queue_capacity = uint32_t(*v);
  } else if (n == "PAYLOAD_CAPACITY") {
    if (auto v = number(1u << 26)) o.payload_capacity = uint32_t(*v);
  } else if (n == "EVENT_BUDGET") {
    if (auto v = number(UINT32_MAX)) o.event_budget = uint32_t(*v);
  } else if (n == "INSTRUCTION_BUDGET") {
    if (auto v = number(INT64_MAX)) o.instruction_budget = int64_t(*v);
  } else if (n == "MAX_ALGORITHM_SLICES") {
    auto v = parse_literal(DataType::kUdint, literal);
    if (!v) error = "invalid value '" + literal + "' for " + name;
    else o.max_algorithm_slices = uint32_t(v->u);
  } else {
    error = "unknown resource parameter '" + name + "'" +
            did_you_mean(name, {"queue_capacity", "payload_capacity", "event_budget", "instruction_budget",
                                "max_algorithm_slices"});
  }
  return error.empty();
}

// Adds `from` to `into`; an FB named as one already there (reported) is
// left out, so that checking the network does not report it again.
void merge(FbNetwork& into, FbNetwork&& from, std::set<std::string>& names) {
  for (auto& f : from.fbs)
    if (names.insert(identifier_key(f.name)).second) into.fbs.push_back(std::move(f));
  for (auto& c : from.event_connections) into.event_connections.push_back(std::move(c));
  for (auto& c : from.data_connections) into.data_connections.push_back(std::move(c));
}

}  // namespace

SystemDef compile_system(const SystemAst& s, std::string_view file, Diagnostics& diags) {
  auto at = [&](Loc l) { return where(file, l.line, l.col); };
  SystemDef sys;
  sys.name = s.name.text;
  sys.where = at(s.name.loc);
  sys.application.name = s.name.text;

  // FB name -> (application, where) for mapping and duplicate checks.
  std::map<std::string, std::string> app_of;
  std::set<std::string> names;  // of the FBs in sys.application.network
  std::map<std::string, std::string> apps;
  for (const auto& app : s.applications) {
    if (!apps.emplace(identifier_key(app.name.text), app.name.text).second)
      diags.error(at(app.name.loc), "duplicate application '" + app.name.text + "'");
    for (const auto& f : app.network.fbs) {
      auto [it, fresh] = app_of.emplace(identifier_key(f.name.text), app.name.text);
      if (!fresh && it->second != app.name.text)
        diags.error(at(f.name.loc), "FB '" + f.name.text + "' of application " + app.name.text +
                                        " has the same name as an FB of application " + it->second);
    }
    merge(sys.application.network, network_of(app.network, file, diags), names);
  }

  std::map<std::string, std::string> resources;  // upper "DEV.RES" -> as written
  for (const auto& d : s.devices) {
    DeviceDef dev{d.name.text, d.type.text, {}, {}, at(d.name.loc)};
    for (const auto& dd : sys.devices)
      if (same_identifier(dd.name, d.name.text)) diags.error(at(d.name.loc), "duplicate device '" + d.name.text + "'");
    for (const auto& [p, v] : d.parameters) dev.parameters.push_back({p.text, v});
    for (const auto& r : d.resources) {
      ResourceDecl decl{d.name.text + "." + r.name.text, {}};
      for (const auto& [p, v] : r.parameters) {
        std::string err;
        if (!set_option(decl.options, p.text, v, err)) diags.error(at(p.loc), err);
      }
      if (!resources.emplace(identifier_key(decl.name), decl.name).second) {
        diags.error(at(r.name.loc), "duplicate resource '" + r.name.text + "' in device " + d.name.text);
        continue;
      }
      // The resource's own FBs are mapped onto it.
      for (const auto& f : r.network.fbs) {
        if (!app_of.emplace(identifier_key(f.name.text), decl.name).second)
          diags.error(at(f.name.loc), "FB '" + f.name.text + "' of resource " + decl.name +
                                          " has the same name as another FB of the system");
        sys.application.mapping.push_back({f.name.text, decl.name, at(f.name.loc)});
      }
      merge(sys.application.network, network_of(r.network, file, diags), names);
      dev.resources.push_back(decl.name);
      sys.resources.push_back(std::move(decl));
    }
    sys.devices.push_back(std::move(dev));
  }

  std::map<std::string, std::string> mapped;  // FB -> resource
  std::vector<std::string> fb_names, resource_names;
  for (const auto& [k, v] : app_of) fb_names.push_back(k);
  for (const auto& [k, v] : resources) resource_names.push_back(v);
  for (const auto& m : s.mappings) {
    // "App.FB" or "FB".
    std::string fb = m.fb;
    if (auto dot = fb.find('.'); dot != std::string::npos) {
      std::string app = fb.substr(0, dot);
      if (!apps.count(identifier_key(app))) {
        diags.error(at(m.loc), "unknown application '" + app + "' in the mapping of " + m.fb);
        continue;
      }
      fb = fb.substr(dot + 1);
    }
    auto fb_it = app_of.find(identifier_key(fb));
    if (fb_it == app_of.end()) {
      diags.error(at(m.loc), "unknown FB '" + fb + "' in MAPPING" + did_you_mean(identifier_key(fb), fb_names));
      continue;
    }
    auto res = resources.find(identifier_key(m.resource));
    if (res == resources.end()) {
      diags.error(at(m.loc), "unknown resource '" + m.resource + "' in MAPPING (write Device.Resource)" +
                                 did_you_mean(m.resource, resource_names));
      continue;
    }
    if (!mapped.emplace(identifier_key(fb), res->second).second) {
      diags.error(at(m.loc), "FB '" + fb + "' is mapped twice");
      continue;
    }
    sys.application.mapping.push_back({fb, res->second, at(m.loc)});
  }
  for (const auto& app : s.applications)
    for (const auto& f : app.network.fbs)
      if (!mapped.count(identifier_key(f.name.text)))
        diags.error(at(f.name.loc),
                    "FB '" + f.name.text + "' of application " + app.name.text + " is not mapped to any resource");
  if (sys.resources.empty()) diags.error(at(s.name.loc), "system " + s.name.text + " has no DEVICE with a RESOURCE");
  return sys;
}

}  // namespace plc::lang
