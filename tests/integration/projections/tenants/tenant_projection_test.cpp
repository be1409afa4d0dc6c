#include <gtest/gtest.h>

#include "integration/projections/projection_fixture.hpp"
#include "projections/tenants/tenant_queries.hpp"

namespace tenantry::testing {
namespace {

tenant_row get(pqxx::connection& conn, const std::string& ref) {
  auto row = find_tenant(conn, ref, /*include_deleted=*/true);
  EXPECT_TRUE(row) << ref;
  return row.value_or(tenant_row{});
}

std::string path_of(schema_under_test& schema, const std::string& id) {
  return schema.query("SELECT path::text FROM tenants WHERE id = '" + id + "'")[0][0]
      .as<std::string>();
}

std::string label(std::string id) {
  std::erase(id, '-');
  return id;
}

TEST(TenantProjection, CreatedTenantsFormAHierarchy) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  const auto acme = script.create("Acme Corp");
  const auto eu = script.create("Europe", acme);
  const auto paris = script.create("Paris", eu);
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());

  const tenant_row root = get(schema.conn(), acme);
  EXPECT_EQ(root.slug, "acme-corp");
  EXPECT_EQ(root.name, "Acme Corp");
  EXPECT_EQ(root.description, "about Acme Corp");
  EXPECT_EQ(root.parent_id, std::nullopt);
  EXPECT_EQ(root.level, 1);
  EXPECT_EQ(root.status, "active");
  EXPECT_EQ(root.effective_status, "active");
  EXPECT_FALSE(root.is_deleted);
  EXPECT_EQ(root.version, 1);
  EXPECT_EQ(root.created_at, root.updated_at);

  const tenant_row leaf = get(schema.conn(), "paris");
  EXPECT_EQ(leaf.id, paris);
  EXPECT_EQ(leaf.parent_id, eu);
  EXPECT_EQ(leaf.level, 3);
  EXPECT_GT(leaf.created_at, root.created_at);
  EXPECT_EQ(path_of(schema, paris), label(acme) + "." + label(eu) + "." + label(paris));
}

TEST(TenantProjection, ResultDoesNotDependOnBatchSize) {
  memory_event_log log;
  event_script script(log);
  const auto a = script.create("A");
  const auto b = script.create("B", a);
  const auto c = script.create("C", b);
  script.create("D", c);
  const auto x = script.create("X");
  script.suspend(x);
  script.create("Y", x);
  script.move(b, a, x);
  script.create("E", b);
  script.update(c, "C renamed");
  script.deactivate(a);
  script.create("F", a);

  schema_under_test one_by_one;
  schema_under_test all_at_once;
  {
    projector_options small;
    small.batch_size = 1;
    running_projector p1(log, one_by_one.name(), small);
    running_projector p2(log, all_at_once.name());
    p1.await(script.last_offset());
    p2.await(script.last_offset());
  }
  EXPECT_EQ(dump_tenants(one_by_one.conn()), dump_tenants(all_at_once.conn()));
  EXPECT_EQ(one_by_one.count("SELECT count(*) FROM tenants"), 8);
}

