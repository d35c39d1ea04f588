#include "runtime/fourdiac/device_type.h"

#include <cstring>

#include "runtime/fourdiac/type_context.h"

namespace plc::fourdiac {

std::optional<DeviceType> import_device_type(const LibraryElement& x, TypeContext& ctx, const lang::TypeScope& scope) {
  pugi::xml_node root = x.root();
  if (std::strcmp(root.name(), "DeviceType") != 0) {
    x.error(root, std::string("expected a DeviceType, found ") + root.name());
    return std::nullopt;
  }
  auto name = x.required(root, "Name");
  if (!name) return std::nullopt;
  if (!is_identifier(*name)) {
    x.error(root, "'" + *name + "' is not a valid type name");
    return std::nullopt;
  }
  DeviceType t;
  t.name = *name;
  bool ok = import_type_parameters(x, root, ctx, scope, t.parameters);
  for (pugi::xml_node r : root.children("ResourceTypeName")) {
    auto rname = x.required(r, "Name");
    if (rname && !is_identifier(std::string(unqualified(*rname)))) {
      x.error(r, "'" + *rname + "' is not a valid type name");
      rname.reset();
    }
    if (rname) t.resource_types.push_back(*rname);
    else ok = false;
  }
  for (const char* kind : {"Resource", "FBNetwork"})
    if (pugi::xml_node n = root.child(kind)) {
      x.error(n, std::string(kind) + " in a device type is not supported (a System declares the device's resources)");
      ok = false;
    }
  if (!ok) return std::nullopt;
  return t;
}

bool is_plc_device_parameter(std::string_view name) { return same_identifier(name, "NODE"); }

}  // namespace plc::fourdiac
