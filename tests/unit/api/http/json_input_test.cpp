#include "api/http/json_input.hpp"

#include <gtest/gtest.h>

namespace tenantry::api {
namespace {

request with_body(std::string body) {
  request req{http::verb::post, "/v1/groups", 11};
  req.set(http::field::content_type, "application/json");
  req.body() = std::move(body);
  req.prepare_payload();
  return req;
}

TEST(JsonInput, RefusesTextTheReadSideCannotStoreNamingTheField) {
  for (const auto& [body, field] : std::vector<std::pair<std::string, std::string>>{
           {R"({"name": "a\u0000b"})", "name"},
           {R"({"name": "ok", "roles": ["member", "x\u0000"]})", "roles[1]"},
           {R"({"principal": {"type": "user", "id": "\u0000"}})", "principal.id"},
       }) {
    auto parsed = parse_json_object(with_body(body));
    ASSERT_FALSE(parsed) << body;
    EXPECT_EQ(parsed.error().code, "validation_error") << body;
    EXPECT_TRUE(parsed.error().details.contains(field)) << parsed.error().details.dump();
  }
}

TEST(JsonInput, TakesOtherControlCharacters) {
  auto parsed = parse_json_object(with_body(R"({"name": "a\u0001\u001f\u007f\t\nb"})"));
  ASSERT_TRUE(parsed) << parsed.error().message;
  EXPECT_EQ((*parsed)["name"], "a\x01\x1f\x7f\t\nb");
}

}  // namespace
}  // namespace tenantry::api
