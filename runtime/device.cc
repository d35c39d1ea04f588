#include "runtime/device.h"

#include <algorithm>
#include <functional>
#include <optional>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "runtime/composite.h"
#include "runtime/connection.h"

namespace plc {
namespace {

std::string fb_of(const std::string& port) {
  auto dot = port.rfind('.');
  return dot == std::string::npos ? port : port.substr(0, dot);
}
std::string port_of(const std::string& port) {
  auto dot = port.rfind('.');
  return dot == std::string::npos ? "" : port.substr(dot + 1);
}
std::string where(const ConnectionDecl& c) { return c.where.empty() ? c.source + " -> " + c.destination : c.where; }

class DeviceLoader {
 public:
  DeviceLoader(const std::vector<ResourceDecl>& decls, const Application& app, const TypeLibrary& lib)
      : decls_(decls), app_(app), lib_(lib) {}

  // Fills the plan; `resources` are loaded from it (their links unset).
  // `wanted` (null: all) are the resources to plan: loaded and linked; a
  // resource they send to is loaded too, for its layout; the others are
  // not even flattened (their network() is empty). `targets` gets, for
  // every resource, those it sends events to (from the mapping alone).
  bool run(std::vector<std::string>& names, std::vector<ResourceOptions>& options, std::vector<FbNetwork>& local_out,
           std::vector<std::vector<RemoteLink>>& links, std::vector<std::unique_ptr<Resource>>& resources,
           const std::vector<bool>* wanted = nullptr, std::vector<std::vector<size_t>>* targets = nullptr) {
    if (decls_.empty()) {
      diag_.error(app_.name, "a device needs at least one resource");
      return false;
    }
    read_mapping();
    // Which resource sends events to which, from the application's own
    // connections (mapping is per top-level instance, so flattening
    // composites changes no pair).
    const auto& events = app_.network.event_connections;
    std::vector<std::pair<std::optional<size_t>, std::optional<size_t>>> ends;  // of each event connection
    ends.reserve(events.size());
    std::vector<std::set<size_t>> sends_to(decls_.size());
    for (const auto& c : events) {
      auto s = mapping_of(fb_of(c.source)), d = mapping_of(fb_of(c.destination));
      ends.emplace_back(s, d);
      if (s && d && *s != *d) sends_to[*s].insert(*d);
    }
    if (targets)
      for (const auto& t : sends_to) targets->emplace_back(t.begin(), t.end());
    std::vector<bool> load(decls_.size(), wanted == nullptr);
    if (wanted)
      for (size_t k = 0; k < decls_.size(); ++k)
        if (k < wanted->size() && (*wanted)[k]) {
          load[k] = true;
          for (size_t t : sends_to[k]) load[t] = true;
        }
    // Only the part of the application on loaded resources is flattened:
    // one node of a large plant reads the rest once, for the mapping.
    FbNetwork part;
    const FbNetwork* network = &app_.network;
    if (wanted) {
      auto kept = [&](std::optional<size_t> r) { return !r || load[*r]; };  // unmapped: kept, to be reported
      for (const auto& fb : app_.network.fbs)
        if (kept(mapping_of(fb.name))) part.fbs.push_back(fb);
      for (size_t k = 0; k < events.size(); ++k)
        if (kept(ends[k].first) && kept(ends[k].second)) part.event_connections.push_back(events[k]);
      for (const auto& c : app_.network.data_connections)
        if (kept(mapping_of(fb_of(c.source))) && kept(mapping_of(fb_of(c.destination))))
          part.data_connections.push_back(c);
      network = &part;
    }
    const size_t reported = diag_.error_count();  // mapping errors go on with the FBs' own
    FbNetwork flat = flatten(*network, lib_, diag_);
    if (diag_.error_count() > reported) return false;
    // Generic ports are decided over the whole part, so a connection from
    // another resource decides a type as a local one does.
    const GenericInstances generic = resolve_generics(flat, lib_, diag_);
    if (diag_.error_count() > reported) return false;
    std::vector<FbNetwork> local(decls_.size());
    for (const auto& fb : flat.fbs)
      if (auto r = resource_of(fb.name, fb.where)) local[*r].fbs.push_back(fb);
    std::vector<ConnectionDecl> cross_events, cross_data;
    split(flat.event_connections, local, cross_events, true);
    split(flat.data_connections, local, cross_data, false);
    if (!diag_.ok()) return false;
    for (size_t k = 0; k < decls_.size(); ++k) {
      names.push_back(decls_[k].name);
      options.push_back(decls_[k].options);
      resources.emplace_back();
      if (!load[k]) continue;
      auto r = Resource::load(local[k], lib_, decls_[k].options, generic);
      if (!r) {
        for (const auto& d : r.errors().list()) diag_.error(d.where, d.message);
        continue;
      }
      resources.back() = std::move(r.value());
    }
    if (!diag_.ok()) return false;
    auto planned = [&](size_t k) { return !wanted || (k < wanted->size() && (*wanted)[k]); };
    links = link(cross_events, cross_data, resources, planned);
    if (!diag_.ok()) return false;
    local_out = std::move(local);
    return true;
  }

