// Groups, their members, roles assigned to groups, object permission grants and the
// object guard over HTTP: every route, its errors, access through a group (inherited down
// the hierarchy), and revocations that take effect at once for writes.

#include "e2e_fixture.hpp"

namespace tenantry::testing {
namespace {

using nlohmann::json;

class Groups : public e2e_test {
 protected:
  json group(const std::string& tenant, const std::string& name) {
    const std::string at = tenant.empty() ? "/v1/groups" : "/v1/tenants/" + tenant + "/groups";
    return made(client().post(at, {{"name", name}}, admin));
  }

  void join(const std::string& group, const std::string& user) {
    made(client().post("/v1/groups/" + group + "/members", {{"user", user}}, admin));
  }

  json assign_to_group(const std::string& tenant, const std::string& group,
                       const std::string& role) {
    return made(client().post("/v1/tenants/" + tenant + "/role-assignments",
                              {{"principal", {{"type", "group"}, {"id", group}}}, {"role", role}},
                              admin));
  }

  json grant(const json& principal, const std::string& permission, const json& object,
             const std::string& token) {
    return made(client().post(
        "/v1/permissions/grants",
        {{"principal", principal}, {"permission", permission}, {"object", object}}, token));
  }
};

TEST_F(Groups, TenantAndPlatformGroupsAreCreatedReadChangedAndDeleted) {
  auto org = create_tenant(unique("Grouped"));
  const std::string name = unique("Editors");
  auto created = client().post("/v1/tenants/" + id(org) + "/groups",
                               {{"name", name}, {"description", "They edit"}, {"id", "x"}}, admin,
                               {{"Idempotency-Key", name}});
  ASSERT_EQ(created.status, 201u) << created.body;
  const json g = created.json();
  EXPECT_EQ(g["tenant_id"], id(org));
  EXPECT_EQ(g["scope"], "tenant");
  EXPECT_EQ(g["member_count"], 0);
  EXPECT_EQ(created.header("ETag"), "\"1\"");
  auto replayed = client().post("/v1/tenants/" + id(org) + "/groups",
                                {{"name", name}, {"description", "They edit"}, {"id", "x"}}, admin,
                                {{"Idempotency-Key", name}});
  EXPECT_EQ(replayed.header("Idempotent-Replayed"), "true");
  EXPECT_EQ(replayed.json()["id"], g["id"]);
  settle(created);
  const std::string slug = g["slug"];
  auto read = client().get("/v1/groups/" + slug, admin);
  ASSERT_EQ(read.status, 200u) << read.body;
  EXPECT_EQ(read.json()["id"], g["id"]);
  EXPECT_EQ(read.header("ETag"), "\"1\"");
  auto listed = client().get("/v1/tenants/" + id(org) + "/groups?search=" + slug, admin).json();
  EXPECT_EQ(listed["count"], 1);

  EXPECT_EQ(
      client().post("/v1/tenants/" + id(org) + "/groups", {{"name", name}}, admin).json()["error"],
      "group_name_taken");
  EXPECT_EQ(client()
                .post("/v1/tenants/" + id(org) + "/groups", {{"name", "x"}, {"slug", slug}}, admin)
                .json()["error"],
            "slug_taken");
  EXPECT_EQ(client().post("/v1/tenants/" + id(org) + "/groups", {{"name", 7}}, admin).status, 400u);
  auto stale =
      client().patch("/v1/groups/" + slug, {{"name", "x"}}, admin, {{"If-Match", "\"9\""}});
  EXPECT_EQ(stale.status, 412u);
  auto patched = client().patch("/v1/groups/" + slug, {{"description", "Edits"}}, admin,
                                {{"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200u) << patched.body;
  EXPECT_EQ(patched.json()["name"], name);
  EXPECT_EQ(patched.json()["version"], 2);
  auto put = client().request("PUT", "/v1/groups/" + id(g), json{{"name", name + " 2"}}.dump(),
                              {{"Authorization", "Bearer " + admin}});
  ASSERT_EQ(put.status, 200u) << put.body;
  EXPECT_EQ(put.json()["description"], "");  // a PUT replaces it
  auto no_name = client().request("PUT", "/v1/groups/" + id(g), json{{"slug", "x"}}.dump(),
                                  {{"Authorization", "Bearer " + admin}});
  EXPECT_EQ(no_name.status, 400u);

  auto platform = group("", unique("Staff"));
  EXPECT_EQ(platform["tenant_id"], nullptr);
  EXPECT_EQ(platform["scope"], "platform");
  auto platform_list =
      client().get("/v1/groups?page_size=200&search=" + platform["slug"].get<std::string>(), admin);
  EXPECT_EQ(platform_list.json()["count"], 1) << platform_list.body;
  EXPECT_EQ(client().get("/v1/groups?ordering=size", admin).status, 400u);

  auto gone = client().del("/v1/groups/" + id(g), admin);
  EXPECT_EQ(gone.status, 204u);
  settle(gone);
  auto missing = client().get("/v1/groups/" + id(g), admin);
  EXPECT_EQ(missing.status, 404u);
  EXPECT_EQ(resource(missing), "group");
  EXPECT_EQ(resource(client().del("/v1/groups/" + id(g), admin)), "group");
}

TEST_F(Groups, MembersJoinAndLeave) {
  auto org = create_tenant(unique("Members"));
  auto g = group(id(org), unique("Team"));
  auto ada = make_user("ada");
  auto joined = client().post("/v1/groups/" + id(g) + "/members", {{"user", ada.email}}, admin);
  ASSERT_EQ(joined.status, 201u) << joined.body;
  EXPECT_EQ(joined.json()["user"]["id"], ada.id);
  settle(joined);
  EXPECT_EQ(
      client().post("/v1/groups/" + id(g) + "/members", {{"user", ada.id}}, admin).json()["error"],
      "already_member");
  auto nobody =
      client().post("/v1/groups/" + id(g) + "/members", {{"user", "nobody@example.com"}}, admin);
  EXPECT_EQ(nobody.status, 404u);
  EXPECT_EQ(resource(nobody), "user");
  auto members = client().get("/v1/groups/" + id(g) + "/members", admin).json();
  ASSERT_EQ(members["count"], 1);
  EXPECT_EQ(members["results"][0]["user"]["email"], ada.email);
  EXPECT_EQ(client().get("/v1/groups/" + id(g), admin).json()["member_count"], 1);
  auto left = client().del("/v1/groups/" + id(g) + "/members/" + ada.email, admin);
  EXPECT_EQ(left.status, 204u);
  auto again = client().del("/v1/groups/" + id(g) + "/members/" + ada.id, admin);
  EXPECT_EQ(again.status, 404u);
  EXPECT_EQ(resource(again), "group_member");
}

TEST_F(Groups, ARoleAssignedToAGroupHoldsForItsMembersDownTheHierarchy) {
  auto org = create_tenant(unique("Holding"));
  auto child = create_tenant(unique("Sub"), id(org));
  auto g = group(id(org), unique("Admins"));
  auto eve = make_user("eve");
  join(id(g), eve.id);
  EXPECT_EQ(client().get("/v1/tenants/" + id(child), eve.token).status, 404u);
  auto assigned = assign_to_group(id(org), g["slug"], "tenant_admin");
  EXPECT_EQ(assigned["principal"]["type"], "group");
  EXPECT_EQ(assigned["principal"]["id"], id(g));
  // Inherited: held on the organization, it opens the child.
  EXPECT_EQ(client().get("/v1/tenants/" + id(child), eve.token).status, 200u);
  auto renamed = client().patch("/v1/tenants/" + id(child), {{"name", "Renamed"}}, eve.token);
  EXPECT_EQ(renamed.status, 200u) << renamed.body;
  auto check =
      client().get("/v1/authz/check?permission=tenant.update&object_id=" + id(child), eve.token);
  ASSERT_EQ(check.status, 200u) << check.body;
  EXPECT_EQ(check.json()["allowed"], true);
  EXPECT_EQ(check.json()["because"][0]["group_id"], id(g));
  EXPECT_EQ(check.json()["because"][0]["inherited"], true);
  // A group of another organization cannot hold roles here.
  auto stranger = group(id(create_tenant(unique("Elsewhere"))), unique("Strangers"));
  auto refused = client().post(
      "/v1/tenants/" + id(org) + "/role-assignments",
      {{"principal", {{"type", "group"}, {"id", id(stranger)}}}, {"role", "viewer"}}, admin);
  EXPECT_EQ(refused.status, 404u);
  EXPECT_EQ(resource(refused), "group");
  // Leaving the group takes the access away at once: the very next write is judged on it.
  EXPECT_EQ(client().del("/v1/groups/" + id(g) + "/members/" + eve.id, admin).status, 204u);
  EXPECT_EQ(client().patch("/v1/tenants/" + id(child), {{"name", "Again"}}, eve.token).status,
            404u);
}

TEST_F(Groups, DeletingAGroupEndsItsAccessAtOnce) {
  auto org = create_tenant(unique("Dissolved"));
  auto g = group(id(org), unique("Admins"));
  auto fay = make_user("fay");
  join(id(g), fay.id);
  assign_to_group(id(org), id(g), "tenant_admin");
  EXPECT_EQ(client().patch("/v1/tenants/" + id(org), {{"name", "A"}}, fay.token).status, 200u);
  auto gone = client().del("/v1/groups/" + id(g), admin);
  EXPECT_EQ(gone.status, 204u);
  EXPECT_EQ(client().patch("/v1/tenants/" + id(org), {{"name", "B"}}, fay.token).status, 404u);
  // Its role assignment was revoked in the same transaction.
  settle(gone);
  auto revoked =
      client().get("/v1/tenants/" + id(org) + "/role-assignments?include_revoked=true", admin);
  ASSERT_EQ(revoked.json()["count"], 1) << revoked.body;
  EXPECT_EQ(revoked.json()["results"][0]["status"], "revoked");
}

TEST_F(Groups, HiddenGroupsAre404AndVisibleOnes403) {
  auto org = create_tenant(unique("Visible"));
  auto g = group(id(org), unique("Crew"));
  auto staff = group("", unique("Staff"));
  auto viewer = make_user("viewer");
  auto member = make_user("member");
  auto outsider = make_user("outsider");
  made(client().post("/v1/tenants/" + id(org) + "/members",
                     {{"user", viewer.id}, {"roles", {"viewer"}}}, admin));
  made(client().post("/v1/tenants/" + id(org) + "/members",
                     {{"user", member.id}, {"roles", {"member"}}}, admin));
  for (const auto* who : {&viewer, &outsider}) {
    auto hidden = client().get("/v1/groups/" + id(g), who->token);
    EXPECT_EQ(hidden.status, 404u);
    EXPECT_EQ(resource(hidden), "group");
    EXPECT_EQ(resource(client().patch("/v1/groups/" + id(g), {{"name", "x"}}, who->token)),
              "group");
  }
  EXPECT_EQ(client().get("/v1/groups/" + id(g), member.token).status, 200u);
  EXPECT_EQ(client().get("/v1/groups/" + id(g) + "/members", member.token).status, 200u);
  auto forbidden = client().patch("/v1/groups/" + id(g), {{"name", "x"}}, member.token);
  EXPECT_EQ(forbidden.status, 403u);
  EXPECT_EQ(forbidden.json()["details"]["permission"], "group.manage");
  // Platform groups: for platform roles only.
  EXPECT_EQ(resource(client().get("/v1/groups/" + id(staff), member.token)), "group");
  EXPECT_EQ(client().get("/v1/groups", member.token).status, 403u);
  EXPECT_EQ(client().post("/v1/groups", {{"name", "x"}}, member.token).status, 403u);
}

TEST_F(Groups, ARecursiveDeleteTakesItsGroupsAndARestoreBringsThemBack) {
  auto org = create_tenant(unique("Restored"));
  auto child = create_tenant(unique("Inner"), id(org));
  auto g = group(id(child), unique("Inner crew"));
  auto gus = make_user("gus");
  join(id(g), gus.id);
  assign_to_group(id(child), id(g), "viewer");
  auto gone = client().del("/v1/tenants/" + id(org) + "?recursive=true", admin);
  ASSERT_EQ(gone.status, 204u);
  settle(gone);
  EXPECT_EQ(client().get("/v1/groups/" + id(g), admin).status, 404u);
  EXPECT_EQ(client().get("/v1/tenants/" + id(child), gus.token).status, 404u);
  auto back = client().post("/v1/tenants/" + id(org) + "/restore", nullptr, admin);
  ASSERT_EQ(back.status, 200u) << back.body;
  settle(back);
  EXPECT_EQ(client().get("/v1/groups/" + id(g), admin).json()["member_count"], 1);
  EXPECT_EQ(client().get("/v1/tenants/" + id(child), gus.token).status, 200u);
}

TEST_F(Groups, GrantsOnTenantsAndGroupsAreGivenListedCheckedAndRevoked) {
  auto org = create_tenant(unique("Granted"));
  auto child = create_tenant(unique("Below"), id(org));
  auto g = group(id(org), unique("Ops"));
  auto h = group(id(org), unique("Other ops"));
  auto hal = make_user("hal");
  const json hal_principal{{"type", "user"}, {"id", hal.email}};
  auto on_child =
      grant(hal_principal, "tenant.update", {{"type", "tenant"}, {"id", child["slug"]}}, admin);
  EXPECT_EQ(on_child["principal"]["id"], hal.id);
  EXPECT_EQ(on_child["object"]["id"], id(child));
  EXPECT_EQ(on_child["status"], "active");
  // tenant.update alone: it writes, but cannot read (404) where it may not see.
  EXPECT_EQ(client().patch("/v1/tenants/" + id(child), {{"name", "Hal's"}}, hal.token).status,
            200u);
  EXPECT_EQ(client().patch("/v1/tenants/" + id(org), {{"name", "x"}}, hal.token).status, 404u);
  auto check = client().get(
      "/v1/authz/check?permission=tenant.update&object_id=" + id(child) + "&principal=" + hal.id,
      admin);
  EXPECT_EQ(check.json()["because"][0]["kind"], "grant");
  EXPECT_EQ(check.json()["because"][0]["id"], id(on_child));

  auto on_group = grant(hal_principal, "group.manage", {{"type", "group"}, {"id", id(g)}}, admin);
  EXPECT_EQ(client().patch("/v1/groups/" + id(g), {{"description", "mine"}}, hal.token).status,
            200u);
  EXPECT_EQ(client().patch("/v1/groups/" + id(h), {{"description", "x"}}, hal.token).status, 404u);
  auto group_check = client().get(
      "/v1/authz/check?permission=group.manage&object_type=group"
      "&object_id=" +
          id(g) + "&principal=" + hal.id,
      admin);
  ASSERT_EQ(group_check.status, 200u) << group_check.body;
  EXPECT_EQ(group_check.json()["allowed"], true);
  EXPECT_EQ(group_check.json()["because"][0]["object"]["id"], id(g));
  EXPECT_EQ(group_check.json()["object"]["type"], "group");
  auto other_group = client().get(
      "/v1/authz/check?permission=group.manage&object_type=group"
      "&object_id=" +
          id(h) + "&principal=" + hal.id,
      admin);
  EXPECT_EQ(other_group.json()["allowed"], false);

  auto listed = client().get("/v1/permissions/grants?principal=" + hal.id, admin).json();
  EXPECT_EQ(listed["count"], 2);
  auto by_object =
      client().get("/v1/permissions/grants?object_type=group&object_id=" + id(g), admin).json();
  ASSERT_EQ(by_object["count"], 1);
  EXPECT_EQ(by_object["results"][0]["id"], id(on_group));
  EXPECT_EQ(client().get("/v1/permissions/grants?object_type=group", admin).status, 400u);
  EXPECT_EQ(client().get("/v1/permissions/grants", hal.token).json()["count"], 0);

  EXPECT_EQ(client()
                .post("/v1/permissions/grants",
                      {{"principal", hal_principal},
                       {"permission", "group.manage"},
                       {"object", {{"type", "group"}, {"id", id(g)}}}},
                      admin)
                .json()["error"],
            "already_granted");
  // Revoked: the next write is refused at once.
  EXPECT_EQ(client().del("/v1/permissions/grants/" + id(on_group), admin).status, 204u);
  EXPECT_EQ(client().patch("/v1/groups/" + id(g), {{"description", "x"}}, hal.token).status, 404u);
  EXPECT_EQ(client().del("/v1/permissions/grants/" + id(on_group), admin).json()["error"],
            "invalid_state_transition");
  auto unknown = client().del("/v1/permissions/grants/" + std::string(id(org)), admin);
  EXPECT_EQ(resource(unknown), "grant");
}

// GET /v1/authz/check for a group: what its role assignments and grants give it, named;
// a group the caller may not see (member.read where it lives) is 404 naming the group.
TEST_F(Groups, TheCheckAnswersForAGroupToWhoMaySeeIt) {
  auto org = create_tenant(unique("Checked"));
  auto child = create_tenant(unique("Checked child"), id(org));
  auto elsewhere = create_tenant(unique("Checked elsewhere"));
  auto g = group(id(org), unique("Readers"));
  auto h = group(id(org), unique("Managed"));
  assign_to_group(id(org), id(g), "viewer");
  grant({{"type", "group"}, {"id", id(g)}}, "group.manage", {{"type", "group"}, {"id", id(h)}},
        admin);
  const std::string base = "/v1/authz/check?principal_type=group&principal=";
  auto check = [&](const std::string& query, const std::string& token) {
    return client().get(base + query, token);
  };
  auto read_child =
      check(g["slug"].get<std::string>() + "&permission=tenant.read&object_id=" + id(child), admin);
  ASSERT_EQ(read_child.status, 200u) << read_child.body;
  const json why = read_child.json();
  EXPECT_EQ(why["allowed"], true);
  EXPECT_EQ(why["principal"], json({{"type", "group"}, {"id", id(g)}}));
  EXPECT_EQ(why["because"][0]["kind"], "role_assignment");
  EXPECT_EQ(why["because"][0]["role"], "viewer");
  EXPECT_EQ(why["because"][0]["group_id"], id(g));
  EXPECT_EQ(why["because"][0]["inherited"], true);
  auto update = check(id(g) + "&permission=tenant.update&object_id=" + id(child), admin).json();
  EXPECT_EQ(update["allowed"], false);
  EXPECT_EQ(update["because"], json::array());
  auto on_h =
      check(id(g) + "&permission=group.manage&object_type=group&object_id=" + id(h), admin).json();
  EXPECT_EQ(on_h["allowed"], true);
  EXPECT_EQ(on_h["because"][0]["kind"], "grant");
  EXPECT_EQ(
      check(id(g) + "&permission=tenant.read&object_id=" + id(elsewhere), admin).json()["allowed"],
      false);
  EXPECT_EQ(check(id(g) + "&permission=tenant.read&object_type=platform", admin).json()["allowed"],
            false);  // a group holds no platform role

  // member.read and role.read on the organization: it may ask. tenant.read only, or
  // nothing there: the group is hidden, before the object.
  auto reader = make_user("reader");
  made(client().post("/v1/tenants/" + id(org) + "/members",
                     {{"user", reader.id}, {"roles", {"member"}}}, admin));
  auto viewer = make_user("viewer");
  made(client().post("/v1/tenants/" + id(org) + "/members",
                     {{"user", viewer.id}, {"roles", {"viewer"}}}, admin));
  auto outsider = make_user("outsider");
  made(client().post("/v1/tenants/" + id(elsewhere) + "/members",
                     {{"user", outsider.id}, {"roles", {"tenant_admin"}}}, admin));
  const std::string on_child = id(g) + "&permission=tenant.read&object_id=" + id(child);
  EXPECT_EQ(check(on_child, reader.token).json()["allowed"], true);
  for (const std::string& token : {viewer.token, outsider.token}) {
    auto hidden = check(on_child, token);
    EXPECT_EQ(hidden.status, 404u) << hidden.body;
    EXPECT_EQ(resource(hidden), "group");
  }
  auto outside = check(id(g) + "&permission=tenant.read&object_id=" + id(elsewhere), reader.token);
  EXPECT_EQ(resource(outside), "tenant");
  EXPECT_EQ(resource(check("no-such-group&permission=tenant.read&object_id=" + id(org), admin)),
            "group");
  auto missing = client().get(
      "/v1/authz/check?principal_type=group&permission=tenant.read"
      "&object_id=" +
          id(org),
      admin);
  EXPECT_EQ(missing.status, 400u);
  EXPECT_TRUE(missing.json()["details"].contains("principal")) << missing.body;
  auto robot = client().get(
      "/v1/authz/check?principal_type=robot&principal=x"
      "&permission=tenant.read&object_id=" +
          id(org),
      admin);
  EXPECT_EQ(robot.status, 400u);
  EXPECT_TRUE(robot.json()["details"].contains("principal_type")) << robot.body;
  // A deleted group is gone for the check too.
  made(client().del("/v1/groups/" + id(g), admin), 204);
  EXPECT_EQ(resource(check(on_child, admin)), "group");
}

TEST_F(Groups, GrantsToGroupsAndTheHandOutRule) {
  auto org = create_tenant(unique("Delegating"));
  auto g = group(id(org), unique("Readers"));
  auto ivy = make_user("ivy");
  auto jo = make_user("jo");
  join(id(g), jo.id);
  grant({{"type", "group"}, {"id", id(g)}}, "member.read", {{"type", "tenant"}, {"id", id(org)}},
        admin);
  EXPECT_EQ(client().get("/v1/tenants/" + id(org) + "/members", jo.token).status, 200u);
  // ivy may assign roles but holds neither tenant.delete nor a way to hand it out.
  auto role = made(client().post(
      "/v1/tenants/" + id(org) + "/roles",
      {{"name", "assigner"}, {"permissions", {"tenant.read", "role.assign", "member.read"}}},
      admin));
  made(client().post("/v1/tenants/" + id(org) + "/members",
                     {{"user", ivy.id}, {"roles", {id(role)}}}, admin));
  auto too_much = client().post("/v1/permissions/grants",
                                {{"principal", {{"type", "user"}, {"id", jo.id}}},
                                 {"permission", "tenant.delete"},
                                 {"object", {{"type", "tenant"}, {"id", id(org)}}}},
                                ivy.token);
  EXPECT_EQ(too_much.status, 403u) << too_much.body;
  EXPECT_EQ(too_much.json()["details"]["permission"], "tenant.delete");
  auto fine = client().post("/v1/permissions/grants",
                            {{"principal", {{"type", "user"}, {"id", jo.id}}},
                             {"permission", "member.read"},
                             {"object", {{"type", "group"}, {"id", id(g)}}}},
                            ivy.token);
  EXPECT_EQ(fine.status, 201u) << fine.body;
}

TEST_F(Groups, ASuspendedTenantTakesNoGroupChanges) {
  auto org = create_tenant(unique("Paused"));
  auto g = group(id(org), unique("Idle"));
  made(client().post("/v1/tenants/" + id(org) + "/suspend", nullptr, admin), 200);
  auto create = client().post("/v1/tenants/" + id(org) + "/groups", {{"name", "x"}}, admin);
  EXPECT_EQ(create.status, 409u);
  EXPECT_EQ(create.json()["error"], "tenant_not_active");
  EXPECT_EQ(client().patch("/v1/groups/" + id(g), {{"name", "x"}}, admin).json()["error"],
            "tenant_not_active");
  auto granted =
      client().post("/v1/permissions/grants",
                    {{"principal", {{"type", "user"}, {"id", server_process::admin_email}}},
                     {"permission", "tenant.read"},
                     {"object", {{"type", "group"}, {"id", id(g)}}}},
                    admin);
  EXPECT_EQ(granted.json()["error"], "tenant_not_active");
  // Reads go on.
  EXPECT_EQ(client().get("/v1/groups/" + id(g), admin).status, 200u);
}

TEST_F(Groups, BadGroupAndGrantInputIsA4xxWithACode) {
  auto org = create_tenant(unique("Inputs"));
  const auto post = [&](const json& body) {
    return client().post("/v1/permissions/grants", body, admin);
  };
  const json user{{"type", "user"}, {"id", server_process::admin_email}};
  const json tenant{{"type", "tenant"}, {"id", id(org)}};
  EXPECT_EQ(post({{"principal", user}, {"permission", "warp.drive"}, {"object", tenant}}).status,
            400u);
  auto no_object = post({{"principal", user}, {"permission", "tenant.read"}});
  EXPECT_EQ(no_object.status, 400u);
  EXPECT_TRUE(no_object.json()["details"].contains("object"));
  EXPECT_EQ(post({{"principal", user},
                  {"permission", "tenant.read"},
                  {"object", {{"type", "grant"}, {"id", id(org)}}}})
                .status,
            400u);
  auto robot = post({{"principal", {{"type", "robot"}, {"id", "x"}}},
                     {"permission", "tenant.read"},
                     {"object", tenant}});
  EXPECT_EQ(robot.status, 400u);
  EXPECT_TRUE(robot.json()["details"].contains("principal.type"));
  auto missing_group = post({{"principal", user},
                             {"permission", "tenant.read"},
                             {"object", {{"type", "group"}, {"id", "no-such-group"}}}});
  EXPECT_EQ(missing_group.status, 404u);
  EXPECT_EQ(resource(missing_group), "group");
  auto missing_tenant = post({{"principal", user},
                              {"permission", "tenant.read"},
                              {"object", {{"type", "tenant"}, {"id", "no-such-tenant"}}}});
  EXPECT_EQ(resource(missing_tenant), "tenant");
  EXPECT_EQ(
      client()
          .request("POST", "/v1/permissions/grants", "{", {{"Authorization", "Bearer " + admin}})
          .json()["error"],
      "invalid_json");
  EXPECT_EQ(client().post("/v1/groups", {{"name", ""}}, admin).status, 400u);
  EXPECT_EQ(client().post("/v1/groups/no-such-group/members", {{"user", "x"}}, admin).status, 404u);
  EXPECT_EQ(
      client()
          .get("/v1/authz/check?permission=tenant.read&object_type=group&object_id=nothing", admin)
          .status,
      404u);
  EXPECT_EQ(client().get("/v1/permissions/grants?object_type=site&object_id=x", admin).status,
            400u);
}

}  // namespace
}  // namespace tenantry::testing
