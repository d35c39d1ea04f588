// A device (IEC 61499-1 6.2) runs an application whose FB instances are
// mapped onto its resources. Each resource is loaded with the part of the
// network mapped to it; an event connection between two resources becomes
// a RemoteLink: the event, with the values of the receiver's WITH inputs
// that the sender feeds, goes through the receiving resource's
// inbox (so the resources may run on different threads). A data connection
// between resources must travel with an event from the same FB: data read
// across resources without an event would be a race, so it is refused at
// load time (IEC 61499 itself routes such data through communication SIFBs).
//
// Composite instances are mapped as a whole (their inner FBs follow them).
//
// A host that runs each resource on its own (the BEAM: one process per
// resource, restarted alone when it crashes) loads a DevicePlan instead:
// the device checked once, then any resource instantiated from it, as many
// times as needed, with its links pointing at sinks the host provides. A
// resource instantiated from the same plan has the same layout every time,
// so links into it stay valid across its restarts.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/fb_network.h"
#include "runtime/resource.h"
#include "runtime/status.h"
#include "runtime/type_library.h"

namespace plc {

struct ResourceDecl {
  std::string name;
  ResourceOptions options;
};

struct Mapping {
  std::string fb;        // an instance of the application's network
  std::string resource;  // a ResourceDecl name
  std::string where;
};

struct Application {
  std::string name;
  FbNetwork network;
  std::vector<Mapping> mapping;
};

// A device of a system (IEC 61499-1 6.2) as far as planning goes: which
// of the system's resources (ResourceDecl names) it holds.
struct DeviceDecl {
  std::string name;
  std::vector<std::string> resources;
};

class DevicePlan {
 public:
  // Checks the whole device (every resource loaded once, every link
  // resolved); the errors are Device::load's. With `only` (by resource
  // index), plans just those resources: a host that runs a few resources
  // of a large system (one node of a plant) loads them and the resources
  // they send to (for their layout), not the whole system; the others can
  // only be named and their targets_of() read.
  static Expected<std::shared_ptr<const DevicePlan>> make(const std::vector<ResourceDecl>& resources,
                                                          const Application& app, const TypeLibrary& lib,
                                                          const std::vector<bool>* only = nullptr);
  // Plans the resources of the devices named in `only_devices` (names
  // compared case-insensitively; an unknown name plans nothing more), as
  // make() with their resources as `only`. Empty: the plan of nothing.
  static Expected<std::shared_ptr<const DevicePlan>> make(const std::vector<ResourceDecl>& resources,
                                                          const Application& app, const TypeLibrary& lib,
                                                          const std::vector<DeviceDecl>& devices,
                                                          const std::vector<std::string>& only_devices);

  // What two nodes must agree on to exchange events by index
  // (remote_event.h): the resources, every FB of the application with its
  // type and resource, and each type's interface (names, types, sizes, WITH
  // lists) and, for a composite, its inner network (which decides the
  // indices once flattened). FNV-1a, 64 bits. Read from the definition, so
  // the same on every node whatever part of it a node plans.
  static uint64_t hash_of(const std::vector<ResourceDecl>& resources, const Application& app, const TypeLibrary& lib);
  uint64_t hash() const { return hash_; }

  size_t size() const { return names_.size(); }
  const std::string& name_of(size_t k) const { return names_[k]; }
  std::optional<size_t> find(std::string_view name) const;  // case-insensitive
  // Flat (composites expanded); empty for a resource a partial plan did not load.
  const FbNetwork& network(size_t k) const { return local_[k]; }
  // The resources that resource k sends events to (ascending, no repeats),
  // planned or not: a host that spreads the resources over several
  // machines connects exactly these pairs.
  const std::vector<size_t>& targets_of(size_t k) const { return targets_.at(k); }
  bool planned(size_t k) const { return planned_.at(k); }
  // Loads resource k; its events for resource j go to targets[j] (which
  // must outlive it). `lib` must be the library the plan was made with.
  Expected<std::unique_ptr<Resource>> instantiate(size_t k, const TypeLibrary& lib,
                                                  const std::vector<EventSink*>& targets) const;

 private:
  friend class Device;
  std::vector<std::string> names_;
  std::vector<ResourceOptions> options_;
  std::vector<FbNetwork> local_;
  std::vector<std::vector<RemoteLink>> links_;  // by source resource; target unset
  std::vector<std::vector<size_t>> targets_;    // by source resource
  std::vector<bool> planned_;
  uint64_t hash_ = 0;
};

class Device {
 public:
  static Expected<std::unique_ptr<Device>> load(const std::vector<ResourceDecl>& resources, const Application& app,
                                                const TypeLibrary& lib);

  Resource* resource(std::string_view name) const;
  size_t size() const { return resources_.size(); }
  Resource& at(size_t k) const { return *resources_[k]; }
  const std::string& name_of(size_t k) const { return names_[k]; }

 private:
  std::vector<std::string> names_;
  std::vector<std::unique_ptr<Resource>> resources_;
};

}  // namespace plc
