// The tenant routes over HTTP against a real tenantryd, Kafka and PostgreSQL.

#include <algorithm>
#include <map>
#include <tuple>
#include <vector>

#include "e2e_fixture.hpp"

namespace tenantry::testing {
namespace {

using Tenants = e2e_test;

TEST_F(Tenants, CreateAnswersTheTenantWithHeaders) {
  auto r =
      client().post("/v1/tenants", {{"name", "Acme Corporation"}, {"description", "d"}}, admin);
  ASSERT_EQ(r.status, 201u) << r.body;
  const auto t = r.json();
  EXPECT_EQ(t["slug"], "acme-corporation");
  EXPECT_EQ(t["level"], 1);
  EXPECT_EQ(t["status"], "active");
  EXPECT_EQ(t["effective_status"], "active");
  EXPECT_EQ(t["is_deleted"], false);
  EXPECT_EQ(t["version"], 1);
  EXPECT_TRUE(t["parent_id"].is_null());
  EXPECT_EQ(t["created_at"].get<std::string>().size(), 24u);
  EXPECT_EQ(r.header("ETag"), "\"1\"");
  EXPECT_FALSE(r.header("X-Consistency-Token").empty());
  EXPECT_EQ(r.header("Location"), "/v1/tenants/" + t["id"].get<std::string>());
}

TEST_F(Tenants, GeneratedSlugsAreNumberedAndExplicitTakenSlugIsConflict) {
  const std::string name = unique("Dup");
  auto first = create_tenant(name);
  auto second = create_tenant(name);
  EXPECT_EQ(second["slug"], first["slug"].get<std::string>() + "-2");
  auto taken = client().post("/v1/tenants", {{"name", "x"}, {"slug", first["slug"]}}, admin);
  EXPECT_EQ(taken.status, 409u);
  EXPECT_EQ(taken.json()["error"], "slug_taken");
}

TEST_F(Tenants, BadInputIsA4xxWithACode) {
  auto no_name = client().post("/v1/tenants", nlohmann::json::object(), admin);
  EXPECT_EQ(no_name.status, 400u);
  EXPECT_EQ(no_name.json()["error"], "validation_error");
  EXPECT_TRUE(no_name.json()["details"].contains("name"));
  auto broken =
      client().request("POST", "/v1/tenants", "{not json", {{"Authorization", "Bearer " + admin}});
  EXPECT_EQ(broken.status, 400u);
  EXPECT_EQ(broken.json()["error"], "invalid_json");
  auto form = client().request("POST", "/v1/tenants", "name=x",
                               {{"Authorization", "Bearer " + admin},
                                {"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(form.status, 415u);
  auto bad_slug = client().post("/v1/tenants", {{"name", "x"}, {"slug", "Not OK"}}, admin);
  EXPECT_EQ(bad_slug.status, 400u);
  auto wrong_type = client().post("/v1/tenants", {{"name", 42}}, admin);
  EXPECT_EQ(wrong_type.status, 400u);
  auto huge = client().request("POST", "/v1/tenants", std::string(2 * 1024 * 1024, ' '),
                               {{"Authorization", "Bearer " + admin}});
  EXPECT_EQ(huge.status, 413u);
  EXPECT_EQ(huge.json()["error"], "payload_too_large");
  // What a schema calls an integer is one, whichever alias carries it; an If-Match sent
  // empty is not a version; a 405 lists each method once.
  for (const char* query :
       {"?limit=false", "?limit=5.8e-139", "?limit=", "?page_size=20&limit=x"}) {
    auto r = client().get(std::string("/v1/tenants") + query, admin);
    EXPECT_EQ(r.status, 400u) << query << ": " << r.body;
  }
  auto tenant = create_tenant(unique("Matched"));
  auto empty_match = client().patch("/v1/tenants/" + tenant["id"].get<std::string>(),
                                    {{"name", "x"}}, admin, {{"If-Match", ""}});
  EXPECT_EQ(empty_match.status, 400u) << empty_match.body;
  auto not_allowed = client().post("/v1/users/me", nlohmann::json::object(), admin);
  EXPECT_EQ(not_allowed.status, 405u);
  EXPECT_EQ(not_allowed.header("Allow"), "GET, PUT, PATCH, DELETE");
  // Nesting deeper than 32 is refused before it is parsed, on every route, including one
  // whose guard reads the body (a create's parent).
  const std::string deep =
      R"({"name": "x", "x": )" + std::string(100000, '[') + std::string(100000, ']') + "}";
  for (const char* route : {"/v1/tenants", "/v1/groups"}) {
    auto nested = client().request("POST", route, deep, {{"Authorization", "Bearer " + admin}});
    EXPECT_EQ(nested.status, 400u) << route << ": " << nested.body;
    EXPECT_EQ(nested.json()["error"], "invalid_json") << route;
  }
}

TEST_F(Tenants, ReadsBySlugOrIdAndUnknownIs404) {
  auto t = create_tenant(unique("Readable"));
  auto by_slug = client().get("/v1/tenants/" + t["slug"].get<std::string>(), admin);
  auto by_id = client().get("/v1/tenants/" + t["id"].get<std::string>(), admin);
  ASSERT_EQ(by_slug.status, 200u);
  EXPECT_EQ(by_slug.json(), by_id.json());
  EXPECT_EQ(by_slug.header("ETag"), "\"1\"");
  EXPECT_EQ(client().get("/v1/tenants/no-such-tenant", admin).status, 404u);
}

TEST_F(Tenants, ChildrenAncestorsAndHierarchy) {
  auto root = create_tenant(unique("Root"));
  const std::string r = root["slug"];
  auto a = create_tenant(unique("A"), r);
  auto b = create_tenant(unique("B"), r);
  auto a1 = create_tenant(unique("A1"), a["slug"]);
  EXPECT_EQ(a1["level"], 3);
  auto kids = client().get("/v1/tenants/" + r + "/children?page_size=1", admin);
  ASSERT_EQ(kids.status, 200u) << kids.body;
  EXPECT_EQ(kids.json()["count"], 2);
  EXPECT_EQ(kids.json()["results"].size(), 1u);
  EXPECT_FALSE(kids.json()["next"].is_null());
  EXPECT_TRUE(kids.json()["previous"].is_null());
  auto up = client().get("/v1/tenants/" + a1["slug"].get<std::string>() + "/ancestors", admin);
  ASSERT_EQ(up.status, 200u);
  EXPECT_EQ(up.json()["results"][0]["id"], root["id"]);
  EXPECT_EQ(up.json()["results"][1]["id"], a["id"]);
  auto tree = client().get("/v1/tenants/" + r + "/hierarchy", admin).json();
  EXPECT_EQ(tree["tenant"]["id"], root["id"]);
  EXPECT_EQ(tree["children"].size(), 2u);
  auto shallow = client().get("/v1/tenants/" + r + "/hierarchy?depth=1", admin).json();
  for (const auto& child : shallow["children"]) EXPECT_TRUE(child["children"].empty());
  EXPECT_EQ(client().get("/v1/tenants/" + r + "/hierarchy?depth=-1", admin).status, 400u);
}

TEST_F(Tenants, ListFiltersSearchesOrdersAndPaginates) {
  auto root = create_tenant(unique("ListRoot"));
  const std::string id = root["id"];
  for (const char* n : {"Zulu", "alpha", "Mike"}) create_tenant(unique(n), root["slug"]);
  auto by_parent = client().get("/v1/tenants?parent_id=" + id + "&ordering=-name", admin).json();
  ASSERT_EQ(by_parent["count"], 3);
  EXPECT_TRUE(by_parent["results"][0]["name"].get<std::string>().starts_with("Zulu"));
  auto by_slug = client().get("/v1/tenants?parent=" + root["slug"].get<std::string>(), admin);
  EXPECT_EQ(by_slug.json()["count"], 3);
  auto search = client().get("/v1/tenants?parent_id=" + id + "&search=MIKE", admin).json();
  EXPECT_EQ(search["count"], 1);
  auto level =
      client().get("/v1/tenants?tenant_level=1&search=" + root["slug"].get<std::string>(), admin);
  EXPECT_EQ(level.json()["count"], 1);
  auto page2 = client().get("/v1/tenants?parent_id=" + id + "&limit=2&page=2", admin).json();
  EXPECT_EQ(page2["results"].size(), 1u);
  EXPECT_FALSE(page2["previous"].is_null());
  EXPECT_EQ(client().get("/v1/tenants?page=0", admin).status, 400u);
  EXPECT_EQ(client().get("/v1/tenants?ordering=size", admin).status, 400u);
  EXPECT_EQ(client().get("/v1/tenants?status=happy", admin).status, 400u);
  auto capped = client().get("/v1/tenants?page_size=100000", admin);
  EXPECT_EQ(capped.status, 200u);
}

TEST_F(Tenants, RenameKeepsSlugAndStaleIfMatchIs412) {
  auto t = create_tenant(unique("Rename"));
  const std::string path = "/v1/tenants/" + t["id"].get<std::string>();
  auto renamed = client().patch(path, {{"name", "New Name"}}, admin, {{"If-Match", "\"1\""}});
  ASSERT_EQ(renamed.status, 200u) << renamed.body;
  EXPECT_EQ(renamed.json()["slug"], t["slug"]);
  EXPECT_EQ(renamed.json()["version"], 2);
  auto stale = client().patch(path, {{"name", "Other"}}, admin, {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412u);
  EXPECT_EQ(stale.json()["error"], "version_conflict");
  auto reslug = client().patch(path, {{"slug", t["slug"].get<std::string>() + "-x"}}, admin);
  EXPECT_EQ(reslug.json()["slug"], t["slug"].get<std::string>() + "-x");
  // Fields the route does not take change nothing.
  auto sneaky = client().patch(path, {{"version", 99}, {"parent_id", nullptr}, {"id", "x"}}, admin);
  EXPECT_EQ(sneaky.status, 200u);
  EXPECT_EQ(sneaky.json()["id"], t["id"]);
  EXPECT_EQ(sneaky.json()["version"], 3);
}

TEST_F(Tenants, LifecycleTransitionsAndInheritedSuspension) {
  auto root = create_tenant(unique("Life"));
  auto child = create_tenant(unique("LifeChild"), root["slug"]);
  const std::string r = "/v1/tenants/" + root["id"].get<std::string>();
  const std::string c = "/v1/tenants/" + child["id"].get<std::string>();
  EXPECT_EQ(client().post(r + "/resume", nullptr, admin).json()["error"],
            "invalid_state_transition");
  auto suspended = client().post(r + "/suspend", {{"reason", "billing"}}, admin);
  ASSERT_EQ(suspended.status, 200u) << suspended.body;
  EXPECT_EQ(suspended.json()["status"], "suspended");
  settle(suspended);
  auto inherited = client().get(c, admin).json();
  EXPECT_EQ(inherited["status"], "active");
  EXPECT_EQ(inherited["effective_status"], "suspended");
  auto blocked = client().patch(c, {{"name", "x"}}, admin);
  EXPECT_EQ(blocked.status, 409u);
  EXPECT_EQ(blocked.json()["error"], "tenant_not_active");
  auto no_child = client().post("/v1/tenants", {{"name", "x"}, {"parent", root["id"]}}, admin);
  EXPECT_EQ(no_child.json()["error"], "parent_not_active");
  EXPECT_EQ(client().post(r + "/deactivate", nullptr, admin).json()["status"], "inactive");
  EXPECT_EQ(client().post(r + "/suspend", nullptr, admin).status, 409u);
  EXPECT_EQ(client().post(r + "/activate", nullptr, admin).json()["status"], "active");
}

TEST_F(Tenants, MoveRejectsCyclesAndCanMakeARoot) {
  auto a = create_tenant(unique("MoveA"));
  auto b = create_tenant(unique("MoveB"), a["slug"]);
  auto other = create_tenant(unique("MoveOther"));
  auto cycle = client().post("/v1/tenants/" + a["slug"].get<std::string>() + "/move",
                             {{"parent", b["id"]}}, admin);
  EXPECT_EQ(cycle.status, 409u);
  EXPECT_EQ(cycle.json()["error"], "hierarchy_cycle");
  auto moved = client().post("/v1/tenants/" + b["slug"].get<std::string>() + "/move",
                             {{"parent", other["slug"]}}, admin);
  ASSERT_EQ(moved.status, 200u) << moved.body;
  EXPECT_EQ(moved.json()["parent_id"], other["id"]);
  auto to_root = client().post("/v1/tenants/" + b["slug"].get<std::string>() + "/move",
                               {{"parent", nullptr}}, admin);
  EXPECT_EQ(to_root.json()["level"], 1);
  EXPECT_EQ(client()
                .post("/v1/tenants/" + b["slug"].get<std::string>() + "/move",
                      nlohmann::json::object(), admin)
                .status,
            400u);
}

// The cloud manager names parents by link: {"href"} (a URL or a path) or {"id"}, anywhere
// a body names a tenant, and the guard reads the same tenant the handler does.
TEST_F(Tenants, ParentsByIdObjectOrHref) {
  auto org = create_tenant(unique("HrefOrg"));
  auto other = create_tenant(unique("HrefOther"));
  const std::string slug = org["slug"];
  auto by_href = made(
      client().post("/v1/tenants",
                    {{"name", unique("ByUrl")},
                     {"parent", {{"href", "http://tenants.example.com:8080/v1/tenants/" + slug}}}},
                    admin));
  EXPECT_EQ(by_href["parent_id"], org["id"]);
  auto by_path = made(client().post(
      "/v1/tenants", {{"name", unique("ByPath")}, {"parent", {{"href", "/v1/tenants/" + id(org)}}}},
      admin));
  EXPECT_EQ(by_path["parent_id"], org["id"]);
  auto by_id = made(
      client().post("/v1/tenants", {{"name", unique("ById")}, {"parent", {{"id", slug}}}}, admin));
  EXPECT_EQ(by_id["parent_id"], org["id"]);
  auto moved = client().post("/v1/tenants/" + id(by_id) + "/move",
                             {{"parent", {{"href", "/v1/tenants/" + id(other)}}}}, admin);
  ASSERT_EQ(moved.status, 200u) << moved.body;
  EXPECT_EQ(moved.json()["parent_id"], other["id"]);

  for (const nlohmann::json& bad :
       {nlohmann::json{{"href", "/v1/groups/" + slug}}, nlohmann::json{{"href", "/v1/tenants/"}},
        nlohmann::json{{"slug", slug}}, nlohmann::json{{"id", slug}, {"href", "/v1/tenants/x"}},
        nlohmann::json::array({slug})}) {
    auto r = client().post("/v1/tenants", {{"name", "x"}, {"parent", bad}}, admin);
    EXPECT_EQ(r.status, 400u) << bad.dump() << ": " << r.body;
    EXPECT_EQ(error_of(r), "validation_error") << bad.dump();
    EXPECT_TRUE(r.json()["details"].contains("parent")) << r.body;
  }

  // A tenant_admin of one organization creates under it by link, never under another.
  const account ada = make_user("href-ada");
  made(client().post("/v1/tenants/" + id(org) + "/members",
                     {{"user", ada.id}, {"roles", {"tenant_admin"}}}, admin));
  auto own = client().post(
      "/v1/tenants", {{"name", unique("AdasChild")}, {"parent", {{"href", "/v1/tenants/" + slug}}}},
      ada.token);
  EXPECT_EQ(own.status, 201u) << own.body;
  auto foreign = client().post(
      "/v1/tenants",
      {{"name", unique("NotAdas")}, {"parent", {{"href", "/v1/tenants/" + id(other)}}}}, ada.token);
  EXPECT_EQ(foreign.status, 404u) << foreign.body;  // a tenant she may not read
}

TEST_F(Tenants, RecursiveDeleteAndRestoreBringBackTheSubtree) {
  auto root = create_tenant(unique("Del"));
  auto child = create_tenant(unique("DelChild"), root["slug"]);
  const std::string r = "/v1/tenants/" + root["id"].get<std::string>();
  auto refused = client().del(r, admin);
  EXPECT_EQ(refused.status, 409u);
  EXPECT_EQ(refused.json()["error"], "tenant_has_children");
  auto deleted = client().del(r + "?recursive=true", admin);
  ASSERT_EQ(deleted.status, 204u);
  settle(deleted);
  EXPECT_EQ(client().get(r, admin).status, 404u);
  EXPECT_EQ(client().get("/v1/tenants/" + child["slug"].get<std::string>(), admin).status, 404u);
  auto shown = client().get(r + "?include_deleted=true", admin);
  ASSERT_EQ(shown.status, 200u);
  EXPECT_EQ(shown.json()["is_deleted"], true);
  auto slug_kept = client().post("/v1/tenants", {{"name", "x"}, {"slug", root["slug"]}}, admin);
  EXPECT_EQ(slug_kept.json()["error"], "slug_taken");
  auto child_first =
      client().post("/v1/tenants/" + child["id"].get<std::string>() + "/restore", nullptr, admin);
  EXPECT_EQ(child_first.json()["error"], "parent_deleted");
  auto restored = client().post(r + "/restore", nullptr, admin);
  ASSERT_EQ(restored.status, 200u) << restored.body;
  EXPECT_EQ(restored.json()["is_deleted"], false);
  settle(restored);
  auto back = client().get("/v1/tenants/" + child["id"].get<std::string>(), admin);
  ASSERT_EQ(back.status, 200u);
  EXPECT_EQ(back.json()["name"], child["name"]);
  EXPECT_EQ(back.json()["parent_id"], root["id"]);
}

TEST_F(Tenants, IdempotencyKeyReplaysAndRejectsReuse) {
  const std::string key = unique("key");
  const nlohmann::json body{{"name", unique("Idem")}};
  auto first = client().post("/v1/tenants", body, admin, {{"Idempotency-Key", key}});
  ASSERT_EQ(first.status, 201u);
  auto again = client().post("/v1/tenants", body, admin, {{"Idempotency-Key", key}});
  EXPECT_EQ(again.status, 201u);
  EXPECT_EQ(again.body, first.body);
  EXPECT_EQ(again.header("Idempotent-Replayed"), "true");
  auto other =
      client().post("/v1/tenants", {{"name", "different"}}, admin, {{"Idempotency-Key", key}});
  EXPECT_EQ(other.status, 422u);
  EXPECT_EQ(other.json()["error"], "idempotency_key_reused");
}

TEST_F(Tenants, ConsistencyTokenMakesTheWriteVisible) {
  auto r = client().post("/v1/tenants", {{"name", unique("Fresh")}}, admin);
  ASSERT_EQ(r.status, 201u);
  auto seen = client().get("/v1/tenants/" + r.json()["id"].get<std::string>(), admin,
                           {{"X-Consistency-Token", r.header("X-Consistency-Token")}});
  EXPECT_EQ(seen.status, 200u);
  auto garbage = client().get("/v1/tenants", admin, {{"X-Consistency-Token", "nonsense"}});
  EXPECT_EQ(garbage.status, 400u);
}

TEST_F(Tenants, HierarchyDeeperThanTheMaximumIsRefused) {
  std::string parent = create_tenant(unique("Deep1"))["slug"];
  for (int level = 2; level <= 10; ++level)
    parent = create_tenant(unique("Deep" + std::to_string(level)), parent)["slug"];
  auto too_deep = client().post("/v1/tenants", {{"name", "Deep11"}, {"parent", parent}}, admin);
  EXPECT_EQ(too_deep.status, 409u);
  EXPECT_EQ(too_deep.json()["error"], "hierarchy_too_deep");
}

TEST_F(Tenants, ReadThatCannotCatchUpAnswers503NotYetConsistent) {
  // A token far beyond the log's end: the read waits the configured 5 s, then gives up.
  auto r = client().get("/v1/tenants", admin, {{"X-Consistency-Token", "t1.999999999"}});
  EXPECT_EQ(r.status, 503u);
  EXPECT_EQ(r.json()["error"], "not_yet_consistent");
  EXPECT_FALSE(r.header("Retry-After").empty());
}

TEST_F(Tenants, ProtocolErrors) {
  EXPECT_EQ(client().get("/v1/nothing-here", admin).status, 404u);
  auto wrong = client().request("PUT", "/v1/tenants", "{}", {{"Authorization", "Bearer " + admin}});
  EXPECT_EQ(wrong.status, 405u);
  EXPECT_FALSE(wrong.header("Allow").empty());
  EXPECT_EQ(client().get("/v1/tenants").status, 401u);
  EXPECT_EQ(client().get("/v1/tenants", "not-a-jwt").status, 401u);
}

// The object store's tenants (seed 003): PUT creates a tenant by its lowercased name or
// overwrites its metadata, given as X-Meta-* headers or in the body; reads carry it.
TEST_F(Tenants, UpsertBySlugCreatesOrReplacesWithMetadata) {
  std::string slug = lowercase(unique("store"));  // the seed's names take dashes, not "_"
  std::replace(slug.begin(), slug.end(), '_', '-');
  const std::string path = "/v1/tenants/" + slug;
  std::string shouted = slug;
  for (char& c : shouted) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  auto put = [&](const std::string& target, const nlohmann::json& body,
                 std::map<std::string, std::string> headers) {
    headers["Authorization"] = "Bearer " + admin;
    return client().request("PUT", target, body.is_null() ? "" : body.dump(), headers);
  };

  auto created = put("/v1/tenants/" + shouted, nullptr,
                     {{"X-Meta-Owner", "storage team"}, {"x-meta-region", "eu"}});
  ASSERT_EQ(created.status, 201u) << created.body;
  const auto tenant = made(created);
  EXPECT_EQ(tenant["slug"], slug);  // lowercased first
  EXPECT_EQ(tenant["name"], slug);  // named by its slug when no name is sent
  EXPECT_EQ(tenant["metadata"], (nlohmann::json{{"owner", "storage team"}, {"region", "eu"}}));
  EXPECT_EQ(created.header("Location"), "/v1/tenants/" + id(tenant));
  EXPECT_EQ(created.header("ETag"), "\"1\"");

  // Overwrite: the body wins over a header on the same key; what is not sent is gone.
  auto replaced =
      put(path, {{"description", "Object storage"}, {"metadata", {{"region", "us"}}}},
          {{"X-Meta-Region", "ignored"}, {"X-Meta-Tier", "gold"}, {"If-Match", "\"1\""}});
  ASSERT_EQ(replaced.status, 200u) << replaced.body;
  settle(replaced);
  auto read = client().get(path, admin);
  ASSERT_EQ(read.status, 200u) << read.body;
  EXPECT_EQ(read.json()["metadata"], (nlohmann::json{{"region", "us"}, {"tier", "gold"}}));
  EXPECT_EQ(read.json()["description"], "Object storage");
  EXPECT_EQ(read.json()["name"], slug);
  EXPECT_EQ(read.json()["id"], tenant["id"]);
  EXPECT_EQ(read.header("ETag"), "\"2\"");
  // The same PUT again changes nothing and still answers the tenant.
  auto same = put(path, {{"description", "Object storage"}, {"metadata", {{"region", "us"}}}},
                  {{"X-Meta-Tier", "gold"}});
  ASSERT_EQ(same.status, 200u) << same.body;
  EXPECT_EQ(same.json()["version"], 2);

  // PATCH merges: null removes a key, a string sets one.
  auto patched = client().patch(path, {{"metadata", {{"tier", nullptr}, {"owner", "ops"}}}}, admin);
  ASSERT_EQ(patched.status, 200u) << patched.body;
  EXPECT_EQ(patched.json()["metadata"], (nlohmann::json{{"owner", "ops"}, {"region", "us"}}));
  settle(patched);
  auto listed = client().get("/v1/tenants?search=" + slug, admin);
  ASSERT_EQ(listed.status, 200u) << listed.body;
  ASSERT_EQ(listed.json()["count"], 1) << listed.body;
  EXPECT_EQ(listed.json()["results"][0]["metadata"], patched.json()["metadata"]);

  // A child by PUT under the new tenant; a replace naming another parent is a mismatch.
  const std::string child_path = path + "-eu";
  auto child = put(child_path, {{"name", "EU"}, {"parent", {{"href", path}}}}, {});
  ASSERT_EQ(child.status, 201u) << child.body;
  EXPECT_EQ(child.json()["parent_id"], tenant["id"]);
  EXPECT_EQ(child.json()["metadata"], nlohmann::json::object());
  auto mismatch = put(child_path, {{"parent", nullptr}}, {});
  EXPECT_EQ(mismatch.status, 409u) << mismatch.body;
  EXPECT_EQ(error_of(mismatch), "parent_mismatch");

  // Bad input is 400 naming the field; nothing is created.
  const std::string fresh = "/v1/tenants/" + slug + "-none";
  for (const auto& [target, body, headers] :
       std::vector<std::tuple<std::string, nlohmann::json, std::map<std::string, std::string>>>{
           {"/v1/tenants/" + id(tenant), nullptr, {}},
           {"/v1/tenants/-lead", nullptr, {}},
           {"/v1/tenants/a_b", nullptr, {}},
           {fresh, {{"metadata", {{"Bad Key", "x"}}}}, {}},
           {fresh, {{"metadata", {{"k", 1}}}}, {}},
           {fresh, {{"metadata", {{"k", std::string(1025, 'v')}}}}, {}},
           {fresh, nullptr, {{"X-Meta-A.B", "x"}}},
           {fresh, nullptr, {{"X-Meta-Dup", "a"}, {"x-meta-dup", "b"}}}}) {
    auto r = put(target, body, headers);
    EXPECT_EQ(r.status, 400u) << target << " " << body.dump() << ": " << r.body;
    EXPECT_EQ(error_of(r), "validation_error") << r.body;
  }
  EXPECT_EQ(client().get(fresh, admin).status, 404u);
  auto missing_version = put(fresh, nullptr, {{"If-Match", "\"1\""}});
  EXPECT_EQ(missing_version.status, 412u) << missing_version.body;

  // A deleted tenant keeps its slug: PUT does not bring it back or take it over.
  ASSERT_EQ(client().del(child_path, admin).status, 204u);
  auto over_deleted = put(child_path, nullptr, {});
  EXPECT_EQ(over_deleted.status, 409u) << over_deleted.body;
  EXPECT_EQ(error_of(over_deleted), "slug_taken");
}

// Who may PUT: tenant.update on the tenant that holds the slug, or creating under the body's
// parent when none does; a slug held by a tenant the caller may not see is only "taken".
TEST_F(Tenants, UpsertIsAuthorizedOnTheSideItTakes) {
  auto org = create_tenant(unique("UpsertOrg"));
  auto other = create_tenant(unique("UpsertOther"));
  const account ada = make_user("upsert-ada");
  made(client().post("/v1/tenants/" + id(org) + "/members",
                     {{"user", ada.id}, {"roles", {"tenant_admin"}}}, admin));
  auto put = [&](const std::string& slug, const nlohmann::json& body) {
    return client().request("PUT", "/v1/tenants/" + slug, body.dump(),
                            {{"Authorization", "Bearer " + ada.token}});
  };
  const std::string mine = lowercase(unique("adas")).replace(4, 1, "-");
  auto created = put(mine, {{"parent", org["slug"]}});
  EXPECT_EQ(created.status, 201u) << created.body;
  auto replaced = put(org["slug"], {{"description", "hers to change"}});
  EXPECT_EQ(replaced.status, 200u) << replaced.body;
  auto under_other = put(mine + "-x", {{"parent", other["slug"]}});
  EXPECT_EQ(under_other.status, 404u) << under_other.body;
  auto root = put(mine + "-root", nlohmann::json::object());
  EXPECT_EQ(root.status, 403u) << root.body;
  auto hidden = put(other["slug"], {{"description", "not hers"}});
  EXPECT_EQ(hidden.status, 409u) << hidden.body;
  EXPECT_EQ(error_of(hidden), "slug_taken");
  settle(replaced);
  EXPECT_EQ(client().get("/v1/tenants/" + id(other), admin).json()["description"], "");
}

// Configuration (seed 001's tenant settings): merge patches on a tenant, sharing its version;
// ?effective=true merges the ancestry root first and names each top-level key's source.
TEST_F(Tenants, ConfigurationMergesDownTheHierarchy) {
  auto org = create_tenant(unique("CfgOrg"));
  auto team = create_tenant(unique("CfgTeam"), id(org));
  const std::string org_cfg = "/v1/tenants/" + id(org) + "/configuration";
  const std::string team_cfg = "/v1/tenants/" + id(team) + "/configuration";
  auto empty = client().get(org_cfg, admin);
  ASSERT_EQ(empty.status, 200u) << empty.body;
  EXPECT_EQ(empty.json()["configuration"], nlohmann::json::object());
  EXPECT_EQ(empty.json()["version"], org["version"]);

  auto patched = client().request(
      "PATCH", org_cfg, R"({"theme": {"color": "red", "font": "serif"}, "max_users": 50})",
      {{"Authorization", "Bearer " + admin},
       {"Content-Type", "application/merge-patch+json"},
       {"If-Match", "\"1\""}});
  ASSERT_EQ(patched.status, 200u) << patched.body;
  EXPECT_EQ(patched.json()["version"], 2);
  EXPECT_EQ(patched.header("ETag"), "\"2\"");
  auto stale = client().patch(org_cfg, {{"x", 1}}, admin, {{"If-Match", "\"1\""}});
  EXPECT_EQ(stale.status, 412u) << stale.body;
  settle(patched);
  // The tenant's own version moved with it: a PATCH of the tenant now needs "2".
  EXPECT_EQ(client().get("/v1/tenants/" + id(org), admin).header("ETag"), "\"2\"");

  made(client().patch(team_cfg, {{"theme", {{"color", "blue"}}}, {"beta", true}}, admin), 200);
  auto own = client().get(team_cfg, admin);
  ASSERT_EQ(own.status, 200u) << own.body;
  EXPECT_EQ(own.json()["configuration"],
            (nlohmann::json{{"theme", {{"color", "blue"}}}, {"beta", true}}));
  EXPECT_FALSE(own.json().contains("sources"));
  auto effective = client().get(team_cfg + "?effective=true", admin);
  ASSERT_EQ(effective.status, 200u) << effective.body;
  EXPECT_EQ(effective.json()["configuration"],
            nlohmann::json::parse(
                R"({"theme": {"color": "blue", "font": "serif"}, "max_users": 50, "beta": true})"));
  const nlohmann::json org_source{{"id", org["id"]}, {"slug", org["slug"]}};
  const nlohmann::json team_source{{"id", team["id"]}, {"slug", team["slug"]}};
  EXPECT_EQ(
      effective.json()["sources"],
      (nlohmann::json{{"theme", team_source}, {"max_users", org_source}, {"beta", team_source}}));

  // null removes a key; a patch that is not an object, or a result over 64 KiB, is 400.
  made(client().patch(org_cfg, {{"max_users", nullptr}}, admin), 200);
  EXPECT_FALSE(client().get(org_cfg, admin).json()["configuration"].contains("max_users"));
  auto not_object =
      client().request("PATCH", org_cfg, "[1]", {{"Authorization", "Bearer " + admin}});
  EXPECT_EQ(not_object.status, 400u) << not_object.body;
  auto huge = client().patch(org_cfg, {{"blob", std::string(70 * 1024, 'x')}}, admin);
  EXPECT_EQ(huge.status, 400u) << huge.body;
  EXPECT_EQ(error_of(huge), "validation_error");

  // A viewer may not read it; a member may read but not change it.
  const account viewer = make_user("cfg-viewer");
  const account member = make_user("cfg-member");
  made(client().post("/v1/tenants/" + id(org) + "/members",
                     {{"user", viewer.id}, {"roles", {"viewer"}}}, admin));
  made(client().post("/v1/tenants/" + id(org) + "/members",
                     {{"user", member.id}, {"roles", {"member"}}}, admin));
  EXPECT_EQ(client().get(org_cfg, viewer.token).status, 403u);
  EXPECT_EQ(client().get(org_cfg, member.token).status, 200u);
  EXPECT_EQ(client().patch(org_cfg, {{"a", 1}}, member.token).status, 403u);

  // A recursive delete hides it; the restore brings it back as it was.
  auto deleted = client().del("/v1/tenants/" + id(org) + "?recursive=true", admin);
  ASSERT_EQ(deleted.status, 204u) << deleted.body;
  settle(deleted);
  EXPECT_EQ(client().get(team_cfg, admin).status, 404u);
  made(client().post("/v1/tenants/" + id(org) + "/restore", nlohmann::json::object(), admin), 200);
  EXPECT_EQ(client().get(team_cfg, admin).json()["configuration"], own.json()["configuration"]);
}

// Feature flags (seed 001's per-tenant features): set on a tenant, they hold for its subtree
// unless a descendant sets the same key; ?effective=true names each flag's source.
TEST_F(Tenants, FeatureFlagsHoldForTheSubtreeUnlessADescendantSetsThem) {
  auto org = create_tenant(unique("FlagOrg"));
  auto team = create_tenant(unique("FlagTeam"), id(org));
  const std::string org_flags = "/v1/tenants/" + id(org) + "/feature-flags";
  const std::string team_flags = "/v1/tenants/" + id(team) + "/feature-flags";
  auto created = client().post(
      org_flags, {{"key", "billing.v2"}, {"value", {{"rollout", 0.5}}}, {"description", "New"}},
      admin);
  ASSERT_EQ(created.status, 201u) << created.body;
  EXPECT_EQ(created.header("Location"), org_flags + "/billing.v2");
  EXPECT_EQ(created.header("ETag"), "\"2\"");  // the tenant's version
  EXPECT_EQ(created.json()["value"], (nlohmann::json{{"rollout", 0.5}}));
  EXPECT_EQ(created.json()["tenant_id"], org["id"]);
  made(client().post(org_flags, {{"key", "beta"}, {"value", false}}, admin));
  auto replaced = client().post(org_flags, {{"key", "beta"}, {"value", true}}, admin);
  ASSERT_EQ(replaced.status, 200u) << replaced.body;
  settle(replaced);
  made(client().post(team_flags, {{"key", "beta"}, {"value", "team-only"}}, admin));

  auto own = client().get(org_flags, admin);
  ASSERT_EQ(own.status, 200u) << own.body;
  ASSERT_EQ(own.json()["results"].size(), 2u);
  EXPECT_EQ(own.json()["results"][0]["key"], "beta");
  EXPECT_EQ(own.json()["results"][0]["value"], true);
  EXPECT_EQ(own.json()["results"][1]["description"], "New");
  auto one = client().get(org_flags + "/billing.v2", admin);
  ASSERT_EQ(one.status, 200u) << one.body;
  EXPECT_EQ(one.json()["key"], "billing.v2");
  EXPECT_EQ(client().get(org_flags + "/nope", admin).status, 404u);

  auto effective = client().get(team_flags + "?effective=true", admin);
  ASSERT_EQ(effective.status, 200u) << effective.body;
  const nlohmann::json org_source{{"id", org["id"]}, {"slug", org["slug"]}};
  const nlohmann::json team_source{{"id", team["id"]}, {"slug", team["slug"]}};
  EXPECT_EQ(
      effective.json()["results"],
      (nlohmann::json::array(
          {{{"key", "beta"}, {"value", "team-only"}, {"source", team_source}, {"inherited", false}},
           {{"key", "billing.v2"},
            {"value", {{"rollout", 0.5}}},
            {"source", org_source},
            {"inherited", true}}})));

  // Bad keys and values are 400; a missing value is 400, null is a value.
  for (const nlohmann::json& bad :
       {nlohmann::json{{"key", "Bad Key"}, {"value", 1}}, nlohmann::json{{"key", "k"}},
        nlohmann::json{{"value", 1}},
        nlohmann::json{{"key", "big"}, {"value", std::string(5000, 'x')}}}) {
    auto r = client().post(org_flags, bad, admin);
    EXPECT_EQ(r.status, 400u) << bad.dump() << " -> " << r.body;
    EXPECT_EQ(error_of(r), "validation_error") << bad.dump();
  }
  made(client().post(org_flags, {{"key", "nullable"}, {"value", nullptr}}, admin));

  // A viewer may not read them; a member may read but not change them.
  const account viewer = make_user("flag-viewer");
  const account member = make_user("flag-member");
  made(client().post("/v1/tenants/" + id(org) + "/members",
                     {{"user", viewer.id}, {"roles", {"viewer"}}}, admin));
  made(client().post("/v1/tenants/" + id(org) + "/members",
                     {{"user", member.id}, {"roles", {"member"}}}, admin));
  EXPECT_EQ(client().get(org_flags, viewer.token).status, 403u);
  EXPECT_EQ(client().get(org_flags, member.token).status, 200u);
  EXPECT_EQ(client().post(org_flags, {{"key", "x"}, {"value", 1}}, member.token).status, 403u);
  EXPECT_EQ(client().del(org_flags + "/beta", member.token).status, 403u);

  // Removing the team's own flag uncovers the inherited one.
  auto removed = client().del(team_flags + "/beta", admin);
  ASSERT_EQ(removed.status, 204u) << removed.body;
  settle(removed);
  EXPECT_EQ(client().del(team_flags + "/beta", admin).status, 404u);
  auto uncovered = client().get(team_flags + "?effective=true", admin);
  ASSERT_EQ(uncovered.status, 200u) << uncovered.body;
  EXPECT_EQ(uncovered.json()["results"][0]["value"], true);
  EXPECT_EQ(uncovered.json()["results"][0]["source"], org_source);

  // A recursive delete hides them; the restore brings them back as they were.
  auto deleted = client().del("/v1/tenants/" + id(org) + "?recursive=true", admin);
  ASSERT_EQ(deleted.status, 204u) << deleted.body;
  settle(deleted);
  EXPECT_EQ(client().get(team_flags, admin).status, 404u);
  made(client().post("/v1/tenants/" + id(org) + "/restore", nlohmann::json::object(), admin), 200);
  auto back = client().get(org_flags, admin);
  ASSERT_EQ(back.status, 200u) << back.body;
  EXPECT_EQ(back.json()["results"].size(), 3u);  // beta, billing.v2, nullable
  EXPECT_EQ(back.json()["results"][1], own.json()["results"][1]);
}

}  // namespace
}  // namespace tenantry::testing
