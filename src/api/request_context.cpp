#include "api/request_context.hpp"

#include <algorithm>

namespace tenantry::api {

bool principal::has_role(std::string_view role) const {
  return std::ranges::find(platform_roles, role) != platform_roles.end();
}

bool principal::has_any_role(std::initializer_list<std::string_view> roles) const {
  return std::ranges::any_of(roles, [&](std::string_view r) { return has_role(r); });
}

std::optional<std::string> request_context::query(std::string_view name) const {
  const auto params = target.params();
  const auto it = params.find(name);
  if (it == params.end()) return std::nullopt;
  return std::string((*it).value);
}

std::string request_context::header(std::string_view name) const {
  const auto it = req.find(name);
  return it == req.end() ? std::string() : std::string(it->value());
}

}  // namespace tenantry::api
