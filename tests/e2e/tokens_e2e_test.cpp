// API tokens over HTTP: issued with a secret shown once, used as Bearer credentials for
// reads and writes within their tenant's subtree and scopes, revoked or expired at once,
// never stored or logged in the clear.

#include <chrono>
#include <thread>

#include "e2e_fixture.hpp"

namespace tenantry::testing {
namespace {

using nlohmann::json;

class Tokens : public e2e_test {
 protected:
  // Issues a token as `as` and waits until reads see it; the answer holds the secret.
  json issue(const std::string& tenant, const json& body, const std::string& as) {
    return made(client().post("/v1/tenants/" + tenant + "/tokens", body, as));
  }

  static std::string secret(const json& j) { return j["secret"].get<std::string>(); }
};

TEST_F(Tokens, TheSecretIsShownInOneAnswerAndStoredNowhere) {
  auto org = create_tenant(unique("Secretive"));
  auto r = client().post("/v1/tenants/" + id(org) + "/tokens",
                         {{"name", "ci"}, {"scopes", {"tenant.read"}}, {"description", "CI"}},
                         admin, {{"Idempotency-Key", unique("issue")}});
  ASSERT_EQ(r.status, 201u) << r.body;
  const json token = r.json();
  const std::string s = secret(token);
  EXPECT_TRUE(s.starts_with("tnt_")) << s;
  EXPECT_EQ(s.size(), 47u);
  EXPECT_EQ(token["prefix"], s.substr(0, 12));
  EXPECT_EQ(token["status"], "active");
  EXPECT_EQ(token["scopes"], json({"tenant.read"}));
  EXPECT_EQ(r.header("Location"), "/v1/tenants/" + id(org) + "/tokens/" + id(token));
  EXPECT_EQ(r.header("Cache-Control"), "no-store");  // the one answer holding the secret
  EXPECT_EQ(r.header("ETag"), "\"1\"");
  settle(r);
  auto listed = client().get("/v1/tenants/" + id(org) + "/tokens", admin);
  ASSERT_EQ(listed.status, 200u) << listed.body;
  EXPECT_EQ(listed.json()["count"], 1);
  EXPECT_FALSE(listed.json()["results"][0].contains("secret"));
  auto one = client().get("/v1/tenants/" + id(org) + "/tokens/" + id(token), admin);
  ASSERT_EQ(one.status, 200u) << one.body;
  EXPECT_FALSE(one.json().contains("secret"));
  EXPECT_EQ(one.header("ETag"), "\"1\"");
  for (const auto* body : {&listed.body, &one.body})
    EXPECT_EQ(body->find(s.substr(4)), std::string::npos) << *body;
  // The read model and the archive hold its hash, never the secret.
  const std::string random = s.substr(4);
  EXPECT_EQ(count("SELECT count(*) FROM api_tokens WHERE api_tokens::text LIKE '%" + random + "%'"),
            0);
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE events::text LIKE '%" + random + "%'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE type = 'tenantry.token.issued.v1' AND "
                  "data->>'secret_hash' = encode(sha256('" +
                  s + "'::bytea), 'hex') AND data->>'id' = '" + id(token) + "'"),
            1);
  // And so does the event log itself, headers (the answers kept for retries) included.
  EXPECT_GT(log_records_free_of(random), 2);
}

