// Errors as values inside the engine. A Diagnostic carries a location
// (file:line:col or an element path) so loaders can report every problem
// the way a compiler does; nothing in runtime/ throws across its API.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace plc {

struct Diagnostic {
  std::string where;    // "file:line:col", "FB1.EO", ... ; may be empty
  std::string message;  // "unknown event input 'EX'"

  std::string str() const { return where.empty() ? "error: " + message : where + ": error: " + message; }
};

// A list of diagnostics; empty means success.
class Diagnostics {
 public:
  void error(std::string where, std::string message) { list_.push_back({std::move(where), std::move(message)}); }
  bool ok() const { return list_.empty(); }
  const std::vector<Diagnostic>& list() const { return list_; }
  std::string str() const {
    std::string s;
    for (const auto& d : list_) s += d.str() + "\n";
    return s;
  }

 private:
  std::vector<Diagnostic> list_;
};

// Either a value or the diagnostics explaining why there is none.
template <typename T>
class Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}                   // NOLINT: implicit on purpose
  Expected(Diagnostics errors) : v_(std::move(errors)) {}       // NOLINT
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
