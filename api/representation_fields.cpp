#include "api/representation_fields.hpp"

namespace tenantry::api {

using nlohmann::json;

json or_null(const std::optional<std::string>& value) {
  return value ? json(*value) : json(nullptr);
}

json email_or_null(const std::string& email) {
  return email.empty() ? json(nullptr) : json(email);
}

json time_or_null(const std::optional<timestamp>& time) {
  return time ? json(format_rfc3339(*time)) : json(nullptr);
}

json role_refs_json(const std::vector<std::string>& roles, const std::vector<std::string>& names) {
  json out = json::array();
  for (std::size_t i = 0; i < roles.size(); ++i)
    out.push_back({{"id", roles[i]}, {"name", i < names.size() ? names[i] : roles[i]}});
  return out;
}

}  // namespace tenantry::api
