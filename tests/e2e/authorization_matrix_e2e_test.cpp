// The authorization matrix: every principal against every route, the expected answer of
// each cell derived from the route's guard as the server publishes it (x-tenantry-guard in
// its OpenAPI document) and the roles each principal was given, never written cell by
// cell. Both directions count: an allowed cell must not be refused, a refused one must
// not get through.
//
// Each probe is a request the rules refuse *after* authorization (a stale If-Match, a
// taken slug, an unknown user...), so an allowed cell changes nothing.

#include <algorithm>
#include <chrono>
#include <functional>
#include <set>
#include <thread>
#include <tuple>

#include "api/auth/jwt.hpp"
#include "api/auth/signing_key.hpp"
#include "e2e_fixture.hpp"
#include "events/clock.hpp"

namespace tenantry::testing {
namespace {

using nlohmann::json;

// The answer's class.
enum class outcome { allowed, unauthenticated, forbidden, hidden, signed_in };

std::string_view name(outcome o) {
  switch (o) {
    case outcome::allowed:
      return "allowed";
    case outcome::unauthenticated:
      return "401";
    case outcome::forbidden:
      return "403";
    case outcome::hidden:
      return "404 (hidden)";
    case outcome::signed_in:
      return "signed in";
  }
  return "?";
}

std::string missing_id() {
  return "01900000-0000-7000-8000-000000000000";
}

struct principal {
  std::string label;
  std::string token;                                       // empty: anonymous
  std::vector<std::string> platform_roles;                 // as the contract defines them
  std::vector<std::pair<std::string, std::string>> roles;  // (tenant id, built-in role)
  // False for a token the server must refuse: expired, tampered, or whose user was deleted
  // or deactivated after it was issued.
  bool valid_token = true;
  // An API token: its tenant and scopes (its creator holds every permission there).
  std::string token_tenant = {};
  std::vector<std::string> scopes = {};
  std::string email = "";
};

class AuthorizationMatrix : public e2e_test {
 protected:
  json org_a, child_a1, org_b;
  std::map<std::string, std::string> parent_of;  // tenant id -> parent id ("" for a root)
  std::map<std::string, std::string> slug_of;    // tenant id -> slug
  // Objects living in a tenant (or, under "", at the platform level), by kind: the owning
  // tenant -> the object's id and name. Grants are revoked ones (a probe revokes nothing).
  std::map<std::string, std::map<std::string, std::pair<std::string, std::string>>> objects;
  // The email of each object's party, for kinds that have one (an invitation's invitee).
  std::map<std::string, std::map<std::string, std::string>> parties;
  principal invitee;  // the party of every invitation in `objects`
  std::map<std::string, std::vector<std::string>> role_permissions;  // built-in roles
  std::vector<principal> principals;

  principal make(const std::string& label, std::vector<std::string> platform_roles = {}) {
    const std::string email = unique(label) + "@example.com";
    json body{{"email", email}, {"password", "matrix-password"}};
    if (!platform_roles.empty()) body["platform_roles"] = platform_roles;
    auto r = client().post("/v1/users", body, admin);
    EXPECT_EQ(r.status, 201u) << r.body;
    settle(r);
    principal p{label, login(email, "matrix-password"), std::move(platform_roles), {}};
    p.roles.clear();
    p.email = email;
    user_ids[label] = r.json()["id"];
    return p;
  }

  json assign(const std::string& tenant, const std::string& user, const std::string& role,
              std::optional<std::string> expires_at = std::nullopt) {
    json body{{"principal", {{"type", "user"}, {"id", user}}}, {"role", role}};
    if (expires_at) body["expires_at"] = *expires_at;
    return made(client().post("/v1/tenants/" + tenant + "/role-assignments", body, admin));
  }

  // An API token issued on `tenant` by `creator`, with these scopes and lifetime.
  principal api_token(const std::string& label, const std::string& tenant,
                      const std::string& creator, std::vector<std::string> scopes,
                      int expires_in = 3600) {
    auto r = client().post(
        "/v1/tenants/" + tenant + "/tokens",
        {{"name", unique(label)}, {"scopes", scopes}, {"expires_in", expires_in}}, creator);
    EXPECT_EQ(r.status, 201u) << r.body;
    settle(r);
    principal p{label, r.json().value("secret", ""), {}, {}};
    p.token_tenant = tenant;
    p.scopes = std::move(scopes);
    token_ids[label] = r.json().value("id", "");
    return p;
  }

