#pragma once
// Routes: method + path pattern ("/v1/tenants/{ref}/children") -> handler, each with the
// access rule it needs. Unknown paths answer 404, known paths with another method 405.

#include <functional>
#include <string>
#include <vector>

#include "api/request_context.hpp"

namespace tenantry::api {

using route_handler = std::function<asio::awaitable<response>(request_context&)>;

// Who may call a route at all; finer rules (which tenant) live in the handlers.
enum class access {
  anyone,         // no token needed
  authenticated,  // any valid access token
};

struct route {
  http::verb method;
  std::string pattern;
  access rule;
  route_handler handler;
};

class router {
 public:
  void add(http::verb method, std::string pattern, access rule, route_handler handler);
  const std::vector<route>& routes() const { return routes_; }

  struct match {
    const route* found = nullptr;
    std::vector<std::string> params;
    std::string allowed;  // for 405: the methods the path does accept
  };
  match find(http::verb method, std::string_view path) const;

 private:
  std::vector<route> routes_;
};

}  // namespace tenantry::api
