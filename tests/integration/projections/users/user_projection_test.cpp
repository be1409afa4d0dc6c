#include <gtest/gtest.h>

#include "integration/projections/projection_fixture.hpp"
#include "projections/users/user_queries.hpp"

namespace tenantry::testing {
namespace {

class UserProjection : public ::testing::Test {
 protected:
  void SetUp() override {
    ann = script.register_user("ann@example.com", "Ann Admin", {"super_admin", "platform_admin"});
    script.start_session(ann);
    bob = script.register_user("bob@example.com", "Bob \"the\" Builder");
    cyd = script.register_user("cyd@other.org", "Cyd");
    running_projector projector(log, schema.name());
    projector.await(script.last_offset());
  }

  schema_under_test schema;
  memory_event_log log;
  event_script script{log};
  std::string ann, bob, cyd;
};

TEST_F(UserProjection, RegisteredUserBecomesARow) {
  const auto row = find_user(schema.conn(), ann);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->email, "ann@example.com");
  EXPECT_EQ(row->name, "Ann Admin");
  EXPECT_EQ(row->platform_roles, (std::vector<std::string>{"super_admin", "platform_admin"}));
  EXPECT_TRUE(row->is_active);
  EXPECT_EQ(row->version, 1);
  EXPECT_EQ(row->created_at, row->updated_at);
  EXPECT_EQ(find_user(schema.conn(), bob)->name, "Bob \"the\" Builder");
  EXPECT_TRUE(find_user(schema.conn(), bob)->platform_roles.empty());
}

TEST_F(UserProjection, PasswordHashNeverReachesTheReadModel) {
  EXPECT_EQ(
      schema.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" +
                   schema.name() + "' AND table_name = 'users' AND column_name LIKE '%pass%'"),
      0);
  EXPECT_EQ(schema.count("SELECT count(*) FROM users WHERE users::text LIKE '%argon2%'"), 0);
}

TEST_F(UserProjection, SessionEventsAreArchivedOnly) {
  EXPECT_EQ(schema.count("SELECT count(*) FROM events WHERE type LIKE '%session%'"), 1);
  EXPECT_EQ(schema.count("SELECT count(*) FROM users"), 3);
}

TEST_F(UserProjection, FindByEmailIgnoresCase) {
  EXPECT_EQ(find_user(schema.conn(), "ANN@Example.com")->id, ann);
  EXPECT_EQ(find_user(schema.conn(), "nobody@example.com"), std::nullopt);
  EXPECT_EQ(find_user(schema.conn(), "00000000-0000-7000-8000-000000000000"), std::nullopt);
}

TEST_F(UserProjection, ListSearchesFiltersAndPaginates) {
  user_filter f;
  EXPECT_EQ(emails(list_users(schema.conn(), f)),
            (std::vector<std::string>{"ann@example.com", "bob@example.com", "cyd@other.org"}));
  f.search = "EXAMPLE";
  EXPECT_EQ(list_users(schema.conn(), f).count, 2);
  f.search = "builder";
  EXPECT_EQ(emails(list_users(schema.conn(), f)), (std::vector<std::string>{"bob@example.com"}));
  f.search = "";
  f.is_active = false;
  EXPECT_EQ(list_users(schema.conn(), f).count, 0);
  f.is_active = true;
  f.ordering = "-email";
  f.page_size = 2;
  f.page = 2;
  const user_page page = list_users(schema.conn(), f);
  EXPECT_EQ(page.count, 3);
  EXPECT_EQ(emails(page), (std::vector<std::string>{"ann@example.com"}));
}

}  // namespace
}  // namespace tenantry::testing
