// The user lifecycle over HTTP: PUT/PATCH, profile, password, deactivation, soft delete
// and restore, the list's filters, who may do which, and that a user's existing tokens
// stop working at once when its access ends. The last test restarts tenantryd after
// kill -9: the log is the truth.

#include <functional>
#include <set>

#include "e2e_fixture.hpp"

namespace tenantry::testing {
namespace {

using nlohmann::json;

class UsersLifecycle : public e2e_test {
 protected:
  struct account {
    std::string id, email, password, token, refresh;
  };

  // A user created by the admin, signed in; its creation is visible to reads.
  account make(const std::string& label, std::vector<std::string> roles = {}) {
    account a{"", unique(label) + "@example.com", "password of " + label, "", ""};
    json body{{"email", a.email}, {"password", a.password}, {"name", label}};
    if (!roles.empty()) body["platform_roles"] = roles;
    auto r = client().post("/v1/users", body, admin);
    EXPECT_EQ(r.status, 201u) << r.body;
    settle(r);
    a.id = r.json().value("id", "");
    sign_in(a);
    return a;
  }

  void sign_in(account& a) {
    auto r = client().post("/v1/auth/token", {{"username", a.email}, {"password", a.password}});
    EXPECT_EQ(r.status, 200u) << r.body;
    a.token = r.json().value("access", "");
    a.refresh = r.json().value("refresh", "");
  }

  http_answer put(const std::string& target, const json& body, const std::string& token,
                  std::map<std::string, std::string> headers = {}) {
    headers["Authorization"] = "Bearer " + token;
    return client().request("PUT", target, body.dump(), headers);
  }

  // The answer's error code.
  static std::string code(const http_answer& r) { return r.json().value("error", ""); }
  static std::string normalize(std::string email) {
    for (char& ch : email) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return email;
  }

