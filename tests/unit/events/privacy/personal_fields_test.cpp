#include <map>
#include <string>

#include <gtest/gtest.h>

#include "events/privacy/personal_fields.hpp"
#include "unit/events/privacy/memory_key_store.hpp"

namespace tenantry {
namespace {

constexpr std::string_view registered = "tenantry.user.registered.v1";

const key_encryption_key sealing_kek =
    *key_encryption_key::from_base64("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=");

// The store's keys as the sealing and opening functions see them.
struct test_keys : testing::memory_key_store {
  tenantry::key_for_sealing sealing() {
    return [this](std::string_view person) { return this->key_for_sealing(person); };
  }
  tenantry::key_for_opening opening() {
    return [this](std::string_view person) { return this->key_for_opening(person); };
  }
};

nlohmann::json ann_registered() {
  return {{"id", "01936b2e-5c4a-7d3e-9f10-2b3c4d5e6f70"},
          {"email", "ann@example.com"},
          {"name", "Ann"},
          {"password_hash", "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"},
          {"platform_roles", {"platform_admin"}}};
}

TEST(PersonalFields, SealedInTheLogOpenedOnTheWayBack) {
  test_keys store;
  nlohmann::json data = ann_registered();
  ASSERT_TRUE(seal_personal_fields(registered, data, store.sealing(), sealing_kek));
  const std::string text = data.dump();
  for (const char* secret : {"ann@example.com", "Ann\"", "argon2id"})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << text;
  EXPECT_EQ(data["id"], ann_registered()["id"]);                          // ids stay readable
  EXPECT_EQ(data["platform_roles"], ann_registered()["platform_roles"]);  // roles are not personal
  EXPECT_EQ(store.made, 1);                                               // one key per person
  ASSERT_TRUE(open_personal_fields(registered, data, store.opening()));
  EXPECT_EQ(data, ann_registered());
}

TEST(PersonalFields, OnceTheKeyIsGoneTheFieldsOpenAsErased) {
  test_keys store;
  nlohmann::json data = ann_registered();
  ASSERT_TRUE(seal_personal_fields(registered, data, store.sealing(), sealing_kek));
  store.keys.clear();  // the erasure
  ASSERT_TRUE(open_personal_fields(registered, data, store.opening()));
  EXPECT_EQ(data["email"], "");
  EXPECT_EQ(data["name"], erased_name);
  EXPECT_EQ(data["password_hash"], "");
  EXPECT_EQ(data["id"], ann_registered()["id"]);
}

TEST(PersonalFields, PlainEventsOfAnOlderLogAndOtherTypesAreLeftAlone) {
  test_keys store;
  nlohmann::json old = ann_registered();
  ASSERT_TRUE(open_personal_fields(registered, old, store.opening()));  // written before sealing
  EXPECT_EQ(old, ann_registered());
  nlohmann::json tenant = {{"id", "t"}, {"name", "Acme"}};
  ASSERT_TRUE(
      seal_personal_fields("tenantry.tenant.created.v1", tenant, store.sealing(), sealing_kek));
  EXPECT_EQ(tenant["name"], "Acme");
  EXPECT_EQ(store.made, 0);
  EXPECT_EQ(personal_fields_of("tenantry.tenant.created.v1"), nullptr);
  ASSERT_NE(personal_fields_of("tenantry.user.password_changed.v1"), nullptr);
}

TEST(PersonalFields, AFieldMovedToAnotherPersonOpensAsErased) {
  test_keys store;
  nlohmann::json a = ann_registered();
  ASSERT_TRUE(seal_personal_fields(registered, a, store.sealing(), sealing_kek));
  nlohmann::json b = ann_registered();
  b["id"] = "01936b2e-5c4a-7d3e-9f10-2b3c4d5e6f71";
  ASSERT_TRUE(seal_personal_fields(registered, b, store.sealing(), sealing_kek));
  b["email"] = a["email"];  // Ann's sealed address pasted into another person's event
  ASSERT_TRUE(open_personal_fields(registered, b, store.opening()));
  EXPECT_EQ(b["email"], "");
  EXPECT_EQ(b["name"], "Ann");
}

TEST(PersonalFields, AnInviteeIsKeyedByTheHashOfTheAddressAndTheOpenedEventIsAsSent) {
  test_keys store;
  constexpr std::string_view sent = "tenantry.invitation.sent.v1";
  const nlohmann::json plain = {{"id", "i1"}, {"tenant", "t1"}, {"invitee", "Bo@Example.com"}};
  nlohmann::json data = plain;
  ASSERT_TRUE(seal_personal_fields(sent, data, store.sealing(), sealing_kek));
  const std::string text = data.dump();
  EXPECT_EQ(text.find("xample"), std::string::npos) << text;
  // The person is the address's keyed hash, the same for any spelling of the address.
  EXPECT_EQ(data["invitee_person"], address_person(sealing_kek, "bo@example.com"));
  EXPECT_TRUE(store.keys.contains(address_person(sealing_kek, "BO@EXAMPLE.COM")));
  EXPECT_NE(address_person(sealing_kek, "bo@example.com"),
            address_person(sealing_kek, "al@example.com"));
  nlohmann::json opened = data;
  ASSERT_TRUE(open_personal_fields(sent, opened, store.opening()));
  EXPECT_EQ(opened, plain);  // the derived person field is gone again
  ASSERT_TRUE(store.destroy(address_person(sealing_kek, "bo@example.com")));
  ASSERT_TRUE(open_personal_fields(sent, data, store.opening()));
  EXPECT_EQ(data["invitee"], "");
}

TEST(PersonalFields, AStoreThatDoesNotAnswerFailsRatherThanErase) {
  test_keys store;
  nlohmann::json data = ann_registered();
  store.down = true;
  const auto sealed = seal_personal_fields(registered, data, store.sealing(), sealing_kek);
  ASSERT_FALSE(sealed);
  EXPECT_EQ(sealed.error().code, "key_store_unavailable");
  store.down = false;
  ASSERT_TRUE(seal_personal_fields(registered, data, store.sealing(), sealing_kek));
  store.down = true;
  nlohmann::json copy = data;
  EXPECT_FALSE(open_personal_fields(registered, copy, store.opening()));
  EXPECT_EQ(copy["email"], data["email"]);  // still sealed, never turned into "erased"
}

}  // namespace
}  // namespace tenantry
