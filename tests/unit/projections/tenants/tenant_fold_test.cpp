#include <gtest/gtest.h>

#include "projections/tenants/tenant_fold.hpp"

namespace tenantry {
namespace {

constexpr const char* kId = "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";
constexpr const char* kParent = "0190a1b2-0000-7000-8000-000000000001";
constexpr const char* kOther = "0190a1b2-0000-7000-8000-000000000002";

struct history {
  std::vector<recorded_event> events;
  std::int64_t version = 0;
  timestamp at = timestamp_from_millis(1'790'000'000'000);

  history& then(event e, std::string subject = kId) {
    recorded_event r;
    r.meta.subject = subject;
    r.meta.aggregate_version = subject == kId ? ++version : 1;
    at += std::chrono::seconds(1);
    r.meta.time = at;
    r.offset = static_cast<std::int64_t>(events.size());
    r.data = std::move(e);
    events.push_back(std::move(r));
    return *this;
  }

  static timestamp timestamp_from_millis(std::int64_t ms) {
    return timestamp{std::chrono::milliseconds{ms}};
  }
};

tenant_created created() {
  return tenant_created{tenant_id{kId}, "acme", "Acme", "", tenant_id{kParent}};
}

TEST(TenantFold, CreatedSetsEveryColumn) {
  history h;
  h.then(created());
  const auto s = fold_tenant(h.events);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->id, kId);
  EXPECT_EQ(s->slug, "acme");
  EXPECT_EQ(s->name, "Acme");
  EXPECT_EQ(s->parent_id, kParent);
  EXPECT_EQ(s->status, "active");
  EXPECT_FALSE(s->is_deleted);
  EXPECT_EQ(s->version, 1);
  EXPECT_EQ(s->created_at, h.at);
  EXPECT_EQ(s->updated_at, h.at);
}

// A restore rebuilds the metadata too: the created map, then each whole new map; an update
// without metadata keeps it.
TEST(TenantFold, KeepsTheMetadataEachEventLeaves) {
  history h;
  tenant_created c = created();
  c.metadata = {{"region", "eu"}};
  h.then(c)
      .then(tenant_updated{tenant_id{kId}, "Acme 2", std::nullopt, std::nullopt})
      .then(tenant_deleted{tenant_id{kId}, "d", tenant_id{kId}})
      .then(tenant_restored{tenant_id{kId}, "d"});
  EXPECT_EQ(fold_tenant(h.events)->metadata, (metadata_map{{"region", "eu"}}));
  h.then(tenant_updated{tenant_id{kId}, std::nullopt, std::nullopt, std::nullopt,
                        metadata_map{{"tier", "gold"}}});
  EXPECT_EQ(fold_tenant(h.events)->metadata, (metadata_map{{"tier", "gold"}}));
  h.then(tenant_updated{tenant_id{kId}, std::nullopt, "", std::nullopt, metadata_map{}});
  EXPECT_TRUE(fold_tenant(h.events)->metadata.empty());
}

// A restore rebuilds the configuration as the last tenant_configured left it.
TEST(TenantFold, KeepsTheLastConfiguration) {
  history h;
  h.then(created())
      .then(tenant_configured{tenant_id{kId}, nlohmann::json{{"a", 1}}})
      .then(tenant_configured{tenant_id{kId}, nlohmann::json{{"b", {{"c", true}}}}})
      .then(tenant_deleted{tenant_id{kId}, "d", tenant_id{kId}})
      .then(tenant_restored{tenant_id{kId}, "d"});
  const auto s = fold_tenant(h.events);
  EXPECT_EQ(s->configuration, (nlohmann::json{{"b", {{"c", true}}}}));
  EXPECT_EQ(s->version, 5);
  EXPECT_EQ(fold_tenant({h.events.front()})->configuration, nlohmann::json::object());
}

TEST(TenantFold, FollowsUpdatesMovesAndLifecycle) {
  history h;
  h.then(created())
      .then(tenant_updated{tenant_id{kId}, "Acme 2", std::nullopt, std::nullopt})
      .then(tenant_updated{tenant_id{kId}, std::nullopt, "desc", "acme-2"})
      .then(tenant_moved{tenant_id{kId}, tenant_id{kParent}, tenant_id{kOther}})
      .then(tenant_suspended{tenant_id{kId}, "unpaid"});
  auto s = fold_tenant(h.events);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->name, "Acme 2");
  EXPECT_EQ(s->description, "desc");
  EXPECT_EQ(s->slug, "acme-2");
  EXPECT_EQ(s->parent_id, kOther);
  EXPECT_EQ(s->status, "suspended");
  EXPECT_EQ(s->version, 5);
  EXPECT_EQ(s->updated_at, h.at);
  EXPECT_LT(s->created_at, s->updated_at);