  const Diagnostics& errors() const { return diag_; }

 private:
  // Resource and FB names are IEC identifiers: "r1" maps onto resource R1.
  void read_mapping() {
    std::unordered_map<std::string, size_t> resources;
    for (size_t k = 0; k < decls_.size(); ++k)
      if (!resources.try_emplace(identifier_key(decls_[k].name), k).second)
        diag_.error(decls_[k].name, "duplicate resource name '" + decls_[k].name + "'");
    for (const auto& m : app_.mapping) {
      auto r = resources.find(identifier_key(m.resource));
      if (r == resources.end()) {
        diag_.error(m.where.empty() ? m.fb : m.where,
                    "unknown resource '" + m.resource + "' in the mapping of '" + m.fb + "'");
        continue;
      }
      mapping_[identifier_key(m.fb)] = r->second;
    }
  }

  // The resource of a flat FB name: its own mapping or its outermost composite's.
  std::optional<size_t> resource_of(const std::string& fb, const std::string& at) {
    if (auto r = mapping_of(fb)) return r;
    if (reported_.insert(fb).second) diag_.error(at.empty() ? fb : at, "FB '" + fb + "' is not mapped to a resource");
    return std::nullopt;
  }

  void split(const std::vector<ConnectionDecl>& conns, std::vector<FbNetwork>& local,
             std::vector<ConnectionDecl>& cross, bool events) {
    for (const auto& c : conns) {
      auto s = mapping_of(fb_of(c.source)), d = mapping_of(fb_of(c.destination));
      if (!s || !d || *s == *d) {
        // Unmapped or unknown FBs are reported by the resource's loader.
        auto& net = local[s ? *s : d ? *d : 0];
        (events ? net.event_connections : net.data_connections).push_back(c);
      } else {
        cross.push_back(c);
      }
    }
  }

  std::optional<size_t> mapping_of(const std::string& fb) {
    const std::string key = identifier_key(fb);
    for (size_t dot = 0;; ++dot) {
      dot = key.find('.', dot);
      if (auto it = mapping_.find(key.substr(0, dot)); it != mapping_.end()) return it->second;
      if (dot == std::string::npos) return std::nullopt;
    }
  }