  void SetUp() override {
    e2e_test::SetUp();
    if (HasFatalFailure()) return;
    org_a = create_tenant(unique("Matrix A"));
    child_a1 = create_tenant(unique("Matrix A1"), id(org_a));
    org_b = create_tenant(unique("Matrix B"));
    parent_of = {{id(org_a), ""}, {id(child_a1), id(org_a)}, {id(org_b), ""}};
    slug_of = {
        {id(org_a), org_a["slug"]}, {id(child_a1), child_a1["slug"]}, {id(org_b), org_b["slug"]}};
    const json roles = client().get("/v1/tenants/" + id(org_a) + "/roles", admin).json();
    for (const auto& r : roles["results"])
      if (r["is_builtin"] == true)
        role_permissions[r["id"]] = r["permissions"].get<std::vector<std::string>>();
    ASSERT_EQ(role_permissions.size(), 3u);
    make_objects();

    principals.push_back(principal{"anonymous", "", {}, {}});
    auto member_a = make("member-a");
    auto r = client().post("/v1/tenants/" + id(org_a) + "/members",
                           {{"user", user_ids["member-a"]}, {"roles", {"member"}}}, admin);
    ASSERT_EQ(r.status, 201u) << r.body;
    settle(r);
    member_a.roles = {{id(org_a), "member"}};
    principals.push_back(member_a);
    auto admin_a = make("admin-a");
    assign(id(org_a), user_ids["admin-a"], "tenant_admin");
    admin_a.roles = {{id(org_a), "tenant_admin"}};
    principals.push_back(admin_a);
    auto admin_a1 = make("admin-a1");
    assign(id(child_a1), user_ids["admin-a1"], "tenant_admin");
    admin_a1.roles = {{id(child_a1), "tenant_admin"}};
    principals.push_back(admin_a1);
    auto admin_b = make("admin-b");
    assign(id(org_b), user_ids["admin-b"], "tenant_admin");
    admin_b.roles = {{id(org_b), "tenant_admin"}};
    principals.push_back(admin_b);
    // tenant_admin on A held only through a group of A.
    auto through_group = make("group-admin-a");
    const std::string crew = objects["group"][id(org_a)].first;
    auto joined = client().post("/v1/groups/" + crew + "/members",
                                {{"user", user_ids["group-admin-a"]}}, admin);
    ASSERT_EQ(joined.status, 201u) << joined.body;
    settle(joined);
    auto to_group = client().post(
        "/v1/tenants/" + id(org_a) + "/role-assignments",
        {{"principal", {{"type", "group"}, {"id", crew}}}, {"role", "tenant_admin"}}, admin);
    ASSERT_EQ(to_group.status, 201u) << to_group.body;
    settle(to_group);
    through_group.roles = {{id(org_a), "tenant_admin"}};
    principals.push_back(through_group);
    principals.push_back(make("operator", {"platform_operator"}));
    principals.push_back(make("platform-admin", {"platform_admin"}));
    principal super_admin{"super-admin", admin, {"super_admin"}, {}};
    super_admin.email = server_process::admin_email;
    principals.push_back(super_admin);
    principals.push_back(invitee);
    // Held a role once: revoked, or expired (2 s after it was given).
    auto revoked = make("revoked");
    auto given = assign(id(org_a), user_ids["revoked"], "tenant_admin");
    auto out = client().post(
        "/v1/tenants/" + id(org_a) + "/role-assignments/" + id(given) + "/revoke", nullptr, admin);
    ASSERT_EQ(out.status, 200u) << out.body;
    settle(out);
    principals.push_back(revoked);
    auto expired = make("expired");
    const auto soon = std::chrono::time_point_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now() + std::chrono::seconds(2));
    assign(id(org_a), user_ids["expired"], "tenant_admin",
           tenantry::format_rfc3339(timestamp(soon.time_since_epoch())));
    principals.push_back(expired);
    // Tokens that are not valid: expired (signed with the server's own key), or tampered.
    auto key = api::load_signing_key(server->key_path());
    ASSERT_TRUE(key) << key.error().message;
    const api::jwt_signer signer(*key, "tenantry", "tenantry", std::chrono::seconds(60));
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    principals.push_back(principal{"expired-token",
                                   signer.issue(user_ids["admin-a"], {"super_admin"}, now - 3600),
                                   {"super_admin"},
                                   {{id(org_a), "tenant_admin"}},
                                   false});
    std::string tampered = admin;  // a signature character well before the padding bits
    char& c = tampered[tampered.size() - 10];
    c = c == 'A' ? 'B' : 'A';
    principals.push_back(principal{"tampered-token", tampered, {"super_admin"}, {}, false});
    // API tokens: a reader on A, an admin-like one on A1 (every scope a token can have),
    // one revoked and one expired (2 s after it was issued).
    principals.push_back(api_token("token-a-reader", id(org_a), admin_a.token,
                                   {"tenant.read", "member.read", "role.read"}));

