// Errors as values inside the engine. A Diagnostic carries a location
// (file:line:col or an element path) so loaders can report every problem
// the way a compiler does; nothing in runtime/ throws across its API.
#pragma once

#include <algorithm>
#include <cstdlib>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace plc {

struct Diagnostic {
  std::string where;     // "file:line:col", "FB1.EO", ... ; may be empty
  std::string message;   // "unknown event input 'EX'"
  bool warning = false;  // a warning does not make the input invalid

  std::string str() const {
    const char* kind = warning ? "warning: " : "error: ";
    return where.empty() ? kind + message : where + ": " + kind + message;
  }
};

// A list of diagnostics; empty means success.
class Diagnostics {
 public:
  void error(std::string where, std::string message) {
    list_.push_back({std::move(where), std::move(message)});
    ++errors_;
  }
  void warning(std::string where, std::string message) {
    list_.push_back({std::move(where), std::move(message), true});
  }
  // No errors (warnings allowed).
  bool ok() const { return errors_ == 0; }
  size_t error_count() const { return errors_; }
  // Orders the diagnostics from index `from` on by their "file:line:col"
  // position (stable), so a file's report reads top to bottom.
  void sort_from(size_t from) {
    auto key = [](const Diagnostic& d) {
      std::pair<long, long> k{0, 0};
      auto c2 = d.where.rfind(':');
      if (c2 == std::string::npos || c2 == 0) return k;
      auto c1 = d.where.rfind(':', c2 - 1);
      if (c1 == std::string::npos) return k;
      k.first = std::strtol(d.where.c_str() + c1 + 1, nullptr, 10);
      k.second = std::strtol(d.where.c_str() + c2 + 1, nullptr, 10);
      return k;
    };
    if (from < list_.size())
      std::stable_sort(list_.begin() + long(from), list_.end(),
                       [&](const Diagnostic& a, const Diagnostic& b) { return key(a) < key(b); });
  }
  size_t size() const { return list_.size(); }
  void append(const Diagnostics& other) {
    for (const auto& d : other.list_) list_.push_back(d);
    errors_ += other.errors_;
  }
  const std::vector<Diagnostic>& list() const { return list_; }
  std::string str() const {
    std::string s;
    for (const auto& d : list_) s += d.str() + "\n";
    return s;
  }

 private:
  std::vector<Diagnostic> list_;
  size_t errors_ = 0;
};

// Either a value or the diagnostics explaining why there is none.
template <typename T>
class Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}              // NOLINT: implicit on purpose
  Expected(Diagnostics errors) : v_(std::move(errors)) {}  // NOLINT
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() { return std::get<0>(v_); }
  T& operator*() { return value(); }
  T* operator->() { return &value(); }
  const Diagnostics& errors() const { return std::get<1>(v_); }

 private:
  std::variant<T, Diagnostics> v_;
};

}  // namespace plc
