#include "runtime/fb_type.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace plc {
namespace {

template <typename Decl>
std::optional<uint16_t> find(const std::vector<Decl>& v, std::string_view name) {
  for (size_t k = 0; k < v.size(); ++k)
    if (same_identifier(v[k].name, name)) return uint16_t(k);
  return std::nullopt;
}

uint32_t slots_before(const std::vector<VarDecl>& v, size_t k) {
  uint32_t n = 0;
  for (size_t j = 0; j < k; ++j) n += v[j].slots();
  return n;
}

// 'text' with IEC 61131-3 $ escapes ($$, $', $L, $N, $P, $R, $T, $hh).
std::optional<std::string> unquote(std::string_view t) {
  if (t.size() < 2 || (t.front() != '\'' && t.front() != '"') || t.back() != t.front()) return std::nullopt;
  std::string out;
  for (size_t k = 1; k + 1 < t.size(); ++k) {
    char c = t[k];
    if (c != '$') {
      out += c;
      continue;
    }
    if (++k + 1 > t.size() - 1) return std::nullopt;
    char e = char(std::toupper(static_cast<unsigned char>(t[k])));
    if (e == 'L' || e == 'N') out += '\n';
    else if (e == 'P') out += '\f';
    else if (e == 'R') out += '\r';
    else if (e == 'T') out += '\t';
    else if (e == '$' || e == '\'' || e == '"') out += e;
    else if (std::isxdigit(static_cast<unsigned char>(t[k])) && k + 1 < t.size() - 1 &&
             std::isxdigit(static_cast<unsigned char>(t[k + 1]))) {
      out += char(std::stoi(std::string(t.substr(k, 2)), nullptr, 16));
      ++k;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

bool parse_struct(const StructType& st, std::string_view text, Value* slots);

bool parse_element(const VarDecl& var, std::string_view text, Value* slots) {
  text = trim(text);
  if (var.type == DataType::kStruct) return var.struct_type && parse_struct(*var.struct_type, text, slots);
  if (var.type == DataType::kString || var.type == DataType::kWstring) {
    auto s = unquote(text);
    if (!s || s->size() > var.max_length()) return false;
    write_string(var, *s, slots);
    return true;
  }
  auto v = parse_literal(var.type, text);
  if (!v) return false;
  slots[0] = *v;
  return true;
}

// Splits "a, 'b,c', [1, 2], (x := 1)" at top-level commas.
std::vector<std::string_view> split_items(std::string_view text) {
  std::vector<std::string_view> items;
  size_t start = 0;
  int depth = 0;
  char quote = 0;
  for (size_t i = 0; i <= text.size(); ++i) {
    char c = i < text.size() ? text[i] : ',';
    if (quote) {
      if (c == quote) quote = 0;
      continue;
    }
    if (c == '\'' || c == '"') quote = c;
    else if (c == '(' || c == '[') ++depth;
    else if (c == ')' || c == ']') --depth;
    else if (c == ',' && depth == 0) {
      items.push_back(trim(text.substr(start, i - start)));
      start = i + 1;
    }
  }
  if (items.size() == 1 && items[0].empty()) items.clear();
  return items;
}

// (member := literal, ...); members not named keep their values.
bool parse_struct(const StructType& st, std::string_view text, Value* slots) {
  if (text.size() < 2 || text.front() != '(' || text.back() != ')') return false;
  for (std::string_view item : split_items(text.substr(1, text.size() - 2))) {
    auto assign = item.find(":=");
    if (assign == std::string_view::npos) return false;
    std::string_view name = trim(item.substr(0, assign));
    auto offset = st.member_slot(name);
    if (!offset) return false;
    const VarDecl* member = nullptr;
    for (const auto& m : st.members)
      if (same_identifier(m.name, name)) member = &m;
    if (!parse_var_literal(*member, item.substr(assign + 2), slots + *offset)) return false;
  }
  return true;
}

}  // namespace

uint32_t StructType::slots() const {
  uint32_t n = 0;
  for (const auto& m : members) n += m.slots();
  return n;
}

std::optional<uint32_t> StructType::member_slot(std::string_view member) const {
  uint32_t n = 0;
  for (const auto& m : members) {
    if (same_identifier(m.name, member)) return n;
    n += m.slots();
  }
  return std::nullopt;
}

static void write_defaults(const VarDecl& var, Value* slots) {
  const uint32_t per = var.element_slots();
  for (uint32_t e = 0; e < (var.array_size ? var.array_size : 1); ++e) {
    Value* el = slots + e * per;
    if (var.type == DataType::kStruct && var.struct_type) {
      uint32_t k = 0;
      for (const auto& m : var.struct_type->members) {
        write_initial(m, el + k);
        k += m.slots();
      }
    } else if (var.type == DataType::kString || var.type == DataType::kWstring) {
      for (uint32_t k = 0; k < per; ++k) el[k] = Value{.u = 0};
    } else {
      el[0] = var.initial;
    }
  }
}

void write_initial(const VarDecl& var, Value* slots) {
  write_defaults(var, slots);
  if (!var.initial_literal.empty()) parse_var_literal(var, var.initial_literal, slots);
}

uint32_t VarDecl::element_slots() const {
  if (type == DataType::kStruct) return struct_type ? struct_type->slots() : 0;
  if (type == DataType::kString) return 1 + (uint32_t(max_length()) + 7) / 8;
  if (type == DataType::kWstring) return 1 + (uint32_t(max_length()) * 2 + 7) / 8;
  return 1;
}

void write_string(const VarDecl& var, std::string_view s, Value* slots) {
  const unsigned width = var.type == DataType::kWstring ? 2 : 1;
  size_t n = std::min<size_t>(s.size(), var.max_length());
  auto* bytes = reinterpret_cast<unsigned char*>(slots + 1);
  std::memset(bytes, 0, (var.element_slots() - 1) * sizeof(Value));
  for (size_t k = 0; k < n; ++k) bytes[k * width] = static_cast<unsigned char>(s[k]);
  slots[0] = Value::of_uint(n);
}

std::string read_string(const VarDecl& var, const Value* slots) {
  const unsigned width = var.type == DataType::kWstring ? 2 : 1;
  const auto* bytes = reinterpret_cast<const unsigned char*>(slots + 1);
  size_t n = std::min<uint64_t>(slots[0].u, var.max_length());
  std::string s(n, '\0');
  for (size_t k = 0; k < n; ++k) s[k] = char(bytes[k * width]);
  return s;
}

// IEC 61131-3 6.4.4.1 repeated initial values: `n(a, b)` is a, b, a, b ...
// n times. Returns n (0 when `item` has another form) and the values.
static uint64_t repeated(std::string_view item, std::vector<std::string_view>& values) {
  size_t k = 0;
  uint64_t n = 0;
  while (k < item.size() && item[k] >= '0' && item[k] <= '9' && n <= UINT32_MAX) n = n * 10 + uint64_t(item[k++] - '0');
  std::string_view rest = trim(item.substr(k));
  if (k == 0 || rest.size() < 2 || rest.front() != '(' || rest.back() != ')') return 0;
  values = split_items(rest.substr(1, rest.size() - 2));
  return values.empty() ? 0 : n;
}

// The elements of `text` `[a, b, n(c)]` into `count` elements of `per`
// slots from `slots`. With more than one dimension left (`dims`), an item
// that is itself `[...]` fills the next whole row (an array of arrays'
// initial value, IEC 61131-3 6.4.4.5); others fill one element each, in
// row-major order (a multi-dimensional array's).
static bool parse_elements(const VarDecl& var, const ArrayDim* dims, size_t ndims, uint64_t count,
                           std::string_view text, Value* slots) {
  if (text.size() < 2 || text.front() != '[' || text.back() != ']') return false;
  const uint32_t per = var.element_slots();
  const uint64_t row = ndims > 1 ? count / dims[0].size : 1;  // elements in one row of the first dimension
  uint64_t k = 0;
  std::vector<std::string_view> values;
  for (std::string_view item : split_items(text.substr(1, text.size() - 2))) {
    uint64_t n = repeated(item, values);
    if (n == 0) {
      n = 1;
      values.assign(1, item);
    }
    for (uint64_t r = 0; r < n; ++r)
      for (std::string_view v : values) {
        if (ndims > 1 && !v.empty() && v.front() == '[') {
          if (k % row != 0 || k + row > count || !parse_elements(var, dims + 1, ndims - 1, row, v, slots + k * per))
            return false;
          k += row;
        } else {
          if (k >= count || !parse_element(var, v, slots + (k++) * per)) return false;
        }
      }
  }
  return true;
}

bool parse_var_literal(const VarDecl& var, std::string_view text, Value* slots) {
  text = trim(text);
  if (!var.array_size) return parse_element(var, text, slots);
  return parse_elements(var, var.array_dims.data(), var.array_dims.size(), var.array_size, text, slots);
}

uint32_t Interface::slot_count() const {
  return slots_before(inputs, inputs.size()) + slots_before(outputs, outputs.size()) +
         slots_before(internals, internals.size());
}
uint32_t Interface::input_slot(uint16_t k) const { return slots_before(inputs, k); }
uint32_t Interface::output_slot(uint16_t k) const {
  return slots_before(inputs, inputs.size()) + slots_before(outputs, k);
}
uint32_t Interface::internal_slot(uint16_t k) const {
  return slots_before(inputs, inputs.size()) + slots_before(outputs, outputs.size()) + slots_before(internals, k);
}

bool same_identifier(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t k = 0; k < a.size(); ++k)
    if (std::toupper(static_cast<unsigned char>(a[k])) != std::toupper(static_cast<unsigned char>(b[k]))) return false;
  return true;
}

std::optional<EventId> Interface::find_event_input(std::string_view name) const {
  if (auto k = find(event_inputs, name)) return EventId{*k};
  return std::nullopt;
}
std::optional<EventId> Interface::find_event_output(std::string_view name) const {
  if (auto k = find(event_outputs, name)) return EventId{*k};
  return std::nullopt;
}
std::optional<uint16_t> Interface::find_input(std::string_view name) const { return find(inputs, name); }
std::optional<uint16_t> Interface::find_output(std::string_view name) const { return find(outputs, name); }
std::optional<uint16_t> Interface::find_internal(std::string_view name) const { return find(internals, name); }

}  // namespace plc
