// One 4diac IDE XML file (a "library element" of LibraryElement.dtd: an
// FBType .fbt, an AdapterType .adp, a DataType .dtp, a System .sys), read
// with pugixml and given locations for diagnostics.
//
// pugixml reports byte offsets; they become "file:line:col" here, and every
// message names the element path it is about ("FBType/BasicFB/ECC/
// ECTransition START->CU"), so a problem in a file of thousands of
// similar lines is found at once. A document that is not well-formed XML
// is one located error; nothing here throws or crashes on any input.
//
// Attribute values have their entities (&lt; &#10;) decoded by pugixml, so
// a column inside an attribute value (the ST of a transition condition) is
// exact only up to the first entity; lines are exact.
#pragma once

#include <pugixml.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/language/ast.h"
#include "runtime/status.h"

namespace plc::fourdiac {

class LibraryElement {
 public:
  // Parses `text`; a malformed document is reported and ok() is false.
  LibraryElement(std::string file, std::string text, Diagnostics& diags);
  LibraryElement(const LibraryElement&) = delete;
  LibraryElement& operator=(const LibraryElement&) = delete;

  bool ok() const { return ok_; }
  const std::string& file() const { return file_; }
  pugi::xml_node root() const { return doc_.document_element(); }

  // Where an element starts (its '<'), where an attribute's value starts,
  // where an element's text (PCDATA or CDATA) starts.
  lang::Loc loc(pugi::xml_node n) const;
  lang::Loc attribute_loc(pugi::xml_node n, std::string_view attribute) const;
  lang::Loc text_loc(pugi::xml_node n) const;
  std::string where(lang::Loc l) const;
  std::string where(pugi::xml_node n) const { return where(loc(n)); }

  // "FBType/InterfaceList/EventInputs/Event REQ": the elements from the
  // root down to `n`, each with its Name when it has one.
  static std::string path(pugi::xml_node n);

  // "file:line:col: error: in <path>: message".
  void error(pugi::xml_node n, const std::string& message) const;
  void warning(pugi::xml_node n, const std::string& message) const;
  // A required attribute: reported (and nullopt) when missing or empty.
  std::optional<std::string> required(pugi::xml_node n, const char* attribute) const;

  Diagnostics& diags() const { return diags_; }

 private:
  lang::Loc loc_of_offset(ptrdiff_t offset) const;

  std::string file_;
  std::string text_;
  pugi::xml_document doc_;
  std::vector<uint32_t> line_starts_;
  Diagnostics& diags_;
  bool ok_ = false;
};

// 4diac names of FBs, ports, types and SubApps must be IEC identifiers:
// the importer joins them with '.' (SubApp.FB.PORT) and '$' (adapter ports).
// The whole file at `path`, bytes as they are; false when it cannot be read.
bool read_file(const std::string& path, std::string& text);

bool is_identifier(std::string_view s);

// "eclipse4diac::events::E_CTU" -> "E_CTU"; the package is what precedes
// the last "::" ("" for a plain name), written with "::". 4diac IDE 3.0's
// deployed form "eclipse4diac__events__E_CTU" is read the same way.
std::string_view unqualified(std::string_view type_name);
std::string package_of(std::string_view type_name);

}  // namespace plc::fourdiac
