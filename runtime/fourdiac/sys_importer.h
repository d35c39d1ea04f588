// 4diac System documents (.sys) turned into the language's SystemAst, so
// that lang::check() checks them and yields the SystemDef a Device loads:
//
// - Application with its SubAppNetwork, SubApps flattened ("SubApp.FB",
//   fb_network_importer.h);
// - Device (Name, Type, Parameter) with its Resources (Name, Type,
//   Parameter, FBNetwork of resource-local FBs);
// - Mapping From="App.FB" To="Device.Resource" (a mapped SubApp maps all
//   its FBs);
// - Segment, Link, Attribute, VersionInfo: not needed to run, ignored.
//
// 4diac repeats a mapped FB inside its resource's FBNetwork; those copies
// are recognised by the mapping and not instantiated twice (connections to
// them, e.g. from START, are kept and point to the application's FB). A
// connection may also name the mapped FB with its application, as newer
// 4diac IDE writes it ("App.FB.PORT", "App.Sub.FB.PORT").
//
// A resource's type brings FBs that a real .sys does not declare: those of
// its .res file when the folders have one (resource_type.h), else 4diac's
// convention, START : E_RESTART (every resource type of 4diac's, EMB_RES,
// PANEL_RESOURCE, ..., has it). An FB of that name the network declares
// itself is used instead. A START that nothing uses is left out: every plc
// resource has its own START.
//
// Parameters: a Resource's that its type (.res) declares are checked
// against their types; the others are plc's resource options. A Device's
// are checked against its .dev when the folders have one (plc's NODE is
// allowed besides); a device or resource type without a file is only a
// name.
#pragma once

#include <string>
#include <vector>

#include "runtime/fourdiac/fb_network_importer.h"
#include "runtime/fourdiac/library_element.h"
#include "runtime/language/ast.h"

namespace plc::fourdiac {

class TypeContext;

struct ImportedApplication {
  std::string name;
  lang::Loc loc;
  ImportedNetwork network;  // flattened, FBs named "SubApp.FB"
};

struct ImportedSystem {
  lang::FileAst file;  // one SystemAst, for lang::check
  std::vector<ImportedApplication> applications;
  // Nothing was reported. Otherwise what could be read is still here (an FB
  // whose type has errors is left out, with its connections), so tools can
  // go on with the parts that are sound.
  bool complete = false;
};

ImportedSystem import_system(const LibraryElement& x, TypeContext& ctx);

}  // namespace plc::fourdiac
