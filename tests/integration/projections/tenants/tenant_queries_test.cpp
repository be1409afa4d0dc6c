#include <algorithm>

#include <gtest/gtest.h>

#include "integration/projections/projection_fixture.hpp"
#include "projections/tenants/tenant_queries.hpp"

namespace tenantry::testing {
namespace {

std::vector<std::string> names(const std::vector<tenant_row>& rows) {
  std::vector<std::string> out;
  for (const auto& r : rows) out.push_back(r.name);
  return out;
}

// acme ─┬─ Europe ─┬─ paris
//       │          └─ Berlin (suspended)
//       └─ asia
// Globex ── Labs (deleted)
// zeta_corp% (a name with LIKE wildcards)
class TenantQueries : public ::testing::Test {
 protected:
  void SetUp() override {
    acme = script.create("Acme", std::nullopt, "acme");
    europe = script.create("Europe", acme);
    paris = script.create("paris", europe);
    berlin = script.create("Berlin", europe);
    asia = script.create("asia", acme);
    globex = script.create("Globex", std::nullopt, "globex-inc");
    labs = script.create("Labs", globex);
    zeta = script.create("zeta_corp%", std::nullopt, "zeta");
    script.suspend(berlin);
    script.remove(labs, "d1", labs);
    running_projector projector(log, schema.name());
    projector.await(script.last_offset());
  }
  tenant_page list(tenant_filter f) { return list_tenants(schema.conn(), f); }