// Within a batch, changes to existing rows are merged per tenant and the effective status
// is recomputed once at the end: every mix must still give what one event at a time gives.
TEST(TenantProjection, MergedChangesEqualOneEventAtATime) {
  memory_event_log log;
  event_script script(log);
  const auto a = script.create("A");
  const auto b = script.create("B", a);
  const auto c = script.create("C", b);
  const auto d = script.create("D", c);
  const auto x = script.create("X");
  script.update(b, "B1");
  script.update(b, std::nullopt, "b described");
  script.suspend(b);  // suspended and resumed again: nothing below changes
  script.resume(b);
  script.suspend(c);      // stays suspended
  script.deactivate(a);   // above a suspended one: both change in the same batch
  script.create("E", d);  // born under an inactive ancestor
  script.update(c, std::nullopt, std::nullopt, "c-new");  // a slug change frees "c"...
  const auto c2 = script.create("C", x);                  // ...and a creation takes it
  script.suspend(x);
  script.update(x, "X1");
  script.remove(d, "del-1", d);
  script.activate(a);
  script.move(c, b, x);  // a move between merged changes
  script.resume(c);
  script.suspend(c2);
  script.remove(c2, "del-2", c2);
  script.record(a, "tenant", tenant_configured{tenant_id{a}, nlohmann::json{{"theme", "dark"}}});
  script.record(a, "tenant", tenant_configured{tenant_id{a}, nlohmann::json{{"theme", "light"}}});
  // Metadata: merged with other changes, beside a slug change, and emptied again.
  script.record(a, "tenant",
                tenant_updated{tenant_id{a}, std::nullopt, std::nullopt, std::nullopt,
                               metadata_map{{"region", "eu"}}});
  script.record(
      b, "tenant",
      tenant_updated{tenant_id{b}, "B2", std::nullopt, "b-new", metadata_map{{"tier", "gold"}}});
  script.record(a, "tenant",
                tenant_updated{tenant_id{a}, std::nullopt, std::nullopt, std::nullopt,
                               metadata_map{{"region", "us"}, {"owner", "ops"}}});
  script.record(
      b, "tenant",
      tenant_updated{tenant_id{b}, std::nullopt, "b again", std::nullopt, metadata_map{}});

  schema_under_test one_by_one;
  schema_under_test all_at_once;
  schema_under_test in_threes;
  {
    projector_options single;
    single.batch_size = 1;
    projector_options three;
    three.batch_size = 3;
    running_projector p1(log, one_by_one.name(), single);
    running_projector p2(log, all_at_once.name());
    running_projector p3(log, in_threes.name(), three);
    p1.await(script.last_offset());
    p2.await(script.last_offset());
    p3.await(script.last_offset());
  }
  const auto expected = dump_tenants(one_by_one.conn());
  EXPECT_EQ(dump_tenants(all_at_once.conn()), expected);
  EXPECT_EQ(dump_tenants(in_threes.conn()), expected);
  const tenant_row leaf = get(all_at_once.conn(), d);
  EXPECT_TRUE(leaf.is_deleted);
  EXPECT_EQ(leaf.effective_status, "suspended");  // under X, suspended
  EXPECT_EQ(get(all_at_once.conn(), b).name, "B2");
  EXPECT_EQ(get(all_at_once.conn(), b).description, "b again");
  EXPECT_TRUE(get(all_at_once.conn(), b).metadata.empty());
  EXPECT_EQ(get(all_at_once.conn(), a).metadata,
            (metadata_map{{"owner", "ops"}, {"region", "us"}}));
  EXPECT_EQ(get(all_at_once.conn(), b).effective_status, "active");
  EXPECT_EQ(get(all_at_once.conn(), "c-new").status, "active");
}

TEST(TenantProjection, UpdateChangesOnlyTheFieldsItCarries) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  const auto t = script.create("Old Name");
  script.update(t, "New Name");
  script.update(t, std::nullopt, "new description");
  script.update(t, std::nullopt, std::nullopt, "new-slug");
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());

  const tenant_row row = get(schema.conn(), t);
  EXPECT_EQ(row.name, "New Name");
  EXPECT_EQ(row.description, "new description");
  EXPECT_EQ(row.slug, "new-slug");
  EXPECT_EQ(row.version, 4);
  EXPECT_EQ(row.updated_at, script.now());
  EXPECT_LT(row.created_at, row.updated_at);
}

// Metadata from tenant_created, kept by a restore (rebuilt from the archive), and with
// U+0000 (which jsonb cannot hold) mapped to U+FFFD in keys and values.
TEST(TenantProjection, MetadataIsStoredAndRestoredAsTheLogSays) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  const std::string t = new_uuid_v7();
  script.record(t, "tenant",
                tenant_created{tenant_id{t}, "meta", "Meta", "", std::nullopt,
                               metadata_map{{"region", "eu"},
                                            {std::string("k\0ey", 4), std::string("v\0", 2)}}});
  script.remove(t, "del-1", t);
  script.restore(t, "del-1");
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());
  const tenant_row row = get(schema.conn(), t);
  EXPECT_FALSE(row.is_deleted);
  EXPECT_EQ(row.metadata, (metadata_map{{"region", "eu"},
                                        {"k\xEF\xBF\xBD"
                                         "ey",
                                         "v\xEF\xBF\xBD"}}));
}

