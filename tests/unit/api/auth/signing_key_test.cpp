#include "api/auth/signing_key.hpp"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "api/auth/secret_token.hpp"

namespace tenantry::api {
namespace {

namespace fs = std::filesystem;

// Written by `openssl genpkey -algorithm ed25519`; the expected x and kid come from
// `openssl pkey -pubout -outform DER` (its last 32 bytes) and its SHA-256.
constexpr std::string_view openssl_pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIPqAyRnEVxyNj+UNcAhPLyo4pAfOT+YUb9pknEuhMNz9\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::string_view openssl_x = "qHc-wpUMLHCC3zZMmCIRG3CbmBN3WKc1G4Fjy-D1jN8";
constexpr std::string_view openssl_kid = "spOgYRmVNl5DCjaE";

// A directory of its own per test, removed afterwards.
class SigningKeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("tenantry_key_test_" + random_base64url(9));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST(SigningKey, ReadsOpensslGeneratedPem) {
  const auto key = signing_key::from_pem(openssl_pem);
  ASSERT_TRUE(key) << key.error().message;
  const std::string_view raw(reinterpret_cast<const char*>(key->public_key().public_key.data()),
                             32);
  EXPECT_EQ(base64url_encode(raw), openssl_x);
  EXPECT_EQ(key->kid(), openssl_kid);
}

TEST(SigningKey, SignsWhatItsPublicKeyVerifies) {
  const auto key = signing_key::generate().value();
  const std::string signature = key.sign("message");
  EXPECT_EQ(signature.size(), 64u);
  EXPECT_TRUE(verify_signature(key.public_key(), "message", signature));
  EXPECT_FALSE(verify_signature(key.public_key(), "massage", signature));
  EXPECT_FALSE(verify_signature(key.public_key(), "message", signature.substr(1)));
  const auto other = signing_key::generate().value();
  EXPECT_FALSE(verify_signature(other.public_key(), "message", signature));
  EXPECT_NE(key.kid(), other.kid());
}

TEST(SigningKey, RejectsGarbagePem) {
  const auto key = signing_key::from_pem("not a key");
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, "signing_key_invalid");
}

TEST(SigningKey, RoundTripsThroughPem) {
  const auto key = signing_key::generate().value();
  const auto again = signing_key::from_pem(key.to_pem());
  ASSERT_TRUE(again);
  EXPECT_EQ(again->kid(), key.kid());
  EXPECT_NE(key.to_pem().find("BEGIN PRIVATE KEY"), std::string::npos);
}

TEST_F(SigningKeyFile, WritesAKeyOnlyItsOwnerCanRead) {
  const fs::path path = dir_ / "signing.pem";
  ASSERT_TRUE(write_new_signing_key(path));
  struct stat info {};
  ASSERT_EQ(::stat(path.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 0777, 0600u);
  const auto key = load_signing_key(path);
  ASSERT_TRUE(key) << key.error().message;
  EXPECT_EQ(key->kid().size(), 16u);
}

TEST_F(SigningKeyFile, RefusesToReplaceAnExistingKey) {
  const fs::path path = dir_ / "signing.pem";
  ASSERT_TRUE(write_new_signing_key(path));
  const auto first = load_signing_key(path).value();
  const auto again = write_new_signing_key(path);
  ASSERT_FALSE(again);
  EXPECT_EQ(again.error().code, "signing_key_unwritable");
  EXPECT_EQ(load_signing_key(path).value().kid(), first.kid());
}

TEST_F(SigningKeyFile, ReportsAMissingFile) {
  const auto key = load_signing_key(dir_ / "missing.pem");
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, "signing_key_unreadable");
}

TEST(SigningKey, RejectsAnRsaKey) {
  EVP_PKEY* rsa = EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", std::size_t{1024});
  ASSERT_NE(rsa, nullptr);
  BIO* bio = BIO_new(BIO_s_mem());
  ASSERT_EQ(PEM_write_bio_PrivateKey(bio, rsa, nullptr, nullptr, 0, nullptr, nullptr), 1);
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  const std::string pem(data, static_cast<std::size_t>(size));
  BIO_free(bio);
  EVP_PKEY_free(rsa);

  const auto key = signing_key::from_pem(pem);
  ASSERT_FALSE(key);
  EXPECT_EQ(key.error().code, "signing_key_invalid");
  EXPECT_NE(key.error().message.find("Ed25519"), std::string::npos);
}

}  // namespace
}  // namespace tenantry::api