  http_answer login(const account& a, const std::string& password) {
    return client().post("/v1/auth/token", {{"username", a.email}, {"password", password}});
  }
};

TEST_F(UsersLifecycle, PutAndPatchChangeNameEmailAndRoles) {
  auto bob = make("bob");
  const std::string path = "/v1/users/" + bob.id;
  auto patched = client().patch(path, {{"name", "Robert"}}, admin, {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200u) << patched.body;
  EXPECT_EQ(patched.json()["name"], "Robert");
  EXPECT_EQ(patched.json()["email"], bob.email);
  EXPECT_EQ(patched.header("ETag"), "\"2\"");
  EXPECT_FALSE(patched.header("X-Consistency-Token").empty());

  const std::string new_email = unique("Robert") + "@Example.COM";
  auto replaced =
      put(path, {{"email", new_email}, {"name", "Rob"}, {"platform_roles", {"platform_operator"}}},
          admin);
  ASSERT_EQ(replaced.status, 200u) << replaced.body;
  EXPECT_EQ(replaced.json()["email"], normalize(new_email));
  EXPECT_EQ(replaced.json()["platform_roles"], json{"platform_operator"});
  EXPECT_EQ(replaced.json()["version"], 3);
  settle(replaced);
  EXPECT_EQ(client().get("/v1/users/" + normalize(new_email), admin).json()["id"], bob.id);
  EXPECT_EQ(client().get("/v1/users/" + bob.email, admin).status, 404u);

  // PUT needs email and name; bad fields, taken emails, stale versions, unknown users.
  auto incomplete = put(path, {{"name", "x"}}, admin);
  EXPECT_EQ(incomplete.status, 400u);
  EXPECT_TRUE(incomplete.json()["details"].contains("email"));
  EXPECT_EQ(code(client().patch(path, {{"email", "nope"}}, admin)), "validation_error");
  EXPECT_EQ(code(client().patch(path, {{"platform_roles", {"king"}}}, admin)), "validation_error");
  EXPECT_EQ(code(client().patch(path, {{"name", 7}}, admin)), "validation_error");
  auto taken = client().patch(path, {{"email", server_process::admin_email}}, admin);
  EXPECT_EQ(taken.status, 409u);
  EXPECT_EQ(code(taken), "email_taken");
  auto stale = client().patch(path, {{"name", "x"}}, admin, {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412u);
  EXPECT_EQ(code(stale), "version_conflict");
  auto missing =
      client().patch("/v1/users/nobody-" + unique("x") + "@example.com", {{"name", "x"}}, admin);
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(missing.json()["details"]["resource"], "user");
  EXPECT_EQ(client().request("PATCH", path, "[1]", {{"Authorization", "Bearer " + admin}}).status,
            400u);
}

TEST_F(UsersLifecycle, PatchIsIdempotentWithAKeyAndIgnoresFieldsItDoesNotTake) {
  auto cat = make("cat");
  const std::string path = "/v1/users/" + cat.id;
  const json body{{"name", "Cathy"},
                  {"id", "01900000-0000-7000-8000-000000000000"},
                  {"version", 99},
                  {"is_active", false},
                  {"is_deleted", true},
                  {"password", "a new password!"},
                  {"password_hash", "$argon2id$forged"},
                  {"created_at", "2000-01-01T00:00:00.000Z"}};
  auto first = client().patch(path, body, admin, {{"Idempotency-Key", "cat-1"}});
  ASSERT_EQ(first.status, 200u) << first.body;
  auto again = client().patch(path, body, admin, {{"Idempotency-Key", "cat-1"}});
  EXPECT_EQ(again.status, 200u);
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(client().patch(path, {{"name", "other"}}, admin, {{"Idempotency-Key", "cat-1"}}).status,
            422u);
  const json u = first.json();
  EXPECT_EQ(u["id"], cat.id);
  EXPECT_EQ(u["version"], 2);
  EXPECT_EQ(u["is_active"], true);
  EXPECT_EQ(u["is_deleted"], false);
  EXPECT_FALSE(u.contains("password_hash"));
  // The password did not change: the old one still signs in.
  EXPECT_EQ(login(cat, cat.password).status, 200u);
}

TEST_F(UsersLifecycle, AUserChangesItsOwnNameProfileAndPasswordOnly) {
  auto dan = make("dan");
  auto eve = make("eve");
  EXPECT_EQ(client().patch("/v1/users/" + dan.id, {{"name", "Daniel"}}, dan.token).status, 200u);
  EXPECT_EQ(client().patch("/v1/users/" + dan.email, {{"name", "Dan"}}, dan.token).status, 200u);
  auto me = client().patch("/v1/users/me", {{"name", "D"}}, dan.token);
  ASSERT_EQ(me.status, 200u) << me.body;
  EXPECT_EQ(me.json()["id"], dan.id);
  // Its own email and roles, and anyone else: platform.manage_users.
  auto email = client().patch("/v1/users/me", {{"email", "d2@example.com"}}, dan.token);
  EXPECT_EQ(email.status, 403u);
  EXPECT_EQ(code(email), "permission_denied");
  EXPECT_EQ(client().patch("/v1/users/me", {{"platform_roles", {"super_admin"}}}, dan.token).status,
            403u);
  EXPECT_EQ(client().patch("/v1/users/" + eve.id, {{"name", "x"}}, dan.token).status, 403u);
  EXPECT_EQ(client().patch("/v1/users/" + eve.id + "/profile", {{"bio", "x"}}, dan.token).status,
            403u);
  EXPECT_EQ(
      client()
          .post("/v1/users/" + eve.id + "/password", {{"password", "long enough 1"}}, dan.token)
          .status,
      403u);
  // Unknown users answer the same 403: nothing is learnt.
  EXPECT_EQ(client().patch("/v1/users/ghost@example.com", {{"name", "x"}}, dan.token).status, 403u);
  EXPECT_EQ(client().del("/v1/users/" + dan.id, dan.token).status, 403u);
  EXPECT_EQ(client().post("/v1/users/" + dan.id + "/deactivate", nullptr, dan.token).status, 403u);
}

TEST_F(UsersLifecycle, PlatformRolesOnlyFromThoseWhoMayGrantThem) {
  auto padmin = make("padmin", {"platform_admin"});
  auto op = make("op", {"platform_operator"});
  auto fay = make("fay");
  // An operator reads but does not manage users.
  EXPECT_EQ(client().patch("/v1/users/" + fay.id, {{"name", "x"}}, op.token).status, 403u);
  EXPECT_EQ(client().get("/v1/users/" + fay.id, op.token).status, 200u);
  // A platform admin manages users up to its own rank.
  EXPECT_EQ(
      client()
          .patch("/v1/users/" + fay.id, {{"platform_roles", {"platform_operator"}}}, padmin.token)
          .status,
      200u);
  EXPECT_EQ(client()
                .patch("/v1/users/" + fay.id, {{"platform_roles", {"system_admin"}}}, padmin.token)
                .status,
            403u);
  auto root = client().patch(std::string("/v1/users/") + server_process::admin_email,
                             {{"name", "pwned"}}, padmin.token);
  EXPECT_EQ(root.status, 403u) << root.body;
  EXPECT_EQ(
      client().del(std::string("/v1/users/") + server_process::admin_email, padmin.token).status,
      403u);
  // Roles taken away stop counting at once, though the token still lists them.
  auto demoted =
      client().patch("/v1/users/" + padmin.id, {{"platform_roles", json::array()}}, admin);
  ASSERT_EQ(demoted.status, 200u) << demoted.body;
  settle(demoted);
  EXPECT_EQ(client().patch("/v1/users/" + fay.id, {{"name", "y"}}, padmin.token).status, 403u);
  EXPECT_EQ(client().get("/v1/users/" + fay.id, padmin.token).status, 404u);
}

TEST_F(UsersLifecycle, ProfileIsReadByWhoeverSeesTheUserAndValidated) {
  auto gil = make("gil");
  auto stranger = make("stranger");
  auto lead = make("lead");
  const std::string path = "/v1/users/" + gil.id + "/profile";
  auto empty = client().get(path, gil.token);
  ASSERT_EQ(empty.status, 200u) << empty.body;
  EXPECT_EQ(empty.json()["display_name"], "");
  EXPECT_EQ(empty.json()["user_id"], gil.id);
  auto set = client().patch("/v1/users/me/profile",
                            {{"display_name", "Gil G"},
                             {"locale", "pt-BR"},
                             {"timezone", "America/Sao_Paulo"},
                             {"phone", "+5511912345678"},
                             {"avatar_url", "https://cdn.example.com/gil.png"},
                             {"job_title", "Engineer"},
                             {"bio", "Hi."}},
                            gil.token);
  ASSERT_EQ(set.status, 200u) << set.body;
  EXPECT_EQ(set.json()["timezone"], "America/Sao_Paulo");
  EXPECT_EQ(set.header("ETag"), "\"2\"");
  auto cleared = client().patch(path, {{"bio", nullptr}, {"job_title", ""}}, gil.token,
                                {{"If-Match", "\"2\""}});
  ASSERT_EQ(cleared.status, 200u) << cleared.body;
  EXPECT_EQ(cleared.json()["bio"], "");
  EXPECT_EQ(cleared.json()["locale"], "pt-BR");
  for (const auto& [field, value] :
       std::vector<std::pair<std::string, json>>{{"locale", "portuguese"},
                                                 {"timezone", "Nowhere"},
                                                 {"phone", "12345"},
                                                 {"avatar_url", "ftp://x"},
                                                 {"display_name", std::string(201, 'x')},
                                                 {"bio", 3}}) {
    auto bad = client().patch(path, {{field, value}}, gil.token);
    EXPECT_EQ(bad.status, 400u) << field;
    EXPECT_TRUE(bad.json()["details"].contains(field)) << bad.body;
  }
  EXPECT_EQ(client().patch(path, {{"bio", "x"}}, gil.token, {{"If-Match", "\"1\""}}).status, 412u);
  settle(cleared);
  // Readers: itself, platform roles, member.read holders of its tenants; nobody else.
  EXPECT_EQ(client().get(path, admin).json()["display_name"], "Gil G");
  EXPECT_EQ(client().get(path, stranger.token).status, 404u);
  auto t = create_tenant(unique("Profile Org"));
  auto m = client().post("/v1/tenants/" + t["id"].get<std::string>() + "/members",
                         {{"user", gil.id}}, admin);
  ASSERT_EQ(m.status, 201u) << m.body;
  auto a = client().post("/v1/tenants/" + t["id"].get<std::string>() + "/members",
                         {{"user", lead.id}, {"roles", {"tenant_admin"}}}, admin);
  ASSERT_EQ(a.status, 201u) << a.body;
  settle(a);
  EXPECT_EQ(client().get(path, lead.token).status, 200u);
  EXPECT_EQ(
      client().get("/v1/users/ghost@example.com/profile", admin).json()["details"]["resource"],
      "user");
}

TEST_F(UsersLifecycle, PasswordChangeEndsEveryTokenOfTheUser) {
  auto hal = make("hal");
  auto other_session = hal;
  sign_in(other_session);
  const std::string path = "/v1/users/me/password";
  auto missing = client().post(path, {{"password", "a brand new one"}}, hal.token);
  EXPECT_EQ(missing.status, 400u);
  EXPECT_TRUE(missing.json()["details"].contains("current_password"));
  auto wrong =
      client().post(path, {{"password", "a brand new one"}, {"current_password", "no"}}, hal.token);
  EXPECT_EQ(wrong.status, 400u);
  EXPECT_EQ(code(client().post(path, {{"password", "short"}, {"current_password", hal.password}},
                               hal.token)),
            "validation_error");
  auto changed = client().post(
      path, {{"password", "a brand new one"}, {"current_password", hal.password}}, hal.token);
  ASSERT_EQ(changed.status, 204u) << changed.body;
  settle(changed);
  // Every access token and refresh token of the user is dead; the old password too.
  EXPECT_EQ(client().get("/v1/users/me", hal.token).status, 401u);
  EXPECT_EQ(client().get("/v1/users/me", other_session.token).status, 401u);
  EXPECT_EQ(client().post("/v1/auth/token/refresh", {{"refresh", hal.refresh}}).status, 401u);
  EXPECT_EQ(client().post("/v1/auth/token/refresh", {{"refresh", other_session.refresh}}).status,
            401u);
  EXPECT_EQ(login(hal, hal.password).status, 401u);
  hal.password = "a brand new one";
  sign_in(hal);
  EXPECT_EQ(client().get("/v1/users/me", hal.token).status, 200u);

  // A platform admin resets another's password without knowing it.
  auto reset = client().post("/v1/users/" + hal.id + "/password", {{"password", "reset by admin"}},
                             admin, {{"If-Match", "\"9\""}});
  EXPECT_EQ(reset.status, 412u);
  const std::map<std::string, std::string> once{{"If-Match", "\"2\""},
                                                {"Idempotency-Key", "reset-hal"}};
  const std::string reset_path = "/v1/users/" + hal.id + "/password";
  reset = client().post(reset_path, {{"password", "reset by admin"}}, admin, once);
  ASSERT_EQ(reset.status, 204u) << reset.body;
  settle(reset);
  // A retry gets the first answer, though the version has moved on since.
  auto retry = client().post(reset_path, {{"password", "reset by admin"}}, admin, once);
  EXPECT_EQ(retry.status, 204u) << retry.body;
  EXPECT_EQ(retry.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(client().post(reset_path, {{"password", "another one!"}}, admin, once).status, 422u);
  EXPECT_EQ(client().get("/v1/users/me", hal.token).status, 401u);
  EXPECT_EQ(login(hal, "reset by admin").status, 200u);
  EXPECT_EQ(client()
                .post("/v1/users/ghost@example.com/password",
                      {{"password", "long enough for sure"}}, admin)
                .json()["details"]["resource"],
            "user");
}

TEST_F(UsersLifecycle, DeactivationLocksTheUserOutUntilActivated) {
  auto ian = make("ian");
  const std::string path = "/v1/users/" + ian.id;
  auto off = client().post(path + "/deactivate", {{"reason", "left the company"}}, admin);
  ASSERT_EQ(off.status, 200u) << off.body;
  EXPECT_EQ(off.json()["is_active"], false);
  settle(off);
  EXPECT_EQ(client().get("/v1/users/me", ian.token).status, 401u);
  EXPECT_EQ(client().post("/v1/auth/token/refresh", {{"refresh", ian.refresh}}).status, 401u);
  auto refused = login(ian, ian.password);
  EXPECT_EQ(refused.status, 401u);
  EXPECT_EQ(refused.json()["message"], login(ian, "wrong password").json()["message"]);
  EXPECT_EQ(code(client().post(path + "/deactivate", nullptr, admin)), "invalid_state_transition");
  EXPECT_EQ(client().get("/v1/users?is_active=false&search=" + ian.email, admin).json()["count"],
            1);

  auto on = client().post(path + "/activate", nullptr, admin);
  ASSERT_EQ(on.status, 200u) << on.body;
  EXPECT_EQ(on.json()["is_active"], true);
  settle(on);
  EXPECT_EQ(client().get("/v1/users/me", ian.token).status, 401u);  // its old token stays dead
  sign_in(ian);
  EXPECT_EQ(client().get("/v1/users/me", ian.token).status, 200u);
  EXPECT_EQ(code(client().post(path + "/activate", nullptr, admin)), "invalid_state_transition");
  EXPECT_EQ(client().post(path + "/deactivate", json{{"reason", 5}}, admin).status, 400u);
}

TEST_F(UsersLifecycle, DeletedUserIsGoneUntilRestoredExactlyAsItWas) {
  auto jo = make("jo");
  auto t = create_tenant(unique("Jo Org"));
  const std::string members = "/v1/tenants/" + t["id"].get<std::string>() + "/members";
  ASSERT_EQ(client().post(members, {{"user", jo.id}, {"roles", {"tenant_admin"}}}, admin).status,
            201u);
  auto crew = client().post("/v1/groups", {{"name", unique("Jo crew")}}, admin);
  ASSERT_EQ(crew.status, 201u) << crew.body;
  const std::string group_members =
      "/v1/groups/" + crew.json()["id"].get<std::string>() + "/members";
  ASSERT_EQ(client().post(group_members, {{"user", jo.id}}, admin).status, 201u);
  auto profiled =
      client().patch("/v1/users/" + jo.id + "/profile", {{"job_title", "Pilot"}}, admin);
  ASSERT_EQ(profiled.status, 200u);
  settle(profiled);
  const json before = client().get("/v1/users/" + jo.id, admin).json();

  auto deleted = client().del("/v1/users/" + jo.id, admin, {{"If-Match", "\"2\""}});
  ASSERT_EQ(deleted.status, 204u) << deleted.body;
  settle(deleted);
  EXPECT_EQ(client().get("/v1/users/me", jo.token).status, 401u);
  EXPECT_EQ(client().get(members, jo.token).status, 401u);
  EXPECT_EQ(login(jo, jo.password).status, 401u);
  auto gone = client().get("/v1/users/" + jo.id, admin);
  EXPECT_EQ(gone.status, 404u);
  EXPECT_EQ(gone.json()["details"]["resource"], "user");
  auto shown = client().get("/v1/users/" + jo.id + "?include_deleted=true", admin);
  ASSERT_EQ(shown.status, 200u);
  EXPECT_EQ(shown.json()["is_deleted"], true);
  EXPECT_EQ(client().get("/v1/users?search=" + jo.email, admin).json()["count"], 0);
  EXPECT_EQ(
      client().get("/v1/users?include_deleted=true&search=" + jo.email, admin).json()["count"], 1);
  EXPECT_EQ(client().get(members, admin).json()["count"], 0);
  EXPECT_EQ(client().get(group_members, admin).json()["count"], 0);
  // Its email stays reserved; it is 404 to every command but restore.
  EXPECT_EQ(code(client().post("/v1/users",
                               {{"email", jo.email}, {"password", "long enough for sure"}}, admin)),
            "email_taken");
  EXPECT_EQ(client().patch("/v1/users/" + jo.id, {{"name", "x"}}, admin).status, 404u);
  EXPECT_EQ(client().del("/v1/users/" + jo.id, admin).status, 404u);
  EXPECT_EQ(client().post(members, {{"user", jo.id}}, admin).status, 404u);

  auto restored = client().post("/v1/users/" + jo.id + "/restore", nullptr, admin);
  ASSERT_EQ(restored.status, 200u) << restored.body;
  settle(restored);
  json after = client().get("/v1/users/" + jo.id, admin).json();
  for (const char* field :
       {"id", "email", "name", "platform_roles", "is_active", "is_deleted", "created_at"})
    EXPECT_EQ(after[field], before[field]) << field;
  EXPECT_EQ(after["version"], before["version"].get<int>() + 2);
  EXPECT_EQ(client().get("/v1/users/" + jo.id + "/profile", admin).json()["job_title"], "Pilot");
  EXPECT_EQ(client().get(members, admin).json()["count"], 1);
  EXPECT_EQ(client().get(group_members, admin).json()["count"], 1);
  EXPECT_EQ(client().get("/v1/users/me", jo.token).status, 401u);  // old tokens stay dead
  sign_in(jo);
  EXPECT_EQ(client().get(members, jo.token).status, 200u);  // its tenant_admin role is back
  EXPECT_EQ(code(client().post("/v1/users/" + jo.id + "/restore", nullptr, admin)),
            "invalid_state_transition");
  EXPECT_EQ(client().del("/v1/users/ghost@example.com", admin).status, 404u);
}

TEST_F(UsersLifecycle, TheLastActiveSuperAdminStays) {
  const std::string self = std::string("/v1/users/") + server_process::admin_email;
  for (const auto& r :
       {client().del(self, admin), client().post(self + "/deactivate", nullptr, admin),
        client().patch(self, {{"platform_roles", json::array()}}, admin)}) {
    EXPECT_EQ(r.status, 409u) << r.body;
    EXPECT_EQ(code(r), "last_super_admin");
  }
  auto second = make("second-root", {"super_admin"});
  auto gone = client().del("/v1/users/" + second.id, admin);
  EXPECT_EQ(gone.status, 204u) << gone.body;
}

TEST_F(UsersLifecycle, ListFiltersByOrganizationSearchAndActivity) {
  auto kim = make("kim");
  auto lou = make("lou");
  auto viewer = make("viewer");
  auto t = create_tenant(unique("List Org"));
  const std::string org = t["id"], slug = t["slug"];
  for (const auto& [user, role] : {std::pair{kim.id, "tenant_admin"}, std::pair{lou.id, "member"},
                                   std::pair{viewer.id, "viewer"}}) {
    auto r = client().post("/v1/tenants/" + org + "/members", {{"user", user}, {"roles", {role}}},
                           admin);
    ASSERT_EQ(r.status, 201u) << r.body;
    settle(r);
  }
  auto by_slug = client().get("/v1/users?organization=" + slug + "&ordering=-email", admin).json();
  EXPECT_EQ(by_slug["count"], 3);
  EXPECT_GT(by_slug["results"][0]["email"].get<std::string>(),
            by_slug["results"][1]["email"].get<std::string>());
  EXPECT_EQ(
      client().get("/v1/users?organization=" + org + "&search=" + lou.email, admin).json()["count"],
      1);
  // Without a platform role: itself and the members of the tenants it may read members of.
  auto seen = client().get("/v1/users?page_size=200", kim.token).json();
  EXPECT_EQ(seen["count"], 3);
  EXPECT_EQ(client().get("/v1/users", lou.token).json()["count"], 3);  // member: member.read
  EXPECT_EQ(client().get("/v1/users", viewer.token).json()["count"], 1);
  auto denied = client().get("/v1/users?organization=" + slug, viewer.token);
  EXPECT_EQ(denied.status, 403u);
  auto hidden = client().get("/v1/users?organization=" + slug, make("outsider").token);
  EXPECT_EQ(hidden.status, 404u);
  EXPECT_EQ(hidden.json()["details"]["resource"], "tenant");
  EXPECT_EQ(client().get("/v1/users?organization=no-such-org", admin).status, 404u);
  EXPECT_EQ(client().get("/v1/users?include_deleted=true", kim.token).status, 403u);
  EXPECT_EQ(client().get("/v1/users?ordering=age", admin).status, 400u);
  EXPECT_EQ(client().get("/v1/users?organization=", admin).status, 400u);
}

// Once a deletion, a deactivation or a new password is acknowledged, the very next request
// with the user's access token on this instance is 401, a read as much as a write: the
// writer's verdict counts before the read models show it.
TEST_F(UsersLifecycle, AccessEndsWithTheAcknowledgementReadsIncluded) {
  const std::vector<std::pair<std::string, std::function<http_answer(const account&)>>> endings{
      {"delete", [&](const account& a) { return client().del("/v1/users/" + a.id, admin); }},
      {"deactivate",
       [&](const account& a) {
         return client().post("/v1/users/" + a.id + "/deactivate", nullptr, admin);
       }},
      {"new password", [&](const account& a) {
         return client().post("/v1/users/" + a.id + "/password",
                              {{"password", "a brand new password"}}, admin);
       }}};
  for (const auto& [what, end] : endings)
    for (int i = 0; i < 5; ++i) {
      const account a = make("ending");
      ASSERT_EQ(client().get("/v1/users/me", a.token).status, 200u) << what;
      const http_answer ended = end(a);
      ASSERT_LT(ended.status, 300u) << what << ": " << ended.body;
      EXPECT_EQ(client().get("/v1/users/me", a.token).status, 401u) << what << " #" << i;
      EXPECT_EQ(client().get("/v1/tenants", a.token).status, 401u) << what << " #" << i;
    }
}

// ?organization= lists the users of the organization's whole subtree, each once, and not
// those of a deleted descendant; a caller reading members below it only is refused there.
TEST_F(UsersLifecycle, AnOrganizationsUsersAreTheMembersOfItsSubtree) {
  auto top = make("top");
  auto mid = make("mid");
  auto low = make("low");
  auto dropped = make("dropped");
  auto org = create_tenant(unique("Tree Org"));
  const std::string o = org["id"];
  const std::string c = create_tenant(unique("Tree Child"), o)["id"];
  const std::string g = create_tenant(unique("Tree Grandchild"), c)["id"];
  const std::string d = create_tenant(unique("Tree Doomed"), o)["id"];
  auto add = [&](const std::string& tenant, const account& user, const char* role) {
    auto r = client().post("/v1/tenants/" + tenant + "/members",
                           {{"user", user.id}, {"roles", {role}}}, admin);
    ASSERT_EQ(r.status, 201u) << r.body;
    settle(r);
  };
  add(o, top, "member");
  add(c, mid, "member");
  add(g, low, "viewer");
  add(c, low, "viewer");  // twice in the subtree: listed once
  add(d, dropped, "member");
  auto gone = client().del("/v1/tenants/" + d + "?recursive=true", admin);
  ASSERT_EQ(gone.status, 204u) << gone.body;
  settle(gone);
  auto listed = client().get("/v1/users?organization=" + org["slug"].get<std::string>(), admin);
  ASSERT_EQ(listed.status, 200u) << listed.body;
  const json page = listed.json();
  std::set<std::string> ids;
  for (const auto& u : page["results"]) ids.insert(u["id"].get<std::string>());
  EXPECT_EQ(page["count"], 3);
  EXPECT_EQ(ids, (std::set<std::string>{top.id, mid.id, low.id}));
  // The child's users, for the child's member; the organization is not its to list.
  EXPECT_EQ(client().get("/v1/users?organization=" + c, mid.token).json()["count"], 2);
  EXPECT_EQ(client().get("/v1/users?organization=" + o, mid.token).status, 404u);
  EXPECT_EQ(client().get("/v1/users?organization=" + o, top.token).json()["count"], 3);
  EXPECT_EQ(client().get("/v1/users?organization=" + d, admin).status, 404u);
}

// kill -9 and restart: every change of the lifecycle was in the log, and is again.
TEST(UsersLifecycleRestart, ChangesSurviveKillNine) {
  server_process server;
  server.start();
  http_client c(server.port());
  auto sign_in = [&](const std::string& email, const std::string& password) {
    auto r = c.post("/v1/auth/token", {{"username", email}, {"password", password}});
    return r.status == 200 ? r.json()["access"].get<std::string>() : std::string();
  };
  std::string admin = sign_in(server_process::admin_email, server_process::admin_password);
  ASSERT_FALSE(admin.empty());
  auto mo = c.post("/v1/users", {{"email", "mo@example.com"}, {"password", "mo password for sure"}},
                   admin);
  auto ned =
      c.post("/v1/users", {{"email", "ned@example.com"}, {"password", "ned password"}}, admin);
  ASSERT_EQ(mo.status, 201u);
  ASSERT_EQ(ned.status, 201u);
  ASSERT_EQ(c.patch("/v1/users/mo@example.com/profile", {{"timezone", "Asia/Tokyo"}}, admin).status,
            200u);
  ASSERT_EQ(
      c.post("/v1/users/mo@example.com/password", {{"password", "mo new password"}}, admin).status,
      204u);
  ASSERT_EQ(c.del("/v1/users/ned@example.com", admin).status, 204u);

  server.kill_hard();
  server.start();
  admin = sign_in(server_process::admin_email, server_process::admin_password);
  EXPECT_TRUE(sign_in("mo@example.com", "mo password").empty());
  const std::string mo_token = sign_in("mo@example.com", "mo new password");
  ASSERT_FALSE(mo_token.empty());
  EXPECT_EQ(c.get("/v1/users/me/profile", mo_token).json()["timezone"], "Asia/Tokyo");
  EXPECT_TRUE(sign_in("ned@example.com", "ned password").empty());
  EXPECT_EQ(c.get("/v1/users/ned@example.com", admin).status, 404u);
  auto restored = c.post("/v1/users/ned@example.com/restore", nullptr, admin);
  EXPECT_EQ(restored.status, 200u) << restored.body;
  EXPECT_FALSE(sign_in("ned@example.com", "ned password").empty());
}

}  // namespace
}  // namespace tenantry::testing
