// The API tokens read model against the real PostgreSQL: hashes only, the credential
// lookup of authentication, the token lists, and the archive's record of who acted
// through a token.

#include <gtest/gtest.h>

#include <algorithm>

#include <pqxx/transaction>

#include "integration/projections/projection_fixture.hpp"
#include "projections/event_archive.hpp"
#include "projections/object_queries.hpp"
#include "projections/tokens/token_queries.hpp"

namespace tenantry::testing {
namespace {

using namespace std::chrono_literals;

const std::string kHash(64, 'c');

class TokenProjection : public ::testing::Test {
 protected:
  void SetUp() override {
    org = script.create("Org");
    child = script.create("Child", org);
    other = script.create("Other");
    ann = script.register_user("ann@example.com", "Ann", {"platform_admin"});
    ci = token(org, "ci-deploy", kHash, {"site.read", "tenant.read"}, script.now() + 1h);
    old = token(org, "old", std::string(64, 'd'), {"tenant.read"}, script.now() - 1h);
    gone = token(org, "gone", std::string(64, 'e'), {"tenant.read"}, script.now() + 1h);
    append(gone, 2, token_revoked{token_id{gone}, "revoked"}, ci);
    below = token(child, "below", std::string(64, 'f'), {"tenant.read"}, script.now() + 1h);
    running_projector projector(log, schema.name());
    projector.await(offset);
  }

  std::string token(const std::string& tenant, const std::string& name, const std::string& hash,
                    std::vector<std::string> scopes, timestamp expires_at) {
    const std::string id = new_uuid_v7();
    append(id, 1,
           token_issued{token_id{id}, tenant_id{tenant}, user_id{ann}, name, "about " + name,
                        std::move(scopes), hash, "tnt_" + name.substr(0, 4), expires_at});
    return id;
  }

  // An event the way the writer records one sent through API token `via` (if any).
  void append(const std::string& id, std::int64_t version, event data,
              const std::string& via = "") {
    recorded_event e;
    e.meta.event_id = new_uuid_v7();
    e.meta.subject = id;
    e.meta.aggregate_type = "token";
    e.meta.aggregate_version = version;
    e.meta.time = script.now() + std::chrono::seconds(++appended);  // in issuing order
    e.meta.actor = ann;
    e.meta.actor_token = via;
    e.meta.partition_key = org;
    e.data = std::move(data);
    auto offsets = log.append({e});
    ASSERT_TRUE(offsets) << offsets.error().message;
    offset = offsets->back();
  }

  token_filter filter(std::optional<std::string> status = std::nullopt) const {
    return token_filter{org, std::move(status), "", script.now(), 1, 20};
  }

  schema_under_test schema{"tokens"};
  memory_event_log log;
  event_script script{log};
  std::string org, child, other, ann, ci, old, gone, below;
  std::int64_t offset = -1;
  int appended = 0;
};

TEST_F(TokenProjection, KeepsTheHashAndThePrefixNeverASecret) {
  const auto row = find_token(schema.conn(), org, ci);
  ASSERT_TRUE(row);
  EXPECT_EQ(row->name, "ci-deploy");
  EXPECT_EQ(row->created_by, ann);
  EXPECT_EQ(row->scopes, (std::vector<std::string>{"site.read", "tenant.read"}));
  EXPECT_EQ(row->prefix, "tnt_ci-d");
  EXPECT_FALSE(row->is_revoked);
  EXPECT_EQ(row->version, 1);
  EXPECT_EQ(schema.count("SELECT count(*) FROM api_tokens WHERE secret_hash = '" + kHash + "'"), 1);
  EXPECT_EQ(schema.count("SELECT count(*) FROM information_schema.columns WHERE table_schema = '" +
                         schema.name() +
                         "' AND table_name = 'api_tokens' AND column_name LIKE "
                         "'%secret%' AND column_name <> 'secret_hash'"),
            0);
  // Only on its own tenant.
  EXPECT_FALSE(find_token(schema.conn(), child, ci));
  EXPECT_FALSE(find_token(schema.conn(), org, "not-a-uuid"));
}

TEST_F(TokenProjection, RevocationIsRecordedWithItsReasonAndWhoActed) {
  const auto row = find_token(schema.conn(), org, gone);
  ASSERT_TRUE(row);
  EXPECT_TRUE(row->is_revoked);
  EXPECT_EQ(row->revoked_reason, "revoked");
  EXPECT_TRUE(row->revoked_at);
  EXPECT_EQ(row->version, 2);
  // The archive names the token the revocation was sent through, beside its creator.
  const auto r = schema.query("SELECT actor, actor_token FROM events WHERE subject = '" + gone +
                              "' AND type = 'tenantry.token.revoked.v1'");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0][0].as<std::string>(), ann);
  EXPECT_EQ(r[0][1].as<std::string>(), ci);
  EXPECT_EQ(schema.count("SELECT count(*) FROM events WHERE subject = '" + ci +
                         "' AND actor_token IS NULL"),
            1);
  pqxx::work tx(schema.conn());
  const auto history = archived_history(tx, gone, offset);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[1].meta.actor_token, ci);
}

