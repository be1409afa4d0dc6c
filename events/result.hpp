#pragma once
// The error vocabulary every module shares: a category for status mapping, a
// machine-readable code for clients, and a human sentence.

#include <expected>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

namespace tenantry {

enum class errc {
  invalid_argument,     // 400: validation_error, invalid_json
  unauthenticated,      // 401
  permission_denied,    // 403
  not_found,            // 404
  conflict,             // 409: slug_taken, invalid_state_transition, hierarchy_cycle, ...
  version_conflict,     // 412
  payload_too_large,    // 413
  unsupported_media,    // 415
  unprocessable,        // 422: idempotency_key_reused
  rate_limited,         // 429
  unavailable,          // 503: writer or a dependency is down
  internal,             // 500: a bug; never for bad input
};

struct error {
  errc category = errc::internal;
  std::string code;     // e.g. "slug_taken"
  std::string message;  // a human sentence
  nlohmann::json details = nlohmann::json::object();
};

template <class T>
using result = std::expected<T, error>;

inline std::unexpected<error> fail(errc category, std::string code, std::string message,
                                   nlohmann::json details = nlohmann::json::object()) {
  return std::unexpected(error{category, std::move(code), std::move(message), std::move(details)});
}

// 400 validation_error about one field of a request: "<field>: <problem>", with the
// problem under details.<field>.
inline std::unexpected<error> validation(std::string field, std::string problem) {
  return fail(errc::invalid_argument, "validation_error", field + ": " + problem,
              {{field, problem}});
}

}  // namespace tenantry