  h.then(tenant_deactivated{tenant_id{kId}, ""});
  EXPECT_EQ(fold_tenant(h.events)->status, "inactive");
  h.then(tenant_activated{tenant_id{kId}, ""});
  EXPECT_EQ(fold_tenant(h.events)->status, "active");
  h.then(tenant_suspended{tenant_id{kId}, ""}).then(tenant_resumed{tenant_id{kId}, ""});
  EXPECT_EQ(fold_tenant(h.events)->status, "active");
  h.then(tenant_moved{tenant_id{kId}, tenant_id{kOther}, std::nullopt});
  EXPECT_EQ(fold_tenant(h.events)->parent_id, std::nullopt);
}

TEST(TenantFold, DeleteThenRestoreClearsTheDeletion) {
  history h;
  h.then(created()).then(tenant_deleted{tenant_id{kId}, "del-1", tenant_id{kParent}});
  auto s = fold_tenant(h.events);
  EXPECT_TRUE(s->is_deleted);
  EXPECT_EQ(s->deleted_at, h.at);
  EXPECT_EQ(s->deletion_id, "del-1");
  h.then(tenant_restored{tenant_id{kId}, "del-1"});
  s = fold_tenant(h.events);
  EXPECT_FALSE(s->is_deleted);
  EXPECT_EQ(s->deleted_at, std::nullopt);
  EXPECT_EQ(s->deletion_id, std::nullopt);
  EXPECT_EQ(s->version, 3);
}

TEST(TenantFold, IgnoresEventsOfOtherAggregates) {
  history h;
  h.then(created()).then(user_registered{user_id{kOther}, "a@b.c", "A", "hash", {}}, kOther);
  EXPECT_EQ(fold_tenant(h.events)->version, 1);
}

TEST(TenantFold, HistoryWithoutCreationHasNoTenant) {
  history h;
  h.then(tenant_suspended{tenant_id{kId}, ""});
  EXPECT_EQ(fold_tenant(h.events), std::nullopt);
  EXPECT_EQ(fold_tenant({}), std::nullopt);
}

TEST(StatusAfter, NamesTheStatusOfEachLifecycleEvent) {
  EXPECT_EQ(status_after(tenant_suspended{}), "suspended");
  EXPECT_EQ(status_after(tenant_resumed{}), "active");
  EXPECT_EQ(status_after(tenant_activated{}), "active");
  EXPECT_EQ(status_after(tenant_deactivated{}), "inactive");
  EXPECT_EQ(status_after(tenant_deleted{}), std::nullopt);
}

TEST(PlaceCreations, AnchorsARunAtTheNearestExistingAncestor) {
  const std::string a = "aaaaaaaa-0000-7000-8000-000000000000";
  const std::string b = "bbbbbbbb-0000-7000-8000-000000000000";
  const std::string c = "cccccccc-0000-7000-8000-000000000000";
  const std::string d = "dddddddd-0000-7000-8000-000000000000";
  const std::string existing = "eeeeeeee-0000-7000-8000-000000000000";
  const auto p = place_creations({{a, std::nullopt}, {b, a}, {c, existing}, {d, b}});
  ASSERT_EQ(p.size(), 4u);
  EXPECT_EQ(p[0].anchor, std::nullopt);
  EXPECT_EQ(p[0].relative_path, "aaaaaaaa000070008000000000000000");
  EXPECT_EQ(p[1].anchor, std::nullopt);
  EXPECT_EQ(p[1].relative_path,
            "aaaaaaaa000070008000000000000000.bbbbbbbb000070008000000000000000");
  EXPECT_EQ(p[2].anchor, existing);
  EXPECT_EQ(p[2].relative_path, "cccccccc000070008000000000000000");
  EXPECT_EQ(p[3].anchor, std::nullopt);
  EXPECT_EQ(p[3].relative_path,
            "aaaaaaaa000070008000000000000000.bbbbbbbb000070008000000000000000."
            "dddddddd000070008000000000000000");
}

TEST(PlaceCreations, ChildOfAnExistingTenantKeepsThatAnchorDownTheRun) {
  const std::string existing = "eeeeeeee-0000-7000-8000-000000000000";
  const std::string x = "11111111-0000-7000-8000-000000000000";
  const std::string y = "22222222-0000-7000-8000-000000000000";
  const auto p = place_creations({{x, existing}, {y, x}});
  EXPECT_EQ(p[1].anchor, existing);
  EXPECT_EQ(p[1].relative_path,
            "11111111000070008000000000000000.22222222000070008000000000000000");
}

}  // namespace
}  // namespace tenantry
