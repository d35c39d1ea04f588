#include "runtime/fourdiac/var_declaration.h"

#include <cctype>
#include <cstdlib>

#include "runtime/connection.h"
#include "runtime/fourdiac/type_context.h"
#include "runtime/type_library.h"

namespace plc::fourdiac {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool integer(std::string_view s, int64_t& out) {
  s = trim(s);
  if (s.empty() || s.size() > 12) return false;
  size_t k = s[0] == '-' ? 1 : 0;
  if (k == s.size()) return false;
  for (size_t j = k; j < s.size(); ++j)
    if (!std::isdigit(static_cast<unsigned char>(s[j]))) return false;
  out = std::strtoll(std::string(s).c_str(), nullptr, 10);
  return true;
}

// "4" -> 0..3; "1..4" or "[1..4]" -> 1..4.
bool array_bounds(std::string_view s, int64_t& lo, int64_t& hi) {
  s = trim(s);
  if (s.size() >= 2 && s.front() == '[' && s.back() == ']') s = s.substr(1, s.size() - 2);
  if (auto dots = s.find(".."); dots != std::string_view::npos)
    return integer(s.substr(0, dots), lo) && integer(s.substr(dots + 2), hi);
  int64_t n;
  if (!integer(s, n) || n < 1) return false;
  lo = 0;
  hi = n - 1;
  return true;
}

}  // namespace

std::string adapt_literal(DataType target, std::string_view literal) {
  const std::string_view text = trim(literal);
  const auto hash = text.find('#');
  if ((target == DataType::kString || target == DataType::kWstring) && !text.empty() && text[0] != '\'' &&
      text[0] != '"') {
    const auto typed = hash == std::string_view::npos ? std::nullopt : parse_type_name(text.substr(0, hash));
    if (typed != DataType::kString && typed != DataType::kWstring) {  // the text itself, quoted
      std::string quoted = "'";
      for (char c : literal) {
        if (c == '$' || c == '\'') quoted += '$';
        quoted += c;
      }
      return quoted + "'";
    }
  }
  if (hash == std::string_view::npos) return std::string(literal);
  const auto from = parse_type_name(text.substr(0, hash));
  if (!from || *from == target || *from == DataType::kString || *from == DataType::kWstring ||
      *from == DataType::kStruct || target == DataType::kString || target == DataType::kWstring ||
      target == DataType::kStruct)
    return std::string(literal);
  VarDecl f, t;
  f.type = *from;
  t.type = target;
  if (!can_feed(f, t)) return std::string(literal);
  auto v = parse_literal(*from, text);
  if (!v) return std::string(literal);
  return format_value(target, convert_slot(*v, tag_slot(0, conversion_of(f, t))));
}

std::optional<lang::VarDeclAst> import_var(const LibraryElement& x, pugi::xml_node var, TypeContext& ctx) {
  auto name = x.required(var, "Name");
  auto type = x.required(var, "Type");
  if (!name || !type) return std::nullopt;
  if (!is_identifier(*name)) {
    x.error(var, "'" + *name + "' is not a valid variable name");
    return std::nullopt;
  }
  lang::VarDeclAst d;
  d.name = {*name, x.attribute_loc(var, "Name")};
  d.type.loc = x.attribute_loc(var, "Type");
  std::string_view t = trim(*type);
  // STRING[80] / WSTRING[80]
  if (auto open = t.find('['); open != std::string_view::npos && t.back() == ']') {
    int64_t n;
    if (!integer(t.substr(open + 1, t.size() - open - 2), n) || n < 1 || n > 65535) {
      x.error(var, "invalid string length in type '" + *type + "'");
      return std::nullopt;
    }
    d.type.string_length = uint32_t(n);
    t = trim(t.substr(0, open));
  }
  if (parse_generic_class(unqualified(t))) {
    d.type.name = std::string(unqualified(t));
  } else if (parse_type_name(unqualified(t))) {
    d.type.name = std::string(unqualified(t));
  } else {
    d.type.name = ctx.data_type(t, x, var);
    if (d.type.name.empty()) return std::nullopt;
  }
  if (const char* size = var.attribute("ArraySize").value(); *size) {
    if (!array_bounds(size, d.type.lo, d.type.hi)) {
      x.error(var, "invalid ArraySize '" + std::string(size) + "' (write N, lo..hi or [lo..hi]; one dimension)");
      return std::nullopt;
    }
    d.type.is_array = true;
  }
  if (const char* init = var.attribute("InitialValue").value(); *init) {
    d.initial = init;
    std::optional<DataType> dt = parse_type_name(d.type.name);
    if (auto g = parse_generic_class(d.type.name)) dt = default_type(*g);
    if (dt && !d.type.is_array) d.initial = adapt_literal(*dt, d.initial);
    d.initial_loc = x.attribute_loc(var, "InitialValue");
  }
  // Retained (runtime/retain.h): an attribute of the declaration named
  // `retain` (or a qualified name ending in RetainTag) with the value RETAIN.
  for (pugi::xml_node a : var.children("Attribute")) {
    const std::string_view n = a.attribute("Name").value();
    const bool retain_attr =
        same_identifier(n, "retain") || (n.size() >= 9 && same_identifier(n.substr(n.size() - 9), "RetainTag"));
    if (retain_attr) d.retain = same_identifier(trim(a.attribute("Value").value()), "RETAIN");
  }
  return d;
}

}  // namespace plc::fourdiac
