#include <cctype>

#include <nlohmann/json.hpp>

#include "api/openapi.hpp"
#include "commands/access/access_policy.hpp"

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
    case guard::scope::object:
      return "object";
    case guard::scope::body_object:
      return "body_object";
    case guard::scope::self_or_platform:
      return "self_or_platform";
  }
  return "unknown";
}

nlohmann::json guard_json(const guard& g) {
  nlohmann::json j = {{"scope", scope_name(g.where)}};
  if (!g.permission.empty()) j["permission"] = g.permission;
  // An upsert: `permission` on the tenant holding the path's slug; `body` only when none does.
  if (g.upsert) j["upsert"] = true;
  if (!g.body_field.empty())
    j["body"] = {{"field", g.body_field},
                 {"permission", g.body_permission},
                 {"root_permission", g.root_permission}};
  // An object guard names the kind (or the body field naming one) and, per kind, the
  // permission that lets a caller see such an object (without it: 404 naming the kind).
  if (!g.object_kind.empty()) {
    j["object"] = {{"kind", g.object_kind}, {"visible_with", visibility_permission(g.object_kind)}};
    // A kind with a party (an invitation's invitee): the party sees it too, and the guard
    // says whether the party may act ("also") or only it ("only").
    if (const auto party = party_of_kind(g.object_kind); !party.empty())
      j["object"]["party"] = party;
  }
  if (g.party != object_party::none) j["party"] = g.party == object_party::also ? "also" : "only";
  if (!g.token_field.empty()) j["token_field"] = g.token_field;
  if (!g.object_field.empty()) {
    nlohmann::json kinds = nlohmann::json::object();
    for (std::string_view kind : grantable_object_types)
      kinds[std::string(kind)] = visibility_permission(kind);
    j["object"] = {{"field", g.object_field}, {"kinds", std::move(kinds)}};
  }
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