  template <typename Planned>
  std::vector<std::vector<RemoteLink>> link(const std::vector<ConnectionDecl>& events,
                                            const std::vector<ConnectionDecl>& data,
                                            std::vector<std::unique_ptr<Resource>>& res, Planned planned) {
    std::vector<std::vector<RemoteLink>> links(res.size());
    std::set<const ConnectionDecl*> used_data;
    for (const auto& e : events) {
      size_t sr = *mapping_of(fb_of(e.source)), dr = *mapping_of(fb_of(e.destination));
      if (!planned(sr)) continue;
      Resource& src = *res[sr];
      Resource& dst = *res[dr];
      auto sf = src.find_fb(fb_of(e.source));
      auto df = dst.find_fb(fb_of(e.destination));
      if (!sf || !df) {
        diag_.error(where(e), "unknown FB in '" + (sf ? e.destination : e.source) + "'");
        continue;
      }
      const auto& siface = src.type_of(*sf).iface;
      const auto& diface = dst.type_of(*df).iface;
      auto eo = siface.find_event_output(port_of(e.source));
      auto ei = diface.find_event_input(port_of(e.destination));
      if (!eo) diag_.error(where(e), "'" + e.source + "' is not an event output");
      if (!ei) diag_.error(where(e), "'" + e.destination + "' is not an event input");
      if (!eo || !ei) continue;
      RemoteLink link{*sf, *eo, nullptr, uint32_t(dr), index_of(*df), *ei, {}};
      for (const auto& d : data) {
        if (!same_identifier(fb_of(d.source), fb_of(e.source)) ||
            !same_identifier(fb_of(d.destination), fb_of(e.destination)))
          continue;
        auto out = siface.find_output(port_of(d.source));
        auto in = diface.find_input(port_of(d.destination));
        if (!out || !in) continue;  // reported below as not carried
        bool in_with = false, out_with = false;
        for (uint16_t w : diface.event_inputs[index_of(*ei)].with) in_with |= w == *in;
        for (uint16_t w : siface.event_outputs[index_of(*eo)].with) out_with |= w == *out;
        if (!in_with || !out_with) continue;
        // The same rule as inside a resource: widening is a slot copy too,
        // integer -> real converts on the way.
        const VarDecl& sv = siface.outputs[*out];
        const VarDecl& dv = diface.inputs[*in];
        used_data.insert(&d);  // carried by this event, whatever its type
        if (!can_feed(sv, dv)) {
          diag_.error(where(d), "type mismatch: " + d.source + " is " + describe_type(sv) + " but " + d.destination +
                                    " is " + describe_type(dv));
          continue;
        }
        const uint32_t n = dv.slots();
        const Conversion conv = conversion_of(sv, dv);
        for (uint32_t k = 0; k < n; ++k)
          link.copies.push_back({tag_slot(src.slot_of(*sf, siface.output_slot(*out) + k), conv),
                                 dst.slot_of(*df, diface.input_slot(*in) + k)});
      }
      if (link.copies.size() > size_t(InboxEvent::kMaxValues)) {
        diag_.error(where(e), "an event between resources carries at most " + std::to_string(InboxEvent::kMaxValues) +
                                  " values; '" + e.source + "' carries " + std::to_string(link.copies.size()));
        continue;
      }
      links[sr].push_back(std::move(link));
    }
    for (const auto& d : data)
      if (!used_data.count(&d) && planned(*mapping_of(fb_of(d.source))))
        diag_.error(where(d), "data connection '" + d.source + "' -> '" + d.destination +
                                  "' crosses resources without an event connection from the same FB carrying it "
                                  "(both ports in the events' WITH lists)");
    return links;
  }

