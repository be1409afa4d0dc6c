// Members, roles, role assignments and the authorization check over HTTP, and how they
// open and close the tenant routes.

#include "e2e_fixture.hpp"

namespace tenantry::testing {
namespace {

class Access : public e2e_test {
 protected:
  nlohmann::json add_member(const std::string& tenant, const std::string& user,
                            nlohmann::json roles) {
    return made(client().post("/v1/tenants/" + tenant + "/members",
                              {{"user", user}, {"roles", std::move(roles)}}, admin));
  }
};

TEST_F(Access, ATenantAdminManagesItsSubtreeAndSeesNothingElse) {
  auto org = create_tenant(unique("Org A"));
  auto child = create_tenant(unique("Child"), id(org));
  auto other = create_tenant(unique("Org B"));
  auto ada = make_user("ada");
  add_member(id(org), ada.id, {"tenant_admin"});

  EXPECT_EQ(client().get("/v1/tenants/" + id(org), ada.token).status, 200u);
  EXPECT_EQ(client().get("/v1/tenants/" + id(child), ada.token).status, 200u);
  EXPECT_EQ(client().get("/v1/tenants/" + id(other), ada.token).status, 404u);
  EXPECT_EQ(client().patch("/v1/tenants/" + id(other), {{"name", "x"}}, ada.token).status, 404u);
  auto list = client().get("/v1/tenants?page_size=200", ada.token).json();
  EXPECT_EQ(list["count"], 2);
  // Below its organization it creates, renames and deletes; a root it may not create.
  auto made = client().post("/v1/tenants", {{"name", "Made"}, {"parent", id(child)}}, ada.token);
  ASSERT_EQ(made.status, 201u) << made.body;
  EXPECT_EQ(client().post("/v1/tenants", {{"name", "Root"}}, ada.token).status, 403u);
  EXPECT_EQ(
      client().post("/v1/tenants", {{"name", "In B"}, {"parent", id(other)}}, ada.token).status,
      404u);
  auto renamed = client().patch("/v1/tenants/" + id(made.json()), {{"name", "Renamed"}}, ada.token);
  EXPECT_EQ(renamed.status, 200u) << renamed.body;
  // Lifecycle belongs to platform roles: it sees the tenant, so 403.
  EXPECT_EQ(client().post("/v1/tenants/" + id(child) + "/suspend", nullptr, ada.token).status,
            403u);
  // Moving into another organization needs tenant.create_child there.
  EXPECT_EQ(
      client()
          .post("/v1/tenants/" + id(made.json()) + "/move", {{"parent", id(other)}}, ada.token)
          .status,
      404u);
  EXPECT_EQ(client().del("/v1/tenants/" + id(made.json()), ada.token).status, 204u);
}

TEST_F(Access, AChildAdminDoesNotSeeItsOrganization) {
  auto org = create_tenant(unique("Org"));
  auto child = create_tenant(unique("Child"), id(org));
  auto bea = make_user("bea");
  add_member(id(child), bea.id, {"tenant_admin"});
  EXPECT_EQ(client().get("/v1/tenants/" + id(org), bea.token).status, 404u);
  EXPECT_EQ(client().get("/v1/tenants/" + id(child), bea.token).status, 200u);
  auto ancestors = client().get("/v1/tenants/" + id(child) + "/ancestors", bea.token).json();
  EXPECT_EQ(ancestors["count"], 0) << ancestors;
  EXPECT_EQ(client().get("/v1/tenants/" + id(org) + "/members", bea.token).status, 404u);
}

TEST_F(Access, TheCheckNeverTellsWhetherAnUnseenUserExists) {
  auto org = create_tenant(unique("Org"));
  auto other = create_tenant(unique("Other"));
  auto ida = make_user("ida");
  auto jon = make_user("jon");
  add_member(id(org), ida.id, {"tenant_admin"});
  add_member(id(other), jon.id, {"member"});
  const std::string base =
      "/v1/authz/check?permission=tenant.read&object_id=" + id(org) + "&principal=";
  // Jon has an account but only in another organization: the same 404 as nobody at all.
  auto unseen = client().get(base + jon.email, ida.token);
  auto missing = client().get(base + "nobody-" + jon.email, ida.token);
  EXPECT_EQ(unseen.status, 404u) << unseen.body;
  EXPECT_EQ(resource(unseen), "user");
  EXPECT_EQ(missing.status, 404u) << missing.body;
  EXPECT_EQ(error_of(unseen), error_of(missing));
  EXPECT_EQ(client().get(base + jon.id, ida.token).status, 404u);
  // Once he is a member of her organization she sees him, and the check answers.
  add_member(id(org), jon.id, {"viewer"});
  auto seen = client().get(base + jon.email, ida.token);
  ASSERT_EQ(seen.status, 200u) << seen.body;
  EXPECT_EQ(seen.json()["allowed"], true);
}

TEST_F(Access, AViewerReadsAndIsRefusedChanges) {
  auto org = create_tenant(unique("Viewed"));
  auto cy = make_user("cy");
  add_member(id(org), cy.email, {"viewer"});
  EXPECT_EQ(client().get("/v1/tenants/" + id(org), cy.token).status, 200u);
  auto refused = client().patch("/v1/tenants/" + id(org), {{"name", "x"}}, cy.token);
  EXPECT_EQ(refused.status, 403u);
  EXPECT_EQ(refused.json()["error"], "permission_denied");
  // viewer holds tenant.read only: members are hidden, and that is a 403 (it sees the tenant).
  EXPECT_EQ(client().get("/v1/tenants/" + id(org) + "/members", cy.token).status, 403u);
}

TEST_F(Access, CustomRolesAssignmentsAndTheCheckThatExplains) {
  auto org = create_tenant(unique("Roles"));
  auto child = create_tenant(unique("Below"), id(org));
  auto dan = make_user("dan");
  auto role =
      client().post("/v1/tenants/" + id(org) + "/roles",
                    {{"name", "auditor"}, {"permissions", {"audit.read", "tenant.read"}}}, admin);
  ASSERT_EQ(role.status, 201u) << role.body;
  EXPECT_EQ(role.json()["is_builtin"], false);
  settle(role);
  auto roles = client().get("/v1/tenants/" + id(child) + "/roles", admin).json();
  EXPECT_EQ(roles["count"], 4);  // three built-in, one inherited
  auto bad = client().post("/v1/tenants/" + id(org) + "/roles",
                           {{"name", "x"}, {"permissions", {"warp.drive"}}}, admin);
  EXPECT_EQ(bad.status, 400u);

  auto assigned = client().post(
      "/v1/tenants/" + id(org) + "/role-assignments",
      {{"principal", {{"type", "user"}, {"id", dan.id}}}, {"role", "auditor"}}, admin);
  ASSERT_EQ(assigned.status, 201u) << assigned.body;
  EXPECT_EQ(assigned.json()["status"], "active");
  settle(assigned);
  EXPECT_EQ(client().get("/v1/tenants/" + id(child), dan.token).status, 200u);

  auto check = client().get("/v1/authz/check?permission=audit.read&object_type=tenant&object_id=" +
                                id(child) + "&principal=" + dan.id,
                            admin);
  ASSERT_EQ(check.status, 200u) << check.body;
  EXPECT_EQ(check.json()["allowed"], true);
  EXPECT_EQ(check.json()["because"][0]["role"], "auditor");
  EXPECT_EQ(check.json()["because"][0]["tenant_id"], id(org));
  EXPECT_EQ(check.json()["because"][0]["inherited"], true);
  auto own =
      client().get("/v1/authz/check?permission=tenant.update&object_id=" + id(org), dan.token);
  EXPECT_EQ(own.json()["allowed"], false);
  // Another principal's access: only with role.read there (auditor has tenant.read only).
  auto others = client().get("/v1/authz/check?permission=tenant.read&object_id=" + id(org) +
                                 "&principal=" + server_process::admin_email,
                             dan.token);
  EXPECT_EQ(others.status, 403u) << others.body;

  EXPECT_EQ(client().del("/v1/tenants/" + id(org) + "/roles/" + id(role.json()), admin).status,
            409u);
  auto revoked = client().post(
      "/v1/tenants/" + id(org) + "/role-assignments/" + id(assigned.json()) + "/revoke", nullptr,
      admin);
  EXPECT_EQ(revoked.status, 200u);
  EXPECT_EQ(revoked.json()["status"], "revoked");
  settle(revoked);
  EXPECT_EQ(client().get("/v1/tenants/" + id(child), dan.token).status, 404u);
  EXPECT_EQ(client().del("/v1/tenants/" + id(org) + "/roles/" + id(role.json()), admin).status,
            204u);
}

TEST_F(Access, MembersCannotHandOutMoreThanTheyHold) {
  auto org = create_tenant(unique("Delegated"));
  auto eve = make_user("eve");
  auto fay = make_user("fay");
  auto role = client().post(
      "/v1/tenants/" + id(org) + "/roles",
      {{"name", "helper"}, {"permissions", {"tenant.read", "member.read", "member.manage"}}},
      admin);
  ASSERT_EQ(role.status, 201u);
  settle(role);
  add_member(id(org), eve.id, {"helper"});
  auto too_much = client().post("/v1/tenants/" + id(org) + "/members",
                                {{"user", fay.id}, {"roles", {"tenant_admin"}}}, eve.token);
  EXPECT_EQ(too_much.status, 403u) << too_much.body;
  auto fine = client().post("/v1/tenants/" + id(org) + "/members",
                            {{"user", fay.id}, {"roles", {"viewer"}}}, eve.token);
  EXPECT_EQ(fine.status, 201u) << fine.body;
  settle(fine);
  // eve may read the members of org, so she sees fay; fay (viewer) does not see eve.
  EXPECT_EQ(client().get("/v1/users/" + fay.id, eve.token).status, 200u);
  EXPECT_EQ(client().get("/v1/users/" + eve.id, fay.token).status, 404u);
  auto members = client().get("/v1/tenants/" + id(org) + "/members", eve.token).json();
  EXPECT_EQ(members["count"], 2);
  auto member = client().get("/v1/tenants/" + id(org) + "/members/" + fay.email, eve.token);
  ASSERT_EQ(member.status, 200u) << member.body;
  EXPECT_EQ(member.json()["roles"][0]["name"], "viewer");
}

TEST_F(Access, MembersKeepATenantFromADeleteAndComeBackWithItsRestore) {
  auto org = create_tenant(unique("Populated"));
  auto gus = make_user("gus");
  add_member(id(org), gus.id, {"member"});
  auto refused = client().del("/v1/tenants/" + id(org), admin);
  EXPECT_EQ(refused.status, 409u);
  EXPECT_EQ(refused.json()["error"], "tenant_not_empty");
  auto gone = client().del("/v1/tenants/" + id(org) + "?recursive=true", admin);
  EXPECT_EQ(gone.status, 204u);
  settle(gone);
  EXPECT_EQ(client().get("/v1/tenants/" + id(org), gus.token).status, 404u);
  // Everything inside a deleted tenant is gone with it, for platform roles too.
  auto members_gone = client().get("/v1/tenants/" + id(org) + "/members", admin);
  EXPECT_EQ(members_gone.status, 404u);
  EXPECT_EQ(members_gone.json()["details"]["resource"], "tenant");
  auto back = client().post("/v1/tenants/" + id(org) + "/restore", nullptr, admin);
  ASSERT_EQ(back.status, 200u) << back.body;
  settle(back);
  EXPECT_EQ(client().get("/v1/tenants/" + id(org), gus.token).status, 200u);
  EXPECT_EQ(client().get("/v1/tenants/" + id(org) + "/members", admin).json()["count"], 1);
}

// A deleted user's membership is hidden, so it does not keep its tenant from a delete; the
// user's restore leaves it hidden with the tenant, the tenant's restore brings it back.
TEST_F(Access, ADeletedUsersMembershipDoesNotKeepItsTenant) {
  auto org = create_tenant(unique("Emptied"));
  auto hal = make_user("hal");
  add_member(id(org), hal.id, {"member"});
  const std::string tenant = "/v1/tenants/" + id(org);
  EXPECT_EQ(client().del(tenant, admin).json()["error"], "tenant_not_empty");
  auto left = client().del("/v1/users/" + hal.id, admin);
  ASSERT_EQ(left.status, 204u) << left.body;
  auto gone = client().del(tenant, admin);
  ASSERT_EQ(gone.status, 204u) << gone.body;
  auto back = client().post("/v1/users/" + hal.id + "/restore", nullptr, admin);
  ASSERT_EQ(back.status, 200u) << back.body;
  settle(back);
  const std::string hal_token = login(hal.email, "password-of-hal");
  EXPECT_EQ(client().get(tenant, hal_token).status, 404u);
  EXPECT_EQ(client().get(tenant + "/members", admin).status, 404u);
  EXPECT_EQ(client().get("/v1/users?organization=" + id(org), admin).status, 404u);
  auto restored = client().post(tenant + "/restore", nullptr, admin);
  ASSERT_EQ(restored.status, 200u) << restored.body;
  settle(restored);
  EXPECT_EQ(client().get(tenant, hal_token).status, 200u);
  auto members = client().get(tenant + "/members", admin).json();
  ASSERT_EQ(members["count"], 1) << members.dump();
  EXPECT_EQ(members["results"][0]["user"]["id"], hal.id);
  EXPECT_EQ(client().del(tenant, admin).json()["error"], "tenant_not_empty");
}

TEST_F(Access, BadAccessInputIsA4xxWithACode) {
  auto org = create_tenant(unique("Inputs"));
  const std::string base = "/v1/tenants/" + id(org);
  auto no_principal = client().post(base + "/role-assignments", {{"role", "viewer"}}, admin);
  EXPECT_EQ(no_principal.status, 400u);
  EXPECT_TRUE(no_principal.json()["details"].contains("principal"));
  auto past = client().post(base + "/role-assignments",
                            {{"principal", {{"type", "user"}, {"id", server_process::admin_email}}},
                             {"role", "viewer"},
                             {"expires_at", "2001-01-01T00:00:00.000Z"}},
                            admin);
  EXPECT_EQ(past.status, 400u) << past.body;
  auto nobody = client().post(base + "/members", {{"user", "nobody@example.com"}}, admin);
  EXPECT_EQ(nobody.status, 404u);
  EXPECT_EQ(nobody.json()["details"]["resource"], "user");
  auto null_roles = client().patch(base + "/members/" + std::string(server_process::admin_email),
                                   {{"roles", nullptr}}, admin);
  EXPECT_EQ(null_roles.status, 400u) << null_roles.body;
  auto null_permissions =
      client().post(base + "/roles", {{"name", "empty"}, {"permissions", nullptr}}, admin);
  EXPECT_EQ(null_permissions.status, 400u) << null_permissions.body;
  EXPECT_TRUE(null_permissions.json()["details"].contains("permissions"));
  auto check = client().get("/v1/authz/check?permission=warp.drive&object_id=" + id(org), admin);
  EXPECT_EQ(check.status, 400u);
  EXPECT_EQ(client().get("/v1/permissions", admin).json()["count"], 21);
}

}  // namespace
}  // namespace tenantry::testing