TEST_F(Tokens, IdempotentRetriesAnswerTheTokenWithoutItsSecret) {
  auto org = create_tenant(unique("Retried"));
  const json body{{"name", "deploy"}, {"scopes", {"tenant.read"}}};
  const std::map<std::string, std::string> key{{"Idempotency-Key", unique("key")}};
  auto first = client().post("/v1/tenants/" + id(org) + "/tokens", body, admin, key);
  ASSERT_EQ(first.status, 201u) << first.body;
  EXPECT_TRUE(first.json().contains("secret"));
  auto retry = client().post("/v1/tenants/" + id(org) + "/tokens", body, admin, key);
  ASSERT_EQ(retry.status, 201u) << retry.body;
  EXPECT_EQ(retry.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(retry.json()["id"], first.json()["id"]);
  EXPECT_FALSE(retry.json().contains("secret"));
}

TEST_F(Tokens, ATokenActsWithinItsTenantsSubtreeAndScopes) {
  auto org = create_tenant(unique("Scoped"));
  auto child = create_tenant(unique("Scoped child"), id(org));
  auto other = create_tenant(unique("Elsewhere"));
  auto t =
      issue(id(org), {{"name", "ops"}, {"scopes", {"tenant.read", "tenant.update", "member.read"}}},
            admin);
  const std::string bearer = secret(t);
  EXPECT_EQ(client().get("/v1/tenants/" + id(org), bearer).status, 200u);
  EXPECT_EQ(client().get("/v1/tenants/" + id(child), bearer).status, 200u);
  EXPECT_EQ(client().get("/v1/tenants/" + id(other), bearer).status, 404u);
  EXPECT_EQ(client().get("/v1/tenants/" + id(org) + "/members", bearer).status, 200u);
  auto list = client().get("/v1/tenants?page_size=200", bearer).json();
  EXPECT_EQ(list["count"], 2) << list;
  // Writes: within its scopes, judged by the writer.
  auto renamed = client().patch("/v1/tenants/" + id(child), {{"name", "Renamed by token"}}, bearer);
  ASSERT_EQ(renamed.status, 200u) << renamed.body;
  EXPECT_EQ(client().del("/v1/tenants/" + id(child), bearer).status, 403u);
  EXPECT_EQ(client().get("/v1/tenants/" + id(org) + "/roles", bearer).status, 403u);
  EXPECT_EQ(client().patch("/v1/tenants/" + id(other), {{"name", "x"}}, bearer).status, 404u);
  // Never a platform permission, though its creator is a super admin; never a new token.
  EXPECT_EQ(client().post("/v1/tenants", {{"name", "Root by token"}}, bearer).status, 403u);
  EXPECT_EQ(client().post("/v1/tenants/" + id(org) + "/suspend", nullptr, bearer).status, 403u);
  EXPECT_EQ(client().get("/v1/users?page_size=200", bearer).json()["count"], 1);
  auto mint = client().post("/v1/tenants/" + id(org) + "/tokens",
                            {{"name", "minted"}, {"scopes", {"tenant.read"}}}, bearer);
  EXPECT_EQ(mint.status, 403u) << mint.body;
  // The audit trail: its creator acted, through this token.
  settle(renamed);
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE type = 'tenantry.tenant.updated.v1' AND "
                  "subject = '" +
                  id(child) + "' AND actor_token = '" + id(t) +
                  "' AND actor = (SELECT id::text "
                  "FROM users WHERE email = '" +
                  std::string(server_process::admin_email) + "')"),
            1);
  // Its own check answers for the token.
  auto check =
      client().get("/v1/authz/check?permission=tenant.delete&object_id=" + id(child), bearer);
  ASSERT_EQ(check.status, 200u) << check.body;
  EXPECT_EQ(check.json()["allowed"], false);
}

TEST_F(Tokens, ListsShowATokenOnlyWhatLiesInItsSubtree) {
  auto org = create_tenant(unique("Listed"));
  auto other = create_tenant(unique("Unlisted"));
  auto holder = make_user("holder");
  for (const auto* tenant : {&org, &other}) {
    auto granted = client().post("/v1/permissions/grants",
                                 {{"principal", {{"type", "user"}, {"id", holder.id}}},
                                  {"permission", "member.read"},
                                  {"object", {{"type", "tenant"}, {"id", id(*tenant)}}}},
                                 admin);
    ASSERT_EQ(granted.status, 201u) << granted.body;
    settle(granted);
  }
  // Its creator (a super admin) sees both grants; the token only the one on its tenant.
  EXPECT_EQ(client().get("/v1/permissions/grants", admin).json()["count"], 2);
  auto t = issue(id(org), {{"name", "auditor"}, {"scopes", {"tenant.read", "role.read"}}}, admin);
  auto grants = client().get("/v1/permissions/grants", secret(t));
  ASSERT_EQ(grants.status, 200u) << grants.body;
  ASSERT_EQ(grants.json()["count"], 1) << grants.body;
  EXPECT_EQ(grants.json()["results"][0]["object"]["id"], id(org)) << grants.body;
  auto tenants = client().get("/v1/tenants?page_size=200", secret(t)).json();
  EXPECT_EQ(tenants["count"], 1) << tenants;
}

