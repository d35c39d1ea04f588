#include "runtime/data_type.h"

#include <array>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <limits>

namespace plc {
namespace {

struct TypeInfo {
  DataType type;
  std::string_view name;
  unsigned bits;
};

constexpr std::array<TypeInfo, 22> kTypes{{
    {DataType::kBool, "BOOL", 1},
    {DataType::kSint, "SINT", 8},
    {DataType::kInt, "INT", 16},
    {DataType::kDint, "DINT", 32},
    {DataType::kLint, "LINT", 64},
    {DataType::kUsint, "USINT", 8},
    {DataType::kUint, "UINT", 16},
    {DataType::kUdint, "UDINT", 32},
    {DataType::kUlint, "ULINT", 64},
    {DataType::kByte, "BYTE", 8},
    {DataType::kWord, "WORD", 16},
    {DataType::kDword, "DWORD", 32},
    {DataType::kLword, "LWORD", 64},
    {DataType::kReal, "REAL", 32},
    {DataType::kLreal, "LREAL", 64},
    {DataType::kTime, "TIME", 64},
    {DataType::kDate, "DATE", 64},
    {DataType::kTimeOfDay, "TIME_OF_DAY", 64},
    {DataType::kDateAndTime, "DATE_AND_TIME", 64},
    {DataType::kString, "STRING", 0},
    {DataType::kWstring, "WSTRING", 0},
    {DataType::kStruct, "STRUCT", 0},
}};

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t k = 0; k < a.size(); ++k)
    if (std::toupper(static_cast<unsigned char>(a[k])) != std::toupper(static_cast<unsigned char>(b[k]))) return false;
  return true;
}

// Parses digits of `base` with optional '_' separators into `out`.
bool parse_unsigned(std::string_view s, unsigned base, uint64_t& out) {
  if (s.empty() || s.front() == '_' || s.back() == '_') return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c == '_') continue;
    unsigned d;
    if (c >= '0' && c <= '9') d = unsigned(c - '0');
    else if (c >= 'a' && c <= 'f') d = unsigned(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F') d = unsigned(c - 'A' + 10);
    else return false;
    if (d >= base) return false;
    if (v > (std::numeric_limits<uint64_t>::max() - d) / base) return false;
    v = v * base + d;
  }
  out = v;
  return true;
}

std::optional<Value> parse_integer(DataType t, std::string_view s) {
  bool neg = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    neg = s.front() == '-';
    s.remove_prefix(1);
  }
  unsigned base = 10;
  if (auto hash = s.find('#'); hash != std::string_view::npos) {
    uint64_t b;
    if (!parse_unsigned(s.substr(0, hash), 10, b) || (b != 2 && b != 8 && b != 16)) return std::nullopt;
    base = unsigned(b);
    s.remove_prefix(hash + 1);
  }
  uint64_t mag;
  if (!parse_unsigned(s, base, mag)) return std::nullopt;
  unsigned bits = bit_width(t);
  if (is_signed_int(t)) {
    const uint64_t max_pos = (uint64_t{1} << (bits - 1)) - 1;
    if (neg ? mag > max_pos + 1 : mag > max_pos) return std::nullopt;
    return Value::of_int(neg ? int64_t(0 - mag) : int64_t(mag));
  }
  if (neg && mag != 0) return std::nullopt;
  if (bits < 64 && mag >> bits) return std::nullopt;
  return Value::of_uint(mag);
}

std::optional<Value> parse_real(DataType t, std::string_view s) {
  std::string text;
  for (char c : s)
    if (c != '_') text += c;
  if (text.empty()) return std::nullopt;
  char* end = nullptr;
  double d = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(d)) return std::nullopt;
  if (t == DataType::kReal) d = double(float(d));
  return Value::of_real(d);
}

