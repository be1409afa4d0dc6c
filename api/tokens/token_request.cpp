#include "api/tokens/token_request.hpp"

#include "api/http/json_input.hpp"
#include "commands/tokens/token_aggregate.hpp"

namespace tenantry::api {

result<token_request> read_token_request(const nlohmann::json& body, timestamp now) {
  body_reader in(body);
  token_request out;
  out.name = in.text("name", true, max_token_name).value_or("");
  out.description = in.text("description", false, max_token_description).value_or("");
  auto scopes = in.text_list("scopes", 64);
  auto expires_at = in.nullable_text("expires_at", 64);
  auto finished = in.finish();
  nlohmann::json problems =
      finished ? nlohmann::json::object() : std::move(finished.error().details);
  if (!scopes && !problems.contains("scopes")) problems["scopes"] = "is required";
  const auto expires_in = body.find("expires_in");
  const bool relative = expires_in != body.end() && !expires_in->is_null();
  const bool absolute = expires_at && *expires_at;
  out.expires_at = now + default_token_lifetime;
  if (relative && absolute) {
    problems["expires_in"] = "give expires_at or expires_in, not both";
  } else if (relative) {
    const auto max = max_token_lifetime.count();
    const auto seconds = whole_number(*expires_in);
    if (!seconds || *seconds < 1 || *seconds > max)
      problems["expires_in"] = "must be a whole number of seconds from 1 to " + std::to_string(max);
    else
      out.expires_at = now + std::chrono::seconds(*seconds);
  } else if (absolute) {
    if (auto at = parse_rfc3339(**expires_at))
      out.expires_at = *at;
    else
      problems["expires_at"] = "must be an RFC 3339 time";
  }
  if (!problems.empty())
    return fail(errc::invalid_argument, "validation_error", "The API token request is not valid.",
                std::move(problems));
  out.scopes = std::move(*scopes);
  return out;
}

}  // namespace tenantry::api