// The configuration a restore rebuilds from the archive, and U+0000 mapped in its keys and
// strings (jsonb holds none).
TEST(TenantProjection, ConfigurationIsStoredAndRestored) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  const auto t = script.create("Configured");
  script.record(t, "tenant",
                tenant_configured{tenant_id{t}, nlohmann::json{{std::string("k\0", 2),
                                                                {{"v", std::string("x\0", 2)}}}}});
  script.remove(t, "del-1", t);
  script.restore(t, "del-1");
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());
  const auto stored = nlohmann::json::parse(
      schema.query("SELECT configuration::text FROM tenants WHERE id = '" + t + "'")[0][0]
          .as<std::string>());
  EXPECT_EQ(stored, (nlohmann::json{{"k\xEF\xBF\xBD", {{"v", "x\xEF\xBF\xBD"}}}}));
  EXPECT_FALSE(get(schema.conn(), t).is_deleted);
}

// Flags are rows of their own: a set replaces, a removal deletes, the tenant's version moves
// with each, and a delete and restore of the tenant leave them as they were.
TEST(TenantProjection, FeatureFlagsAreRowsThatADeleteAndRestoreLeave) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  const auto t = script.create("Flagged");
  script.record(t, "tenant", tenant_feature_flag_set{tenant_id{t}, "beta", true, "first"});
  script.record(
      t, "tenant",
      tenant_feature_flag_set{tenant_id{t}, "beta", nlohmann::json{{"pct", 5}}, "second"});
  script.record(t, "tenant", tenant_feature_flag_set{tenant_id{t}, "gone", 1, ""});
  script.record(t, "tenant", tenant_feature_flag_removed{tenant_id{t}, "gone"});
  script.record(t, "tenant", tenant_feature_flag_set{tenant_id{t}, "nul", nullptr, ""});
  script.remove(t, "del-1", t);
  script.restore(t, "del-1");
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());
  const auto rows = schema.query(
      "SELECT key, value::text, description, created_at <= updated_at FROM tenant_feature_flags"
      " WHERE tenant_id = '" +
      t + "' ORDER BY key");
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0][0].as<std::string>(), "beta");
  EXPECT_EQ(nlohmann::json::parse(rows[0][1].as<std::string>()), (nlohmann::json{{"pct", 5}}));
  EXPECT_EQ(rows[0][2].as<std::string>(), "second");
  EXPECT_TRUE(rows[0][3].as<bool>());
  EXPECT_EQ(rows[1][0].as<std::string>(), "nul");
  EXPECT_EQ(rows[1][1].as<std::string>(), "null");
  EXPECT_EQ(get(schema.conn(), t).version, 8);  // created, five flag events, delete, restore
  EXPECT_FALSE(get(schema.conn(), t).is_deleted);
}

TEST(TenantProjection, MoveRewritesPathAndLevelOfTheWholeSubtree) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  const auto a = script.create("A");
  const auto b = script.create("B", a);
  const auto c = script.create("C", b);
  const auto d = script.create("D", c);
  const auto x = script.create("X");
  const auto y = script.create("Y", x);
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());

  script.move(b, a, y);  // B, C, D go from under A to under X/Y
  projector.await(script.last_offset());
  EXPECT_EQ(get(schema.conn(), b).parent_id, y);
  EXPECT_EQ(get(schema.conn(), b).level, 3);
  EXPECT_EQ(get(schema.conn(), b).version, 2);
  EXPECT_EQ(get(schema.conn(), c).level, 4);
  EXPECT_EQ(get(schema.conn(), c).version, 1);  // a descendant's own aggregate did not change
  EXPECT_EQ(get(schema.conn(), d).level, 5);
  EXPECT_EQ(path_of(schema, d),
            label(x) + "." + label(y) + "." + label(b) + "." + label(c) + "." + label(d));

  script.move(c, b, std::nullopt);  // C becomes a root
  projector.await(script.last_offset());
  EXPECT_EQ(get(schema.conn(), c).parent_id, std::nullopt);
  EXPECT_EQ(get(schema.conn(), c).level, 1);
  EXPECT_EQ(get(schema.conn(), d).level, 2);
  EXPECT_EQ(path_of(schema, d), label(c) + "." + label(d));
  EXPECT_EQ(get(schema.conn(), a).level, 1);
  EXPECT_EQ(path_of(schema, a), label(a));
}