// T#1d2h3m4s5ms6us7ns, fractions allowed on the last unit (T#1.5s).
std::optional<Value> parse_duration(std::string_view s) {
  bool neg = false;
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) {
    neg = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty()) return std::nullopt;
  long double total = 0;
  while (!s.empty()) {
    size_t k = 0;
    std::string num;
    while (k < s.size() && (std::isdigit(static_cast<unsigned char>(s[k])) || s[k] == '.' || s[k] == '_')) {
      if (s[k] != '_') num += s[k];
      ++k;
    }
    size_t u = k;
    while (u < s.size() && std::isalpha(static_cast<unsigned char>(s[u]))) ++u;
    std::string_view unit = s.substr(k, u - k);
    if (num.empty() || unit.empty()) return std::nullopt;
    long double scale;
    if (iequals(unit, "d")) scale = 86400e9L;
    else if (iequals(unit, "h")) scale = 3600e9L;
    else if (iequals(unit, "m")) scale = 60e9L;
    else if (iequals(unit, "s")) scale = 1e9L;
    else if (iequals(unit, "ms")) scale = 1e6L;
    else if (iequals(unit, "us")) scale = 1e3L;
    else if (iequals(unit, "ns")) scale = 1L;
    else return std::nullopt;
    char* end = nullptr;
    long double n = std::strtold(num.c_str(), &end);
    if (end != num.c_str() + num.size()) return std::nullopt;
    total += n * scale;
    s.remove_prefix(u);
    if (!s.empty() && s.front() == '_') s.remove_prefix(1);
  }
  if (total > 9.2e18L) return std::nullopt;
  return Value::of_int(int64_t(std::llround(neg ? -total : total)));
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = unsigned(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + int64_t(doe) - 719468;
}

void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = unsigned(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = int64_t(yoe) + era * 400 + (m <= 2);
}

constexpr int64_t kNsPerDay = 86400'000'000'000;