    std::vector<std::string> admin_like;
    for (const auto& p : role_permissions.at("tenant_admin"))
      if (p != "token.manage") admin_like.push_back(p);
    principals.push_back(api_token("token-a1-admin", id(child_a1), admin_a1.token, admin_like));
    auto revoked_token = api_token("token-revoked", id(org_a), admin, admin_like);
    auto gone =
        client().del("/v1/tenants/" + id(org_a) + "/tokens/" + token_ids["token-revoked"], admin);
    ASSERT_EQ(gone.status, 204u) << gone.body;
    settle(gone);
    revoked_token.valid_token = false;
    principals.push_back(revoked_token);
    const auto token_soon = std::chrono::system_clock::now() + std::chrono::seconds(2);
    auto expired_token = api_token("token-expired", id(org_a), admin, admin_like, 2);
    expired_token.valid_token = false;
    principals.push_back(expired_token);
    std::this_thread::sleep_until(
        std::max<std::chrono::system_clock::time_point>(soon, token_soon) +
        std::chrono::milliseconds(300));
    // Signed in, then deleted or deactivated: their unexpired tokens must stop working.
    for (const char* gone : {"deleted-user", "deactivated-user"}) {
      auto p = make(gone, {"platform_admin"});
      const std::string path = "/v1/users/" + user_ids[gone];
      auto r = std::string(gone) == "deleted-user"
                   ? client().del(path, admin)
                   : client().post(path + "/deactivate", nullptr, admin);
      ASSERT_LT(r.status, 300u) << r.body;
      settle(r);
      p.valid_token = false;
      principals.push_back(p);
    }
    // The user every /v1/users/{ref} probe names: admin-a1, so that one principal acts on
    // itself (the self_or_platform guard), one API token acts for it (token-a1-admin: a
    // token never acts as the user itself) and the rest on someone else.
    for (const principal& p : principals)
      if (p.label == "admin-a1") user_target = p.email;
    std::this_thread::sleep_until(soon + std::chrono::milliseconds(300));
  }

  // In A, A1 and B an invitation to one user, revoked (so that answering it is refused
  // after authorization).
  void make_invitations() {
    invitee = make("invitee");
    for (const std::string& t : {id(org_a), id(child_a1), id(org_b)}) {
      auto sent = client().post("/v1/tenants/" + t + "/invitations",
                                {{"invitee", invitee.email}, {"roles", {"viewer"}}}, admin);
      ASSERT_EQ(sent.status, 201u) << sent.body;
      auto revoked =
          client().post("/v1/invitations/" + id(sent.json()) + "/revoke", nullptr, admin);
      ASSERT_EQ(revoked.status, 200u) << revoked.body;
      settle(revoked);
      objects["invitation"][t] = {id(sent.json()), invitee.email};
      parties["invitation"][t] = invitee.email;
    }
  }

  // A group in A, A1 and B and a platform group, and on each a grant, revoked.
  void make_objects() {
    make("grant-holder");
    const std::string holder = user_ids["grant-holder"];
    for (const std::string& t : {id(org_a), id(child_a1), id(org_b), std::string()}) {
      const std::string name = unique("matrix group");
      auto g = client().post(t.empty() ? "/v1/groups" : "/v1/tenants/" + t + "/groups",
                             {{"name", name}}, admin);
      ASSERT_EQ(g.status, 201u) << g.body;
      objects["group"][t] = {id(g.json()), name};
      auto given = client().post("/v1/permissions/grants",
                                 {{"principal", {{"type", "user"}, {"id", holder}}},
                                  {"permission", "member.read"},
                                  {"object", {{"type", "group"}, {"id", id(g.json())}}}},
                                 admin);
      ASSERT_EQ(given.status, 201u) << given.body;
      auto revoked = client().del("/v1/permissions/grants/" + id(given.json()), admin);
      ASSERT_EQ(revoked.status, 204u) << revoked.body;
      settle(revoked);
      objects["grant"][t] = {id(given.json()), ""};
    }
    make_invitations();
  }

  // Whether the contract gives `p` the permission on tenant `t` (roles hold for the subtree).
  bool holds(const principal& p, const std::string& t, const std::string& permission) const {
    if (!p.token_tenant.empty()) {
      // A token: its scopes on its tenant's subtree; never platform-wide, never token.manage.
      if (t.empty() || permission == "token.manage" || !std::ranges::count(p.scopes, permission))
        return false;
      for (std::string at = t; !at.empty(); at = parent_of.at(at))
        if (at == p.token_tenant) return true;
      return false;
    }
    for (const auto& role : p.platform_roles) {
      if (role == "super_admin" || role == "system_admin" || role == "platform_admin") return true;
      if (role == "platform_operator" &&
          (permission.ends_with(".read") || permission == "platform.tenant_lifecycle"))
        return true;
    }
    if (t.empty() || permission.starts_with("platform.")) return false;
    for (std::string at = t; !at.empty(); at = parent_of.at(at))
      for (const auto& [tenant, role] : p.roles)
        if (tenant == at && std::ranges::count(role_permissions.at(role), permission)) return true;
    return false;
  }

