#include <gtest/gtest.h>

#include "commands/slug.hpp"
#include "events/ids.hpp"

namespace tenantry {
namespace {

TEST(Slugify, LowercasesAndCollapsesSeparators) {
  EXPECT_EQ(slugify("Acme Corp.  (EU)"), "acme-corp-eu");
  EXPECT_EQ(slugify("--Hello__World--"), "hello-world");
}

TEST(Slugify, FoldsLatinAccentsAndDropsOtherScripts) {
  EXPECT_EQ(slugify("Café Müller"), "cafe-muller");
  EXPECT_EQ(slugify("Straße"), "strasse");
  EXPECT_EQ(slugify("日本 Tokyo"), "tokyo");
}

TEST(Slugify, NeverEmptyAndNeverLongerThanMaximum) {
  EXPECT_EQ(slugify("!!!"), "tenant");
  EXPECT_LE(slugify(std::string(300, 'a')).size(), max_slug_length);
}

TEST(Slugify, NeverProducesAUuid) {
  EXPECT_FALSE(looks_like_uuid(slugify("0190a6b2-1c1d-7abc-8def-0123456789ab")));
}

TEST(SlugValidation, AcceptsOnlyCanonicalSlugs) {
  EXPECT_TRUE(is_valid_slug("acme-2"));
  EXPECT_FALSE(is_valid_slug(""));
  EXPECT_FALSE(is_valid_slug("-acme"));
  EXPECT_FALSE(is_valid_slug("acme-"));
  EXPECT_FALSE(is_valid_slug("ac--me"));
  EXPECT_FALSE(is_valid_slug("Acme"));
  EXPECT_FALSE(is_valid_slug(std::string(64, 'a')));
  EXPECT_FALSE(is_valid_slug("0190a6b2-1c1d-7abc-8def-0123456789ab"));
}

TEST(NumberedSlug, StaysWithinMaximum) {
  EXPECT_EQ(numbered_slug("acme", 2), "acme-2");
  EXPECT_EQ(numbered_slug(std::string(63, 'a'), 12).size(), max_slug_length);
}

}  // namespace
}  // namespace tenantry
