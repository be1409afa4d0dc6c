// Invitations over HTTP: the token shown once and stored nowhere, acceptance by an
// existing user (membership and grants, explained by authz/check) and by a newcomer with
// the token (registered in the same command), declines, revocations, expiry, answers
// given twice, wrong tokens and wrong users, and the validation of what is sent.

#include <chrono>
#include <thread>

#include "e2e_fixture.hpp"

namespace tenantry::testing {
namespace {

using nlohmann::json;

class Invitations : public e2e_test {
 protected:
  // Sends an invitation as `as` and waits until reads see it; the answer holds the token.
  json invite(const std::string& tenant, const json& body, const std::string& as) {
    return made(client().post("/v1/tenants/" + tenant + "/invitations", body, as));
  }

  http_answer answer(const std::string& invitation, const std::string& verb, const json& body,
                     const std::string& as = "") {
    return client().post("/v1/invitations/" + invitation + "/" + verb, body, as);
  }

  // The status of the invitation an invitation_not_pending answer names.
  static std::string status_detail(const http_answer& r) { return detail(r, "status"); }
};

TEST_F(Invitations, TheTokenIsShownInOneAnswerAndStoredNowhere) {
  auto org = create_tenant(unique("Inviting"));
  const std::string email = unique("newcomer") + "@example.com";
  const json body{{"invitee", email}, {"roles", {"viewer"}}, {"permissions", {"site.read"}}};
  const std::map<std::string, std::string> key{{"Idempotency-Key", unique("invite")}};
  auto r = client().post("/v1/tenants/" + id(org) + "/invitations", body, admin, key);
  ASSERT_EQ(r.status, 201u) << r.body;
  const json invitation = r.json();
  const std::string token = invitation["token"];
  EXPECT_TRUE(token.starts_with("inv_")) << token;
  EXPECT_EQ(token.size(), 47u);
  EXPECT_EQ(invitation["status"], "pending");
  EXPECT_EQ(invitation["invitee"], email);
  EXPECT_EQ(invitation["tenant_id"], id(org));
  EXPECT_EQ(invitation["roles"], json::parse(R"([{"id":"viewer","name":"viewer"}])"));
  EXPECT_EQ(invitation["permissions"], json({"site.read"}));
  EXPECT_EQ(r.header("Location"), "/v1/invitations/" + id(invitation));
  EXPECT_EQ(r.header("Cache-Control"), "no-store");  // the one answer holding the token
  EXPECT_EQ(r.header("ETag"), "\"1\"");
  // Seven days by default.
  const auto expires = parse_rfc3339(invitation["expires_at"].get<std::string>());
  const auto created = parse_rfc3339(invitation["created_at"].get<std::string>());
  ASSERT_TRUE(expires && created);
  EXPECT_EQ(*expires - *created, std::chrono::hours(24 * 7));
  // A retry gets the recorded answer, which never held the token.
  auto retry = client().post("/v1/tenants/" + id(org) + "/invitations", body, admin, key);
  ASSERT_EQ(retry.status, 201u) << retry.body;
  EXPECT_EQ(retry.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(retry.json()["id"], invitation["id"]);
  EXPECT_FALSE(retry.json().contains("token"));
  settle(r);
  auto listed = client().get("/v1/tenants/" + id(org) + "/invitations", admin);
  ASSERT_EQ(listed.status, 200u) << listed.body;
  EXPECT_EQ(listed.json()["count"], 1);
  auto one = client().get("/v1/invitations/" + id(invitation), admin);
  ASSERT_EQ(one.status, 200u) << one.body;
  EXPECT_EQ(one.header("ETag"), "\"1\"");
  const std::string secret = token.substr(4);
  for (const auto* text : {&listed.body, &one.body, &retry.body})
    EXPECT_EQ(text->find(secret), std::string::npos) << *text;
  EXPECT_FALSE(one.json().contains("token"));
  EXPECT_FALSE(one.json().contains("token_hash"));
  // The read model and the archive hold its hash, never the token.
  EXPECT_EQ(
      count("SELECT count(*) FROM invitations WHERE invitations::text LIKE '%" + secret + "%'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE events::text LIKE '%" + secret + "%'"), 0);
  EXPECT_EQ(count("SELECT count(*) FROM invitations WHERE token_hash = encode(sha256('" + token +
                  "'::bytea), 'hex') AND id = '" + id(invitation) + "'"),
            1);
  // And so does the event log itself, headers (the answers kept for retries) included.
  EXPECT_GT(log_records_free_of(secret), 2);
}

TEST_F(Invitations, AnExistingUserAcceptsAndHoldsTheRolesAndPermissions) {
  auto org = create_tenant(unique("Welcoming"));
  auto child = create_tenant(unique("Welcoming child"), id(org));
  auto bob = make_user("bob");
  auto sent = invite(
      id(org), {{"invitee", bob.email}, {"roles", {"viewer"}}, {"permissions", {"site.read"}}},
      admin);
  // The invitee sees its own invitation, alone and in its list.
  auto mine = client().get("/v1/invitations?status=pending", bob.token);
  ASSERT_EQ(mine.status, 200u) << mine.body;
  ASSERT_EQ(mine.json()["count"], 1);
  EXPECT_EQ(mine.json()["results"][0]["id"], id(sent));
  EXPECT_EQ(client().get("/v1/invitations/" + id(sent), bob.token).status, 200u);
  EXPECT_EQ(client().get("/v1/tenants/" + id(org), bob.token).status, 404u);

  auto accepted = answer(id(sent), "accept", nullptr, bob.token);
  ASSERT_EQ(accepted.status, 200u) << accepted.body;
  EXPECT_EQ(accepted.json()["status"], "accepted");
  EXPECT_EQ(accepted.json()["answered_by"], bob.id);
  EXPECT_EQ(accepted.json()["version"], 2);
  settle(accepted);
  auto member = client().get("/v1/tenants/" + id(org) + "/members/" + bob.id, admin);
  ASSERT_EQ(member.status, 200u) << member.body;
  EXPECT_EQ(member.json()["roles"][0]["id"], "viewer");
  EXPECT_EQ(client().get("/v1/tenants/" + id(org), bob.token).status, 200u);
  auto grants = client().get("/v1/permissions/grants?principal=" + bob.id, admin);
  ASSERT_EQ(grants.status, 200u) << grants.body;
  ASSERT_EQ(grants.json()["count"], 1);
  EXPECT_EQ(grants.json()["results"][0]["permission"], "site.read");
  // The grant holds for the subtree; authz/check names it.
  auto check = client().get(
      "/v1/authz/check?permission=site.read&object_id=" + id(child) + "&principal=" + bob.id,
      admin);
  ASSERT_EQ(check.status, 200u) << check.body;
  EXPECT_EQ(check.json()["allowed"], true);
  EXPECT_EQ(check.json()["because"][0]["kind"], "grant");
  EXPECT_EQ(check.json()["because"][0]["tenant_id"], id(org));
  EXPECT_EQ(check.json()["because"][0]["inherited"], true);
  // Answering twice: 409 with the status it has.
  auto twice = answer(id(sent), "accept", nullptr, bob.token);
  EXPECT_EQ(twice.status, 409u) << twice.body;
  EXPECT_EQ(error_of(twice), "invitation_not_pending");
  EXPECT_EQ(status_detail(twice), "accepted");
  EXPECT_EQ(status_detail(answer(id(sent), "decline", nullptr, bob.token)), "accepted");
  // A member is not invited again.
  auto again =
      client().post("/v1/tenants/" + id(org) + "/invitations", {{"invitee", bob.email}}, admin);
  EXPECT_EQ(again.status, 409u);
  EXPECT_EQ(error_of(again), "already_member");
}

TEST_F(Invitations, ANewcomerRegistersWithTheTokenAndAcceptsInOneCommand) {
  auto org = create_tenant(unique("Onboarding"));
  const std::string email = unique("Zoe") + "@Example.com";
  auto sent = invite(id(org), {{"invitee", email}, {"roles", {"member"}}}, admin);
  const std::string token = sent["token"];
  EXPECT_EQ(sent["invitee"], lowercase(email));
  // Wrong token: nothing to see.
  auto wrong = answer(id(sent), "accept",
                      {{"token", "inv_" + std::string(43, 'A')}, {"password", "long password"}});
  EXPECT_EQ(wrong.status, 404u) << wrong.body;
  EXPECT_EQ(resource(wrong), "invitation");
  // No credentials at all.
  EXPECT_EQ(answer(id(sent), "accept", nullptr).status, 401u);
  auto short_password = answer(id(sent), "accept", {{"token", token}, {"password", "short"}});
  EXPECT_EQ(short_password.status, 400u);
  auto without_password = answer(id(sent), "accept", {{"token", token}});
  EXPECT_EQ(without_password.status, 400u) << without_password.body;

  auto accepted = answer(id(sent), "accept",
                         {{"token", token}, {"password", "zoe's password"}, {"name", "Zoe"}});
  ASSERT_EQ(accepted.status, 200u) << accepted.body;
  EXPECT_EQ(accepted.json()["status"], "accepted");
  const std::string zoe = accepted.json()["answered_by"];
  settle(accepted);
  const std::string zoe_token = login(lowercase(email), "zoe's password");
  ASSERT_FALSE(zoe_token.empty());
  auto me = client().get("/v1/users/me", zoe_token);
  EXPECT_EQ(me.json()["id"], zoe);
  EXPECT_EQ(me.json()["name"], "Zoe");
  EXPECT_EQ(client().get("/v1/tenants/" + id(org) + "/members", zoe_token).status, 200u);
  // The token works once.
  auto replay = answer(id(sent), "accept", {{"token", token}, {"password", "another password"}});
  EXPECT_EQ(replay.status, 409u) << replay.body;
  EXPECT_EQ(status_detail(replay), "accepted");
  // A token for an email that has an account registers no second one.
  auto elsewhere = create_tenant(unique("Second home"));
  auto second = invite(id(elsewhere), {{"invitee", lowercase(email)}}, admin);
  auto taken =
      answer(id(second), "accept", {{"token", second["token"]}, {"password", "yet another one"}});
  EXPECT_EQ(taken.status, 409u) << taken.body;
  EXPECT_EQ(error_of(taken), "email_taken");
  EXPECT_EQ(answer(id(second), "accept", nullptr, zoe_token).status, 200u);
}

// A token that opens no pending invitation costs no argon2id: the writer is asked about the
// token before the password is hashed, so guessing tokens cannot keep the CPU pool busy.
TEST_F(Invitations, NoPasswordIsHashedForATokenThatMatchesNoPendingInvitation) {
  auto org = create_tenant(unique("Guarded"));
  auto sent = invite(id(org), {{"invitee", unique("guess") + "@example.com"}}, admin);
  const double before = metric(client(), "tenantry_cpu_tasks_total");
  ASSERT_GE(before, 0);
  for (int i = 0; i < 5; ++i) {
    const std::string guess = "inv_" + std::string(42, 'A') + std::to_string(i);
    auto wrong = answer(id(sent), "accept", {{"token", guess}, {"password", "a long password"}});
    EXPECT_EQ(wrong.status, 404u) << wrong.body;
  }
  EXPECT_EQ(metric(client(), "tenantry_cpu_tasks_total"), before);
  // Accepted once (one hash), the token opens nothing pending any more: no second hash.
  auto accepted =
      answer(id(sent), "accept", {{"token", sent["token"]}, {"password", "a long password"}});
  ASSERT_EQ(accepted.status, 200u) << accepted.body;
  EXPECT_EQ(metric(client(), "tenantry_cpu_tasks_total"), before + 1);
  auto again =
      answer(id(sent), "accept", {{"token", sent["token"]}, {"password", "a long password"}});
  EXPECT_EQ(again.status, 409u) << again.body;
  EXPECT_EQ(status_detail(again), "accepted");
  EXPECT_EQ(metric(client(), "tenantry_cpu_tasks_total"), before + 1);
}

// The tenant's list of invitations shows the invitees' e-mail addresses: the admins'
// business (invitation.manage), not every member's.
TEST_F(Invitations, OnlyThoseWhoManageInvitationsListThem) {
  auto org = create_tenant(unique("Private list"));
  auto plain = make_user("plain");
  auto keeper = make_user("keeper");
  for (const auto& [who, role] :
       {std::pair{plain.id, "member"}, std::pair{keeper.id, "tenant_admin"}}) {
    auto added = client().post("/v1/tenants/" + id(org) + "/members",
                               {{"user", who}, {"roles", {role}}}, admin);
    ASSERT_EQ(added.status, 201u) << added.body;
    settle(added);
  }
  invite(id(org), {{"invitee", unique("secret") + "@example.com"}}, admin);
  const std::string list = "/v1/tenants/" + id(org) + "/invitations";
  auto refused = client().get(list, plain.token);
  EXPECT_EQ(refused.status, 403u) << refused.body;
  EXPECT_EQ(error_of(refused), "permission_denied");
  EXPECT_EQ(refused.body.find("@example.com"), std::string::npos);
  auto listed = client().get(list, keeper.token);
  ASSERT_EQ(listed.status, 200u) << listed.body;
  EXPECT_EQ(listed.json()["count"], 1);
}

TEST_F(Invitations, DeclinedSignedInOrWithTheToken) {
  auto org = create_tenant(unique("Declined"));
  auto cid = make_user("cid");
  auto first = invite(id(org), {{"invitee", cid.email}}, admin);
  auto declined = answer(id(first), "decline", nullptr, cid.token);
  ASSERT_EQ(declined.status, 200u) << declined.body;
  EXPECT_EQ(declined.json()["status"], "declined");
  EXPECT_EQ(declined.json()["answered_by"], cid.id);
  EXPECT_NE(declined.json()["answered_at"], nullptr);
  const std::string stranger = unique("stranger") + "@example.com";
  auto second = invite(id(org), {{"invitee", stranger}}, admin);
  auto by_token = answer(id(second), "decline", {{"token", second["token"]}});
  ASSERT_EQ(by_token.status, 200u) << by_token.body;
  EXPECT_EQ(by_token.json()["answered_by"], nullptr);
  settle(by_token);
  EXPECT_EQ(answer(id(second), "accept",
                   {{"token", second["token"]}, {"password", "a password for sure"}})
                .status,
            409u);
  auto listed = client().get("/v1/tenants/" + id(org) + "/invitations?status=declined", admin);
  EXPECT_EQ(listed.json()["count"], 2) << listed.body;
  // Declining creates no account: the stranger still has none.
  EXPECT_EQ(client().get("/v1/users/" + stranger, admin).status, 404u);
}

TEST_F(Invitations, RevokedByAnAdminOnly) {
  auto org = create_tenant(unique("Revoking"));
  auto dee = make_user("dee");
  auto reader = make_user("reader");
  auto added = client().post("/v1/tenants/" + id(org) + "/members",
                             {{"user", reader.id}, {"roles", {"member"}}}, admin);
  ASSERT_EQ(added.status, 201u) << added.body;
  settle(added);
  auto sent = invite(id(org), {{"invitee", dee.email}}, admin);
  const std::string revoke = "/v1/invitations/" + id(sent) + "/revoke";
  // The invitee and a reader of the tenant's members see it but may not revoke it.
  EXPECT_EQ(client().post(revoke, nullptr, dee.token).status, 403u);
  EXPECT_EQ(client().post(revoke, nullptr, reader.token).status, 403u);
  // Nor may a reader answer it for the invitee; a stranger learns nothing.
  auto not_yours = answer(id(sent), "accept", nullptr, reader.token);
  EXPECT_EQ(not_yours.status, 403u) << not_yours.body;
  auto stranger = make_user("stranger");
  auto hidden = answer(id(sent), "accept", nullptr, stranger.token);
  EXPECT_EQ(hidden.status, 404u) << hidden.body;
  EXPECT_EQ(resource(hidden), "invitation");
  EXPECT_EQ(client().get("/v1/invitations/" + id(sent), stranger.token).status, 404u);
  EXPECT_EQ(client().get("/v1/invitations/" + id(sent), reader.token).status, 200u);

  EXPECT_EQ(client().post(revoke, nullptr, admin, {{"If-Match", "\"5\""}}).status, 412u);
  auto revoked = client().post(revoke, nullptr, admin, {{"If-Match", "\"1\""}});
  ASSERT_EQ(revoked.status, 200u) << revoked.body;
  EXPECT_EQ(revoked.json()["status"], "revoked");
  auto late =
      answer(id(sent), "accept", {{"token", sent["token"]}, {"password", "a password for sure"}});
  EXPECT_EQ(late.status, 409u) << late.body;
  EXPECT_EQ(status_detail(late), "revoked");
  EXPECT_EQ(status_detail(client().post(revoke, nullptr, admin)), "revoked");
  settle(revoked);
  EXPECT_EQ(
      client().get("/v1/tenants/" + id(org) + "/invitations?status=revoked", admin).json()["count"],
      1);
  // Revoked, a new invitation to the same email may go out.
  invite(id(org), {{"invitee", dee.email}}, admin);
}

TEST_F(Invitations, AnExpiredInvitationCannotBeAcceptedAndItsExpiryIsRecordedOnce) {
  auto org = create_tenant(unique("Expiring"));
  auto eli = make_user("eli");
  auto sent = invite(id(org), {{"invitee", eli.email}, {"expires_in", 1}}, admin);
  const auto expires = parse_rfc3339(sent["expires_at"].get<std::string>());
  ASSERT_TRUE(expires);
  std::this_thread::sleep_until(std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          expires->time_since_epoch() + std::chrono::milliseconds(300))));
  // Reads compute the status before anything is recorded.
  EXPECT_EQ(client().get("/v1/invitations/" + id(sent), admin).json()["status"], "expired");
  const std::string listing = "/v1/tenants/" + id(org) + "/invitations?status=";
  EXPECT_EQ(client().get(listing + "expired", admin).json()["count"], 1);
  EXPECT_EQ(client().get(listing + "pending", admin).json()["count"], 0);
  for (int attempt = 0; attempt < 2; ++attempt) {
    auto r = answer(id(sent), "accept", nullptr, eli.token);
    EXPECT_EQ(r.status, 409u) << r.body;
    EXPECT_EQ(error_of(r), "invitation_not_pending");
    EXPECT_EQ(status_detail(r), "expired");
    settle(r);
  }
  EXPECT_EQ(count("SELECT count(*) FROM events WHERE type = 'tenantry.invitation.expired.v1'"
                  " AND subject = '" +
                  id(sent) + "'"),
            1);
  EXPECT_EQ(count("SELECT count(*) FROM memberships WHERE user_id = '" + eli.id + "'"), 0);
  // Expired, it no longer blocks a new invitation.
  invite(id(org), {{"invitee", eli.email}}, admin);
}

TEST_F(Invitations, WhatIsSentIsValidatedAndNobodyHandsOutMoreThanItHolds) {
  auto org = create_tenant(unique("Strict"));
  const std::string at = "/v1/tenants/" + id(org) + "/invitations";
  const std::string email = unique("val") + "@example.com";
  for (const json& bad :
       {json{{"invitee", "not an email"}}, json{{"invitee", email}, {"expires_in", 0}},
        json{{"invitee", email}, {"expires_in", 2592001}},
        json{{"invitee", email}, {"expires_in", "soon"}}, json{{"invitee", email}, {"roles", "x"}},
        json{{"invitee", email}, {"roles", {"captain"}}},
        json{{"invitee", email}, {"permissions", {"warp.drive"}}}, json{{"roles", {"viewer"}}}}) {
    auto r = client().post(at, bad, admin);
    EXPECT_EQ(r.status, 400u) << bad.dump() << " -> " << r.body;
    EXPECT_EQ(error_of(r), "validation_error") << bad.dump();
  }
  auto sent = invite(id(org), {{"invitee", email}, {"expires_in", 2592000}}, admin);
  // null is the default lifetime, as the schema states ("integer" or "null").
  auto defaulted = invite(
      id(org), {{"invitee", unique("null") + "@example.com"}, {"expires_in", nullptr}}, admin);
  const auto expires = parse_rfc3339(defaulted["expires_at"].get<std::string>());
  const auto created = parse_rfc3339(defaulted["created_at"].get<std::string>());
  ASSERT_TRUE(expires && created);
  EXPECT_EQ(*expires - *created, std::chrono::hours(24 * 7));
  auto pending = client().post(at, {{"invitee", email}}, admin);
  EXPECT_EQ(pending.status, 409u);
  EXPECT_EQ(error_of(pending), "invitation_pending");
  EXPECT_EQ(pending.json()["details"]["invitation"], id(sent));
  // A holder of invitation.manage invites with what it holds, no more.
  auto role = client().post(
      "/v1/tenants/" + id(org) + "/roles",
      {{"name", "recruiter"}, {"permissions", {"invitation.manage", "tenant.read", "site.read"}}},
      admin);
  ASSERT_EQ(role.status, 201u) << role.body;
  auto recruiter = make_user("recruiter");
  auto added = client().post("/v1/tenants/" + id(org) + "/members",
                             {{"user", recruiter.id}, {"roles", {"recruiter"}}}, admin);
  ASSERT_EQ(added.status, 201u) << added.body;
  settle(added);
  const std::string other = unique("other") + "@example.com";
  auto too_much =
      client().post(at, {{"invitee", other}, {"roles", {"tenant_admin"}}}, recruiter.token);
  EXPECT_EQ(too_much.status, 403u) << too_much.body;
  auto grant_too_much = client().post(
      at, {{"invitee", other}, {"roles", {"viewer"}}, {"permissions", {"site.manage"}}},
      recruiter.token);
  EXPECT_EQ(grant_too_much.status, 403u) << grant_too_much.body;
  auto fine =
      client().post(at, {{"invitee", other}, {"roles", {"viewer"}}, {"permissions", {"site.read"}}},
                    recruiter.token);
  EXPECT_EQ(fine.status, 201u) << fine.body;
  EXPECT_EQ(fine.json()["invited_by"], recruiter.id);
  // Listing needs invitation.manage, which the recruiter holds (member.read, which it
  // lacks, does not matter).
  EXPECT_EQ(client().get(at, recruiter.token).status, 200u);
  EXPECT_EQ(client().get(at + "?status=lost", admin).status, 400u);
}

TEST_F(Invitations, AnApiTokenNeverAnswersForItsCreator) {
  auto org = create_tenant(unique("Tokened"));
  auto child = create_tenant(unique("Tokened child"), id(org));
  auto kai = make_user("kai");
  auto added = client().post("/v1/tenants/" + id(org) + "/members",
                             {{"user", kai.id}, {"roles", {"tenant_admin"}}}, admin);
  ASSERT_EQ(added.status, 201u) << added.body;
  settle(added);
  auto issued =
      client().post("/v1/tenants/" + id(org) + "/tokens",
                    {{"name", "kai's"}, {"scopes", {"tenant.read", "member.read"}}}, kai.token);
  ASSERT_EQ(issued.status, 201u) << issued.body;
  settle(issued);
  const std::string api_token = issued.json()["secret"];
  auto sent = invite(id(child), {{"invitee", kai.email}, {"roles", {"viewer"}}}, admin);
  // The token reads it as any member reader would, but it is not the invitee.
  EXPECT_EQ(client().get("/v1/invitations/" + id(sent), api_token).status, 200u);
  EXPECT_EQ(client().get("/v1/invitations", api_token).json()["count"], 0);
  EXPECT_EQ(client().get("/v1/invitations", kai.token).json()["count"], 1);
  auto by_token = answer(id(sent), "accept", nullptr, api_token);
  EXPECT_EQ(by_token.status, 403u) << by_token.body;
  auto in_person = answer(id(sent), "accept", nullptr, kai.token);
  EXPECT_EQ(in_person.status, 200u) << in_person.body;
}

}  // namespace
}  // namespace tenantry::testing
