#include <gtest/gtest.h>

#include "events/privacy/data_key.hpp"
#include "events/privacy/sealed_text.hpp"

namespace tenantry {
namespace {

constexpr std::string_view ann_id = "01936b2e-5c4a-7d3e-9f10-2b3c4d5e6f70";
constexpr std::string_view bob = "01936b2e-5c4a-7d3e-9f10-2b3c4d5e6f71";

TEST(SealedText, OpensWithItsKeySubjectAndFieldOnly) {
  const data_key key = data_key::generate();
  const std::string sealed = seal(key, ann_id, "email", "ann@example.com");
  EXPECT_TRUE(is_sealed(sealed));
  EXPECT_EQ(sealed.find("ann@example.com"), std::string::npos);
  EXPECT_EQ(open_sealed(key, ann_id, "email", sealed), "ann@example.com");
  EXPECT_FALSE(open_sealed(data_key::generate(), ann_id, "email", sealed));  // another key
  EXPECT_FALSE(open_sealed(key, bob, "email", sealed));                      // another person
  EXPECT_FALSE(open_sealed(key, ann_id, "name", sealed));                    // another field
}

TEST(SealedText, AnAlteredOrMalformedValueDoesNotOpen) {
  const data_key key = data_key::generate();
  std::string sealed = seal(key, ann_id, "name", "Ann");
  sealed[sealed.size() - 3] = sealed[sealed.size() - 3] == 'A' ? 'B' : 'A';
  EXPECT_FALSE(open_sealed(key, ann_id, "name", sealed));
  for (const char* bad : {"", "pd1.", "pd1.!!!", "pd1.AAAA", "Ann", "pd2.AAAAAAAAAAAAAAAA"})
    EXPECT_FALSE(open_sealed(key, ann_id, "name", bad)) << bad;
}

TEST(SealedText, SealingTheSameTextTwiceGivesTwoValues) {
  const data_key key = data_key::generate();
  EXPECT_NE(seal(key, ann_id, "name", "Ann"), seal(key, ann_id, "name", "Ann"));  // random nonces
  EXPECT_EQ(open_sealed(key, ann_id, "name", seal(key, ann_id, "name", "")), "");
}

TEST(DataKey, WrappedForOnePersonUnwrapsForThemWithTheSameKekOnly) {
  auto kek = key_encryption_key::from_base64("MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=\n");
  ASSERT_TRUE(kek) << kek.error().message;
  auto other = key_encryption_key::from_base64("ZmVkY2JhOTg3NjU0MzIxMGZlZGNiYTk4NzY1NDMyMTA=");
  ASSERT_TRUE(other);
  const data_key key = data_key::generate();
  const std::string wrapped = kek->wrap(key, ann_id);
  EXPECT_EQ(kek->unwrap(wrapped, ann_id), key);
  EXPECT_FALSE(kek->unwrap(wrapped, bob));
  EXPECT_FALSE(other->unwrap(wrapped, ann_id));
  EXPECT_FALSE(kek->unwrap(wrapped.substr(1), ann_id));
}

TEST(DataKey, TheKekFileHoldsExactly32BytesInBase64) {
  for (const char* bad :
       {"", "c2hvcnQ=", "not base64 at all", "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWYwMQ=="}) {
    const auto kek = key_encryption_key::from_base64(bad);
    ASSERT_FALSE(kek) << bad;
    EXPECT_EQ(kek.error().code, "invalid_data_key");
  }
  EXPECT_FALSE(key_encryption_key::from_file("/nonexistent/tenantry-data-key"));
}

}  // namespace
}  // namespace tenantry
