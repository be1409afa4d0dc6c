#pragma once
// Reading request bodies: strict JSON objects and typed fields, with every problem
// collected into one 400 validation_error whose details name the fields. Fields a route
// does not take are ignored (they never reach a command: no mass assignment).

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "api/http/http_server.hpp"
#include "api/http/request_context.hpp"
#include "events/metadata.hpp"
#include "events/result.hpp"

namespace tenantry::api {

// Arrays and objects nest at most this deep in a request body.
inline constexpr std::size_t max_json_depth = 32;

// The request's body parsed as JSON, once per request however many ask (the guards, the
// handler): 400 invalid_json when it is not JSON or nests deeper than max_json_depth.
const result<nlohmann::json>& json_body(const request_context& ctx);

// The body as a JSON object; an empty body is {} when `allow_empty`. 400 invalid_json,
// 415 for a body that is not application/json, 400 validation_error naming the first key
// or string that holds U+0000 (no event may carry text the read side cannot store).
result<nlohmann::json> parse_json_object(const request_context& ctx, bool allow_empty = false);

// A JSON number that is a whole number, as JSON Schema's "integer" counts them (1, 1.0,
// 1e3), saturated to the int64 range; nullopt for anything else (a string, 1.5, NaN).
std::optional<std::int64_t> whole_number(const nlohmann::json& value);

// Whether `body` nests arrays and objects deeper than `limit` (strings are skipped).
bool nests_deeper_than(std::string_view body, std::size_t limit);

class body_reader {
 public:
  explicit body_reader(const nlohmann::json& body) : body_(body) {}

  std::optional<std::string> text(const char* field, bool required, std::size_t max_length);
  // Absent -> nullopt; null -> optional holding nullopt; a string -> that string.
  std::optional<std::optional<std::string>> nullable_text(const char* field,
                                                          std::size_t max_length);
  // A tenant the body names (tenant_reference.hpp: a ref string, {"id"} or {"href"}), or
  // null; absent: nullopt.
  std::optional<std::optional<std::string>> nullable_reference(const char* field,
                                                               std::size_t max_length);
  std::optional<std::vector<std::string>> text_list(const char* field, std::size_t max_items);
  // Metadata: a flat object of strings; absent or null -> nullopt. Its keys' and values'
  // rules are the writer's (commands/metadata_rules.hpp).
  std::optional<metadata_map> metadata(const char* field);
  // A merge patch of metadata: an object of strings and nulls (null removes a key).
  std::optional<metadata_patch> metadata_merge_patch(const char* field);
  // Any JSON value, null included (a feature flag's value); absent -> nullopt, a problem
  // when `required`.
  std::optional<nlohmann::json> value(const char* field, bool required);
  bool has(const char* field) const { return body_.contains(field); }

  // 400 validation_error naming every bad field, or success.
  result<void> finish() const;

 private:
  void problem(const char* field, std::string what);
  std::optional<metadata_patch> string_map(const char* field, bool nulls);
  const nlohmann::json& body_;
  nlohmann::json problems_ = nlohmann::json::object();
};

}  // namespace tenantry::api
