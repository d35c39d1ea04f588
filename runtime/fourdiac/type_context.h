// What the 4diac importers need to know about the types a file uses. The
// TypeFolder (type_folder.h) answers by loading the types' files on demand;
// a reference may be qualified with a package ("eclipse4diac::events::E_CTU").
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "runtime/fb_type.h"
#include "runtime/fourdiac/adapter_type.h"
#include "runtime/fourdiac/device_type.h"
#include "runtime/fourdiac/library_element.h"
#include "runtime/fourdiac/resource_type.h"

namespace plc::fourdiac {

class TypeContext {
 public:
  virtual ~TypeContext() = default;

  // The library name of the FB type `ref` after making it available, or ""
  // when it cannot be (reported at `at` in `x`).
  virtual std::string fb_type(std::string_view ref, const LibraryElement& x, pugi::xml_node at) = 0;
  // The same for a structured data type (it is then in the type scope).
  virtual std::string data_type(std::string_view ref, const LibraryElement& x, pugi::xml_node at) = 0;
  // An adapter type, or nullptr (reported).
  virtual const AdapterType* adapter_type(std::string_view ref, const LibraryElement& x, pugi::xml_node at) = 0;

  // The resource type `ref` from its .res file; nullptr when no file
  // defines it (a resource's Type may be only a name: not reported), or when
  // the file has errors (reported, and `ok` is set false).
  virtual const ResourceType* resource_type(std::string_view ref, const LibraryElement& x, pugi::xml_node at,
                                            bool& ok) = 0;
  // The same for a device type (.dev).
  virtual const DeviceType* device_type(std::string_view ref, const LibraryElement& x, pugi::xml_node at, bool& ok) = 0;

  // The adapters (plugs and sockets) of an FB type made available above.
  virtual const std::vector<AdapterDecl>* adapters_of(std::string_view fb_type) const = 0;
  // An FB type made available above (for the types of parameters).
  virtual const FbType* find(std::string_view fb_type) const = 0;
};

}  // namespace plc::fourdiac
