// The invitations read model against the real PostgreSQL: rows from every invitation
// event (the token's hash only), the status as of a given time, the lists by tenant,
// invitee and status, the object guard's owner lookup with its party, and hiding with a
// deleted tenant.

#include <gtest/gtest.h>

#include "integration/projections/projection_fixture.hpp"
#include "projections/invitations/invitation_queries.hpp"
#include "projections/object_queries.hpp"

namespace tenantry::testing {
namespace {

using namespace std::chrono_literals;

class InvitationProjection : public ::testing::Test {
 protected:
  void SetUp() override {
    org = script.create("Org");
    child = script.create("Child", org);
    ann = script.register_user("ann@example.com", "Ann");
    role = new_uuid_v7();
    script.record(role, "role", role_defined{role_id{role}, tenant_id{org}, "auditor", "", {}});
    to_bob = send(child, "bob@example.com", {"viewer", role}, 2h);
    to_cid = send(org, "cid@example.com", {"member"}, 1h);
    project();
  }

  std::string send(const std::string& tenant, const std::string& email,
                   std::vector<std::string> roles, std::chrono::hours lifetime) {
    const std::string id = new_uuid_v7();
    script.record(id, "invitation",
                  invitation_sent{invitation_id{id},
                                  tenant_id{tenant},
                                  email,
                                  std::move(roles),
                                  {"site.read"},
                                  "hash-of-" + email,
                                  script.now() + lifetime,
                                  user_id{ann}});
    return id;
  }

  void project() {
    running_projector projector(log, schema.name());
    projector.await(script.last_offset());
  }

  invitation_page list(invitation_filter f, timestamp now) {
    f.now = now;
    return list_invitations(schema.conn(), f);
  }

  schema_under_test schema;
  memory_event_log log;
  event_script script{log};
  std::string org, child, ann, role, to_bob, to_cid;
};

TEST_F(InvitationProjection, ASentInvitationBecomesARowWithItsHashOnly) {
  const auto row = find_invitation(schema.conn(), to_bob, script.now());
  ASSERT_TRUE(row);
  EXPECT_EQ(row->tenant_id, child);
  EXPECT_EQ(row->invitee, "bob@example.com");
  EXPECT_EQ(row->roles, (std::vector<std::string>{"viewer", role}));
  EXPECT_EQ(row->role_names, (std::vector<std::string>{"viewer", "auditor"}));
  EXPECT_EQ(row->permissions, std::vector<std::string>{"site.read"});
  EXPECT_EQ(row->token_hash, "hash-of-bob@example.com");
  EXPECT_EQ(row->status, "pending");
  EXPECT_EQ(row->invited_by, ann);
  EXPECT_EQ(row->answered_by, std::nullopt);
  EXPECT_EQ(row->version, 1);
  EXPECT_EQ(find_invitation(schema.conn(), "not-an-id", script.now()), std::nullopt);
}

TEST_F(InvitationProjection, TheStatusIsTheOneAsOfTheGivenTime) {
  const timestamp expiry = find_invitation(schema.conn(), to_cid, script.now())->expires_at;
  EXPECT_EQ(find_invitation(schema.conn(), to_cid, expiry - 1ms)->status, "pending");
  EXPECT_EQ(find_invitation(schema.conn(), to_cid, expiry)->status, "expired");
  invitation_filter f;
  f.status = "expired";
  EXPECT_EQ(list(f, expiry).count, 1);
  f.status = "pending";
  EXPECT_EQ(list(f, expiry).rows.at(0).id, to_bob);
  // Recorded, it stays expired whatever the time.
  script.record(to_cid, "invitation", invitation_expired{invitation_id{to_cid}});
  project();
  const auto row = find_invitation(schema.conn(), to_cid, script.now() - 24h);
  EXPECT_EQ(row->status, "expired");
  EXPECT_EQ(row->version, 2);
}

TEST_F(InvitationProjection, AnswersAndRevocationsAreRecorded) {
  const std::string bob = script.register_user("bob@example.com", "Bob");
  script.record(to_bob, "invitation", invitation_accepted{invitation_id{to_bob}, user_id{bob}});
  script.record(to_cid, "invitation", invitation_declined{invitation_id{to_cid}, std::nullopt});
  const std::string to_dee = send(org, "dee@example.com", {}, 1h);
  script.record(to_dee, "invitation", invitation_revoked{invitation_id{to_dee}, "revoked"});
  project();
  const auto accepted = find_invitation(schema.conn(), to_bob, script.now());
  EXPECT_EQ(accepted->status, "accepted");
  EXPECT_EQ(accepted->answered_by, bob);
  EXPECT_TRUE(accepted->answered_at);
  const auto declined = find_invitation(schema.conn(), to_cid, script.now());
  EXPECT_EQ(declined->status, "declined");
  EXPECT_EQ(declined->answered_by, std::nullopt);
  EXPECT_EQ(find_invitation(schema.conn(), to_dee, script.now())->status, "revoked");
  invitation_filter f;
  f.tenant_id = org;
  f.newest_first = true;
  const auto of_org = list(f, script.now());
  ASSERT_EQ(of_org.count, 2);
  EXPECT_EQ(of_org.rows[0].id, to_dee);
  f = invitation_filter{};
  f.invitee = "bob@example.com";
  EXPECT_EQ(list(f, script.now()).rows.at(0).id, to_bob);
  EXPECT_EQ(schema.count("SELECT count(*) FROM invitations"), 3);
}

TEST_F(InvitationProjection, TheOwnerLookupNamesTheInviteeAsParty) {
  const auto owner = find_object_owner(schema.conn(), "invitation", to_bob);
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->path, (std::vector<std::string>{org, child}));
  EXPECT_EQ(owner->party, "bob@example.com");
  EXPECT_EQ(find_object_owner(schema.conn(), "group", org), std::nullopt);
  EXPECT_EQ(find_object_owner(schema.conn(), "tenant", org)->party, "");
}

TEST_F(InvitationProjection, ADeletedTenantHidesItsInvitationsUntilRestored) {
  const std::string deletion = new_uuid_v7();
  script.remove(child, deletion, child);
  project();
  EXPECT_EQ(find_invitation(schema.conn(), to_bob, script.now()), std::nullopt);
  EXPECT_EQ(find_object_owner(schema.conn(), "invitation", to_bob), std::nullopt);
  invitation_filter f;
  f.invitee = "bob@example.com";
  EXPECT_EQ(list(f, script.now()).count, 0);
  script.restore(child, deletion);
  project();
  EXPECT_TRUE(find_invitation(schema.conn(), to_bob, script.now()));
}

}  // namespace
}  // namespace tenantry::testing
