#pragma once
// Everything a route handler needs about one request: the raw request, its parsed target,
// the path parameters, and the authenticated principal.

#include <optional>
#include <string>
#include <vector>

#include <boost/url/url_view.hpp>

#include "api/http_server.hpp"
#include "api/jwt.hpp"

namespace tenantry::api {

struct principal {
  std::string user_id;
  std::vector<std::string> platform_roles;
  bool has_role(std::string_view role) const;
  bool has_any_role(std::initializer_list<std::string_view> roles) const;
};

struct request_context {
  const request& req;
  std::string remote_address;
  boost::urls::url_view target;     // path and query, percent-decoded on access
  std::vector<std::string> params;  // the {placeholders} of the route, in order
  std::optional<principal> caller;  // set for every non-public route
  std::string request_id;

  // The decoded value of query parameter `name`, if present.
  std::optional<std::string> query(std::string_view name) const;
  std::string header(std::string_view name) const;
};

}  // namespace tenantry::api
