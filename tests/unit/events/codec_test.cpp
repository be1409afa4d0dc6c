#include <gtest/gtest.h>

#include <chrono>
#include <variant>

#include "events/codec.hpp"
#include "events/envelope.hpp"

namespace tenantry {
namespace {

using namespace std::chrono_literals;

const timestamp kExpiry =
    timestamp{std::chrono::sys_days{std::chrono::year{2026} / 11 / 23}} + 10h + 30min + 5s + 123ms;

// One sample of every alternative, with optional fields both set and unset.
std::vector<event> every_event() {
  return {
      tenant_created{tenant_id{"t-1"}, "acme", "Acme", "Rockets", std::nullopt},
      tenant_created{tenant_id{"t-2"}, "acme-eu", "Acme EU", "", tenant_id{"t-1"}},
      tenant_updated{tenant_id{"t-1"}, "Acme Inc", std::nullopt, std::nullopt},
      tenant_updated{tenant_id{"t-1"}, std::nullopt, "", "acme-inc"},
      tenant_created{tenant_id{"t-4"}, "store", "store", "", std::nullopt,
                     metadata_map{{"region", "eu"}, {"owner", ""}}},
      tenant_updated{tenant_id{"t-4"}, std::nullopt, "", std::nullopt, metadata_map{}},
      tenant_updated{tenant_id{"t-4"}, std::nullopt, std::nullopt, std::nullopt,
                     metadata_map{{"tier", "gold"}}},
      tenant_configured{
          tenant_id{"t-1"},
          nlohmann::json::parse(R"({"theme": {"color": "red"}, "n": [1, 2.5, null]})")},
      tenant_configured{tenant_id{"t-1"}, nlohmann::json::object()},
      tenant_feature_flag_set{tenant_id{"t-1"}, "billing.v2", nlohmann::json{{"rollout", 0.25}},
                              "New billing"},
      tenant_feature_flag_set{tenant_id{"t-1"}, "dark-mode", nullptr, ""},
      tenant_feature_flag_set{tenant_id{"t-1"}, "beta", true, ""},
      tenant_feature_flag_removed{tenant_id{"t-1"}, "beta"},
      tenant_moved{tenant_id{"t-2"}, tenant_id{"t-1"}, std::nullopt},
      tenant_moved{tenant_id{"t-2"}, std::nullopt, tenant_id{"t-3"}},
      tenant_suspended{tenant_id{"t-1"}, "unpaid"},
      tenant_resumed{tenant_id{"t-1"}, "paid"},
      tenant_activated{tenant_id{"t-1"}, ""},
      tenant_deactivated{tenant_id{"t-1"}, "closing"},
      tenant_deleted{tenant_id{"t-2"}, "del-1", tenant_id{"t-1"}},
      tenant_restored{tenant_id{"t-2"}, "del-1"},
      user_registered{user_id{"u-1"},
                      "ann@example.com",
                      "Ann",
                      "$argon2id$v=19$...",
                      {"super_admin", "platform_operator"}},
      user_registered{user_id{"u-2"}, "bob@example.com", "Bob", "$argon2id$", {}},
      session_started{session_id{"s-1"}, user_id{"u-1"}, "hash-1", kExpiry},
      session_refreshed{session_id{"s-1"}, "hash-2", kExpiry + 1h},
      session_revoked{session_id{"s-1"}, "logout"},
      role_defined{role_id{"r-1"}, tenant_id{"t-1"}, "auditor", "Reads", {"audit.read"}},
      role_defined{role_id{"r-2"}, tenant_id{"t-1"}, "nobody", "", {}},
      role_changed{role_id{"r-1"}, "auditors", "", {"audit.read", "tenant.read"}},
      role_deleted{role_id{"r-1"}},
      role_assigned{assignment_id{"a-1"}, tenant_id{"t-1"}, "user", "u-1", "viewer", kExpiry},
      role_assigned{assignment_id{"a-2"}, tenant_id{"t-1"}, "group", "g-1", "r-1", std::nullopt},
      role_assignment_revoked{assignment_id{"a-1"}, "revoked"},
      member_added{membership_id{"m-1"}, tenant_id{"t-1"}, user_id{"u-1"}, {"member"}},
      member_changed{membership_id{"m-1"}, {"tenant_admin", "r-2"}},
      member_removed{membership_id{"m-1"}},
      group_created{group_id{"g-1"}, tenant_id{"t-1"}, "editors", "Editors", "They edit"},
      group_created{group_id{"g-2"}, std::nullopt, "staff", "Staff", ""},
      group_updated{group_id{"g-1"}, "Writers", std::nullopt, "writers"},
      group_updated{group_id{"g-1"}, std::nullopt, "", std::nullopt},
      group_deleted{group_id{"g-1"}},
      group_member_added{group_id{"g-2"}, user_id{"u-1"}},
      group_member_removed{group_id{"g-2"}, user_id{"u-1"}},
      permission_granted{grant_id{"p-1"}, "user", "u-1", "tenant.update", "tenant", "t-1",
                         tenant_id{"t-1"}},
      permission_granted{grant_id{"p-2"}, "group", "g-2", "member.read", "group", "g-2",
                         std::nullopt},
      permission_revoked{grant_id{"p-1"}, "revoked"},
      token_issued{token_id{"k-1"},
                   tenant_id{"t-1"},
                   user_id{"u-1"},
                   "ci",
                   "deploys",
                   {"tenant.read", "site.manage"},
                   "5e1f",
                   "tnt_Ab3dE9xQ",
                   kExpiry},
      token_revoked{token_id{"k-1"}, "revoked"},
      user_updated{user_id{"u-1"}, "ann@example.org", "Ann B", {"platform_admin"}},
      user_updated{user_id{"u-2"}, "bob@example.com", "", {}},
      user_profile_changed{user_id{"u-1"},
                           {"Annie", "en-GB", "Europe/London", "+441234567890",
                            "https://example.com/a.png", "CTO", "Builds \"rockets\"."}},
      user_profile_changed{user_id{"u-2"}, {}},
      user_deactivated{user_id{"u-2"}, "left the company"},
      user_activated{user_id{"u-2"}, ""},
      user_deleted{user_id{"u-2"}},
      user_restored{user_id{"u-2"}},
      user_erased{user_id{"u-2"}, ""},
      user_password_changed{user_id{"u-1"}, "$argon2id$v=19$new"},
      user_password_rehashed{user_id{"u-1"}, "$argon2id$v=19$stronger"},
      invitation_sent{invitation_id{"i-1"},
                      tenant_id{"t-1"},
                      "eve@example.com",
                      {"member", "r-1"},
                      {"site.read"},
                      "hash-i",
                      kExpiry,
                      user_id{"u-1"}},
      invitation_accepted{invitation_id{"i-1"}, user_id{"u-2"}},
      invitation_declined{invitation_id{"i-1"}, user_id{"u-2"}},
      invitation_declined{invitation_id{"i-2"}, std::nullopt},
      invitation_revoked{invitation_id{"i-1"}, "revoked"},
      invitation_expired{invitation_id{"i-1"}},
  };
}

// Events have no operator==; their JSON is their identity.
void expect_same(const event& a, const event& b) {
  EXPECT_EQ(a.index(), b.index());
  EXPECT_EQ(to_json(a), to_json(b));
}

TEST(EventCodec, CoversEveryAlternative) {
  std::vector<bool> seen(std::variant_size_v<event>, false);
  for (const auto& e : every_event()) seen[e.index()] = true;
  for (std::size_t i = 0; i < seen.size(); ++i) EXPECT_TRUE(seen[i]) << "alternative " << i;
}

TEST(EventCodec, RoundTripsEveryEventType) {
  for (const auto& e : every_event()) {
    SCOPED_TRACE(std::string(event_type(e)));
    auto decoded = event_from_json(event_type(e), to_json(e));
    ASSERT_TRUE(decoded) << decoded.error().message;
    expect_same(e, *decoded);
  }
}

TEST(EventCodec, RoundTripsEveryEventTypeThroughEncodeAndDecode) {
  std::int64_t offset = 0;
  for (const auto& e : every_event()) {
    SCOPED_TRACE(std::string(event_type(e)));
    recorded_event in{{}, e, offset++};
    in.meta.event_id = "id-" + std::to_string(in.offset);
    in.meta.subject = aggregate_id(e);
    const stored_event stored = encode(in);
    EXPECT_EQ(stored.type, event_type(e));
    EXPECT_EQ(stored.offset, in.offset);
    auto out = decode(stored);
    ASSERT_TRUE(out) << out.error().message;
    expect_same(e, out->data);
    EXPECT_EQ(out->meta.event_id, in.meta.event_id);
    EXPECT_EQ(out->offset, in.offset);
  }
}

TEST(EventCodec, NamesTypesAndAggregates) {
  EXPECT_EQ(event_type(tenant_suspended{}), "tenantry.tenant.suspended.v1");
  EXPECT_EQ(event_type(tenant_created{}), "tenantry.tenant.created.v1");
  EXPECT_EQ(event_type(user_registered{}), "tenantry.user.registered.v1");
  EXPECT_EQ(event_type(session_revoked{}), "tenantry.session.revoked.v1");
  EXPECT_EQ(aggregate_type(tenant_moved{}), "tenant");
  EXPECT_EQ(aggregate_type(user_registered{}), "user");
  EXPECT_EQ(event_type(user_password_changed{}), "tenantry.user.password_changed.v1");
  EXPECT_EQ(event_type(user_profile_changed{}), "tenantry.user.profile_changed.v1");
  EXPECT_EQ(aggregate_type(user_deleted{}), "user");
  EXPECT_EQ(aggregate_type(session_refreshed{}), "session");
  EXPECT_EQ(aggregate_id(session_started{session_id{"s-9"}, {}, {}, {}}), "s-9");
  EXPECT_EQ(event_type(invitation_expired{}), "tenantry.invitation.expired.v1");
  EXPECT_EQ(aggregate_type(invitation_accepted{}), "invitation");
}

TEST(EventCodec, InvitationsKeepTheTokenHashAndNoSecret) {
  const auto sent = to_json(invitation_sent{invitation_id{"i"},
                                            tenant_id{"t"},
                                            "eve@example.com",
                                            {"viewer"},
                                            {},
                                            "abc123",
                                            kExpiry,
                                            user_id{"u"}});
  EXPECT_EQ(sent, nlohmann::json::parse(
                      R"({"id":"i","tenant":"t","invitee":"eve@example.com","roles":["viewer"],)"
                      R"("permissions":[],"token_hash":"abc123",)"
                      R"("expires_at":"2026-11-23T10:30:05.123Z","invited_by":"u"})"));
  EXPECT_EQ(to_json(invitation_declined{invitation_id{"i"}, std::nullopt})["user"], nullptr);
}

TEST(EventCodec, WritesTheContractFieldNames) {
  const auto created = to_json(tenant_created{tenant_id{"t-1"}, "acme", "Acme", "d", std::nullopt});
  EXPECT_EQ(created,
            nlohmann::json::parse(
                R"({"id":"t-1","slug":"acme","name":"Acme","description":"d","parent":null,)"
                R"("metadata":{}})"));
  const auto updated = to_json(tenant_updated{tenant_id{"t-1"}, "New", std::nullopt, std::nullopt});
  EXPECT_EQ(updated, nlohmann::json::parse(R"({"id":"t-1","name":"New"})"));
  const auto started = to_json(session_started{session_id{"s"}, user_id{"u"}, "h", kExpiry});
  EXPECT_EQ(started["expires_at"], "2026-11-23T10:30:05.123Z");
  EXPECT_EQ(started["user"], "u");
  const auto issued = to_json(token_issued{token_id{"k"},
                                           tenant_id{"t"},
                                           user_id{"u"},
                                           "ci",
                                           "",
                                           {"tenant.read"},
                                           "5e1f",
                                           "tnt_Ab3d",
                                           kExpiry});
  EXPECT_EQ(issued, nlohmann::json::parse(R"({"id":"k","tenant":"t","created_by":"u","name":"ci",
      "description":"","scopes":["tenant.read"],"secret_hash":"5e1f","prefix":"tnt_Ab3d",
      "expires_at":"2026-11-23T10:30:05.123Z"})"));
  EXPECT_EQ(event_type(token_revoked{}), "tenantry.token.revoked.v1");
  EXPECT_EQ(aggregate_type(token_issued{}), "token");
}

// Logs written before tenants had metadata: their events read as having none, and an update
// without the field leaves the metadata as it is (nullopt), not emptied.
TEST(EventCodec, ReadsTenantEventsWrittenBeforeMetadata) {
  auto created = event_from_json(
      "tenantry.tenant.created.v1",
      nlohmann::json::parse(R"({"id":"t","slug":"s","name":"N","description":"","parent":null})"));
  ASSERT_TRUE(created) << created.error().message;
  EXPECT_TRUE(std::get<tenant_created>(*created).metadata.empty());
  auto updated = event_from_json("tenantry.tenant.updated.v1",
                                 nlohmann::json::parse(R"({"id":"t","name":"M"})"));
  ASSERT_TRUE(updated) << updated.error().message;
  EXPECT_FALSE(std::get<tenant_updated>(*updated).metadata);
  auto mistyped = event_from_json("tenantry.tenant.updated.v1",
                                  nlohmann::json::parse(R"({"id":"t","metadata":{"k":1}})"));
  ASSERT_FALSE(mistyped);
  EXPECT_EQ(mistyped.error().details["field"], "metadata");
}

TEST(EventCodec, RejectsUnknownType) {
  auto r = event_from_json("tenantry.tenant.exploded.v1", nlohmann::json::object());
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().category, errc::invalid_argument);
  EXPECT_EQ(r.error().code, "invalid_event");
}

TEST(EventCodec, RejectsMalformedPayloads) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"tenantry.tenant.created.v1", R"([1,2])"},
      {"tenantry.tenant.created.v1", R"("text")"},
      {"tenantry.tenant.created.v1", R"({"id":"t","slug":"s","name":"n","description":"d"})"},
      {"tenantry.tenant.created.v1",
       R"({"id":"t","slug":"s","name":"n","description":"d","parent":7})"},
      {"tenantry.tenant.created.v1",
       R"({"id":5,"slug":"s","name":"n","description":"d","parent":null})"},
      {"tenantry.tenant.updated.v1", R"({"id":"t","name":false})"},
      {"tenantry.tenant.suspended.v1", R"({"id":"t"})"},
      {"tenantry.user.registered.v1",
       R"({"id":"u","email":"e","name":"n","password_hash":"p","platform_roles":"admin"})"},
      {"tenantry.user.registered.v1",
       R"({"id":"u","email":"e","name":"n","password_hash":"p","platform_roles":[1]})"},
      {"tenantry.session.started.v1",
       R"({"id":"s","user":"u","token_hash":"h","expires_at":"tomorrow"})"},
      {"tenantry.session.refreshed.v1", R"({"id":"s","token_hash":"h","expires_at":12})"},
      {"tenantry.session.revoked.v1", R"(null)"},
      {"tenantry.token.issued.v1",
       R"({"id":"k","tenant":"t","created_by":"u","name":"n","description":"","scopes":"all",
           "secret_hash":"h","prefix":"tnt_","expires_at":"2026-01-01T00:00:00Z"})"},
      {"tenantry.token.issued.v1",
       R"({"id":"k","tenant":"t","created_by":"u","name":"n","description":"","scopes":[],
           "secret_hash":"h","prefix":"tnt_"})"},
      {"tenantry.token.revoked.v1", R"({"id":"k"})"},
  };
  for (const auto& [type, text] : cases) {
    SCOPED_TRACE(type + " " + text);
    auto r = event_from_json(type, nlohmann::json::parse(text));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().category, errc::invalid_argument);
    EXPECT_EQ(r.error().code, "invalid_event");
  }
}

TEST(EventCodec, IgnoresUnknownFields) {
  auto r = event_from_json("tenantry.session.revoked.v1",
                           nlohmann::json::parse(R"({"id":"s","reason":"logout","extra":1})"));
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<session_revoked>(*r).reason, "logout");
}

TEST(EventCodec, DecodeRejectsInvalidJsonText) {
  stored_event s;
  s.type = "tenantry.session.revoked.v1";
  s.data = R"({"id":"s","reason":)";
  auto r = decode(s);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, "invalid_event");
}

TEST(EventCodec, EncodeSurvivesInvalidUtf8) {
  recorded_event e{{}, tenant_suspended{tenant_id{"t"}, std::string("bad \xff byte")}, 0};
  const stored_event s = encode(e);
  EXPECT_TRUE(decode(s));
}

}  // namespace
}  // namespace tenantry
