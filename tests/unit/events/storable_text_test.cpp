#include "events/storable_text.hpp"

#include <gtest/gtest.h>

#include <string>

#include "events/codec.hpp"
#include "events/envelope.hpp"

namespace tenantry {
namespace {

using namespace std::string_literals;

TEST(StorableText, TellsTextHoldingUPlus0000) {
  EXPECT_TRUE(storable("plain \x01\x1f\x7f text"));
  EXPECT_FALSE(storable("a\0b"s));
}

TEST(StorableText, MapsUPlus0000ToTheReplacementCharacter) {
  std::string text = "a\0b\0"s;
  make_storable(text);
  EXPECT_EQ(text,
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD");
  std::string plain = "nothing to map";
  make_storable(plain);
  EXPECT_EQ(plain, "nothing to map");
}

TEST(StorableText, MapsOnlyRealUPlus0000EscapesOfJson) {
  std::string json = R"({"a":"x\u0000y","b":"\\u0000","c":"\\\u0000"})";
  make_storable_json(json);
  EXPECT_EQ(json, R"({"a":"x\ufffdy","b":"\\u0000","c":"\\\ufffd"})");
  EXPECT_TRUE(nlohmann::json::parse(json)["a"].get<std::string>() == "x\xEF\xBF\xBDy");
}

TEST(StorableText, MapsEveryTextOfAnEventAndItsMetadata) {
  recorded_event e;
  e.meta.actor = "ac\0tor"s;
  e.meta.idempotency_key = "key\0"s;
  e.data = group_created{group_id{"g\0"s}, tenant_id{"t\0"s}, "slug\0"s, "name\0"s, "de\0sc"s};
  make_storable(e);
  const auto& g = std::get<group_created>(e.data);
  for (const std::string* text : std::initializer_list<const std::string*>{
           &g.id.value, &g.tenant->value, &g.slug, &g.name, &g.description, &e.meta.actor,
           &e.meta.idempotency_key})
    EXPECT_TRUE(storable(*text)) << *text;
  EXPECT_EQ(g.name, "name\xEF\xBF\xBD");

  recorded_event roles;
  roles.data = member_changed{membership_id{"m"}, {"ok", "bad\0"s}};
  make_storable(roles);
  EXPECT_EQ(std::get<member_changed>(roles.data).roles[1], "bad\xEF\xBF\xBD");
}

}  // namespace
}  // namespace tenantry
