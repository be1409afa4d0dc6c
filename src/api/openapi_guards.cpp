#include <cctype>

#include <nlohmann/json.hpp>

#include "api/openapi.hpp"

namespace tenantry::api {
namespace {

std::string_view scope_name(guard::scope s) {
  switch (s) {
    case guard::scope::anyone:
      return "anyone";
    case guard::scope::authenticated:
      return "authenticated";
    case guard::scope::platform:
      return "platform";
    case guard::scope::tenant:
      return "tenant";
    case guard::scope::body_only:
      return "body";
  }
  return "unknown";
}

nlohmann::json guard_json(const guard& g) {
  nlohmann::json j = {{"scope", scope_name(g.where)}};
  if (!g.permission.empty()) j["permission"] = g.permission;
  if (!g.body_field.empty())
    j["body"] = {{"field", g.body_field},
                 {"permission", g.body_permission},
                 {"root_permission", g.root_permission}};
  return j;
}

}  // namespace

std::string openapi_with_guards(const router& routes) {
  auto doc = nlohmann::json::parse(openapi_document(), nullptr, false);
  if (!doc.is_object() || !doc.contains("paths")) return std::string(openapi_document());
  auto& paths = doc["paths"];
  for (const route& r : routes.routes()) {
    std::string method(http::to_string(r.method));
    for (char& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto path = paths.find(r.pattern);
    if (path == paths.end() || !path->contains(method)) continue;  // the OpenAPI test says so
    (*path)[method]["x-tenantry-guard"] = guard_json(r.rule);
  }
  return doc.dump(1);
}

}  // namespace tenantry::api
