#pragma once
// The Ed25519 key that signs access tokens, and the public half that verifies them.
// Keys live in PEM files (PKCS#8, as `openssl genpkey -algorithm ed25519` writes them).

#include <array>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "events/result.hpp"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY, kept out of this header

namespace tenantry::api {

// A public key as a JWKS publishes it; `kid` names it in token headers.
struct verification_key {
  std::string kid;
  std::array<unsigned char, 32> public_key{};
};

class signing_key {
 public:
  static result<signing_key> generate();
  static result<signing_key> from_pem(std::string_view pem);  // PKCS#8 private key

  const std::string& kid() const { return public_.kid; }
  const verification_key& public_key() const { return public_; }

  // The 64-byte Ed25519 signature of `message`.
  std::string sign(std::string_view message) const;
  // The private key as PKCS#8 PEM.
  std::string to_pem() const;

 private:
  explicit signing_key(std::shared_ptr<evp_pkey_st> key);

  std::shared_ptr<evp_pkey_st> key_;  // immutable once made, so copies share it
  verification_key public_;
};

// True when `signature` is a valid Ed25519 signature of `message` under `key`. Never throws.
bool verify_signature(const verification_key& key, std::string_view message,
                      std::string_view signature) noexcept;

// kid = base64url of the first 12 bytes of SHA-256 of the raw 32-byte public key.
std::string key_id(const std::array<unsigned char, 32>& public_key);

result<signing_key> load_signing_key(const std::filesystem::path& path);

// Generates a key and writes it to `path` with mode 0600; refuses to replace a file.
result<void> write_new_signing_key(const std::filesystem::path& path);

}  // namespace tenantry::api
