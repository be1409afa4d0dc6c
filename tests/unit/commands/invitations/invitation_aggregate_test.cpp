// Invitations: sending (validation, one pending per email, the hand-out rule), answering
// by the signed-in invitee or with the token (which registers it), revoking, and expiry
// against the injected clock, every transition of the status.

#include "commands/write_model.hpp"
#include "unit/commands/aggregate_fixture.hpp"

namespace tenantry::testing {
namespace {

using namespace std::chrono_literals;

class Invitations : public aggregate_test {
 protected:
  std::string org, child, ada, bob;

  void SetUp() override {
    org = created_id(accept(create_tenant{"Org", std::nullopt, "", std::nullopt}));
    child = created_id(accept(create_tenant{"Child", std::nullopt, "", org}));
    ada = user("ada@example.com");
    bob = user("bob@example.com");
  }

  std::string user(const std::string& email) {
    return std::get<user_registered>(accept(register_user{email, "", "h", {}}).at(0)).id.value;
  }

  send_invitation invite(const std::string& email, std::vector<std::string> roles = {"viewer"},
                         std::vector<std::string> permissions = {},
                         std::int64_t expires_in = default_invitation_lifetime) {
    return send_invitation{org,        email,           std::move(roles), std::move(permissions),
                           expires_in, "hash-" + email, user_id{ada}};
  }

  // Sends and applies; the invitation's id.
  std::string sent(const send_invitation& c) {
    const auto events = accept(c);
    return std::get<invitation_sent>(events.back()).id.value;
  }

  static answer_invitation by_user(const std::string& id, const std::string& user,
                                   invitation_reply reply = invitation_reply::accept) {
    return answer_invitation{id, reply, user_id{user}, std::nullopt, std::nullopt};
  }

  static answer_invitation by_token(const std::string& id, const std::string& hash,
                                    std::optional<invitee_account> account,
                                    invitation_reply reply = invitation_reply::accept) {
    return answer_invitation{id, reply, std::nullopt, hash, std::move(account)};
  }

  const invitation_state& state(const std::string& id) {
    return *model.invitations.find(invitation_id{id});
  }

  bool may(const std::string& user, const std::string& tenant, const std::string& permission) {
    return check_access(model.facts_of(user_id{user}, {}),
                        model.tenants.path_ids(*model.tenants.find(tenant_id{tenant})), permission,
                        ctx.now)
        .allowed;
  }

