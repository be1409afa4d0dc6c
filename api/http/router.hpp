#pragma once
// Routes: method + path pattern ("/v1/tenants/{ref}/children") -> handler, each with the
// access rule it needs. Unknown paths answer 404, known paths with another method 405.

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "api/guards/route_guard.hpp"
#include "api/http/request_context.hpp"

namespace tenantry::api {

using route_handler = std::function<asio::awaitable<response>(request_context&)>;

struct route {
  http::verb method;
  std::string pattern;
  guard rule;
  route_handler handler;
};

class router {
 public:
  // Refuses (std::invalid_argument, at start-up) a route whose guard check_guard refuses.
  void add(http::verb method, std::string pattern, guard rule, route_handler handler);
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
