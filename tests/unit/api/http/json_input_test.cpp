#include "api/http/json_input.hpp"

#include <limits>

#include <gtest/gtest.h>

namespace tenantry::api {
namespace {

// A request with `body` and its context; the context refers to the request.
struct with_body {
  explicit with_body(std::string body) : req{http::verb::post, "/v1/groups", 11} {
    req.set(http::field::content_type, "application/json");
    req.body() = std::move(body);
    req.prepare_payload();
  }
  operator const request_context&() const { return ctx; }
  request req;
  request_context ctx{.req = req, .target = boost::urls::url_view("/v1/groups")};
};

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

TEST(JsonInput, ABodyNestedDeeperThan32IsInvalidJson) {
  const auto nested = [](std::size_t depth) {
    return "{\"a\":" + std::string(depth - 1, '[') + std::string(depth - 1, ']') + "}";
  };
  EXPECT_TRUE(parse_json_object(with_body(nested(32))));
  for (std::size_t depth : {33u, 1000u, 100000u}) {
    auto parsed = parse_json_object(with_body(nested(depth)));
    ASSERT_FALSE(parsed) << depth;
    EXPECT_EQ(parsed.error().code, "invalid_json") << depth;
    EXPECT_EQ(parsed.error().details["max_depth"], 32) << depth;
  }
  // Brackets inside strings are text, not nesting.
  EXPECT_TRUE(parse_json_object(with_body(R"({"name": ")" + std::string(100, '[') + R"(\"["})")));
}

TEST(JsonInput, TheBodyIsParsedOnceForEveryoneWhoAsks) {
  with_body r(R"({"name": "once"})");
  const request_context& ctx = r;
  EXPECT_FALSE(ctx.parsed_body.has_value());
  const auto& first = json_body(ctx);
  const auto& second = json_body(ctx);
  EXPECT_EQ(&first, &second);
  ASSERT_TRUE(first);
  EXPECT_EQ((*first)["name"], "once");
  EXPECT_TRUE(parse_json_object(ctx));
}

// Lengths are counted as JSON Schema's maxLength counts them: in code points, not bytes.
TEST(JsonInput, LengthsAreCountedInCharacters) {
  const nlohmann::json body{{"name", "\u00e9\u00e9\u00e9"}};  // 3 characters, 6 bytes
  body_reader fits(body);
  EXPECT_EQ(fits.text("name", true, 3), "\u00e9\u00e9\u00e9");
  EXPECT_TRUE(fits.finish());
  body_reader over(body);
  EXPECT_FALSE(over.text("name", true, 2));
  const auto refused = over.finish();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().details["name"], "must be at most 2 characters");
}

// A reference is null (none) or names something: "" names nothing and is a 400.
TEST(JsonInput, AReferenceIsNeverEmpty) {
  const nlohmann::json body{{"parent", ""}, {"root", nullptr}, {"to", "acme"}};
  body_reader in(body);
  EXPECT_FALSE(in.nullable_reference("parent", 100));
  EXPECT_EQ(in.nullable_reference("root", 100),
            std::optional<std::optional<std::string>>(std::optional<std::string>()));
  EXPECT_EQ(in.nullable_reference("to", 100), std::optional<std::optional<std::string>>("acme"));
  const auto refused = in.finish();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().details["parent"], "must not be empty");
}

// JSON Schema's "integer" is any number without a fraction: 1.0 and 1e3 are integers.
TEST(JsonInput, WholeNumbersAreTheIntegersOfJsonSchema) {
  using nlohmann::json;
  EXPECT_EQ(whole_number(json::parse("17906")), 17906);
  EXPECT_EQ(whole_number(json::parse("17906.0")), 17906);
  EXPECT_EQ(whole_number(json::parse("1e3")), 1000);
  EXPECT_EQ(whole_number(json::parse("-4")), -4);
  EXPECT_EQ(whole_number(json::parse("18446744073709551615")),
            std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(whole_number(json::parse("1e300")), std::numeric_limits<std::int64_t>::max());
  EXPECT_EQ(whole_number(json::parse("-1e300")), std::numeric_limits<std::int64_t>::min());
  EXPECT_FALSE(whole_number(json::parse("1.5")));
  EXPECT_FALSE(whole_number(json::parse("\"3\"")));
  EXPECT_FALSE(whole_number(json::parse("true")));
  EXPECT_FALSE(whole_number(json()));
}

}  // namespace
}  // namespace tenantry::api