  std::string status_in(const result<std::vector<event>>& r) {
    return r ? "none" : r.error().details.value("status", "");
  }
};

TEST_F(Invitations, SendingRecordsTheHashRolesPermissionsAndExpiry) {
  const auto events =
      accept(invite("Eve@Example.com", {"viewer", "viewer"}, {"site.read", "audit.read"}, 3600));
  ASSERT_EQ(events.size(), 1u);
  const auto& e = std::get<invitation_sent>(events.at(0));
  EXPECT_EQ(e.tenant, tenant_id{org});
  EXPECT_EQ(e.invitee, "eve@example.com");
  EXPECT_EQ(e.roles, std::vector<std::string>{"viewer"});
  EXPECT_EQ(e.permissions, (std::vector<std::string>{"audit.read", "site.read"}));
  EXPECT_EQ(e.token_hash, "hash-Eve@Example.com");
  EXPECT_EQ(e.expires_at, ctx.now + 1h);
  EXPECT_EQ(e.invited_by, user_id{ada});
  EXPECT_EQ(state(e.id.value).status_at(ctx.now), invitation_status::pending);
}

// What the API asks before it hashes a registering invitee's password: the token opens a
// pending invitation whose email has no account yet. It records nothing.
TEST_F(Invitations, TheTokenIsCheckedBeforeAnyPasswordIsHashed) {
  const std::string id = sent(invite("eve@example.com"));
  const auto fine = when(check_invitation_token{id, "hash-eve@example.com"});
  ASSERT_TRUE(fine) << fine.error().message;
  EXPECT_TRUE(fine->empty());
  EXPECT_ERROR(when(check_invitation_token{id, "hash-guessed"}), "not_found");
  EXPECT_ERROR(when(check_invitation_token{"no-such-invitation", "hash-eve@example.com"}),
               "not_found");
  user("eve@example.com");
  EXPECT_ERROR(when(check_invitation_token{id, "hash-eve@example.com"}), "email_taken");
}

TEST_F(Invitations, AnExpiredOrAnsweredInvitationOpensNothingToHashFor) {
  const std::string expiring = sent(invite("fay@example.com", {"viewer"}, {}, 60));
  const std::string declined = sent(invite("gus@example.com"));
  accept(by_token(declined, "hash-gus@example.com", std::nullopt, invitation_reply::decline));
  EXPECT_EQ(status_in(when(check_invitation_token{declined, "hash-gus@example.com"})), "declined");
  ctx.now += 61s;
  EXPECT_EQ(status_in(when(check_invitation_token{expiring, "hash-fay@example.com"})), "expired");
}

TEST_F(Invitations, SendingValidatesEveryField) {
  EXPECT_ERROR(when(invite("not-an-email")), "validation_error");
  EXPECT_ERROR(when(invite("eve@example.com", {"viewer"}, {}, 0)), "validation_error");
  EXPECT_ERROR(when(invite("eve@example.com", {"viewer"}, {}, max_invitation_lifetime + 1)),
               "validation_error");
  EXPECT_TRUE(when(invite("eve@example.com", {"viewer"}, {}, max_invitation_lifetime)));
  EXPECT_ERROR(when(invite("eve@example.com", {"captain"})), "validation_error");
  EXPECT_ERROR(when(invite("eve@example.com", {"viewer"}, {"warp.drive"})), "validation_error");
  auto elsewhere = invite("eve@example.com");
  elsewhere.tenant_ref = "missing";
  EXPECT_ERROR(when(elsewhere), "not_found");
  // A custom role of the organization is usable on its child too.
  const auto role =
      std::get<role_defined>(accept(define_role{org, "auditor", "", {"audit.read"}}).at(0))
          .id.value;
  auto below = invite("eve@example.com", {"auditor"});
  below.tenant_ref = child;
  EXPECT_EQ(std::get<invitation_sent>(accept(below).at(0)).roles, std::vector<std::string>{role});
  accept(change_tenant_lifecycle{org, lifecycle_action::suspend, "", std::nullopt});
  EXPECT_ERROR(when(invite("zed@example.com")), "tenant_not_active");
}

TEST_F(Invitations, OnePendingInvitationPerEmailAndNoneForMembers) {
  accept(add_member{org, bob, {"viewer"}});
  EXPECT_ERROR(when(invite("BOB@example.com")), "already_member");
  const std::string first = sent(invite("eve@example.com", {"viewer"}, {}, 60));
  auto again = when(invite("eve@example.com"));
  EXPECT_ERROR(again, "invitation_pending");
  EXPECT_EQ(again.error().details["invitation"], first);
  // Once the first has expired, a new one records that expiry on the way.
  ctx.now += 61s;
  const auto events = accept(invite("eve@example.com"));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<invitation_expired>(events.at(0)).id.value, first);
  EXPECT_EQ(state(first).status, invitation_status::expired);
  // Another tenant's invitation is another matter.
  auto below = invite("eve@example.com");
  below.tenant_ref = child;
  EXPECT_TRUE(when(below));
}

TEST_F(Invitations, TheSignedInInviteeAcceptsAndBecomesAMemberWithGrants) {
  const std::string id = sent(invite("bob@example.com", {"viewer"}, {"site.read", "audit.read"}));
  EXPECT_FALSE(may(bob, child, "site.read"));
  const auto events = accept(by_user(id, bob));
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(std::get<invitation_accepted>(events.at(0)).user, user_id{bob});
  const auto& member = std::get<member_added>(events.at(1));
  EXPECT_EQ(member.tenant, tenant_id{org});
  EXPECT_EQ(member.roles, std::vector<std::string>{"viewer"});
  for (std::size_t n : {2u, 3u}) {
    const auto& grant = std::get<permission_granted>(events.at(n));
    EXPECT_EQ(grant.principal_id, bob);
    EXPECT_EQ(grant.object_type, "tenant");
    EXPECT_EQ(grant.object_id, org);
  }
  EXPECT_EQ(state(id).status, invitation_status::accepted);
  EXPECT_EQ(state(id).answered_by, user_id{bob});
  EXPECT_TRUE(model.access.membership(tenant_id{org}, user_id{bob}));
  EXPECT_TRUE(may(bob, child, "site.read"));  // a grant holds for the subtree
  EXPECT_TRUE(may(bob, org, "tenant.read"));
  EXPECT_FALSE(may(bob, org, "member.read"));
}

TEST_F(Invitations, AMemberMeanwhileGetsTheRolesAddedAndNoGrantTwice) {
  const std::string id = sent(invite("bob@example.com", {"viewer", "member"}, {"site.read"}));
  accept(add_member{org, bob, {"viewer"}});
  accept(grant_permission{"user", bob, "site.read", "tenant", org});
  const auto events = accept(by_user(id, bob));
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(std::get<member_changed>(events.at(1)).roles,
            (std::vector<std::string>{"viewer", "member"}));
}

TEST_F(Invitations, TheTokenRegistersTheInviteeAndAcceptsInOneCommand) {
  const std::string id = sent(invite("eve@example.com", {"viewer"}, {"site.read"}));
  EXPECT_ERROR(when(by_token(id, "wrong", invitee_account{"Eve", "pw-hash"})), "not_found");
  EXPECT_ERROR(when(by_token(id, "hash-eve@example.com", std::nullopt)), "validation_error");
  const auto events = accept(by_token(id, "hash-eve@example.com", invitee_account{"Eve", "pw"}));
  ASSERT_EQ(events.size(), 4u);
  const auto& registered = std::get<user_registered>(events.at(0));
  EXPECT_EQ(registered.email, "eve@example.com");
  EXPECT_EQ(registered.name, "Eve");
  EXPECT_EQ(registered.password_hash, "pw");
  EXPECT_TRUE(registered.platform_roles.empty());
  EXPECT_EQ(std::get<invitation_accepted>(events.at(1)).user, registered.id);
  EXPECT_EQ(std::get<member_added>(events.at(2)).user, registered.id);
  EXPECT_EQ(std::get<permission_granted>(events.at(3)).principal_id, registered.id.value);
  EXPECT_TRUE(may(registered.id.value, org, "site.read"));
}

TEST_F(Invitations, ATokenCannotRegisterASecondAccount) {
  const std::string id = sent(invite("bob@example.com"));
  EXPECT_ERROR(when(by_token(id, "hash-bob@example.com", invitee_account{"Bob 2", "pw"})),
               "email_taken");
  // Declining with the token needs no account.
  const auto declined =
      accept(by_token(id, "hash-bob@example.com", std::nullopt, invitation_reply::decline));
  EXPECT_FALSE(std::get<invitation_declined>(declined.at(0)).user);
  EXPECT_EQ(state(id).status, invitation_status::declined);
}

TEST_F(Invitations, OnlyTheInviteeAnswersAndOnlyOnce) {
  const std::string id = sent(invite("bob@example.com"));
  EXPECT_ERROR(when(by_user(id, ada)), "not_found");
  EXPECT_ERROR(when(by_user("01900000-0000-7000-8000-000000000000", bob)), "not_found");
  const auto declined = accept(by_user(id, bob, invitation_reply::decline));
  EXPECT_EQ(std::get<invitation_declined>(declined.at(0)).user, user_id{bob});
  auto twice = when(by_user(id, bob));
  EXPECT_ERROR(twice, "invitation_not_pending");
  EXPECT_EQ(status_in(twice), "declined");
  EXPECT_ERROR(when(revoke_invitation{id, std::nullopt}), "invitation_not_pending");
}

TEST_F(Invitations, RevokingEndsItAndHonoursTheVersion) {
  const std::string id = sent(invite("bob@example.com"));
  EXPECT_ERROR(when(revoke_invitation{id, 7}), "version_conflict");
  const auto events = accept(revoke_invitation{id, 1});
  EXPECT_EQ(std::get<invitation_revoked>(events.at(0)).reason, "revoked");
  EXPECT_EQ(state(id).version, 2);
  auto answered = when(by_user(id, bob));
  EXPECT_ERROR(answered, "invitation_not_pending");
  EXPECT_EQ(status_in(answered), "revoked");
  EXPECT_ERROR(when(revoke_invitation{id, std::nullopt}), "invitation_not_pending");
}

TEST_F(Invitations, AnExpiredInvitationIsRecordedOnceAndNeverAccepted) {
  const std::string id = sent(invite("bob@example.com", {"viewer"}, {}, 3600));
  ctx.now += 3599s;
  EXPECT_EQ(state(id).status_at(ctx.now), invitation_status::pending);
  ctx.now += 1s;  // expires_at itself is past
  EXPECT_EQ(state(id).status_at(ctx.now), invitation_status::expired);
  EXPECT_EQ(state(id).status, invitation_status::pending);  // computed, not yet recorded
  const auto events = accept(by_user(id, bob));
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(std::get<invitation_expired>(events.at(0)).id.value, id);
  EXPECT_FALSE(model.access.membership(tenant_id{org}, user_id{bob}));
  for (const command& c :
       {command{by_user(id, bob)}, command{revoke_invitation{id, {}}},
        command{by_token(id, "hash-bob@example.com", std::nullopt, invitation_reply::decline)}}) {
    auto r = when(c);
    EXPECT_ERROR(r, "invitation_not_pending");
    EXPECT_EQ(status_in(r), "expired");
  }
}

TEST_F(Invitations, RevokingOrDecliningPastTheExpiryRecordsTheExpiry) {
  const std::string a = sent(invite("bob@example.com", {"viewer"}, {}, 10));
  const std::string b = sent(invite("eve@example.com", {"viewer"}, {}, 10));
  ctx.now += 10s;
  EXPECT_TRUE(
      std::holds_alternative<invitation_expired>(accept(revoke_invitation{a, std::nullopt}).at(0)));
  EXPECT_TRUE(std::holds_alternative<invitation_expired>(
      accept(by_token(b, "hash-eve@example.com", std::nullopt, invitation_reply::decline)).at(0)));
  EXPECT_EQ(state(b).status, invitation_status::expired);
}

TEST_F(Invitations, AcceptingNeedsAnActiveTenantAndRolesThatStillExist) {
  const auto role =
      std::get<role_defined>(accept(define_role{org, "auditor", "", {"audit.read"}}).at(0))
          .id.value;
  const std::string id = sent(invite("bob@example.com", {"auditor"}));
  accept(delete_role{org, role});
  EXPECT_ERROR(when(by_user(id, bob)), "invitation_outdated");
  const std::string other = sent(invite("eve@example.com"));
  accept(change_tenant_lifecycle{org, lifecycle_action::suspend, "", std::nullopt});
  EXPECT_ERROR(when(by_token(other, "hash-eve@example.com", invitee_account{"", "pw"})),
               "tenant_not_active");
  EXPECT_ERROR(when(revoke_invitation{other, std::nullopt}), "tenant_not_active");
  // Declining stays possible.
  EXPECT_TRUE(
      when(by_token(other, "hash-eve@example.com", std::nullopt, invitation_reply::decline)));
}

TEST_F(Invitations, AnInvitationInADeletedTenantIsHiddenWithIt) {
  const std::string id = sent(invite("bob@example.com"));
  accept(delete_tenant{org, true, std::nullopt});
  EXPECT_ERROR(when(by_user(id, bob)), "not_found");
  EXPECT_EQ(when(revoke_invitation{id, std::nullopt}).error().details["resource"], "invitation");
}

// ---- the writer's guard of invitations -------------------------------------------------------

class InvitationGuard : public Invitations {
 protected:
  result<void> as(const std::string& user, const command_authorization& a, const command& cmd) {
    command_authorization check = a;
    check.user_id = user;
    return model.authorize({check}, cmd, ctx.now);
  }
  static command_authorization on_tenant(const std::string& permission, const std::string& t) {
    return command_authorization{"", {}, permission, t};
  }
  static command_authorization on_invitation(const std::string& permission, const std::string& id,
                                             object_party party) {
    command_authorization a{"", {}, permission, std::nullopt};
    a.object_kind = "invitation";
    a.object_ref = id;
    a.party = party;
    return a;
  }
};

TEST_F(InvitationGuard, NobodyInvitesWithMoreThanItHolds) {
  const auto inviter =
      std::get<role_defined>(
          accept(define_role{org, "inviter", "", {"invitation.manage", "tenant.read", "site.read"}})
              .at(0))
          .id.value;
  accept(add_member{org, ada, {inviter}});
  const auto check = on_tenant("invitation.manage", org);
  EXPECT_TRUE(as(ada, check, invite("eve@example.com", {"viewer"}, {"site.read"})));
  EXPECT_ERROR(as(ada, check, invite("eve@example.com", {"tenant_admin"})), "permission_denied");
  EXPECT_ERROR(as(ada, check, invite("eve@example.com", {"viewer"}, {"site.manage"})),
               "permission_denied");
  // The default role, member, holds every read: more than this inviter holds.
  EXPECT_ERROR(as(ada, check, invite("eve@example.com", {"member"})), "permission_denied");
  // Without invitation.manage: 403 where it may read the tenant, 404 elsewhere.
  EXPECT_ERROR(as(bob, check, invite("eve@example.com")), "not_found");
  accept(add_member{org, bob, {"viewer"}});
  EXPECT_ERROR(as(bob, check, invite("eve@example.com")), "permission_denied");
}

TEST_F(InvitationGuard, OnlyTheInviteeAnswersOthersLearnAsMuchAsTheyMaySee) {
  const std::string id = sent(invite("bob@example.com"));
  const auto only = on_invitation("", id, object_party::only);
  EXPECT_TRUE(as(bob, only, by_user(id, bob)));
  const std::string eve = user("eve@example.com");
  EXPECT_ERROR(as(eve, only, by_user(id, eve)), "not_found");
  auto hidden = as(eve, only, by_user(id, eve));
  EXPECT_EQ(hidden.error().details["resource"], "invitation");
  accept(add_member{org, eve, {"member"}});  // may read the tenant's invitations now
  EXPECT_ERROR(as(eve, only, by_user(id, eve)), "permission_denied");
  // A platform role sees every invitation but answers none of them (the writer honours only
  // platform roles the user holds in the write model).
  const std::string sue =
      std::get<user_registered>(
          accept(register_user{"sue@example.com", "", "h", {"super_admin"}}).at(0))
          .id.value;
  command_authorization super = only;
  super.platform_roles = {"super_admin"};
  EXPECT_ERROR(as(sue, super, by_user(id, sue)), "permission_denied");
}

TEST_F(InvitationGuard, TheInviteeSeesItsInvitationButDoesNotRevokeIt) {
  const std::string id = sent(invite("bob@example.com"));
  const auto manage = on_invitation("invitation.manage", id, object_party::none);
  EXPECT_ERROR(as(bob, manage, revoke_invitation{id, std::nullopt}), "permission_denied");
  const std::string eve = user("eve@example.com");
  EXPECT_ERROR(as(eve, manage, revoke_invitation{id, std::nullopt}), "not_found");
  accept(add_member{org, eve, {"tenant_admin"}});
  EXPECT_TRUE(as(eve, manage, revoke_invitation{id, std::nullopt}));
}

}  // namespace
}  // namespace tenantry::testing
