#include "runtime/stdfb/utils_text_form.h"

#include <cctype>
#include <chrono>
#include <cinttypes>
#include <cstring>

#include "runtime/stdfb/generic_ports.h"

namespace plc::stdfb {
namespace {

constexpr int64_t kNsPerMs = 1'000'000, kNsPerDay = 86'400'000'000'000;

void put_printf_real(TextSink& out, int digits, double r) {
  char buf[40];
  const int n = std::snprintf(buf, sizeof buf, "%.*g", digits, r);
  out.put(buf, size_t(n));
  if (!std::strpbrk(buf, ".eE")) out.put(".0");
}

void put_time(TextSink& out, int64_t ns) {
  if (ns == 0) return out.put("T#0ns");
  out.put("T#");
  if (ns < 0) out.put('-');
  const uint64_t t = ns < 0 ? 0 - uint64_t(ns) : uint64_t(ns);
  const struct {
    uint64_t value;
    const char* unit;
  } parts[] = {{t / uint64_t(kNsPerDay), "d"},
               {t / 3'600'000'000'000 % 24, "h"},
               {t / 60'000'000'000 % 60, "m"},
               {t / 1'000'000'000 % 60, "s"},
               {t / uint64_t(kNsPerMs) % 1000, "ms"},
               {t / 1000 % 1000, "us"},
               {t % 1000, "ns"}};
  char buf[32];
  for (const auto& p : parts)
    if (p.value) out.put(buf, size_t(std::snprintf(buf, sizeof buf, "%" PRIu64 "%s", p.value, p.unit)));
}

// Days since 1970-01-01 to the civil date (H. Hinnant's algorithm).
void civil(int64_t days, int64_t& y, unsigned& m, unsigned& d) {
  days += 719468;
  const int64_t era = (days >= 0 ? days : days - 146096) / 146097;
  const unsigned doe = unsigned(days - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = int64_t(yoe) + era * 400 + (m <= 2);
}

void put_date(TextSink& out, DataType t, int64_t ns) {
  int64_t days = ns / kNsPerDay, rest = ns % kNsPerDay;
  if (rest < 0) {
    rest += kNsPerDay;
    --days;
  }
  int64_t y;
  unsigned mo, d;
  civil(days, y, mo, d);
  const unsigned ms = unsigned(rest / kNsPerMs % 1000), s = unsigned(rest / 1'000'000'000);
  char buf[64];
  int n = 0;
  if (t == DataType::kDate) n = std::snprintf(buf, sizeof buf, "D#%04" PRId64 "-%02u-%02u", y, mo, d);
  else if (t == DataType::kTimeOfDay)
    n = std::snprintf(buf, sizeof buf, "TOD#%02u:%02u:%02u.%03u", s / 3600, s / 60 % 60, s % 60, ms);
  else
    n = std::snprintf(buf, sizeof buf, "DT#%04" PRId64 "-%02u-%02u-%02u:%02u:%02u.%03u", y, mo, d, s / 3600,
                      s / 60 % 60, s % 60, ms);
  out.put(buf, size_t(n));
}

void put_utf8(TextSink& out, uint16_t c) {
  if (c < 0x80) return out.put(char(c));
  if (c < 0x800) {
    out.put(char(0xC0 | c >> 6));
  } else {
    out.put(char(0xE0 | c >> 12));
    out.put(char(0x80 | (c >> 6 & 0x3F)));
  }
  out.put(char(0x80 | (c & 0x3F)));
}

// FORTE's dollarEscapeChar: the escape of `c` in a quoted text, or nullptr.
const char* escape(uint16_t c, bool wide) {
  switch (c) {
    case '$': return "$$";
    case '\'': return wide ? nullptr : "$'";
    case '"': return wide ? "$\"" : nullptr;
    case '\n': return "$n";
    case 0x10: return "$l";
    case '\f': return "$p";
    case '\r': return "$r";
    case '\t': return "$t";
    default: return nullptr;
  }
}

void put_quoted(TextSink& out, const Text& s, bool wide) {
  out.put(wide ? '"' : '\'');
  for (uint32_t k = 0; k < s.size(); ++k) {
    const uint16_t c = s[k];
    if (const char* esc = escape(c, wide)) {
      out.put(esc);
    } else if (wide) {
      put_utf8(out, c);
    } else if (!std::isprint(c)) {
      char buf[4];
      out.put(buf, size_t(std::snprintf(buf, sizeof buf, "$%02X", unsigned(c))));
    } else {
      out.put(char(c));
    }
  }
  out.put(wide ? '"' : '\'');
}

void write_element(TextSink& out, const VarDecl& d, const Value* v, bool quote) {
  char buf[32];
  switch (d.type) {
    case DataType::kBool: return out.put(v->u ? "TRUE" : "FALSE");
    case DataType::kReal: return put_printf_real(out, 9, float(v->r));
    case DataType::kLreal: return put_printf_real(out, 17, v->r);
    case DataType::kTime: return put_time(out, v->i);
    case DataType::kDate:
    case DataType::kTimeOfDay:
    case DataType::kDateAndTime: return put_date(out, d.type, v->i);
    case DataType::kString:
    case DataType::kWstring: {
      const Text s(d, v);
      const bool wide = d.type == DataType::kWstring;
      if (quote) return put_quoted(out, s, wide);
      for (uint32_t k = 0; k < s.size(); ++k) wide ? put_utf8(out, s[k]) : out.put(char(s[k]));
      return;
    }
    case DataType::kStruct: {
      out.put('(');
      if (d.struct_type)
        for (size_t k = 0; k < d.struct_type->members.size(); ++k) {
          const VarDecl& m = d.struct_type->members[k];
          if (k) out.put(',');
          out.put(m.name.data(), m.name.size());
          out.put(":=");
          write_text(out, m, v);
          v += m.slots();
        }
      out.put(')');
      return;
    }
    default: break;
  }
  const int n = is_signed_int(d.type) ? std::snprintf(buf, sizeof buf, "%" PRId64, v->i)
                                      : std::snprintf(buf, sizeof buf, "%" PRIu64, v->u);
  out.put(buf, size_t(n));
}

}  // namespace

void TextSink::put(const char* s) { put(s, std::strlen(s)); }

void TextSink::flush() {
  if (!file_) return;
  std::fwrite(buf_, 1, n_, file_);
  n_ = 0;
}

void put_log_prefix(TextSink& out, const char* level) {
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch());
  char buf[48];
  const int n = std::snprintf(buf, sizeof buf, "%s: T#%" PRId64 ": ", level, int64_t(ns.count()));
  out.put(buf, size_t(n));
}

void write_element_text(TextSink& out, const VarDecl& d, const Value* element, bool quote) {
  write_element(out, d, element, quote);
}

void write_text(TextSink& out, const VarDecl& d, const Value* slots, bool quote) {
  if (!d.array_size) return write_element(out, d, slots, quote);
  out.put('[');
  for (uint32_t k = 0; k < d.array_size; ++k) {
    if (k) out.put(',');
    write_element(out, d, slots + k * d.element_slots(), true);
  }
  out.put(']');
}

}  // namespace plc::stdfb
