// Device types (IEC 61499-1 Annex B DEVICE_TYPE; 4diac DeviceType, .dev
// files):
//
//   <DeviceType Name="FORTE_PC">
//     <VarDeclaration Name="MGR_ID" Type="WSTRING" InitialValue="&#34;localhost:61499&#34;"/>
//   </DeviceType>
//
// - VarDeclaration: the device's parameters (type_parameters.h); a System's
//   <Device Type="T"> may give them values, checked against their types.
//   plc's own NODE (the Erlang node the device runs on) is allowed besides
//   them.
// - ResourceTypeName (the resource types a device accepts) is read and
//   its names must be identifiers; plc does not restrict resources by it.
// - Resource and FBNetwork (resources and FBs a device type brings with
//   it) are not supported, reported where written.
// A device whose Type no .dev of the folders defines is not checked.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/fourdiac/library_element.h"
#include "runtime/fourdiac/type_parameters.h"

namespace plc::fourdiac {

class TypeContext;

struct DeviceType {
  std::string name;
  std::vector<TypeParameter> parameters;
  std::vector<std::string> resource_types;  // ResourceTypeName, as written
};

// Reads a DeviceType document; nullopt when something was reported.
std::optional<DeviceType> import_device_type(const LibraryElement& x, TypeContext& ctx, const lang::TypeScope& scope);

// plc's own device parameter (README "Device to node"), accepted on a
// Device of any type.
bool is_plc_device_parameter(std::string_view name);

}  // namespace plc::fourdiac
