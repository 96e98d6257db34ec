// Error values for the engine boundary: no exception crosses it. A function that can fail
// returns Expected<T>, which holds either a T or an Error{kind, message, location}.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace asyncfix {

// A place in a file, for messages. line and col are 1-based; 0 means "not known".
struct SourceLocation {
  std::string path;
  uint32_t line = 0;
  uint32_t col = 0;
};

struct Error {
  enum class Kind { Io, Decode, Parse, Rule, Config, Usage, Internal };
  Kind kind = Kind::Internal;
  std::string message;
  SourceLocation location;

  // "path:line:col: message" (the parts that are known).
  std::string to_string() const;
};

inline Error make_error(Error::Kind kind, std::string message, SourceLocation where = {}) {
  return Error{kind, std::move(message), std::move(where)};
}

template <class T>
class Expected {
 public:
  Expected(T value) : v_(std::move(value)) {}            // NOLINT: implicit on purpose
  Expected(Error error) : v_(std::move(error)) {}        // NOLINT: implicit on purpose

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const Error& error() const { return std::get<1>(v_); }

 private:
  std::variant<T, Error> v_;
};

// For functions that return nothing but can fail.
struct Ok {};
using Status = Expected<Ok>;

}  // namespace asyncfix