  // One requirement's verdict: allowed, or 403 where it may read the tenant, else 404.
  outcome requirement(const principal& p, const std::string& t,
                      const std::string& permission) const {
    if (holds(p, t, permission)) return outcome::allowed;
    if (t.empty()) return outcome::forbidden;  // the platform level: nothing to hide
    return holds(p, t, "tenant.read") ? outcome::forbidden : outcome::hidden;
  }

  // An object's: allowed, or 403 where it may see the object (the kind's `visible_with`
  // permission where it lives; platform roles only at the platform level), else 404.
  outcome object_requirement(const principal& p, const std::string& owner,
                             const std::string& permission, const std::string& visible) const {
    if (holds(p, owner, permission)) return outcome::allowed;
    return holds(p, owner, visible) ? outcome::forbidden : outcome::hidden;
  }

  // An object guard naming a party (an invitation's invitee): the party sees the object,
  // and acts when the guard's `party` is `also` or `only` (then nobody else does).
  outcome party_requirement(const principal& p, const json& guard, const std::string& owner,
                            const std::string& kind) const {
    const json& object = guard.at("object");
    const bool is_party = parties.contains(kind) && parties.at(kind).contains(owner) &&
                          parties.at(kind).at(owner) == p.email;
    const std::string may = guard.value("party", "");
    if (is_party && !may.empty()) return outcome::allowed;
    if (may != "only" && holds(p, owner, guard.at("permission"))) return outcome::allowed;
    return is_party || holds(p, owner, object.at("visible_with")) ? outcome::forbidden
                                                                  : outcome::hidden;
  }

  // `tenant` is the target: the path's tenant, or the tenant owning the path's (or the
  // body's) object ("" at the platform level); `kind` that object's kind.
  outcome expected(const principal& p, const json& guard, const std::string& tenant,
                   const std::optional<std::string>& body_tenant,
                   const std::string& kind = "") const {
    const std::string scope = guard.at("scope");
    if (scope == "anyone") return outcome::allowed;
    if (p.token.empty() || !p.valid_token) return outcome::unauthenticated;
    if (scope == "authenticated") return outcome::signed_in;
    if (scope == "platform") return requirement(p, "", guard.at("permission"));
    if (scope == "object" && guard.at("object").contains("party"))
      return party_requirement(p, guard, tenant, kind);
    if (scope == "object")
      return object_requirement(p, tenant, guard.at("permission"),
                                guard.at("object").at("visible_with"));
    if (scope == "body_object")
      return object_requirement(p, tenant, guard.at("permission"),
                                guard.at("object").at("kinds").at(kind));
    // The path's user is the caller itself, or a platform permission.
    if (scope == "self_or_platform")
      return p.email == user_target ? outcome::allowed : requirement(p, "", guard.at("permission"));
    // An upsert's probes name tenants that hold their slugs: its replace side applies, and
    // a holder the caller may not see answers 409 slug_taken, never 404.
    if (guard.value("upsert", false)) {
      const outcome o = requirement(p, tenant, guard.at("permission"));
      return o == outcome::hidden ? outcome::allowed : o;
    }
    if (scope == "tenant")
      if (auto o = requirement(p, tenant, guard.at("permission")); o != outcome::allowed) return o;
    if (guard.contains("body")) {
      const json& b = guard["body"];
      return body_tenant ? requirement(p, *body_tenant, b.at("permission"))
                         : requirement(p, "", b.at("root_permission"));
    }
    return outcome::allowed;
  }

  // GET /v1/authz/check about a group or an API token (`kind`) living in `owner`: the
  // principal is seen only with its kind's visibility permission there (404 naming the kind);
  // then another principal's access on the object needs role.read there (403 where it may
  // see it). An API token may ask about itself: that needs seeing the object only.
  outcome check_requirement(const principal& p, const std::string& kind, const std::string& owner,
                            const std::string& about) const {
    if (p.token.empty() || !p.valid_token) return outcome::unauthenticated;
    if (kind == "token" && p.label == about)
      return holds(p, owner, "tenant.read") ? outcome::allowed : outcome::hidden;
    if (!holds(p, owner, kind == "group" ? "member.read" : "token.manage")) return outcome::hidden;
    return holds(p, owner, "role.read") ? outcome::allowed : outcome::forbidden;
  }

  // A 404 is "hidden" when it names the kind the target is (a 404 naming anything else,
  // say an unknown user, is a refusal after authorization).
  static outcome actual(const http_answer& r, const std::string& kind) {
    if (r.status == 401) return outcome::unauthenticated;
    const json body = r.json();
    const std::string code = body.is_object() ? body.value("error", "") : "";
    if (r.status == 403 && code == "permission_denied") return outcome::forbidden;
    if (r.status == 404 && body.is_object() && body.contains("details") &&
        body["details"].value("resource", "") == kind)
      return outcome::hidden;
    return outcome::allowed;
  }

