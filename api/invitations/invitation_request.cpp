#include "api/invitations/invitation_request.hpp"

#include <algorithm>

#include "api/auth/password_hash.hpp"
#include "api/http/json_input.hpp"
#include "commands/invitations/invitation_aggregate.hpp"

namespace tenantry::api {

namespace {

constexpr std::size_t max_email = 254;
constexpr std::size_t max_token = 256;
constexpr std::size_t max_password = 1024;
constexpr std::size_t max_name = 200;

// Merges a body_reader's problems into `problems`.
void collect(const result<void>& finished, nlohmann::json& problems) {
  if (!finished)
    for (const auto& [field, what] : finished.error().details.items()) problems[field] = what;
}

std::unexpected<error> invalid(nlohmann::json problems) {
  std::string message = "Invalid fields:";
  for (const auto& [field, what] : problems.items())
    message += " " + field + " " + what.get<std::string>() + ";";
  message.back() = '.';
  return fail(errc::invalid_argument, "validation_error", std::move(message), std::move(problems));
}

}  // namespace

result<invitation_request> read_invitation_request(const nlohmann::json& body) {
  body_reader in(body);
  invitation_request out;
  out.invitee = in.text("invitee", true, max_email).value_or("");
  out.roles = in.text_list("roles", 20).value_or(std::vector<std::string>{"member"});
  out.permissions = in.text_list("permissions", 50).value_or(std::vector<std::string>{});
  nlohmann::json problems = nlohmann::json::object();
  collect(in.finish(), problems);
  out.expires_in = default_invitation_lifetime;
  if (const auto it = body.find("expires_in"); it != body.end() && !it->is_null()) {
    // Out of range is the writer's 400 (it owns the maximum); a huge number stays huge.
    if (const auto seconds = whole_number(*it))
      out.expires_in = std::min<std::int64_t>(*seconds, max_invitation_lifetime + 1);
    else
      problems["expires_in"] = "must be a whole number of seconds";
  }
  if (!problems.empty()) return invalid(std::move(problems));
  return out;
}

result<answer_request> read_answer_request(const nlohmann::json& body, bool accepting) {
  body_reader in(body);
  answer_request out;
  out.token = in.text("token", false, max_token);
  if (out.token && accepting) {
    out.password = in.text("password", false, max_password);
    out.name = in.text("name", false, max_name).value_or("");
  }
  nlohmann::json problems = nlohmann::json::object();
  collect(in.finish(), problems);
  if (out.token && out.token->empty()) problems["token"] = "must not be empty";
  if (out.password)
    if (auto problem = new_password_problem(*out.password)) problems["password"] = *problem;
  if (!problems.empty()) return invalid(std::move(problems));
  return out;
}

}  // namespace tenantry::api