TEST_F(Tokens, ATokenNeverHoldsMoreThanItsCreatorNow) {
  auto org = create_tenant(unique("Delegating"));
  auto ada = make_user("ada");
  auto given = client().post(
      "/v1/tenants/" + id(org) + "/role-assignments",
      {{"principal", {{"type", "user"}, {"id", ada.id}}}, {"role", "tenant_admin"}}, admin);
  ASSERT_EQ(given.status, 201u) << given.body;
  settle(given);
  auto t =
      issue(id(org), {{"name", "ada's"}, {"scopes", {"tenant.read", "tenant.update"}}}, ada.token);
  const std::string bearer = secret(t);
  EXPECT_EQ(t["created_by"], ada.id);
  EXPECT_EQ(
      client().patch("/v1/tenants/" + id(org), {{"description", "by ada's token"}}, bearer).status,
      200u);
  // A member may not hand a token more than it holds itself.
  auto viewer = make_user("vic");
  auto role =
      client().post("/v1/tenants/" + id(org) + "/roles",
                    {{"name", "issuer"}, {"permissions", {"tenant.read", "token.manage"}}}, admin);
  ASSERT_EQ(role.status, 201u) << role.body;
  settle(role);
  auto member = client().post("/v1/tenants/" + id(org) + "/members",
                              {{"user", viewer.id}, {"roles", {"issuer"}}}, admin);
  ASSERT_EQ(member.status, 201u) << member.body;
  settle(member);
  auto beyond = client().post("/v1/tenants/" + id(org) + "/tokens",
                              {{"name", "more"}, {"scopes", {"tenant.update"}}}, viewer.token);
  EXPECT_EQ(beyond.status, 403u) << beyond.body;
  EXPECT_EQ(beyond.json()["details"]["permission"], "tenant.update");
  // Ada loses her role: her token loses its power with it, for writes and reads.
  auto out =
      client().post("/v1/tenants/" + id(org) + "/role-assignments/" + id(given.json()) + "/revoke",
                    nullptr, admin);
  ASSERT_EQ(out.status, 200u) << out.body;
  EXPECT_EQ(client().patch("/v1/tenants/" + id(org), {{"description", "again"}}, bearer).status,
            404u);
  settle(out);
  EXPECT_EQ(client().get("/v1/tenants/" + id(org), bearer).status, 404u);
}

TEST_F(Tokens, RevocationTakesEffectAtOnce) {
  auto org = create_tenant(unique("Revoking"));
  auto t = issue(id(org), {{"name", "leaky"}, {"scopes", {"tenant.read", "tenant.update"}}}, admin);
  const std::string bearer = secret(t);
  EXPECT_EQ(client().patch("/v1/tenants/" + id(org), {{"description", "before"}}, bearer).status,
            200u);
  const std::string path = "/v1/tenants/" + id(org) + "/tokens/" + id(t);
  EXPECT_EQ(client().del(path, admin, {{"If-Match", "\"7\""}}).status, 412u);
  auto revoked = client().del(path, admin);
  ASSERT_EQ(revoked.status, 204u) << revoked.body;
  // The very next write is refused by the writer, whatever the read side has seen yet.
  auto refused = client().patch("/v1/tenants/" + id(org), {{"description", "after"}}, bearer);
  EXPECT_EQ(refused.status, 401u) << refused.body;
  EXPECT_EQ(refused.json()["error"], "unauthenticated");
  settle(revoked);
  EXPECT_EQ(client().get("/v1/tenants/" + id(org), bearer).status, 401u);
  auto shown = client().get(path, admin).json();
  EXPECT_EQ(shown["status"], "revoked");
  EXPECT_EQ(shown["revoked_reason"], "revoked");
  EXPECT_EQ(client().del(path, admin).status, 409u);
  auto listed = client().get("/v1/tenants/" + id(org) + "/tokens?status=revoked", admin).json();
  EXPECT_EQ(listed["count"], 1);
}