  std::map<std::string, std::string> user_ids;
  std::map<std::string, std::string> token_ids;
  std::string user_target;  // the email of the user the /v1/users/{ref} probes name
};

// A probe: the request a route gets for one target tenant; refused by the rules after
// authorization, so nothing changes when it is allowed.
struct probe {
  std::string method, target, body;
  std::map<std::string, std::string> headers;
  std::optional<std::string> body_tenant;  // the tenant the body names, if any
};

TEST_F(AuthorizationMatrix, EveryPrincipalAgainstEveryRouteAnswersAsItsGuardSays) {
  auto served = client().get("/v1/openapi.json").json();
  const std::string nobody = "nobody-" + unique("x") + "@example.com";
  const std::string stale = "\"999999\"";
  const std::string taken_slug = org_a["slug"];
  int cells = 0, mismatches = 0;
  std::map<outcome, int> expected_counts;
  std::set<std::string> routes_seen;

  for (const auto& [path, item] : served["paths"].items()) {
    for (const auto& [verb, op] : item.items()) {
      if (!op.is_object() || !op.contains("x-tenantry-guard")) continue;
      const json& guard = op["x-tenantry-guard"];
      std::string method = verb;
      for (char& c : method) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      routes_seen.insert(method + " " + path);
      if (path.starts_with("/v1/auth/")) continue;  // credentials, not guards: its own tests
      const bool users_path = path.starts_with("/v1/users/");
      const bool tenant_path = !users_path && path.find("{ref}") != std::string::npos;
      // (kind, tenant): a tenant, or an object owned by that tenant ("": the platform).
      std::vector<std::pair<std::string, std::string>> targets;
      for (const std::string& t : {id(org_a), id(child_a1), id(org_b)})
        targets.emplace_back("tenant", t);
      const std::string scope = guard.at("scope");
      if (scope == "object") {
        targets.clear();
        for (const auto& [t, _] : objects.at(guard["object"]["kind"]))
          targets.emplace_back(guard["object"]["kind"], t);
      } else if (scope == "body_object") {
        for (const auto& [t, _] : objects.at("group")) targets.emplace_back("group", t);
      } else if (guard.contains("body") && !tenant_path) {
        targets.emplace_back("tenant", "");  // a root too
      } else if (!tenant_path) {
        targets = {{"tenant", ""}};
      }

      for (const auto& [kind, t] : targets) {
        const std::string object =
            kind == "tenant" ? t : objects.at(kind).at(t).first;  // the object's id
        std::string target = path;
        auto fill = [&](const std::string& placeholder, const std::string& value) {
          if (auto at = target.find(placeholder); at != std::string::npos)
            target.replace(at, placeholder.size(), value);
        };
        // An upsert's path is a slug, never an id.
        const bool upsert = guard.value("upsert", false);
        fill("{ref}", users_path ? user_target : upsert ? slug_of.at(t) : t);
        fill("{role}", verb == "get" ? "viewer" : missing_id());
        fill("{id}", scope == "object" ? object : missing_id());
        fill("{user}", nobody);
        fill("{key}", "matrix-probe");  // no such flag: a 404 naming feature_flag, not tenant
        probe pr{method, target, "", {}, std::nullopt};
        const bool write = method != "GET";
        if (write) pr.headers["If-Match"] = stale;
        if (path == "/v1/tenants") {
          json body{{"name", "matrix probe"}, {"slug", taken_slug}};
          if (!t.empty()) body["parent"] = t, pr.body_tenant = t;
          pr.body = body.dump();
        } else if (path == "/v1/tenants/{ref}/move") {
          const std::string parent = parent_of.at(t);
          pr.body = json{{"parent", parent.empty() ? json(nullptr) : json(parent)}}.dump();
          if (!parent.empty()) pr.body_tenant = parent;
        } else if (path == "/v1/tenants/{ref}") {
          pr.body = method == "PATCH" || method == "PUT" ? json{{"name", "x"}}.dump() : "";
        } else if (path == "/v1/tenants/{ref}/configuration" && write) {
          pr.body = json{{"probe", 1}}.dump();  // the stale If-Match refuses it once authorized
        } else if (path == "/v1/tenants/{ref}/feature-flags" && write) {
          pr.body = json{{"key", "matrix-probe"}, {"value", 1}}.dump();  // stale If-Match
        } else if (path == "/v1/tenants/{ref}/roles" && write) {
          pr.body = json{{"name", "viewer"}, {"permissions", json::array()}}.dump();
        } else if (path == "/v1/tenants/{ref}/roles/{role}" && method == "PUT") {
          pr.body = json{{"name", "x"}, {"permissions", json::array()}}.dump();
        } else if (path == "/v1/tenants/{ref}/role-assignments" && write) {
          pr.body =
              json{{"principal", {{"type", "user"}, {"id", nobody}}}, {"role", "viewer"}}.dump();
        } else if (path == "/v1/tenants/{ref}/members" && write) {
          pr.body = json{{"user", nobody}, {"roles", {"viewer"}}}.dump();
        } else if (path == "/v1/tenants/{ref}/members/{user}" && method == "PATCH") {
          pr.body = json{{"roles", {"viewer"}}}.dump();
        } else if (path == "/v1/tenants/{ref}/tokens" && write) {
          // Refused by the writer's rules (an expiry in the past) once authorized.
          pr.body = json{{"name", "matrix probe"},
                         {"scopes", {"tenant.read"}},
                         {"expires_at", "2001-01-01T00:00:00Z"}}
                        .dump();
        } else if (path == "/v1/users" && write) {
          pr.body =
              json{{"email", server_process::admin_email}, {"password", "long enough pw"}}.dump();
        } else if (path == "/v1/groups" && write) {
          pr.body = json{{"name", objects.at("group").at("").second}}.dump();
        } else if (path == "/v1/tenants/{ref}/groups" && write) {
          pr.body = json{{"name", objects.at("group").at(t).second}}.dump();
        } else if (path == "/v1/groups/{id}" && (method == "PUT" || method == "PATCH")) {
          pr.body = json{{"name", "x"}}.dump();
        } else if (path == "/v1/groups/{id}/members" && write) {
          pr.body = json{{"user", nobody}}.dump();
        } else if (path == "/v1/permissions/grants" && write) {
          pr.body = json{{"principal", {{"type", "user"}, {"id", nobody}}},
                         {"permission", "tenant.read"},
                         {"object", {{"type", kind}, {"id", object}}}}
                        .dump();
        } else if (path == "/v1/users/{ref}" && write) {
          // A stale If-Match refuses each of these after authorization.
          pr.body = method == "DELETE" ? "" : json{{"email", user_target}, {"name", "x"}}.dump();
        } else if (path == "/v1/users/{ref}/profile" && write) {
          pr.body = json{{"bio", "x"}}.dump();
        } else if (path == "/v1/users/{ref}/password") {
          pr.body = json{{"password", "long enough pw"}, {"current_password", "wrong"}}.dump();
        } else if (path == "/v1/tenants/{ref}/invitations" && write) {
          pr.body = json{{"invitee", nobody}, {"roles", {"no-such-role"}}}.dump();
        } else if (path == "/v1/authz/check") {
          pr.target += "?permission=tenant.read&object_type=platform";
        } else if (write && pr.body.empty()) {
          pr.body = "";
        }

        for (const principal& p : principals) {
          auto headers = pr.headers;
          if (!p.token.empty()) headers["Authorization"] = "Bearer " + p.token;
          const http_answer r = client().request(pr.method, pr.target, pr.body, headers);
          ++cells;
          EXPECT_LT(r.status, 500u)
              << p.label << " " << pr.method << " " << pr.target << ": " << r.body;
          const outcome want = expected(p, guard, t, pr.body_tenant, kind);
          ++expected_counts[want];
          const outcome got = actual(r, kind);
          const bool ok =
              want == outcome::signed_in ? got != outcome::unauthenticated : got == want;
          if (!ok) {
            ++mismatches;
            ADD_FAILURE() << p.label << " " << pr.method << " " << pr.target << " (guard "
                          << guard.dump() << "): expected " << name(want) << ", got " << r.status
                          << " " << r.body;
          }
        }
      }
    }
  }
  // GET /v1/authz/check about a group (on the group itself) and about an API token (on its
  // tenant), for every principal: what it may learn of them follows from its roles too.
  std::vector<std::tuple<std::string, std::string, std::string, std::string>> about;
  for (const auto& [owner, group] : objects.at("group"))
    about.emplace_back("group", owner, group.first, "");
  for (const char* label : {"token-a-reader", "token-a1-admin"})
    about.emplace_back("token", label == std::string("token-a-reader") ? id(org_a) : id(child_a1),
                       token_ids.at(label), label);
  for (const auto& [kind, owner, object, label] : about) {
    std::string target = "/v1/authz/check?principal_type=" + kind + "&principal=" + object +
                         "&permission=tenant.read";
    target += kind == "group" ? "&object_type=group&object_id=" + object : "&object_id=" + owner;
    for (const principal& p : principals) {
      std::map<std::string, std::string> headers;
      if (!p.token.empty()) headers["Authorization"] = "Bearer " + p.token;
      const http_answer r = client().request("GET", target, "", headers);
      ++cells;
      const outcome want = check_requirement(p, kind, owner, label);
      ++expected_counts[want];
      const outcome got = actual(r, kind);
      if (got != want) {
        ++mismatches;
        ADD_FAILURE() << p.label << " GET " << target << ": expected " << name(want) << ", got "
                      << r.status << " " << r.body;
      }
    }
  }
  std::cout << "authorization matrix: " << cells << " cells, " << mismatches << " mismatches;";
  for (const auto& [o, n] : expected_counts) std::cout << " " << name(o) << ": " << n;
  std::cout << "\n";
  // Every kind of answer is exercised, so a guard that let everyone in would be caught.
  for (outcome o : {outcome::allowed, outcome::unauthenticated, outcome::forbidden, outcome::hidden,
                    outcome::signed_in})
    EXPECT_GT(expected_counts[o], 20) << name(o);
  EXPECT_EQ(mismatches, 0);
  EXPECT_GT(cells, 500);
  // Every route the server registers carries a guard in the document.
  for (const char* route : {"GET /v1/tenants/{ref}",
                            "POST /v1/tenants",
                            "POST /v1/tenants/{ref}/move",
                            "POST /v1/users",
                            "GET /v1/tenants/{ref}/members",
                            "GET /healthz",
                            "PATCH /v1/groups/{id}",
                            "POST /v1/tenants/{ref}/groups",
                            "POST /v1/permissions/grants",
                            "DELETE /v1/permissions/grants/{id}",
                            "POST /v1/tenants/{ref}/tokens",
                            "DELETE /v1/tenants/{ref}/tokens/{id}",
                            "PATCH /v1/users/{ref}",
                            "POST /v1/users/{ref}/password",
                            "DELETE /v1/users/{ref}",
                            "POST /v1/tenants/{ref}/invitations",
                            "GET /v1/invitations/{id}",
                            "POST /v1/invitations/{id}/accept",
                            "POST /v1/invitations/{id}/decline",
                            "POST /v1/invitations/{id}/revoke"})
    EXPECT_TRUE(routes_seen.contains(route)) << route;
}

// What a route does not take, a client cannot set: ids, versions, parents, tenants, roles.
TEST_F(AuthorizationMatrix, MassAssignmentChangesNothing) {
  const std::string a = id(org_a), a1 = id(child_a1), b = id(org_b);
  auto patched = client().patch("/v1/tenants/" + a1,
                                {{"name", "Renamed A1"},
                                 {"id", b},
                                 {"version", 99},
                                 {"parent_id", b},
                                 {"parent", b},
                                 {"level", 1},
                                 {"status", "suspended"},
                                 {"platform_roles", {"super_admin"}}},
                                admin);
  ASSERT_EQ(patched.status, 200u) << patched.body;
  EXPECT_EQ(patched.json()["id"], a1);
  EXPECT_EQ(patched.json()["parent_id"], a);
  EXPECT_EQ(patched.json()["version"], child_a1["version"].get<int>() + 1);
  EXPECT_EQ(patched.json()["status"], "active");
  EXPECT_EQ(patched.json()["level"], 2);
  // An upsert takes its slug from the path, its parent only from `parent`.
  std::string upsert_slug = lowercase(unique("massive"));
  std::replace(upsert_slug.begin(), upsert_slug.end(), '_', '-');
  auto upserted = client().request("PUT", "/v1/tenants/" + upsert_slug,
                                   json{{"id", b},
                                        {"slug", "chosen-slug"},
                                        {"version", 99},
                                        {"parent_id", b},
                                        {"level", 3},
                                        {"status", "suspended"},
                                        {"is_deleted", true},
                                        {"effective_status", "inactive"}}
                                       .dump(),
                                   {{"Authorization", "Bearer " + admin}});
  ASSERT_EQ(upserted.status, 201u) << upserted.body;
  EXPECT_NE(upserted.json()["id"], b);
  EXPECT_EQ(upserted.json()["slug"], upsert_slug);
  EXPECT_EQ(upserted.json()["parent_id"], nullptr);
  EXPECT_EQ(upserted.json()["version"], 1);
  EXPECT_EQ(upserted.json()["level"], 1);
  EXPECT_EQ(upserted.json()["status"], "active");
  EXPECT_EQ(upserted.json()["is_deleted"], false);

  const std::string email = unique("massive") + "@example.com";
  auto user = client().post("/v1/users",
                            {{"email", email},
                             {"password", "long enough password"},
                             {"id", missing_id()},
                             {"version", 7},
                             {"is_active", false}},
                            admin);
  ASSERT_EQ(user.status, 201u) << user.body;
  EXPECT_NE(user.json()["id"], missing_id());
  EXPECT_EQ(user.json()["version"], 1);
  EXPECT_EQ(user.json()["is_active"], true);
  settle(user);
  auto member =
      client().post("/v1/tenants/" + a + "/members",
                    {{"user", email}, {"roles", {"viewer"}}, {"tenant_id", b}, {"id", b}}, admin);
  ASSERT_EQ(member.status, 201u) << member.body;
  EXPECT_EQ(member.json()["tenant_id"], a);
  EXPECT_NE(member.json()["id"], b);
  // An API token's id, tenant, creator, status, version and secret are the server's.
  auto made = client().post("/v1/tenants/" + a + "/tokens",
                            {{"name", "massive"},
                             {"scopes", {"tenant.read"}},
                             {"id", missing_id()},
                             {"tenant_id", b},
                             {"created_by", user_ids["admin-b"]},
                             {"secret", "tnt_chosen"},
                             {"secret_hash", std::string(64, 'a')},
                             {"prefix", "tnt_chosen"},
                             {"status", "revoked"},
                             {"revoked_at", "2001-01-01T00:00:00Z"},
                             {"version", 9}},
                            admin);
  ASSERT_EQ(made.status, 201u) << made.body;
  const json issued = made.json();
  EXPECT_NE(issued["id"], missing_id());
  EXPECT_EQ(issued["tenant_id"], a);
  EXPECT_NE(issued["created_by"], user_ids["admin-b"]);
  EXPECT_NE(issued["secret"], "tnt_chosen");
  EXPECT_EQ(issued["prefix"], issued["secret"].get<std::string>().substr(0, 12));
  EXPECT_EQ(issued["status"], "active");
  EXPECT_EQ(issued["revoked_at"], nullptr);
  EXPECT_EQ(issued["version"], 1);
  // An invitation takes its tenant from the path, its sender from the token, and its
  // token, status and version from the server.
  auto invited = client().post("/v1/tenants/" + a + "/invitations",
                               {{"invitee", unique("mass") + "@example.com"},
                                {"roles", {"viewer"}},
                                {"id", missing_id()},
                                {"tenant_id", b},
                                {"status", "accepted"},
                                {"invited_by", b},
                                {"answered_by", b},
                                {"token", "chosen"},
                                {"token_hash", "chosen"},
                                {"version", 9}},
                               admin);
  ASSERT_EQ(invited.status, 201u) << invited.body;
  EXPECT_NE(invited.json()["id"], missing_id());
  EXPECT_EQ(invited.json()["tenant_id"], a);
  EXPECT_EQ(invited.json()["status"], "pending");
  EXPECT_EQ(invited.json()["version"], 1);
  EXPECT_EQ(invited.json()["answered_by"], nullptr);
  EXPECT_NE(invited.json()["invited_by"], b);
  EXPECT_NE(invited.json()["token"], "chosen");
  // A plain user cannot give itself platform roles through its own registration fields.
  const std::string token = login(email, "long enough password");
  EXPECT_EQ(client().get("/v1/users/me", token).json()["platform_roles"], json::array());

  // PATCH and PUT of a user take email, name and (for those who may grant them) platform
  // roles; ids, versions, states and password hashes sent along change nothing.
  const json forged{{"id", missing_id()},
                    {"version", 99},
                    {"is_active", false},
                    {"is_deleted", true},
                    {"password", "an injected password"},
                    {"password_hash", "$argon2id$forged"},
                    {"auth_generation", 0},
                    {"created_at", "2000-01-01T00:00:00.000Z"}};
  json body = forged;
  body["name"] = "Massive";
  auto renamed = client().patch("/v1/users/" + email, body, admin);
  ASSERT_EQ(renamed.status, 200u) << renamed.body;
  const std::string uid = user.json()["id"];
  EXPECT_EQ(renamed.json()["id"], uid);
  EXPECT_EQ(renamed.json()["version"], 2);
  EXPECT_EQ(renamed.json()["is_active"], true);
  EXPECT_EQ(renamed.json()["is_deleted"], false);
  EXPECT_EQ(renamed.json()["created_at"], user.json()["created_at"]);
  body["email"] = email;
  auto replaced = client().request("PUT", "/v1/users/" + uid, body.dump(),
                                   {{"Authorization", "Bearer " + admin}});
  ASSERT_EQ(replaced.status, 200u) << replaced.body;
  EXPECT_EQ(replaced.json()["version"], 2);  // nothing it takes changed: no event
  settle(replaced);
  EXPECT_FALSE(login(email, "long enough password").empty());
  // A user cannot give itself platform roles or another email through its own record.
  json self = forged;
  self["platform_roles"] = {"super_admin"};
  EXPECT_EQ(client().patch("/v1/users/me", self, token).status, 403u);
  self.erase("platform_roles");
  self["email"] = "elsewhere-" + email;
  EXPECT_EQ(client().patch("/v1/users/me", self, token).status, 403u);
  auto me = client().get("/v1/users/me", token).json();
  EXPECT_EQ(me["platform_roles"], json::array());
  EXPECT_EQ(me["email"], email);
}

}  // namespace
}  // namespace tenantry::testing
