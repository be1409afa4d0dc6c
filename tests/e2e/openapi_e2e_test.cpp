// The OpenAPI document the server serves, checked against the server itself: every
// documented operation is routed and answers only documented statuses and error codes,
// documented security and query parameters are what the server enforces, and every route
// the code registers is documented.

#include <algorithm>
#include <cctype>
#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "e2e_fixture.hpp"

namespace tenantry::testing {
namespace {

struct operation {
  std::string method;  // upper case
  std::string path;    // the template, e.g. /v1/tenants/{ref}
  nlohmann::json spec;
  nlohmann::json path_item;
  std::string name() const { return method + " " + path; }
};

class OpenApi : public e2e_test {
 protected:
  // /readyz can answer 200 a moment before tenantryd's bootstrap thread has registered the
  // admin, so the first login may be refused: wait until it works.
  void after_start() override {
    const http_client c(server->port());
    const nlohmann::json credentials{{"username", server_process::admin_email},
                                     {"password", server_process::admin_password}};
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (c.post("/v1/auth/token", credentials).status != 200 &&
           std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }

  void SetUp() override {
    e2e_test::SetUp();
    if (HasFatalFailure()) return;
    auto r = client().get("/v1/openapi.json");
    ASSERT_EQ(r.status, 200u) << r.body;
    doc = r.json();
    ASSERT_TRUE(doc.is_object()) << "the document is not a JSON object";
    ASSERT_TRUE(doc.contains("paths") && doc["paths"].is_object());
    for (const auto& [path, item] : doc["paths"].items())
      for (const auto& [method, spec] : item.items()) {
        static const std::set<std::string> methods{"get",    "put",  "post",    "patch",
                                                   "delete", "head", "options", "trace"};
        if (!methods.contains(method)) continue;
        std::string upper;
        for (char c : method) upper.push_back(static_cast<char>(std::toupper(c)));
        operations.push_back(operation{upper, path, spec, item});
      }
    ASSERT_FALSE(operations.empty());
  }

  // Follows local "$ref"s ("#/components/...") until a node without one.
  const nlohmann::json& resolve(const nlohmann::json& node) const {
    const nlohmann::json* at = &node;
    for (int hops = 0; at->is_object() && at->contains("$ref") && hops < 16; ++hops) {
      const std::string ref = (*at)["$ref"];
      if (!ref.starts_with("#/")) break;
      at = &doc.at(nlohmann::json::json_pointer(ref.substr(1)));
    }
    return *at;
  }

  bool secured(const operation& op) const {
    const nlohmann::json& security = op.spec.contains("security")
                                         ? op.spec["security"]
                                         : doc.value("security", nlohmann::json());
    return security.is_array() && !security.empty();
  }

  // The operation's parameters, path-level ones included, resolved.
  std::vector<nlohmann::json> parameters(const operation& op) const {
    std::vector<nlohmann::json> out;
    for (const auto* holder : {&op.path_item, &op.spec})
      if (holder->contains("parameters"))
        for (const auto& p : (*holder)["parameters"]) out.push_back(resolve(p));
    return out;
  }

  // The path with every {placeholder} replaced by `value`.
  static std::string concrete(std::string path, const std::string& value) {
    for (auto open = path.find('{'); open != std::string::npos; open = path.find('{')) {
      const auto close = path.find('}', open);
      path.replace(open, close - open + 1, value);
    }
    return path;
  }

  // Sends the operation without a body (no command can succeed, nothing is created).
  http_answer probe(const operation& op, const std::string& token, const std::string& query = "",
                    const std::string& ref = "") const {
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return client().request(op.method, concrete(op.path, ref.empty() ? probe_ref : ref) + query, "",
                            headers);
  }

  // The error codes the response documents for a status, or nullopt when not documented.
  std::optional<std::set<std::string>> documented_codes(const operation& op,
                                                        unsigned status) const {
    const auto& responses = op.spec["responses"];
    const std::string key = std::to_string(status);
    const nlohmann::json* response = nullptr;
    if (responses.contains(key))
      response = &resolve(responses[key]);
    else if (responses.contains("default"))
      response = &resolve(responses["default"]);
    if (!response) return std::nullopt;
    std::set<std::string> codes;
    if (response->contains("content") && (*response)["content"].contains("application/json"))
      collect_codes(resolve((*response)["content"]["application/json"].value(
                        "schema", nlohmann::json::object())),
                    codes);
    return codes;
  }

  // The narrowest enum of `error` a schema (or the first schema of its allOf) declares.
  void collect_codes(const nlohmann::json& schema, std::set<std::string>& codes) const {
    if (!schema.is_object()) return;
    if (schema.contains("properties") && schema["properties"].contains("error")) {
      const auto& error = resolve(schema["properties"]["error"]);
      if (error.contains("enum")) {
        for (const auto& c : error["enum"]) codes.insert(c.get<std::string>());
        return;
      }
    }
    if (schema.contains("allOf"))
      for (const auto& part : schema["allOf"]) {
        collect_codes(resolve(part), codes);
        if (!codes.empty()) return;
      }
  }

  // A route is known when the router neither refused the method nor the path.
  static bool routed(const http_answer& r) {
    if (r.status == 405) return false;
    if (r.status != 404) return true;
    const auto body = r.json();
    return !(body.is_object() && body.value("message", "") == "No such route.");
  }

  // A slug no tenant has: placeholders become it, so no probe touches real data.
  static std::string probe_slug() {
    std::string slug = unique("openapi-probe");
    std::ranges::replace(slug, '_', '-');
    return slug;
  }

  // A value of `schema` whose every string is `text` (object properties, array items, the
  // first alternative of a oneOf/anyOf/allOf): what the operation's body would carry.
  nlohmann::json sample(const nlohmann::json& node, const std::string& text, int depth = 0) const {
    const nlohmann::json& schema = resolve(node);
    if (depth > 8 || !schema.is_object()) return text;
    for (const char* choice : {"oneOf", "anyOf", "allOf"})
      if (schema.contains(choice) && !schema[choice].empty())
        return sample(schema[choice][0], text, depth + 1);
    std::string type = "string";
    if (schema.contains("type"))
      type = schema["type"].is_array() ? schema["type"][0].get<std::string>()
                                       : schema["type"].get<std::string>();
    if (type == "object" || schema.contains("properties")) {
      nlohmann::json out = nlohmann::json::object();
      if (schema.contains("properties"))
        for (const auto& [name, property] : schema["properties"].items())
          out[name] = sample(property, text, depth + 1);
      else if (schema.contains("additionalProperties") &&
               schema["additionalProperties"].is_object())
        out[text] = sample(schema["additionalProperties"], text, depth + 1);  // a free-form map
      return out;
    }
    if (type == "array")
      return nlohmann::json::array(
          {sample(schema.value("items", nlohmann::json::object()), text, depth + 1)});
    if (type == "integer" || type == "number") return 1;
    if (type == "boolean") return true;
    if (type == "null") return nullptr;
    return text;
  }

  // The operation's JSON body schema, if it takes one.
  const nlohmann::json* body_schema(const operation& op) const {
    if (!op.spec.contains("requestBody")) return nullptr;
    const nlohmann::json& body = resolve(op.spec["requestBody"]);
    if (!body.contains("content") || !body["content"].contains("application/json")) return nullptr;
    return &body["content"]["application/json"]["schema"];
  }

  static bool is_command(const operation& op) {
    return op.method == "POST" || op.method == "PUT" || op.method == "PATCH" ||
           op.method == "DELETE";
  }

  // Sends the operation with `body` on the path with every placeholder `ref`.
  http_answer send(const operation& op, const nlohmann::json& body, const std::string& ref) const {
    return client().request(
        op.method, concrete(op.path, ref), body.dump(),
        {{"Authorization", "Bearer " + admin}, {"Content-Type", "application/json"}});
  }

  nlohmann::json doc;
  std::vector<operation> operations;
  const std::string probe_ref = probe_slug();
};

TEST_F(OpenApi, IsServedAtBothPathsAsAnOpenApi31Document) {
  auto v1 = client().get("/v1/openapi.json");
  auto alias = client().get("/openapi.json");
  ASSERT_EQ(v1.status, 200u);
  ASSERT_EQ(alias.status, 200u);
  EXPECT_EQ(v1.body, alias.body);
  EXPECT_TRUE(v1.header("Content-Type").starts_with("application/json"));
  EXPECT_TRUE(doc.value("openapi", "").starts_with("3.1.")) << doc.value("openapi", "");
  EXPECT_TRUE(doc["info"].contains("title"));
  EXPECT_TRUE(doc["info"].contains("version"));
  EXPECT_EQ(doc["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");
}

TEST_F(OpenApi, EveryReferenceResolvesAndOperationIdsAreUnique) {
  std::vector<std::string> refs;
  std::function<void(const nlohmann::json&)> walk = [&](const nlohmann::json& node) {
    if (node.is_object()) {
      if (node.contains("$ref") && node["$ref"].is_string()) refs.push_back(node["$ref"]);
      for (const auto& [key, child] : node.items()) walk(child);
    } else if (node.is_array()) {
      for (const auto& child : node) walk(child);
    }
  };
  walk(doc);
  EXPECT_FALSE(refs.empty());
  for (const auto& ref : refs) {
    ASSERT_TRUE(ref.starts_with("#/")) << ref;
    EXPECT_TRUE(doc.contains(nlohmann::json::json_pointer(ref.substr(1)))) << ref;
  }
  std::set<std::string> ids;
  for (const auto& op : operations) {
    ASSERT_TRUE(op.spec.contains("operationId")) << op.name();
    EXPECT_TRUE(ids.insert(op.spec["operationId"].get<std::string>()).second)
        << "duplicate operationId " << op.spec["operationId"];
    EXPECT_FALSE(op.spec["responses"].empty()) << op.name();
  }
}

TEST_F(OpenApi, DocumentsEveryRouteTheServerRegisters) {
  const std::vector<std::string> routes{
      "GET /healthz",
      "GET /readyz",
      "GET /metrics",
      "GET /.well-known/jwks.json",
      "GET /v1/openapi.json",
      "GET /openapi.json",
      "POST /v1/auth/token",
      "POST /v1/auth/token/refresh",
      "POST /v1/users",
      "GET /v1/users",
      "GET /v1/users/me",
      "GET /v1/users/{ref}",
      "PUT /v1/users/{ref}",
      "PATCH /v1/users/{ref}",
      "DELETE /v1/users/{ref}",
      "POST /v1/users/{ref}/restore",
      "POST /v1/users/{ref}/deactivate",
      "POST /v1/users/{ref}/activate",
      "GET /v1/users/{ref}/profile",
      "PATCH /v1/users/{ref}/profile",
      "POST /v1/users/{ref}/password",
      "POST /v1/tenants",
      "GET /v1/tenants",
      "GET /v1/tenants/{ref}",
      "PATCH /v1/tenants/{ref}",
      "PUT /v1/tenants/{ref}",
      "GET /v1/tenants/{ref}/configuration",
      "PATCH /v1/tenants/{ref}/configuration",
      "GET /v1/tenants/{ref}/feature-flags",
      "POST /v1/tenants/{ref}/feature-flags",
      "GET /v1/tenants/{ref}/feature-flags/{key}",
      "DELETE /v1/tenants/{ref}/feature-flags/{key}",
      "DELETE /v1/tenants/{ref}",
      "POST /v1/tenants/{ref}/suspend",
      "POST /v1/tenants/{ref}/resume",
      "POST /v1/tenants/{ref}/activate",
      "POST /v1/tenants/{ref}/deactivate",
      "POST /v1/tenants/{ref}/move",
      "POST /v1/tenants/{ref}/restore",
      "GET /v1/tenants/{ref}/children",
      "GET /v1/tenants/{ref}/ancestors",
      "GET /v1/tenants/{ref}/hierarchy",
      "GET /v1/groups",
      "POST /v1/groups",
      "GET /v1/tenants/{ref}/groups",
      "POST /v1/tenants/{ref}/groups",
      "GET /v1/groups/{id}",
      "PUT /v1/groups/{id}",
      "PATCH /v1/groups/{id}",
      "DELETE /v1/groups/{id}",
      "GET /v1/groups/{id}/members",
      "POST /v1/groups/{id}/members",
      "DELETE /v1/groups/{id}/members/{user}",
      "GET /v1/permissions/grants",
      "POST /v1/permissions/grants",
      "DELETE /v1/permissions/grants/{id}",
      "GET /v1/tenants/{ref}/invitations",
      "POST /v1/tenants/{ref}/invitations",
      "GET /v1/invitations",
      "GET /v1/invitations/{id}",
      "POST /v1/invitations/{id}/accept",
      "POST /v1/invitations/{id}/decline",
      "POST /v1/invitations/{id}/revoke",
  };
  std::set<std::string> documented;
  for (const auto& op : operations) documented.insert(op.name());
  for (const auto& route : routes) EXPECT_TRUE(documented.contains(route)) << route;
}

TEST_F(OpenApi, ProbesTellKnownRoutesFromUnknownOnes) {
  EXPECT_FALSE(routed(client().get("/v1/" + probe_ref, admin)));
  EXPECT_FALSE(
      routed(client().request("PUT", "/v1/tenants", "", {{"Authorization", "Bearer " + admin}})));
  EXPECT_TRUE(routed(client().get("/v1/tenants/" + probe_ref, admin)));  // 404 not_found
}

TEST_F(OpenApi, EveryDocumentedOperationIsServed) {
  for (const auto& op : operations) {
    auto r = probe(op, secured(op) ? admin : "");
    EXPECT_TRUE(routed(r)) << op.name() << " -> " << r.status << " " << r.body;
  }
}

TEST_F(OpenApi, EveryAnswerIsADocumentedStatusWithADocumentedErrorCode) {
  for (const auto& op : operations) {
    for (const bool with_token : {true, false}) {
      auto r = probe(op, with_token ? admin : "");
      const auto codes = documented_codes(op, r.status);
      ASSERT_TRUE(codes.has_value())
          << op.name() << " answered an undocumented " << r.status << ": " << r.body;
      const std::string code = error_of(r);
      if (r.status >= 400) {
        EXPECT_TRUE(codes->contains(code))
            << op.name() << " answered " << r.status << " '" << code << "', not a documented code";
      }
      EXPECT_FALSE(r.header("X-Request-Id").empty()) << op.name();
    }
  }
}

TEST_F(OpenApi, DocumentedSecurityIsWhatTheServerDemands) {
  for (const auto& op : operations) {
    auto anonymous = probe(op, "");
    if (secured(op)) {
      EXPECT_EQ(anonymous.status, 401u) << op.name() << " answered without a token";
      EXPECT_EQ(error_of(anonymous), "unauthenticated") << op.name();
      EXPECT_NE(probe(op, admin).status, 401u) << op.name() << " refused the admin token";
    } else {
      EXPECT_NE(anonymous.status, 401u) << op.name() << " is documented without security";
    }
  }
}

// A query parameter the server ignores would not refuse a value outside its schema.
TEST_F(OpenApi, DocumentedQueryParametersAreValidatedByTheServer) {
  // Reads probe a tenant (or a group) that exists: a missing one is 404 before its query is
  // looked at.
  const std::string existing = create_tenant(unique("OpenAPI queries"))["id"];
  auto made = client().post("/v1/groups", {{"name", unique("OpenAPI queries")}}, admin);
  ASSERT_EQ(made.status, 201u) << made.body;
  settle(made);
  const std::string group = made.json()["id"];
  int checked = 0;
  for (const auto& op : operations) {
    for (const auto& param : parameters(op)) {
      if (param.value("in", "") != "query") continue;
      const std::string name = param["name"];
      const nlohmann::json* schema = &resolve(param["schema"]);
      if (!schema->contains("enum") && schema->contains("allOf"))
        schema = &resolve((*schema)["allOf"][0]);
      std::string bad;
      if (schema->contains("enum"))
        bad = "not-a-documented-value";
      else if (schema->value("type", "") == "integer" && schema->contains("minimum"))
        bad = std::to_string((*schema)["minimum"].get<long long>() - 1);
      else
        continue;
      const std::string ref = op.path.starts_with("/v1/groups/{id}") ? group : existing;
      auto r = probe(op, secured(op) ? admin : "", "?" + name + "=" + bad,
                     op.method == "GET" ? ref : "");
      EXPECT_EQ(r.status, 400u) << op.name() << " ?" << name << "=" << bad << " -> " << r.body;
      const auto body = r.json();
      EXPECT_EQ(error_of(r), "validation_error") << op.name() << " " << name;
      EXPECT_TRUE(body.is_object() && body.contains("details") && body["details"].contains(name))
          << op.name() << " " << name << ": " << r.body;
      ++checked;
    }
  }
  EXPECT_GT(checked, 10);
}

// PostgreSQL stores no U+0000: a command carrying it would be acknowledged and then stop
// every read model at its event. No command route takes it, in a body or in the path.
TEST_F(OpenApi, NoCommandRouteTakesTextTheReadSideCannotStore) {
  const std::string tenant = create_tenant(unique("Nul target"))["id"];
  const std::string nul_text = std::string("x") + '\0' + "y";
  int refused_bodies = 0;
  for (const auto& op : operations) {
    if (!is_command(op)) continue;
    if (op.path.find('{') != std::string::npos) {
      auto in_path = send(op, nlohmann::json::object(), "%00");
      EXPECT_EQ(in_path.status, 400u) << op.name() << " took U+0000 in its path: " << in_path.body;
      EXPECT_EQ(error_of(in_path), "validation_error") << op.name();
    }
    const nlohmann::json* schema = body_schema(op);
    if (!schema) continue;
    // On a tenant every guard lets the admin through, so the body is read and refused; on
    // another object (a random id) a 404 may come first: either way nothing is accepted.
    const bool on_tenant_only = op.path.find("{id}") == std::string::npos &&
                                op.path.find("{user}") == std::string::npos &&
                                op.path.find("{role}") == std::string::npos;
    auto r = send(op, sample(*schema, nul_text), on_tenant_only ? tenant : new_uuid_v7());
    EXPECT_TRUE(r.status >= 400 && r.status < 500)
        << op.name() << " took U+0000 in its body: " << r.status << " " << r.body;
    if (on_tenant_only) {
      EXPECT_EQ(r.status, 400u) << op.name() << ": " << r.body;
      EXPECT_EQ(error_of(r), "validation_error") << op.name() << ": " << r.body;
      EXPECT_NE(r.body.find("U+0000"), std::string::npos) << op.name() << ": " << r.body;
      ++refused_bodies;
    }
  }
  EXPECT_GE(refused_bodies, 15) << "fewer command bodies reached than the routes on a tenant";
  // The read side is where it was: caught up, and projecting the next change.
  EXPECT_EQ(client().get("/readyz").status, 200u);
  create_tenant(unique("After nul"));
}

// Other control characters are text PostgreSQL stores: whatever the routes make of them,
// none is a server error and the read side follows every change they were taken in.
TEST_F(OpenApi, ControlCharactersInCommandsNeverStopTheReadSide) {
  const std::string tenant = create_tenant(unique("Control target"))["id"];
  const std::string controls = "a\x01\x08\x1b\x1f\x7f\t\r\nb";
  int accepted = 0;
  for (const auto& op : operations) {
    if (!is_command(op)) continue;
    const nlohmann::json* schema = body_schema(op);
    auto r = send(op, schema ? sample(*schema, controls) : nlohmann::json::object(), tenant);
    EXPECT_LT(r.status, 500u) << op.name() << ": " << r.body;
    if (r.status < 300) ++accepted;
  }
  EXPECT_GE(accepted, 1) << "no command took control characters at all";
  // One partition: a change read back with its consistency token was projected after
  // every change before it.
  EXPECT_EQ(client().get("/readyz").status, 200u);
  create_tenant(unique("After controls"));
}

}  // namespace
}  // namespace tenantry::testing
