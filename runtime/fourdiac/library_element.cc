#include "runtime/fourdiac/library_element.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "runtime/language/suggest.h"

namespace plc::fourdiac {

bool read_file(const std::string& path, std::string& text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  text = ss.str();
  return true;
}

LibraryElement::LibraryElement(std::string file, std::string text, Diagnostics& diags)
    : file_(std::move(file)), text_(std::move(text)), diags_(diags) {
  line_starts_.push_back(0);
  for (size_t k = 0; k < text_.size(); ++k)
    if (text_[k] == '\n') line_starts_.push_back(uint32_t(k + 1));
  // No DOCTYPE processing, no external entities: only what is in the file.
  const pugi::xml_parse_result r =
      doc_.load_buffer(text_.data(), text_.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r) {
    diags_.error(where(loc_of_offset(r.offset)), std::string("malformed XML: ") + r.description());
    return;
  }
  if (!doc_.document_element()) {
    diags_.error(where(lang::Loc{1, 1}), "malformed XML: the file has no root element");
    return;
  }
  ok_ = true;
}

lang::Loc LibraryElement::loc_of_offset(ptrdiff_t offset) const {
  if (offset < 0) return {};
  const uint32_t off = uint32_t(std::min<size_t>(size_t(offset), text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), off);
  const size_t line = size_t(it - line_starts_.begin());  // 1-based
  return {uint32_t(line), off - line_starts_[line - 1] + 1};
}

lang::Loc LibraryElement::loc(pugi::xml_node n) const {
  ptrdiff_t off = n.offset_debug();
  if (off > 0 && n.type() == pugi::node_element) --off;  // offset_debug points at the name, after '<'
  return loc_of_offset(off);
}

lang::Loc LibraryElement::attribute_loc(pugi::xml_node n, std::string_view attribute) const {
  ptrdiff_t off = n.offset_debug();
  if (off < 0 || size_t(off) >= text_.size()) return loc(n);
  // Inside the start tag: `attribute` = "value" (or 'value').
  const size_t end = text_.find('>', size_t(off));
  for (size_t k = size_t(off); k < end && k < text_.size(); ++k) {
    if (text_.compare(k, attribute.size(), attribute) != 0 || !std::isspace(static_cast<unsigned char>(text_[k - 1])))
      continue;
    size_t q = k + attribute.size();
    while (q < end && std::isspace(static_cast<unsigned char>(text_[q]))) ++q;
    if (q >= end || text_[q] != '=') continue;
    ++q;
    while (q < end && std::isspace(static_cast<unsigned char>(text_[q]))) ++q;
    if (q < end && (text_[q] == '"' || text_[q] == '\'')) return loc_of_offset(ptrdiff_t(q + 1));
  }
  return loc(n);
}

lang::Loc LibraryElement::text_loc(pugi::xml_node n) const {
  for (pugi::xml_node c = n.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) return loc_of_offset(c.offset_debug());
  return loc(n);
}

std::string LibraryElement::where(lang::Loc l) const { return lang::where(file_, l.line, l.col); }

std::string LibraryElement::path(pugi::xml_node n) {
  std::vector<std::string> parts;
  for (; n && n.type() == pugi::node_element; n = n.parent()) {
    std::string part = n.name();
    if (const char* name = n.attribute("Name").value(); *name) part += std::string(" ") + name;
    else if (part == "ECTransition")
      part += std::string(" ") + n.attribute("Source").value() + "->" + n.attribute("Destination").value();
    else if (part == "Connection")
      part += std::string(" ") + n.attribute("Source").value() + "->" + n.attribute("Destination").value();
    parts.push_back(std::move(part));
  }
  std::string s;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) s += (s.empty() ? "" : "/") + *it;
  return s;
}

void LibraryElement::error(pugi::xml_node n, const std::string& message) const {
  diags_.error(where(n), "in " + path(n) + ": " + message);
}

void LibraryElement::warning(pugi::xml_node n, const std::string& message) const {
  diags_.warning(where(n), "in " + path(n) + ": " + message);
}

std::optional<std::string> LibraryElement::required(pugi::xml_node n, const char* attribute) const {
  pugi::xml_attribute a = n.attribute(attribute);
  if (!a) {
    error(n, std::string("missing attribute '") + attribute + "'");
    return std::nullopt;
  }
  if (!*a.value()) {
    error(n, std::string("empty attribute '") + attribute + "'");
    return std::nullopt;
  }
  return std::string(a.value());
}

bool is_identifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_') return false;
  return true;
}

namespace {

// Where the last package separator of `type_name` starts, and its length:
// "::", or "__" as 4diac IDE 3.0 deploys it ("eclipse4diac__events__E_CTU";
// IEC 61131-3 identifiers never hold two underscores in a row). A
// separator must have a name on both sides.
std::pair<size_t, size_t> last_separator(std::string_view t) {
  for (size_t k = t.size(); k-- > 1;)
    if ((t[k] == ':' && t[k - 1] == ':') || (t[k] == '_' && t[k - 1] == '_')) {
      if (k + 1 < t.size() && k >= 2 && t[k + 1] != t[k] && t[k - 2] != t[k]) return {k - 1, 2};
    }
  return {std::string_view::npos, 0};
}

}  // namespace

std::string_view unqualified(std::string_view type_name) {
  auto [k, n] = last_separator(type_name);
  return k == std::string_view::npos ? type_name : type_name.substr(k + n);
}

std::string package_of(std::string_view type_name) {
  auto [k, n] = last_separator(type_name);
  if (k == std::string_view::npos) return "";
  std::string p(type_name.substr(0, k));
  for (size_t at; (at = p.find("__")) != std::string::npos;) p.replace(at, 2, "::");
  return p;
}

}  // namespace plc::fourdiac