TEST(TenantProjection, EffectiveStatusIsInheritedFromTheWorstAncestor) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  const auto root = script.create("Root");
  const auto mid = script.create("Mid", root);
  const auto leaf = script.create("Leaf", mid);
  const auto other = script.create("Other");
  running_projector projector(log, schema.name());
  auto effective = [&](const std::string& id) {
    projector.await(script.last_offset());
    return get(schema.conn(), id).effective_status;
  };

  script.suspend(root);
  EXPECT_EQ(effective(leaf), "suspended");
  EXPECT_EQ(get(schema.conn(), leaf).status, "active");
  EXPECT_EQ(get(schema.conn(), root).status, "suspended");

  script.deactivate(mid);  // inactive wins over an ancestor's suspension
  EXPECT_EQ(effective(leaf), "inactive");
  EXPECT_EQ(effective(mid), "inactive");
  EXPECT_EQ(effective(root), "suspended");

  script.resume(root);
  EXPECT_EQ(effective(root), "active");
  EXPECT_EQ(effective(leaf), "inactive");

  script.activate(mid);
  EXPECT_EQ(effective(leaf), "active");

  script.suspend(other);
  const auto child = script.create("Born Suspended", other);  // inherits at creation
  EXPECT_EQ(effective(child), "suspended");
  script.move(mid, root, other);  // moving under a suspended parent suspends the subtree
  EXPECT_EQ(effective(leaf), "suspended");
  script.move(mid, other, root);
  EXPECT_EQ(effective(leaf), "active");
  EXPECT_EQ(get(schema.conn(), root).version, 3);
}

TEST(TenantProjection, DeleteKeepsTheRowAndItsSlug) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  const auto root = script.create("Root");
  const auto child = script.create("Child", root);
  script.remove(child, "del-1", child);
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());

  EXPECT_EQ(find_tenant(schema.conn(), child, false), std::nullopt);
  EXPECT_EQ(find_tenant(schema.conn(), "child", false), std::nullopt);
  const tenant_row deleted = get(schema.conn(), "child");
  EXPECT_TRUE(deleted.is_deleted);
  EXPECT_EQ(deleted.version, 2);
  EXPECT_EQ(deleted.updated_at, script.now());
  EXPECT_EQ(schema.count("SELECT count(*) FROM tenants WHERE deletion_id = 'del-1' AND "
                         "deleted_at IS NOT NULL"),
            1);
  EXPECT_EQ(list_children(schema.conn(), root, 1, 20).count, 0);
}

TEST(TenantProjection, RestoreBringsBackTheSubtreeAsItWas) {
  schema_under_test schema;
  memory_event_log log;
  event_script script(log);
  const auto root = script.create("Root");
  const auto a = script.create("A", root);
  const auto b = script.create("B", a);
  script.suspend(a);
  script.update(b, "B renamed");
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());
  const tenant_row a_before = get(schema.conn(), a);
  const tenant_row b_before = get(schema.conn(), b);

  script.remove(b, "del-7", a);
  script.remove(a, "del-7", a);
  projector.await(script.last_offset());
  script.restore(a, "del-7");
  script.restore(b, "del-7");
  projector.await(script.last_offset());

  const tenant_row a_after = get(schema.conn(), a);
  const tenant_row b_after = get(schema.conn(), b);
  EXPECT_FALSE(a_after.is_deleted);
  EXPECT_FALSE(b_after.is_deleted);
  EXPECT_EQ(a_after.version, a_before.version + 2);
  EXPECT_EQ(b_after.version, b_before.version + 2);
  EXPECT_EQ(b_after.name, "B renamed");
  EXPECT_EQ(a_after.status, "suspended");
  EXPECT_EQ(b_after.effective_status, "suspended");
  EXPECT_EQ(b_after.level, 3);
  EXPECT_EQ(a_after.created_at, a_before.created_at);
  EXPECT_EQ(schema.count("SELECT count(*) FROM tenants WHERE deletion_id IS NOT NULL OR "
                         "deleted_at IS NOT NULL"),
            0);
  EXPECT_EQ(subtree(schema.conn(), root, -1).size(), 3u);
}

