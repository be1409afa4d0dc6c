#include "api/http/tenant_reference.hpp"

#include <regex>

#include "events/text_length.hpp"

namespace tenantry::api {
namespace {

constexpr const char* kinds = "must be a tenant's id or slug, {\"id\": ...} or {\"href\": ...}";

std::expected<std::string, std::string> ref_of(const nlohmann::json& value,
                                               std::size_t max_length) {
  if (!value.is_string()) return std::unexpected(std::string(kinds));
  const std::string& ref = value.get_ref<const std::string&>();
  if (ref.empty()) return std::unexpected("must not be empty");
  if (code_points(ref) > max_length)
    return std::unexpected("must be at most " + std::to_string(max_length) + " characters");
  return ref;
}

// "/v1/tenants/<ref>", alone or after "http(s)://host[:port]": the pattern the OpenAPI
// document states (TenantReference), so that a link to a tenant is taken exactly when the
// schema says it is. A ref in a link is an id or a slug, which need no percent-encoding.
std::expected<std::string, std::string> ref_of_href(const nlohmann::json& value) {
  static const std::regex link(
      "^(https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?)?/v1/tenants/([A-Za-z0-9._~-]{1,100})$");
  std::smatch m;
  if (!value.is_string() || !std::regex_match(value.get_ref<const std::string&>(), m, link))
    return std::unexpected("must be the URL or path of /v1/tenants/<ref>");
  return m[3].str();
}

}  // namespace

std::expected<std::string, std::string> tenant_reference(const nlohmann::json& value,
                                                         std::size_t max_length) {
  if (value.is_string()) return ref_of(value, max_length);
  if (!value.is_object() || value.size() != 1) return std::unexpected(std::string(kinds));
  if (const auto id = value.find("id"); id != value.end()) return ref_of(*id, max_length);
  if (const auto href = value.find("href"); href != value.end()) return ref_of_href(*href);
  return std::unexpected(std::string(kinds));
}

}  // namespace tenantry::api