TEST_F(Tokens, ExpiredTokensStopWorking) {
  auto org = create_tenant(unique("Brief"));
  auto t =
      issue(id(org), {{"name", "brief"}, {"scopes", {"tenant.read"}}, {"expires_in", 2}}, admin);
  const auto issued = std::chrono::steady_clock::now();
  const std::string bearer = secret(t);
  EXPECT_EQ(client().get("/v1/tenants/" + id(org), bearer).status, 200u);
  std::this_thread::sleep_until(issued + std::chrono::milliseconds(2300));
  auto late = client().get("/v1/tenants/" + id(org), bearer);
  EXPECT_EQ(late.status, 401u) << late.body;
  EXPECT_EQ(client().patch("/v1/tenants/" + id(org), {{"name", "x"}}, bearer).status, 401u);
  auto expired = client().get("/v1/tenants/" + id(org) + "/tokens?status=expired", admin).json();
  ASSERT_EQ(expired["count"], 1) << expired;
  EXPECT_EQ(expired["results"][0]["status"], "expired");
  // Its name is free again.
  issue(id(org), {{"name", "brief"}, {"scopes", {"tenant.read"}}}, admin);
}

TEST_F(Tokens, AFreshTokenWorksAtOnceWithTheConsistencyToken) {
  auto org = create_tenant(unique("Fresh"));
  auto r = client().post("/v1/tenants/" + id(org) + "/tokens",
                         {{"name", "fresh"}, {"scopes", {"tenant.read"}}}, admin);
  ASSERT_EQ(r.status, 201u) << r.body;
  auto read = client().get("/v1/tenants/" + id(org), secret(r.json()),
                           {{"X-Consistency-Token", r.header("X-Consistency-Token")}});
  EXPECT_EQ(read.status, 200u) << read.body;
}

