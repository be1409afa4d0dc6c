#include "api/auth/signing_key.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "api/auth/secret_token.hpp"
#include "events/secret_file.hpp"

namespace tenantry::api {

namespace {

struct pkey_free {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
struct md_ctx_free {
  void operator()(EVP_MD_CTX* p) const { EVP_MD_CTX_free(p); }
};
struct bio_free {
  void operator()(BIO* p) const { BIO_free(p); }
};
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;
using md_ctx_ptr = std::unique_ptr<EVP_MD_CTX, md_ctx_free>;
using bio_ptr = std::unique_ptr<BIO, bio_free>;

// The oldest queued OpenSSL error as text; clears the queue so it cannot leak elsewhere.
std::string openssl_error() {
  const unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "unknown OpenSSL error";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

// Never prompt on a terminal for the passphrase of an encrypted PEM.
int no_passphrase(char*, int, int, void*) {
  return -1;
}

}  // namespace

std::string key_id(const std::array<unsigned char, 32>& public_key) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  if (EVP_Digest(public_key.data(), public_key.size(), digest, &size, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed: " + openssl_error());
  return base64url_encode(std::string_view(reinterpret_cast<const char*>(digest), 12));
}

signing_key::signing_key(std::shared_ptr<evp_pkey_st> key) : key_(std::move(key)) {
  std::size_t size = public_.public_key.size();
  if (EVP_PKEY_get_raw_public_key(key_.get(), public_.public_key.data(), &size) != 1 ||
      size != public_.public_key.size())
    throw std::runtime_error("cannot read an Ed25519 public key: " + openssl_error());
  public_.kid = key_id(public_.public_key);
}

result<signing_key> signing_key::generate() {
  pkey_ptr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key)
    return fail(errc::internal, "internal", "cannot generate an Ed25519 key: " + openssl_error());
  return signing_key(std::shared_ptr<EVP_PKEY>(key.release(), pkey_free{}));
}

result<signing_key> signing_key::from_pem(std::string_view pem) {
  bio_ptr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return fail(errc::internal, "internal", "out of memory: " + openssl_error());
  pkey_ptr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr));
  if (!key) {
    return fail(errc::invalid_argument, "signing_key_invalid",
                "not an unencrypted PEM private key: " + openssl_error());
  }
  if (!EVP_PKEY_is_a(key.get(), "ED25519")) {
    return fail(errc::invalid_argument, "signing_key_invalid",
                "the signing key is not an Ed25519 key");
  }
  return signing_key(std::shared_ptr<EVP_PKEY>(key.release(), pkey_free{}));
}

std::string signing_key::sign(std::string_view message) const {
  md_ctx_ptr ctx(EVP_MD_CTX_new());
  std::string signature(64, '\0');
  std::size_t size = signature.size();
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &size,
                     reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1 ||
      size != signature.size()) {
    throw std::runtime_error("Ed25519 signing failed: " + openssl_error());
  }
  return signature;
}

std::string signing_key::to_pem() const {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  if (!bio ||
      PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throw std::runtime_error("cannot encode the signing key: " + openssl_error());
  }
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(size));
}

bool verify_signature(const verification_key& key, std::string_view message,
                      std::string_view signature) noexcept {
  if (signature.size() != 64) return false;
  pkey_ptr pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, key.public_key.data(),
                                            key.public_key.size()));
  md_ctx_ptr ctx(EVP_MD_CTX_new());
  const bool ok =
      pkey && ctx && EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
      EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(), reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) == 1;
  ERR_clear_error();
  return ok;
}

result<signing_key> load_signing_key(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return fail(errc::unavailable, "signing_key_unreadable",
                "cannot read the signing key file " + path.string());
  }
  std::ostringstream pem;
  pem << in.rdbuf();
  return signing_key::from_pem(pem.str());
}

result<void> write_new_signing_key(const std::filesystem::path& path) {
  auto key = signing_key::generate();
  if (!key) return std::unexpected(key.error());
  return write_secret_file(path, key->to_pem(), "signing_key_unwritable");
}

}  // namespace tenantry::api
