#pragma once
// Everything a route handler needs about one request: the raw request, its parsed target,
// the path parameters, and the authenticated principal.

#include <optional>
#include <string>
#include <vector>

#include <boost/url/url_view.hpp>
#include <nlohmann/json.hpp>

#include "api/auth/jwt.hpp"
#include "api/http/http_server.hpp"
#include "commands/access/access_policy.hpp"
#include "commands/command.hpp"
#include "events/result.hpp"
#include "projections/access/access_queries.hpp"
#include "projections/object_queries.hpp"

namespace tenantry::api {

// An API token acting for its creator: what limits it, and the creator's current platform
// roles, which hold only inside that limit.
struct token_grant {
  token_limit limit;
  std::vector<std::string> creator_platform_roles;
};

// Who sends the request: a user (access token), or an API token, whose `user_id` is its
// creator's and whose `platform_roles` are none (a token never holds a platform role).
struct principal {
  std::string user_id;
  std::vector<std::string> platform_roles;
  std::optional<token_grant> token{};
  // The user's auth generation the access token was issued in; none for a principal
  // that did not sign in with a password.
  std::optional<std::int64_t> auth_generation{};
};

struct request_context {
  const request& req;
  std::string remote_address = {};    // the client's, through trusted proxies (client_address.hpp)
  boost::urls::url_view target = {};  // path and query, percent-decoded on access
  std::vector<std::string> params = {};            // the {placeholders} of the route, in order
  std::optional<principal> caller = std::nullopt;  // set for every non-public route
  std::string request_id = {};
  // What the writer must check before it decides this request's command (the route's
  // guard, plus what a handler adds, e.g. a move's new parent).
  std::vector<command_authorization> authorizations = {};
  // A read's tenant, as the route guard found and authorized it.
  std::optional<tenant_path> tenant = std::nullopt;
  // The caller's roles, once read from the access read models (at most once a request).
  std::optional<access_facts> facts = std::nullopt;
  // A read's object, as an object guard found and authorized it.
  std::optional<object_owner> object = {};
  // Where clients reach tenantry (TENANTRY_PUBLIC_URL); empty: the Host header.
  std::string_view public_url = {};
  // The body as JSON, parsed at most once a request (api/http/json_input.hpp: json_body).
  mutable std::optional<result<nlohmann::json>> parsed_body = std::nullopt;

  // The decoded value of query parameter `name`, if present.
  std::optional<std::string> query(std::string_view name) const;
  std::string header(std::string_view name) const;
};

}  // namespace tenantry::api