  schema_under_test schema;
  memory_event_log log;
  event_script script{log};
  std::string acme, europe, paris, berlin, asia, globex, labs, zeta;
};

TEST_F(TenantQueries, FindByIdOrSlug) {
  EXPECT_EQ(find_tenant(schema.conn(), acme, false)->slug, "acme");
  EXPECT_EQ(find_tenant(schema.conn(), "globex-inc", false)->id, globex);
  std::string upper = acme;
  std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
  EXPECT_EQ(find_tenant(schema.conn(), upper, false)->id, acme);
  EXPECT_EQ(find_tenant(schema.conn(), "nope", false), std::nullopt);
  EXPECT_EQ(find_tenant(schema.conn(), "", false), std::nullopt);
  EXPECT_EQ(find_tenant(schema.conn(), "'; DROP TABLE tenants; --", false), std::nullopt);
  EXPECT_EQ(find_tenant(schema.conn(), labs, false), std::nullopt);
  EXPECT_TRUE(find_tenant(schema.conn(), labs, true)->is_deleted);
}

TEST_F(TenantQueries, ListHidesDeletedUnlessAsked) {
  EXPECT_EQ(list({}).count, 7);
  tenant_filter f;
  f.include_deleted = true;
  EXPECT_EQ(list(f).count, 8);
}

TEST_F(TenantQueries, ListOrdersByNameCaseInsensitivelyAndByCreation) {
  tenant_filter f;
  EXPECT_EQ(names(list(f).rows), (std::vector<std::string>{"Acme", "asia", "Berlin", "Europe",
                                                           "Globex", "paris", "zeta_corp%"}));
  f.ordering = "-name";
  EXPECT_EQ(names(list(f).rows).front(), "zeta_corp%");
  f.ordering = "created_at";
  EXPECT_EQ(names(list(f).rows), (std::vector<std::string>{"Acme", "Europe", "paris", "Berlin",
                                                           "asia", "Globex", "zeta_corp%"}));
  f.ordering = "-created_at";
  EXPECT_EQ(names(list(f).rows).front(), "zeta_corp%");
}

TEST_F(TenantQueries, ListFiltersByParentLevelStatusAndRoots) {
  tenant_filter f;
  f.parent_id = europe;
  EXPECT_EQ(names(list(f).rows), (std::vector<std::string>{"Berlin", "paris"}));
  f = {};
  f.level = 2;
  EXPECT_EQ(names(list(f).rows), (std::vector<std::string>{"asia", "Europe"}));
  f = {};
  f.status = "suspended";
  EXPECT_EQ(names(list(f).rows), (std::vector<std::string>{"Berlin"}));
  f = {};
  f.roots_only = true;
  EXPECT_EQ(names(list(f).rows), (std::vector<std::string>{"Acme", "Globex", "zeta_corp%"}));
  f = {};
  f.parent_id = "not-a-uuid";
  EXPECT_EQ(list(f).count, 0);
}

TEST_F(TenantQueries, SearchMatchesNameAndSlugCaseInsensitively) {
  tenant_filter f;
  f.search = "EUR";
  EXPECT_EQ(names(list(f).rows), (std::vector<std::string>{"Europe"}));
  f.search = "inc";  // only in the slug
  EXPECT_EQ(names(list(f).rows), (std::vector<std::string>{"Globex"}));
  f.search = "%";  // wildcards are literal
  EXPECT_EQ(names(list(f).rows), (std::vector<std::string>{"zeta_corp%"}));
  f.search = "_";
  EXPECT_EQ(names(list(f).rows), (std::vector<std::string>{"zeta_corp%"}));
  f.search = "labs";
  EXPECT_EQ(list(f).count, 0);
  // Name and slug are searched apart: "globex" + "globex-inc" never join into one string.
  f.search = "globexglobex";
  EXPECT_EQ(list(f).count, 0);
  f.search = "globex\x1fglobex";
  EXPECT_EQ(list(f).count, 0);
}

// Each combination of filters is its own prepared statement on the connection; asking
// them in turn on one connection must never answer one with another's statement.
TEST_F(TenantQueries, CombinedFiltersOnOneConnectionAnswerEachForItself) {
  tenant_filter f;
  f.search = "e";
  EXPECT_EQ(names(list(f).rows),
            (std::vector<std::string>{"Acme", "Berlin", "Europe", "Globex", "zeta_corp%"}));
  f.level = 2;
  EXPECT_EQ(names(list(f).rows), (std::vector<std::string>{"Europe"}));
  f.level.reset();
  f.parent_id = europe;
  EXPECT_EQ(names(list(f).rows), (std::vector<std::string>{"Berlin"}));
  f.ordering = "-name";
  f.search = "";
  EXPECT_EQ(names(list(f).rows), (std::vector<std::string>{"paris", "Berlin"}));
  f = {};
  f.search = "e";
  f.roots_only = true;
  EXPECT_EQ(names(list(f).rows), (std::vector<std::string>{"Acme", "Globex", "zeta_corp%"}));
  f.status = "active";
  EXPECT_EQ(list(f).count, 3);
}

TEST_F(TenantQueries, PaginatesWithTheTotalCount) {
  tenant_filter f;
  f.page_size = 3;
  f.page = 1;
  EXPECT_EQ(names(list(f).rows), (std::vector<std::string>{"Acme", "asia", "Berlin"}));
  f.page = 3;
  const tenant_page last = list(f);
  EXPECT_EQ(last.count, 7);
  EXPECT_EQ(names(last.rows), (std::vector<std::string>{"zeta_corp%"}));
  f.page = 4;
  EXPECT_EQ(list(f).count, 7);
  EXPECT_TRUE(list(f).rows.empty());
  f.page = 0;
  f.page_size = 100000;  // clamped
  EXPECT_EQ(list(f).rows.size(), 7u);
}

TEST_F(TenantQueries, WithinRestrictsToTheGivenSubtrees) {
  tenant_filter f;
  f.within = std::vector<std::string>{europe, globex};
  EXPECT_EQ(names(list(f).rows), (std::vector<std::string>{"Berlin", "Europe", "Globex", "paris"}));
  f.within = std::vector<std::string>{europe, paris};  // overlapping subtrees, no duplicates
  EXPECT_EQ(list(f).count, 3);
  f.within = std::vector<std::string>{};
  EXPECT_EQ(list(f).count, 0);
  f.within = std::vector<std::string>{"garbage"};
  EXPECT_EQ(list(f).count, 0);
}

TEST_F(TenantQueries, ChildrenAreLivePaginatedAndByName) {
  const tenant_page kids = list_children(schema.conn(), acme, 1, 20);
  EXPECT_EQ(kids.count, 2);
  EXPECT_EQ(names(kids.rows), (std::vector<std::string>{"asia", "Europe"}));
  EXPECT_EQ(names(list_children(schema.conn(), acme, 2, 1).rows),
            (std::vector<std::string>{"Europe"}));
  EXPECT_EQ(list_children(schema.conn(), globex, 1, 20).count, 0);
  EXPECT_EQ(list_children(schema.conn(), "bogus", 1, 20).count, 0);
}

TEST_F(TenantQueries, AncestorsAreRootFirstWithoutTheTenant) {
  EXPECT_EQ(names(list_ancestors(schema.conn(), paris)),
            (std::vector<std::string>{"Acme", "Europe"}));
  EXPECT_TRUE(list_ancestors(schema.conn(), acme).empty());
  EXPECT_TRUE(list_ancestors(schema.conn(), "bogus").empty());
}

TEST_F(TenantQueries, SubtreePutsParentsBeforeChildrenAndHonoursDepth) {
  const auto all = subtree(schema.conn(), acme, -1);
  ASSERT_EQ(all.size(), 5u);
  EXPECT_EQ(all.front().id, acme);
  for (std::size_t i = 1; i < all.size(); ++i) {
    const auto parent = std::find_if(all.begin(), all.begin() + static_cast<long>(i),
                                     [&](const tenant_row& r) { return r.id == all[i].parent_id; });
    EXPECT_NE(parent, all.begin() + static_cast<long>(i)) << all[i].name;
  }
  EXPECT_EQ(subtree(schema.conn(), acme, 0).size(), 1u);
  EXPECT_EQ(subtree(schema.conn(), acme, 1).size(), 3u);
  EXPECT_EQ(subtree(schema.conn(), globex, -1).size(), 1u);  // the deleted child is gone
  EXPECT_TRUE(subtree(schema.conn(), "bogus", 3).empty());
}

}  // namespace
}  // namespace tenantry::testing
