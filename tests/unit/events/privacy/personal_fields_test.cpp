#include <map>
#include <string>

#include <gtest/gtest.h>

#include "events/privacy/personal_fields.hpp"

namespace tenantry {
namespace {

constexpr std::string_view registered = "tenantry.user.registered.v1";

// An in-memory key store: keys made on first sealing, gone once erased.
struct key_store {
  std::map<std::string, data_key, std::less<>> keys;
  int made = 0;
  key_for_sealing sealing() {
    return [this](std::string_view person) {
      auto [it, added] = keys.try_emplace(std::string(person), data_key{});
      if (added) {
        it->second = data_key::generate();
        ++made;
      }
      return it->second;
    };
  }
  key_for_opening opening() {
    return [this](std::string_view person) -> std::optional<data_key> {
      const auto it = keys.find(person);
      if (it == keys.end()) return std::nullopt;
      return it->second;
    };
  }
};

nlohmann::json ann() {
  return {{"id", "01936b2e-5c4a-7d3e-9f10-2b3c4d5e6f70"},
          {"email", "ann@example.com"},
          {"name", "Ann"},
          {"password_hash", "$argon2id$v=19$m=65536,t=2,p=1$c2FsdA$aGFzaA"},
          {"platform_roles", {"platform_admin"}}};
}

TEST(PersonalFields, SealedInTheLogOpenedOnTheWayBack) {
  key_store store;
  nlohmann::json data = ann();
  seal_personal_fields(registered, data, store.sealing());
  const std::string text = data.dump();
  for (const char* secret : {"ann@example.com", "Ann\"", "argon2id"})
    EXPECT_EQ(text.find(secret), std::string::npos) << secret << " in " << text;
  EXPECT_EQ(data["id"], ann()["id"]);                          // ids stay readable
  EXPECT_EQ(data["platform_roles"], ann()["platform_roles"]);  // roles are not personal
  EXPECT_EQ(store.made, 1);                                    // one key per person
  open_personal_fields(registered, data, store.opening());
  EXPECT_EQ(data, ann());
}

TEST(PersonalFields, OnceTheKeyIsGoneTheFieldsOpenAsErased) {
  key_store store;
  nlohmann::json data = ann();
  seal_personal_fields(registered, data, store.sealing());
  store.keys.clear();  // the erasure
  open_personal_fields(registered, data, store.opening());
  EXPECT_EQ(data["email"], "");
  EXPECT_EQ(data["name"], erased_name);
  EXPECT_EQ(data["password_hash"], "");
  EXPECT_EQ(data["id"], ann()["id"]);
}

TEST(PersonalFields, PlainEventsOfAnOlderLogAndOtherTypesAreLeftAlone) {
  key_store store;
  nlohmann::json old = ann();
  open_personal_fields(registered, old, store.opening());  // written before sealing
  EXPECT_EQ(old, ann());
  nlohmann::json tenant = {{"id", "t"}, {"name", "Acme"}};
  seal_personal_fields("tenantry.tenant.created.v1", tenant, store.sealing());
  EXPECT_EQ(tenant["name"], "Acme");
  EXPECT_EQ(store.made, 0);
  EXPECT_EQ(personal_fields_of("tenantry.tenant.created.v1"), nullptr);
  ASSERT_NE(personal_fields_of("tenantry.user.password_changed.v1"), nullptr);
}

TEST(PersonalFields, AFieldMovedToAnotherPersonOpensAsErased) {
  key_store store;
  nlohmann::json a = ann();
  seal_personal_fields(registered, a, store.sealing());
  nlohmann::json b = ann();
  b["id"] = "01936b2e-5c4a-7d3e-9f10-2b3c4d5e6f71";
  seal_personal_fields(registered, b, store.sealing());
  b["email"] = a["email"];  // Ann's sealed address pasted into another person's event
  open_personal_fields(registered, b, store.opening());
  EXPECT_EQ(b["email"], "");
  EXPECT_EQ(b["name"], "Ann");
}

}  // namespace
}  // namespace tenantry
