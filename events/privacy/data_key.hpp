#pragma once
// Crypto-shredding keys: a person's data key seals their personal fields in events
// (sealed_text.hpp); the key-encryption key (KEK, TENANTRY_DATA_KEY_FILE) wraps data keys
// where they are stored. Destroying a person's wrapped key leaves every copy of their
// fields (the log, its archive, backups) unreadable. libsodium's XChaCha20-Poly1305.

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "events/result.hpp"

namespace tenantry {

// Initialises libsodium once (idempotent, thread-safe); throws when there is no usable
// random source, which nothing here can work without.
void require_sodium();

// One person's data key: 32 random bytes.
struct data_key {
  std::array<unsigned char, 32> bytes{};
  static data_key generate();
  bool operator==(const data_key&) const = default;
};

class key_encryption_key {
 public:
  // The key as a file holds it: 32 bytes in standard base64 on one line (what
  // `openssl rand -base64 32` writes). 400-style errors name what is wrong.
  static result<key_encryption_key> from_base64(std::string_view text);
  static result<key_encryption_key> from_file(const std::string& path);
  // Writes a new random KEK to `path` (created 0600; fails when it exists).
  static result<void> write_new_file(const std::string& path);

  // `key` sealed for `subject` (the person's id, bound as associated data: a wrapped key
  // moved to another person's row does not unwrap): nonce || ciphertext || tag.
  std::string wrap(const data_key& key, std::string_view subject) const;
  // The data key, or nullopt when `wrapped` was not made by this KEK for this subject.
  std::optional<data_key> unwrap(std::string_view wrapped, std::string_view subject) const;
  // A keyed hash of `text` (BLAKE2b-256, in hex) under a key derived from the KEK: names a
  // person by their address without showing it (an invitee who has no account yet).
  std::string keyed_hash(std::string_view text) const;

 private:
  std::array<unsigned char, 32> key_{};
};

}  // namespace tenantry