// GET /v1/authz/check for an API token: its creator's current access within its tenant's
// subtree and scopes, and nothing once revoked. Only who may see the token (token.manage
// where it lives) may ask; the token itself may ask about itself.
TEST_F(Tokens, TheCheckAnswersForATokenToWhoMaySeeIt) {
  auto org = create_tenant(unique("Checked tokens"));
  auto child = create_tenant(unique("Checked token child"), id(org));
  auto ada = make_user("ada");
  auto member = make_user("member");
  for (const auto& [user, role] :
       {std::pair{ada.id, "tenant_admin"}, std::pair{member.id, "member"}}) {
    auto r = client().post("/v1/tenants/" + id(org) + "/members",
                           {{"user", user}, {"roles", {role}}}, admin);
    ASSERT_EQ(r.status, 201u) << r.body;
    settle(r);
  }
  auto t =
      issue(id(child), {{"name", "ci"}, {"scopes", {"tenant.read", "tenant.update"}}}, ada.token);
  const std::string base = "/v1/authz/check?principal_type=token&principal=" + id(t);
  auto check = [&](const std::string& query, const std::string& as) {
    return client().get(base + query, as);
  };
  const std::string update_child = "&permission=tenant.update&object_id=" + id(child);
  auto allowed = check(update_child, admin);
  ASSERT_EQ(allowed.status, 200u) << allowed.body;
  EXPECT_EQ(allowed.json()["allowed"], true);
  EXPECT_EQ(allowed.json()["principal"], json({{"type", "token"}, {"id", id(t)}}));
  EXPECT_EQ(allowed.json()["because"][0]["kind"], "membership");
  EXPECT_EQ(allowed.json()["because"][0]["tenant_id"], id(org));
  EXPECT_EQ(allowed.json()["because"].back()["kind"], "api_token");
  EXPECT_EQ(check(update_child, ada.token).json()["allowed"], true);
  EXPECT_EQ(check("&permission=tenant.delete&object_id=" + id(child), admin).json()["allowed"],
            false);  // not one of its scopes
  EXPECT_EQ(check("&permission=tenant.read&object_id=" + id(org), admin).json()["allowed"],
            false);  // above its tenant
  // The token about itself; about another token it learns nothing.
  auto itself = check("&permission=tenant.read&object_id=" + id(child), secret(t));
  ASSERT_EQ(itself.status, 200u) << itself.body;
  EXPECT_EQ(itself.json()["allowed"], true);
  auto other = issue(id(child), {{"name", "other"}, {"scopes", {"tenant.read"}}}, admin);
  auto hidden_token = client().get("/v1/authz/check?principal_type=token&principal=" + id(other) +
                                       "&permission=tenant.read&object_id=" + id(child),
                                   secret(t));
  EXPECT_EQ(hidden_token.status, 404u) << hidden_token.body;
  EXPECT_EQ(hidden_token.json()["details"]["resource"], "token");
  // A member reads the tenant but does not see its tokens.
  auto hidden = check(update_child, member.token);
  EXPECT_EQ(hidden.status, 404u) << hidden.body;
  EXPECT_EQ(hidden.json()["details"]["resource"], "token");
  auto unknown = client().get(
      "/v1/authz/check?principal_type=token&principal=01900000-0000-7000-8000-000000000000"
      "&permission=tenant.read&object_id=" +
          id(child),
      admin);
  EXPECT_EQ(unknown.json()["details"]["resource"], "token");
  // Its creator loses the role: so does the token. Revoked: it holds nothing at all.
  auto demoted = client().patch("/v1/tenants/" + id(org) + "/members/" + ada.id,
                                {{"roles", {"viewer"}}}, admin);
  ASSERT_EQ(demoted.status, 200u) << demoted.body;
  settle(demoted);
  EXPECT_EQ(check(update_child, admin).json()["allowed"], false);
  EXPECT_EQ(check("&permission=tenant.read&object_id=" + id(child), admin).json()["allowed"], true);
  auto revoked = client().del("/v1/tenants/" + id(child) + "/tokens/" + id(t), admin);
  ASSERT_EQ(revoked.status, 204u) << revoked.body;
  settle(revoked);
  auto after = check("&permission=tenant.read&object_id=" + id(child), admin);
  ASSERT_EQ(after.status, 200u) << after.body;
  EXPECT_EQ(after.json()["allowed"], false);
  EXPECT_EQ(after.json()["because"], json::array());
}

// At most 50 live tokens per tenant: the 51st is refused with its code until one is
// revoked; the limit is the tenant's own, not its subtree's.
TEST_F(Tokens, ATenantHoldsAtMost50LiveTokens) {
  auto org = create_tenant(unique("Crowded"));
  auto child = create_tenant(unique("Crowded child"), id(org));
  const std::string base = "/v1/tenants/" + id(org) + "/tokens";
  auto issue_named = [&](const std::string& name) {
    return client().post(base, {{"name", name}, {"scopes", {"tenant.read"}}}, admin);
  };
  std::vector<std::string> ids;
  for (int i = 1; i <= 50; ++i) {
    auto r = issue_named("token " + std::to_string(i));
    ASSERT_EQ(r.status, 201u) << i << ": " << r.body;
    ids.push_back(id(r.json()));
  }
  auto refused = issue_named("token 51");
  ASSERT_EQ(refused.status, 409u) << refused.body;
  EXPECT_EQ(refused.json()["error"], "token_limit_reached");
  EXPECT_EQ(refused.json()["details"]["limit"], 50);
  // The child has a limit of its own.
  issue(id(child), {{"name", "below"}, {"scopes", {"tenant.read"}}}, admin);
  auto revoked = client().del(base + "/" + ids.front(), admin);
  ASSERT_EQ(revoked.status, 204u) << revoked.body;
  auto freed = issue_named("token 51");
  ASSERT_EQ(freed.status, 201u) << freed.body;
  EXPECT_EQ(issue_named("token 52").json()["error"], "token_limit_reached");
  settle(freed);
  auto live = client().get(base + "?status=active&page_size=200", admin).json();
  EXPECT_EQ(live["count"], 50);
  EXPECT_EQ(client().get(base + "?status=revoked", admin).json()["count"], 1);
}