TEST(TenantProjection, RestoreRebuildsRowFromArchive) {
  memory_event_log log;
  event_script script(log);
  const auto root = script.create("Root");
  const auto t = script.create("Target", root);
  const auto kid = script.create("Kid", t);
  script.update(t, "Target renamed", "described");
  script.deactivate(t);
  const auto other = script.create("Other");
  script.move(t, root, other);
  script.remove(kid, "del-9", t);
  script.remove(t, "del-9", t);

  schema_under_test scribbled;
  running_projector projector(log, scribbled.name());
  projector.await(script.last_offset());
  // Vandalise the deleted row: every column the restore must rebuild from history.
  scribbled.query(
      "UPDATE tenants SET name = 'garbage', slug = 'garbage', description = 'garbage',"
      " status = 'suspended', effective_status = 'active', parent_id = NULL, level = 42,"
      " path = 'garbage', version = 999, created_at = now(), updated_at = now()"
      " WHERE id = '" +
      t + "'");
  script.restore(t, "del-9");
  script.restore(kid, "del-9");
  projector.await(script.last_offset());

  // A second schema projects the same log untouched: the rebuilt rows must equal it.
  schema_under_test clean;
  running_projector reference(log, clean.name());
  reference.await(script.last_offset());
  EXPECT_EQ(dump_tenants(scribbled.conn()), dump_tenants(clean.conn()));

  const tenant_row row = get(scribbled.conn(), t);
  EXPECT_EQ(row.name, "Target renamed");
  EXPECT_EQ(row.slug, "target");
  EXPECT_EQ(row.description, "described");
  EXPECT_EQ(row.parent_id, other);
  EXPECT_EQ(row.level, 2);
  EXPECT_EQ(row.status, "inactive");
  EXPECT_EQ(row.effective_status, "inactive");
  EXPECT_EQ(row.version, 6);
  EXPECT_FALSE(row.is_deleted);
  EXPECT_EQ(get(scribbled.conn(), kid).level, 3);
  EXPECT_EQ(get(scribbled.conn(), kid).effective_status, "inactive");
}

// A restore folds the tenant's history from the archive: one it cannot read whole would
// restore a row that never was, so the restore's batch fails (and is retried) instead.
TEST(TenantProjection, RestoreOfAHistoryWithAnUndecodableEventFailsItsBatch) {
  memory_event_log log;
  event_script script(log);
  const auto t = script.create("Target");
  script.remove(t, "del-1", t);
  // An event of the tenant this build cannot decode: the projector only archives it.
  stored_event unreadable = log.events().back();
  unreadable.meta.event_id = new_uuid_v7();
  unreadable.type = "tenantry.tenant.updated.v1";
  unreadable.data = R"({"id": 42})";
  const std::int64_t archived = log.append_stored(unreadable);

  schema_under_test schema;
  running_projector projector(log, schema.name());
  projector.await(archived);
  script.restore(t, "del-1");
  EXPECT_FALSE(projector.get().wait_for(script.last_offset(), std::chrono::seconds(3)))
      << "the restore's batch was applied over a history it could not decode";
  EXPECT_EQ(projector.get().position(), script.last_offset());
  EXPECT_TRUE(get(schema.conn(), t).is_deleted);
}

TEST(TenantProjection, RestoreOfATenantTheArchiveNeverCreatedFailsItsBatch) {
  memory_event_log log;
  event_script script(log);
  const auto t = script.create("Target");
  schema_under_test schema;
  running_projector projector(log, schema.name());
  projector.await(script.last_offset());
  const std::int64_t before = script.last_offset();
  script.restore(new_uuid_v7(), "del-1");  // no tenant_created for it anywhere
  EXPECT_FALSE(projector.get().wait_for(script.last_offset(), std::chrono::seconds(3)));
  EXPECT_EQ(projector.get().position(), before + 1);
  EXPECT_FALSE(get(schema.conn(), t).is_deleted);
}

}  // namespace
}  // namespace tenantry::testing
