// Systems (IEC 61499-1 Annex B: SYSTEM ... END_SYSTEM): applications,
// devices with their resources, and the mapping of application FBs onto
// resources, turned into what the engine loads.
//
// A system runs as one engine Device (device.h) per process until the
// distribution issue maps devices onto Erlang nodes: its resources are named
// "Device.Resource", the FBs of every application form one network (their
// names must differ across applications), and FBs declared inside a
// RESOURCE belong to that resource. Every application FB must be mapped
// exactly once.
//
// Parameters: a RESOURCE's are ResourceOptions (queue_capacity,
// payload_capacity, event_budget, instruction_budget,
// max_algorithm_slices); a DEVICE's are kept for the distribution layer
// (e.g. node := 'plc1@host').
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/device.h"
#include "runtime/language/ast.h"
#include "runtime/status.h"

namespace plc::lang {

struct DeviceDef {
  std::string name;
  std::string type;
  std::vector<Parameter> parameters;
  std::vector<std::string> resources;  // "Device.Resource"
  std::string where;
};

struct SystemDef {
  std::string name;
  std::string where;
  std::vector<DeviceDef> devices;
  std::vector<ResourceDecl> resources;  // every device's, named "Device.Resource"
  Application application;              // all FBs, mapped onto `resources`
};

// Reports every problem to `diags`; the result is usable only without
// errors, but its network is complete either way, so that the caller can
// still check it (compiler.cc).
SystemDef compile_system(const SystemAst& s, std::string_view file, Diagnostics& diags);

}  // namespace plc::lang
