#include <gtest/gtest.h>

#include "projections/postgres/postgres_codec.hpp"

namespace tenantry {
namespace {

TEST(ArrayLiteral, QuotesEveryElementAndEscapesQuotesAndBackslashes) {
  EXPECT_EQ(array_literal(std::vector<std::string>{}), "{}");
  EXPECT_EQ(array_literal(std::vector<std::string>{"a", "b c", "{x,y}"}), R"({"a","b c","{x,y}"})");
  EXPECT_EQ(array_literal(std::vector<std::string>{R"(say "hi" \o/)"}), R"({"say \"hi\" \\o/"})");
  EXPECT_EQ(array_literal(std::vector<std::string>{""}), R"({""})");
}

TEST(ArrayLiteral, WritesMissingValuesAsNull) {
  EXPECT_EQ(array_literal(std::vector<std::optional<std::string>>{"NULL", std::nullopt, "x"}),
            R"({"NULL",NULL,"x"})");
}

TEST(ArrayLiteral, RoundTripsThroughTheTextArrayParser) {
  const std::vector<std::string> items{"plain",        "with \"quotes\"", "back\\slash",
                                       "comma,brace}", "ünïcødé",         ""};
  EXPECT_EQ(parse_text_array(array_literal(items).c_str()), items);
  EXPECT_TRUE(parse_text_array("{}").empty());
  EXPECT_EQ(parse_text_array("{a,b}"), (std::vector<std::string>{"a", "b"}));
}

TEST(CanonicalUuid, AcceptsAnyCaseAndLowercasesIt) {
  EXPECT_EQ(canonical_uuid("0190A1B2-C3D4-7E5F-8A9B-0C1D2E3F4A5B"),
            "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
  EXPECT_EQ(canonical_uuid("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"),
            "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
}

TEST(CanonicalUuid, RejectsAnythingElse) {
  for (const char* bad :
       {"", "acme", "0190a1b2c3d47e5f8a9b0c1d2e3f4a5b", "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5",
        "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5bb", "0190a1b2-c3d4-7e5f-8a9b_0c1d2e3f4a5b",
        "g190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"})
    EXPECT_EQ(canonical_uuid(bad), std::nullopt) << bad;
}

TEST(ContainsPattern, TakesLikeWildcardsLiterally) {
  EXPECT_EQ(contains_pattern("acme"), "%acme%");
  EXPECT_EQ(contains_pattern("50%_off\\"), "%50\\%\\_off\\\\%");
  EXPECT_EQ(contains_pattern(""), "%%");
}

TEST(LtreeLabel, DropsTheDashesOfAUuid) {
  EXPECT_EQ(ltree_label("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b"),
            "0190a1b2c3d47e5f8a9b0c1d2e3f4a5b");
}

TEST(TimestampParam, IsExactToTheMillisecond) {
  const timestamp t = timestamp_from_millis(1'790'000'000'123);
  EXPECT_EQ(timestamp_param(t), "2026-09-21T14:13:20.123Z");
  EXPECT_EQ(parse_rfc3339(timestamp_param(t)), t);
}

}  // namespace
}  // namespace tenantry