TEST_F(Tokens, BadTokenInputIsA4xxWithACode) {
  auto org = create_tenant(unique("Token inputs"));
  const std::string base = "/v1/tenants/" + id(org) + "/tokens";
  auto field_of = [&](const json& body) {
    auto r = client().post(base, body, admin);
    EXPECT_EQ(r.status, 400u) << body << " -> " << r.body;
    EXPECT_EQ(r.json()["error"], "validation_error") << r.body;
    const auto details = r.json()["details"];
    return details.is_object() && !details.empty() ? details.begin().key() : std::string();
  };
  EXPECT_EQ(field_of({{"scopes", {"tenant.read"}}}), "name");
  EXPECT_EQ(field_of({{"name", "x"}}), "scopes");
  EXPECT_EQ(field_of({{"name", "x"}, {"scopes", json::array()}}), "scopes");
  EXPECT_EQ(field_of({{"name", "x"}, {"scopes", {"warp.drive"}}}), "scopes");
  EXPECT_EQ(field_of({{"name", "x"}, {"scopes", {"token.manage"}}}), "scopes");
  EXPECT_EQ(field_of({{"name", "   "}, {"scopes", {"tenant.read"}}}), "name");
  EXPECT_EQ(field_of({{"name", "x"}, {"scopes", {"tenant.read"}}, {"expires_in", 0}}),
            "expires_in");
  EXPECT_EQ(field_of({{"name", "x"}, {"scopes", {"tenant.read"}}, {"expires_in", 31536001}}),
            "expires_in");
  EXPECT_EQ(field_of({{"name", "x"}, {"scopes", {"tenant.read"}}, {"expires_in", "soon"}}),
            "expires_in");
  EXPECT_EQ(field_of({{"name", "x"},
                      {"scopes", {"tenant.read"}},
                      {"expires_in", 60},
                      {"expires_at", "2030-01-01T00:00:00Z"}}),
            "expires_in");
  EXPECT_EQ(field_of({{"name", "x"}, {"scopes", {"tenant.read"}}, {"expires_at", "tomorrow"}}),
            "expires_at");
  EXPECT_EQ(
      field_of(
          {{"name", "x"}, {"scopes", {"tenant.read"}}, {"expires_at", "2001-01-01T00:00:00Z"}}),
      "expires_at");
  issue(id(org), {{"name", "taken"}, {"scopes", {"tenant.read"}}}, admin);
  auto taken = client().post(base, {{"name", "taken"}, {"scopes", {"tenant.read"}}}, admin);
  EXPECT_EQ(taken.status, 409u);
  EXPECT_EQ(taken.json()["error"], "token_name_taken");
  auto missing = client().get(base + "/01900000-0000-7000-8000-000000000000", admin);
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.json()["details"]["resource"], "token");
  EXPECT_EQ(client().del(base + "/not-a-token", admin).json()["details"]["resource"], "token");
  EXPECT_EQ(client().get(base + "?status=lost", admin).status, 400u);
  // A malformed or unknown tnt_ secret is simply unauthenticated.
  const std::vector<std::string> malformed{"tnt_", "tnt_short", "tnt_" + std::string(43, 'A'),
                                           "tnt_" + std::string(43, '!')};
  for (const std::string& bad : malformed)
    EXPECT_EQ(client().get("/v1/tenants/" + id(org), bad).status, 401u) << bad;
}

}  // namespace
}  // namespace tenantry::testing
