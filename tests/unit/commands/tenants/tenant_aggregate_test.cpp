#include "unit/commands/aggregate_fixture.hpp"

namespace tenantry::testing {
namespace {

using CreateTenant = aggregate_test;
using UpdateTenant = aggregate_test;
using MoveTenant = aggregate_test;
using TenantLifecycle = aggregate_test;
using DeleteTenant = aggregate_test;
using RestoreTenant = aggregate_test;

TEST_F(CreateTenant, GeneratesSlugFromName) {
  auto events = accept(create_tenant{"Acme Corporation", {}, "", {}});
  const auto& created = std::get<tenant_created>(events.at(0));
  EXPECT_EQ(created.slug, "acme-corporation");
  EXPECT_EQ(created.name, "Acme Corporation");
  EXPECT_FALSE(created.parent);
}

TEST_F(CreateTenant, NumbersGeneratedSlugsThatAreTaken) {
  accept(create_tenant{"Acme", {}, "", {}});
  auto second = accept(create_tenant{"ACME", {}, "", {}});
  auto third = accept(create_tenant{"acme!", {}, "", {}});
  EXPECT_EQ(std::get<tenant_created>(second.at(0)).slug, "acme-2");
  EXPECT_EQ(std::get<tenant_created>(third.at(0)).slug, "acme-3");
}

TEST_F(CreateTenant, RejectsExplicitSlugThatIsTaken) {
  accept(create_tenant{"Acme", {}, "", {}});
  EXPECT_ERROR(when(create_tenant{"Other", "acme", "", {}}), "slug_taken");
}

TEST_F(CreateTenant, RejectsInvalidExplicitSlug) {
  EXPECT_ERROR(when(create_tenant{"Other", "Not Valid", "", {}}), "validation_error");
  EXPECT_ERROR(when(create_tenant{"Other", "a--b", "", {}}), "validation_error");
}

TEST_F(CreateTenant, RejectsEmptyName) {
  EXPECT_ERROR(when(create_tenant{"   ", {}, "", {}}), "validation_error");
}

TEST_F(CreateTenant, RejectsControlCharactersInTheName) {
  EXPECT_ERROR(when(create_tenant{"Acme\x1f"
                                  "Corp",
                                  {},
                                  "",
                                  {}}),
               "validation_error");
  EXPECT_ERROR(when(create_tenant{"Acme\nCorp", {}, "", {}}), "validation_error");
  EXPECT_ERROR(when(create_tenant{"Acme\x7f", {}, "", {}}), "validation_error");
  accept(create_tenant{"Acme Übersee 東京", {}, "", {}});
}

TEST_F(CreateTenant, DeletedTenantKeepsItsSlug) {
  auto events = accept(create_tenant{"Acme", {}, "", {}});
  accept(delete_tenant{created_id(events), false, {}});
  EXPECT_ERROR(when(create_tenant{"Acme 2", "acme", "", {}}), "slug_taken");
  auto again = accept(create_tenant{"Acme", {}, "", {}});
  EXPECT_EQ(std::get<tenant_created>(again.at(0)).slug, "acme-2");
}

TEST_F(CreateTenant, ChildNeedsLiveActiveParent) {
  auto root = created_id(accept(create_tenant{"Root", {}, "", {}}));
  auto child = accept(create_tenant{"Child", {}, "", "root"});
  EXPECT_EQ(std::get<tenant_created>(child.at(0)).parent->value, root);
  EXPECT_ERROR(when(create_tenant{"X", {}, "", "missing"}), "validation_error");
  accept(change_tenant_lifecycle{"root", lifecycle_action::suspend, "", {}});
  EXPECT_ERROR(when(create_tenant{"X", {}, "", "child"}), "parent_not_active");
}

TEST_F(CreateTenant, RejectsHierarchyDeeperThanMaximum) {
  accept(create_tenant{"L1", {}, "", {}});
  accept(create_tenant{"L2", {}, "", "l1"});
  accept(create_tenant{"L3", {}, "", "l2"});
  accept(create_tenant{"L4", {}, "", "l3"});
  EXPECT_ERROR(when(create_tenant{"L5", {}, "", "l4"}), "hierarchy_too_deep");
}

TEST_F(UpdateTenant, RenameKeepsSlugUnlessSlugIsSent) {
  accept(create_tenant{"Acme", {}, "", {}});
  auto renamed = accept(update_tenant{"acme", "Acme Inc", {}, {}, {}});
  const auto& e = std::get<tenant_updated>(renamed.at(0));
  EXPECT_EQ(*e.name, "Acme Inc");
  EXPECT_FALSE(e.slug);
  accept(update_tenant{"acme", {}, {}, "acme-inc", {}});
  EXPECT_NE(model.tenants.resolve("acme-inc"), nullptr);
  EXPECT_EQ(model.tenants.resolve("acme"), nullptr);
}

TEST_F(UpdateTenant, RejectsStaleVersion) {
  accept(create_tenant{"Acme", {}, "", {}});
  EXPECT_ERROR(when(update_tenant{"acme", "New", {}, {}, 7}), "version_conflict");
  EXPECT_TRUE(when(update_tenant{"acme", "New", {}, {}, 1}).has_value());
}

// A malformed change is 400 whatever version it names: the form is checked first.
TEST_F(UpdateTenant, AMalformedChangeIsAValidationErrorEvenAtAStaleVersion) {
  accept(create_tenant{"Acme", {}, "", {}});
  EXPECT_ERROR(when(update_tenant{"acme", {}, {}, "Not A Slug", 7}), "validation_error");
  EXPECT_ERROR(when(update_tenant{"acme", " ", {}, {}, 7}), "validation_error");
  EXPECT_ERROR(when(update_tenant{"acme", {}, std::string(2001, 'd'), {}, 7}), "validation_error");
  EXPECT_ERROR(when(update_tenant{"acme", "Fine", {}, {}, 7}), "version_conflict");
}

TEST_F(UpdateTenant, UnchangedFieldsProduceNoEvent) {
  accept(create_tenant{"Acme", {}, "desc", {}});
  auto r = when(update_tenant{"acme", "Acme", "desc", "acme", {}});
  ASSERT_TRUE(r.has_value());
  EXPECT_TRUE(r->empty());
}

TEST_F(UpdateTenant, RejectsChangesToInactiveSubtree) {
  accept(create_tenant{"Root", {}, "", {}});
  accept(create_tenant{"Child", {}, "", "root"});
  accept(change_tenant_lifecycle{"root", lifecycle_action::deactivate, "", {}});
  EXPECT_ERROR(when(update_tenant{"child", "New", {}, {}, {}}), "tenant_not_active");
}

TEST_F(UpdateTenant, UnknownTenantIsNotFound) {
  EXPECT_ERROR(when(update_tenant{"nobody", "New", {}, {}, {}}), "not_found");
}

TEST_F(MoveTenant, MovesBelowAnotherParent) {
  accept(create_tenant{"A", {}, "", {}});
  accept(create_tenant{"B", {}, "", {}});
  auto child = created_id(accept(create_tenant{"C", {}, "", "a"}));
  auto moved = accept(move_tenant{"c", "b", {}});
  const auto& e = std::get<tenant_moved>(moved.at(0));
  EXPECT_EQ(e.from_parent->value, model.tenants.resolve("a")->id.value);
  EXPECT_EQ(e.to_parent->value, model.tenants.resolve("b")->id.value);
  EXPECT_EQ(model.tenants.root_of(*model.tenants.resolve(child)).value,
            model.tenants.resolve("b")->id.value);
}

TEST_F(MoveTenant, RejectsCycles) {
  accept(create_tenant{"A", {}, "", {}});
  accept(create_tenant{"B", {}, "", "a"});
  accept(create_tenant{"C", {}, "", "b"});
  EXPECT_ERROR(when(move_tenant{"a", "c", {}}), "hierarchy_cycle");
  EXPECT_ERROR(when(move_tenant{"a", "a", {}}), "hierarchy_cycle");
}

TEST_F(MoveTenant, ToRootAndBack) {
  accept(create_tenant{"A", {}, "", {}});
  accept(create_tenant{"B", {}, "", "a"});
  auto to_root = accept(move_tenant{"b", std::nullopt, {}});
  EXPECT_FALSE(std::get<tenant_moved>(to_root.at(0)).to_parent);
  EXPECT_EQ(model.tenants.level(*model.tenants.resolve("b")), 1);
}

TEST_F(MoveTenant, RejectsMoveThatMakesTreeTooDeep) {
  accept(create_tenant{"A", {}, "", {}});
  accept(create_tenant{"A2", {}, "", "a"});
  accept(create_tenant{"A3", {}, "", "a2"});
  accept(create_tenant{"B", {}, "", {}});
  accept(create_tenant{"B2", {}, "", "b"});
  EXPECT_ERROR(when(move_tenant{"b", "a3", {}}), "hierarchy_too_deep");
}

TEST_F(TenantLifecycle, FollowsTheStateMachine) {
  accept(create_tenant{"A", {}, "", {}});
  EXPECT_ERROR(when(change_tenant_lifecycle{"a", lifecycle_action::resume, "", {}}),
               "invalid_state_transition");
  EXPECT_ERROR(when(change_tenant_lifecycle{"a", lifecycle_action::activate, "", {}}),
               "invalid_state_transition");
  accept(change_tenant_lifecycle{"a", lifecycle_action::suspend, "billing", {}});
  EXPECT_ERROR(when(change_tenant_lifecycle{"a", lifecycle_action::suspend, "", {}}),
               "invalid_state_transition");
  accept(change_tenant_lifecycle{"a", lifecycle_action::resume, "", {}});
  accept(change_tenant_lifecycle{"a", lifecycle_action::deactivate, "", {}});
  EXPECT_ERROR(when(change_tenant_lifecycle{"a", lifecycle_action::deactivate, "", {}}),
               "invalid_state_transition");
  EXPECT_ERROR(when(change_tenant_lifecycle{"a", lifecycle_action::suspend, "", {}}),
               "invalid_state_transition");
  accept(change_tenant_lifecycle{"a", lifecycle_action::activate, "", {}});
  EXPECT_EQ(model.tenants.resolve("a")->status, tenant_status::active);
}

TEST_F(TenantLifecycle, SuspendedIsInheritedByDescendants) {
  accept(create_tenant{"A", {}, "", {}});
  accept(create_tenant{"B", {}, "", "a"});
  accept(change_tenant_lifecycle{"a", lifecycle_action::suspend, "", {}});
  const tenant_state* b = model.tenants.resolve("b");
  EXPECT_EQ(b->status, tenant_status::active);
  EXPECT_EQ(model.tenants.effective_status(*b), tenant_status::suspended);
}

TEST_F(DeleteTenant, RefusesTenantWithChildrenUnlessRecursive) {
  accept(create_tenant{"A", {}, "", {}});
  accept(create_tenant{"B", {}, "", "a"});
  accept(create_tenant{"C", {}, "", "b"});
  EXPECT_ERROR(when(delete_tenant{"a", false, {}}), "tenant_has_children");
  auto deleted = accept(delete_tenant{"a", true, {}});
  ASSERT_EQ(deleted.size(), 3u);
  const auto deletion = std::get<tenant_deleted>(deleted[0]).deletion_id;
  for (const auto& e : deleted) EXPECT_EQ(std::get<tenant_deleted>(e).deletion_id, deletion);
  EXPECT_TRUE(model.tenants.resolve("c")->deleted);
}

TEST_F(DeleteTenant, DeletedTenantIsNotFoundForOtherCommands) {
  accept(create_tenant{"A", {}, "", {}});
  accept(delete_tenant{"a", false, {}});
  EXPECT_ERROR(when(update_tenant{"a", "X", {}, {}, {}}), "not_found");
  EXPECT_ERROR(when(delete_tenant{"a", false, {}}), "not_found");
}

TEST_F(RestoreTenant, BringsBackEverythingDeletedWithIt) {
  accept(create_tenant{"A", {}, "", {}});
  accept(create_tenant{"B", {}, "", "a"});
  accept(create_tenant{"C", {}, "", "a"});
  accept(create_tenant{"D", {}, "", "b"});
  accept(delete_tenant{"c", false, {}});  // deleted earlier, on its own: stays deleted
  accept(delete_tenant{"a", true, {}});
  auto restored = accept(restore_tenant{"a", {}});
  ASSERT_EQ(restored.size(), 3u);
  EXPECT_EQ(std::get<tenant_restored>(restored[0]).id.value, model.tenants.resolve("a")->id.value);
  EXPECT_FALSE(model.tenants.resolve("d")->deleted);
  EXPECT_TRUE(model.tenants.resolve("c")->deleted);
}

TEST_F(RestoreTenant, RefusesWhileParentIsDeleted) {
  accept(create_tenant{"A", {}, "", {}});
  accept(create_tenant{"B", {}, "", "a"});
  accept(delete_tenant{"a", true, {}});
  EXPECT_ERROR(when(restore_tenant{"b", {}}), "parent_deleted");
}

TEST_F(RestoreTenant, RefusesLiveTenant) {
  accept(create_tenant{"A", {}, "", {}});
  EXPECT_ERROR(when(restore_tenant{"a", {}}), "invalid_state_transition");
}

TEST_F(RestoreTenant, VersionsCountEveryEvent) {
  accept(create_tenant{"A", {}, "", {}});
  accept(delete_tenant{"a", false, {}});
  accept(restore_tenant{"a", {}});
  EXPECT_EQ(model.tenants.resolve("a")->version, 3);
}

// A name's limit counts characters (as the OpenAPI schema's maxLength does), not bytes.
TEST_F(CreateTenant, NameLengthIsCountedInCharacters) {
  std::string name = "a";
  for (int i = 0; i < 199; ++i) name += "\u00e9";  // 200 characters, 399 bytes
  EXPECT_TRUE(when(create_tenant{name, std::nullopt, "", std::nullopt}));
  EXPECT_ERROR(when(create_tenant{name + "\u00e9", std::nullopt, "", std::nullopt}),
               "validation_error");
}

}  // namespace
}  // namespace tenantry::testing
