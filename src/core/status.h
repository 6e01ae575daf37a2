// Errors as values: library code never exits or throws on bad user input.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace mcunet {

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  static Status Error(std::string message) { return Status(std::move(message)); }

  bool ok() const { return !message_.has_value(); }
  const std::string& message() const {
    static const std::string kOk = "OK";
    return message_ ? *message_ : kOk;
  }
  // Prefixes context ("model.tflite: ") to an error; OK stays OK.
  Status WithContext(const std::string& context) const {
    return ok() ? *this : Status(context + *message_);
  }

 private:
  explicit Status(std::string message) : message_(std::move(message)) {}
  std::optional<std::string> message_;
};

inline Status OkStatus() { return Status(); }

// A value or the Status explaining why there is none.
template <typename T>
class [[nodiscard]] Expected {
 public:
  Expected(T value) : state_(std::move(value)) {}        // NOLINT: implicit by design
  Expected(Status status) : state_(std::move(status)) {  // NOLINT
    assert(!std::get<Status>(state_).ok() && "Expected needs an error status");
  }

  bool ok() const { return std::holds_alternative<T>(state_); }
  Status status() const { return ok() ? OkStatus() : std::get<Status>(state_); }
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> state_;
};

}  // namespace mcunet

#define MCUNET_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::mcunet::Status mcunet_status_ = (expr);        \
    if (!mcunet_status_.ok()) return mcunet_status_; \
  } while (0)

#define MCUNET_CONCAT_INNER(a, b) a##b
#define MCUNET_CONCAT(a, b) MCUNET_CONCAT_INNER(a, b)
#define MCUNET_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
#define MCUNET_ASSIGN_OR_RETURN(lhs, expr) \
  MCUNET_ASSIGN_OR_RETURN_IMPL(MCUNET_CONCAT(mcunet_expected_, __LINE__), lhs, expr)