  const std::vector<ResourceDecl>& decls_;
  const Application& app_;
  const TypeLibrary& lib_;
  Diagnostics diag_;
  std::unordered_map<std::string, size_t> mapping_;  // identifier_key(FB) -> resource
  std::set<std::string> reported_;
};

}  // namespace

Expected<std::shared_ptr<const DevicePlan>> DevicePlan::make(const std::vector<ResourceDecl>& resources,
                                                             const Application& app, const TypeLibrary& lib,
                                                             const std::vector<bool>* only) {
  auto plan = std::make_shared<DevicePlan>();
  std::vector<std::unique_ptr<Resource>> loaded;
  DeviceLoader loader(resources, app, lib);
  if (!loader.run(plan->names_, plan->options_, plan->local_, plan->links_, loaded, only, &plan->targets_))
    return loader.errors();
  plan->planned_.assign(resources.size(), only == nullptr);
  if (only)
    for (size_t k = 0; k < resources.size() && k < only->size(); ++k) plan->planned_[k] = (*only)[k];
  plan->hash_ = hash_of(resources, app, lib);
  return std::shared_ptr<const DevicePlan>(std::move(plan));
}

Expected<std::shared_ptr<const DevicePlan>> DevicePlan::make(const std::vector<ResourceDecl>& resources,
                                                             const Application& app, const TypeLibrary& lib,
                                                             const std::vector<DeviceDecl>& devices,
                                                             const std::vector<std::string>& only_devices) {
  std::vector<bool> only(resources.size(), false);
  for (const auto& d : devices) {
    if (std::none_of(only_devices.begin(), only_devices.end(),
                     [&](const std::string& n) { return same_identifier(n, d.name); }))
      continue;
    for (const auto& r : d.resources)
      for (size_t k = 0; k < resources.size(); ++k)
        if (same_identifier(resources[k].name, r)) only[k] = true;
  }
  return make(resources, app, lib, &only);
}

uint64_t DevicePlan::hash_of(const std::vector<ResourceDecl>& resources, const Application& app,
                             const TypeLibrary& lib) {
  uint64_t h = 1469598103934665603ull;
  auto mix = [&](std::string_view s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    h = (h ^ 0xff) * 1099511628211ull;
  };
  auto mix_var = [&](const VarDecl& v) {
    mix(v.name);
    mix(std::to_string(int(v.type)) + "/" + std::to_string(v.slots()));
  };
  std::unordered_set<std::string> seen_as_written, seen;
  std::function<void(const std::string&)> mix_type = [&](const std::string& name) {
    if (!seen_as_written.insert(name).second) return;
    if (!seen.insert(identifier_key(name)).second) return;
    const FbType* t = lib.find(name);
    if (!t) return;
    for (const auto& v : t->iface.inputs) mix_var(v);
    for (const auto& v : t->iface.outputs) mix_var(v);
    for (const auto& e : t->iface.event_inputs) {
      mix(e.name);
      for (uint16_t w : e.with) mix(std::to_string(w));
    }
    for (const auto& e : t->iface.event_outputs) mix(e.name);
    if (t->network)
      for (const auto& fb : t->network->fbs) {
        mix(fb.name);
        mix(fb.type);
        mix_type(fb.type);
      }
  };
  for (const auto& r : resources) mix(r.name);
  for (const auto& m : app.mapping) {
    mix(m.fb);
    mix(m.resource);
  }
  for (const auto& fb : app.network.fbs) {
    mix(fb.name);
    mix(fb.type);
    mix_type(fb.type);
  }
  return h;
}

std::optional<size_t> DevicePlan::find(std::string_view name) const {
  for (size_t k = 0; k < names_.size(); ++k)
    if (same_identifier(names_[k], name)) return k;
  return std::nullopt;
}

Expected<std::unique_ptr<Resource>> DevicePlan::instantiate(size_t k, const TypeLibrary& lib,
                                                            const std::vector<EventSink*>& targets) const {
  if (!planned_.at(k)) {
    Diagnostics d;
    d.error(names_[k], "resource '" + names_[k] + "' was not planned here (DevicePlan::make's `only`)");
    return d;
  }
  auto r = Resource::load(local_[k], lib, options_[k]);
  if (!r) return r.errors();
  std::vector<RemoteLink> links = links_[k];
  for (auto& link : links) link.target = targets.at(link.target_resource);
  r.value()->set_remote_links(std::move(links));
  return std::move(r.value());
}

Expected<std::unique_ptr<Device>> Device::load(const std::vector<ResourceDecl>& resources, const Application& app,
                                               const TypeLibrary& lib) {
  auto device = std::unique_ptr<Device>(new Device());
  std::vector<FbNetwork> local;
  std::vector<std::vector<RemoteLink>> links;
  std::vector<ResourceOptions> options;
  DeviceLoader loader(resources, app, lib);
  if (!loader.run(device->names_, options, local, links, device->resources_)) return loader.errors();
  for (size_t k = 0; k < links.size(); ++k) {
    for (auto& link : links[k]) link.target = device->resources_[link.target_resource].get();
    device->resources_[k]->set_remote_links(std::move(links[k]));
  }
  return device;
}

Resource* Device::resource(std::string_view name) const {
  for (size_t k = 0; k < names_.size(); ++k)
    if (same_identifier(names_[k], name)) return resources_[k].get();
  return nullptr;
}

}  // namespace plc
