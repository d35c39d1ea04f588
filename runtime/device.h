// A device (IEC 61499-1 6.2) runs an application whose FB instances are
// mapped onto its resources. Each resource is loaded with the part of the
// network mapped to it; an event connection between two resources becomes
// a RemoteLink: the event, with the values of the receiver's WITH inputs
// that the sender feeds, goes through the receiving resource's lock-free
// inbox (so the resources may run on different threads). A data connection
// between resources must travel with an event from the same FB: data read
// across resources without an event would be a race, so it is refused at
// load time (IEC 61499 itself routes such data through communication SIFBs).
//
// Composite instances are mapped as a whole (their inner FBs follow them).
#pragma once

#include <memory>
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
