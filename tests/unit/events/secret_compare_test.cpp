#include "events/secret_compare.hpp"

#include <gtest/gtest.h>

namespace tenantry {
namespace {

TEST(SameSecret, EqualOnlyWhenEveryByteAndTheLengthAgree) {
  EXPECT_TRUE(same_secret("", ""));
  EXPECT_TRUE(same_secret("abc123", "abc123"));
  EXPECT_FALSE(same_secret("abc123", "abc124"));
  EXPECT_FALSE(same_secret("abc123", "xbc123"));
  EXPECT_FALSE(same_secret("abc", "abc123"));
  EXPECT_FALSE(same_secret("", "a"));
  EXPECT_TRUE(same_secret(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
  EXPECT_FALSE(same_secret(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
}

}  // namespace
}  // namespace tenantry