// YYYY-MM-DD -> ns since the epoch at midnight.
std::optional<int64_t> parse_date(std::string_view s) {
  unsigned y, m, d;
  char tail;
  std::string text(s);
  if (std::sscanf(text.c_str(), "%4u-%2u-%2u%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  if (m < 1 || m > 12 || d < 1 || d > 31 || y < 1970 || y > 2262) return std::nullopt;
  int64_t y2;
  unsigned m2, d2;
  civil_from_days(days_from_civil(y, m, d), y2, m2, d2);
  if (m2 != m || d2 != d) return std::nullopt;  // 2023-02-30
  return days_from_civil(y, m, d) * kNsPerDay;
}

// HH:MM:SS[.fraction] -> ns since midnight.
std::optional<int64_t> parse_time_of_day(std::string_view s) {
  unsigned h, m;
  double sec;
  char tail;
  std::string text(s);
  if (std::sscanf(text.c_str(), "%2u:%2u:%lf%c", &h, &m, &sec, &tail) != 3) return std::nullopt;
  if (h > 23 || m > 59 || sec < 0 || sec >= 60 || text.find_first_of("eE") != std::string::npos) return std::nullopt;
  return int64_t(h) * 3600'000'000'000 + int64_t(m) * 60'000'000'000 + std::llround(sec * 1e9);
}

}  // namespace

std::string_view type_name(DataType t) { return kTypes[size_t(t)].name; }

std::optional<DataType> parse_type_name(std::string_view name) {
  for (const auto& info : kTypes)
    if (info.type != DataType::kStruct)
      if (iequals(info.name, name)) return info.type;
  if (iequals(name, "TOD")) return DataType::kTimeOfDay;
  if (iequals(name, "DT")) return DataType::kDateAndTime;
  // The long types of IEC 61131-3 edition 3 are the same here: TIME, DATE,
  // TIME_OF_DAY and DATE_AND_TIME are already 64-bit nanoseconds.
  if (iequals(name, "LTIME")) return DataType::kTime;
  if (iequals(name, "LDATE")) return DataType::kDate;
  if (iequals(name, "LTOD") || iequals(name, "LTIME_OF_DAY")) return DataType::kTimeOfDay;
  if (iequals(name, "LDT") || iequals(name, "LDATE_AND_TIME")) return DataType::kDateAndTime;
  return std::nullopt;
}

bool is_signed_int(DataType t) { return t >= DataType::kSint && t <= DataType::kLint; }
bool is_unsigned_int(DataType t) { return t >= DataType::kUsint && t <= DataType::kLword; }
bool is_real(DataType t) { return t == DataType::kReal || t == DataType::kLreal; }
unsigned bit_width(DataType t) { return kTypes[size_t(t)].bits; }

Value normalize(DataType t, Value v) {
  unsigned bits = bit_width(t);
  if (t == DataType::kBool) return Value::of_bool(v.u != 0);
  if (t == DataType::kReal) return Value::of_real(double(float(v.r)));
  if (bits == 0 || bits >= 64 || is_real(t)) return v;
  if (is_signed_int(t)) {
    const unsigned shift = 64 - bits;
    return Value::of_int(int64_t(v.u << shift) >> shift);
  }
  return Value::of_uint(v.u & ((uint64_t{1} << bits) - 1));
}

std::optional<Value> parse_literal(DataType t, std::string_view text) {
  // A typed literal names its type first: INT#5, T#1s, TIME#1s, BOOL#TRUE.
  if (auto hash = text.find('#'); hash != std::string_view::npos) {
    std::string_view prefix = text.substr(0, hash);
    if (iequals(prefix, "T") || iequals(prefix, "TIME") || iequals(prefix, "LT") || iequals(prefix, "LTIME")) {
      if (t != DataType::kTime) return std::nullopt;
      return parse_duration(text.substr(hash + 1));
    }
    // D#, TOD# and DT# are the short forms of DATE#, TIME_OF_DAY# and DATE_AND_TIME#.
    if (iequals(prefix, "D") || iequals(prefix, "LD")) prefix = "DATE";
    if (auto named = parse_type_name(prefix)) {
      if (*named != t) return std::nullopt;
      text.remove_prefix(hash + 1);
    }
  }
  switch (t) {
    case DataType::kBool:
      if (iequals(text, "TRUE") || text == "1") return Value::of_bool(true);
      if (iequals(text, "FALSE") || text == "0") return Value::of_bool(false);
      return std::nullopt;
    case DataType::kReal:
    case DataType::kLreal: return parse_real(t, text);
    case DataType::kTime: return parse_duration(text);
    case DataType::kDate:
      if (auto v = parse_date(text)) return Value::of_int(*v);
      return std::nullopt;
    case DataType::kTimeOfDay:
      if (auto v = parse_time_of_day(text)) return Value::of_int(*v);
      return std::nullopt;
    case DataType::kDateAndTime: {
      // YYYY-MM-DD-HH:MM:SS[.f]
      if (text.size() < 11 || text[10] != '-') return std::nullopt;
      auto d = parse_date(text.substr(0, 10));
      auto t2 = parse_time_of_day(text.substr(11));
      if (!d || !t2) return std::nullopt;
      return Value::of_int(*d + *t2);
    }
    case DataType::kString:
    case DataType::kWstring:
    case DataType::kStruct: return std::nullopt;  // these span several slots: parse_var_literal
    default: return parse_integer(t, text);
  }
}

std::string format_value(DataType t, Value v) {
  char buf[64];
  if (t == DataType::kBool) return v.u ? "TRUE" : "FALSE";
  if (is_real(t)) {
    std::snprintf(buf, sizeof buf, "%.17g", v.r);
    return buf;
  }
  if (t == DataType::kTime) {  // T#1h2m3s4ms5us6ns, units that are zero left out
    if (v.i == 0) return "T#0s";
    std::string out = v.i < 0 ? "T#-" : "T#";
    uint64_t n = v.i < 0 ? 0 - v.u : v.u;
    static const std::pair<uint64_t, const char*> units[] = {{86'400'000'000'000, "d"},
                                                             {3'600'000'000'000, "h"},
                                                             {60'000'000'000, "m"},
                                                             {1'000'000'000, "s"},
                                                             {1'000'000, "ms"},
                                                             {1'000, "us"},
                                                             {1, "ns"}};
    for (auto [size, name] : units)
      if (n >= size) {
        out += std::to_string(n / size) + name;
        n %= size;
      }
    return out;
  }
  if (t == DataType::kDate || t == DataType::kDateAndTime || t == DataType::kTimeOfDay) {
    int64_t days = v.i >= 0 ? v.i / kNsPerDay : (v.i - kNsPerDay + 1) / kNsPerDay;
    int64_t ns = v.i - days * kNsPerDay;
    int64_t y;
    unsigned mo, d;
    civil_from_days(days, y, mo, d);
    const long long h = ns / 3600'000'000'000, mi = ns / 60'000'000'000 % 60, sec = ns / 1'000'000'000 % 60,
                    frac = ns % 1'000'000'000;
    if (t == DataType::kDate) std::snprintf(buf, sizeof buf, "D#%04lld-%02u-%02u", (long long)y, mo, d);
    else if (t == DataType::kTimeOfDay)
      std::snprintf(buf, sizeof buf, "TOD#%02lld:%02lld:%02lld.%09lld", h, mi, sec, frac);
    else
      std::snprintf(buf, sizeof buf, "DT#%04lld-%02u-%02u-%02lld:%02lld:%02lld.%09lld", (long long)y, mo, d, h, mi, sec,
                    frac);
    return buf;
  }
  if (is_signed_int(t)) return std::to_string(v.i);
  return std::to_string(v.u);
}

}  // namespace plc
