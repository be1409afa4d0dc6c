#include "api/http/request_context.hpp"

namespace tenantry::api {

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