TEST_F(TokenProjection, TheCredentialLookupFindsLiveTenantsTokensWithTheirCreator) {
  const auto found = find_token_credential(schema.conn(), kHash);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->id, ci);
  EXPECT_EQ(found->tenant_id, org);
  EXPECT_EQ(found->created_by, ann);
  EXPECT_EQ(found->creator_platform_roles, std::vector<std::string>{"platform_admin"});
  EXPECT_TRUE(found->creator_active);
  EXPECT_FALSE(found->is_revoked);
  EXPECT_TRUE(find_token_credential(schema.conn(), std::string(64, 'e'))->is_revoked);
  EXPECT_FALSE(find_token_credential(schema.conn(), std::string(64, '0')));
  // Twice on the same connection: the statement is prepared once.
  EXPECT_TRUE(find_token_credential(schema.conn(), kHash));
  // A deleted tenant's tokens are not found.
  script.remove(child, "del-1", child);
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());
  EXPECT_FALSE(find_token_credential(schema.conn(), std::string(64, 'f')));
}

// What a check of a token's access reads: the token by id with its creator, and the token
// as an object of its tenant (revoked ones too), until the tenant is deleted.
TEST_F(TokenProjection, ATokenByIdAndAsAnObjectOfItsTenant) {
  const auto found = find_token_credential_by_id(schema.conn(), ci);
  ASSERT_TRUE(found);
  EXPECT_EQ(found->tenant_id, org);
  EXPECT_EQ(found->created_by, ann);
  EXPECT_EQ(found->scopes, (std::vector<std::string>{"site.read", "tenant.read"}));
  EXPECT_EQ(found->creator_platform_roles, std::vector<std::string>{"platform_admin"});
  EXPECT_TRUE(find_token_credential_by_id(schema.conn(), gone)->is_revoked);
  EXPECT_FALSE(find_token_credential_by_id(schema.conn(), "not-a-uuid"));
  EXPECT_FALSE(find_token_credential_by_id(schema.conn(), new_uuid_v7()));
  const auto owner = find_object_owner(schema.conn(), "token", below);
  ASSERT_TRUE(owner);
  EXPECT_EQ(owner->id, below);
  EXPECT_EQ(owner->path, (std::vector<std::string>{org, child}));
  EXPECT_TRUE(find_object_owner(schema.conn(), "token", gone));
  script.remove(child, "del-2", child);
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());
  EXPECT_FALSE(find_token_credential_by_id(schema.conn(), below));
  EXPECT_FALSE(find_object_owner(schema.conn(), "token", below));
}

TEST_F(TokenProjection, ListsFilterByStatusAndNameNewestFirst) {
  auto all = list_tokens(schema.conn(), filter());
  EXPECT_EQ(all.count, 3);
  ASSERT_EQ(all.rows.size(), 3u);
  EXPECT_EQ(all.rows[0].id, gone);  // issued last
  EXPECT_EQ(list_tokens(schema.conn(), filter("active")).rows.at(0).id, ci);
  EXPECT_EQ(list_tokens(schema.conn(), filter("active")).count, 1);
  EXPECT_EQ(list_tokens(schema.conn(), filter("expired")).rows.at(0).id, old);
  EXPECT_EQ(list_tokens(schema.conn(), filter("revoked")).rows.at(0).id, gone);
  auto named = filter();
  named.search = "DEPLOY";
  EXPECT_EQ(list_tokens(schema.conn(), named).count, 1);
  auto paged = filter();
  paged.page_size = 2;
  paged.page = 2;
  auto second = list_tokens(schema.conn(), paged);
  EXPECT_EQ(second.count, 3);
  ASSERT_EQ(second.rows.size(), 1u);
  EXPECT_EQ(second.rows[0].id, ci);
}

TEST_F(TokenProjection, TenantsWithinASubtree) {
  auto within = tenants_within(schema.conn(), org, {child, other, org, "not-a-uuid"});
  std::ranges::sort(within);
  std::vector<std::string> expected{org, child};
  std::ranges::sort(expected);
  EXPECT_EQ(within, expected);
  EXPECT_TRUE(tenants_within(schema.conn(), child, {org, other}).empty());
}

}  // namespace
}  // namespace tenantry::testing
