#include "events/privacy/data_key.hpp"

#include <fstream>
#include <sstream>
#include <stdexcept>

#include <sodium.h>

#include "events/secret_file.hpp"

namespace tenantry {

static_assert(sizeof(data_key::bytes) == crypto_aead_xchacha20poly1305_ietf_KEYBYTES);

void require_sodium() {
  static const bool ready = sodium_init() >= 0;
  if (!ready) throw std::runtime_error("libsodium could not be initialised");
}

data_key data_key::generate() {
  require_sodium();
  data_key k;
  crypto_aead_xchacha20poly1305_ietf_keygen(k.bytes.data());
  return k;
}

result<key_encryption_key> key_encryption_key::from_base64(std::string_view text) {
  require_sodium();
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.remove_suffix(1);
  key_encryption_key kek;
  std::size_t length = 0;
  if (sodium_base642bin(kek.key_.data(), kek.key_.size(), text.data(), text.size(), nullptr,
                        &length, nullptr, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      length != kek.key_.size())
    return fail(errc::invalid_argument, "invalid_data_key",
                "The data key file must hold 32 bytes in base64 on one line "
                "(openssl rand -base64 32).");
  return kek;
}

result<key_encryption_key> key_encryption_key::from_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return fail(errc::invalid_argument, "invalid_data_key",
                "Cannot read the data key file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return from_base64(text.str());
}

result<void> key_encryption_key::write_new_file(const std::string& path) {
  require_sodium();
  std::array<unsigned char, 32> bytes{};
  randombytes_buf(bytes.data(), bytes.size());
  std::string text(sodium_base64_encoded_len(bytes.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(),
                    sodium_base64_VARIANT_ORIGINAL);
  sodium_memzero(bytes.data(), bytes.size());
  text.back() = '\n';  // sodium's terminating NUL: one line, as openssl writes it
  return write_secret_file(path, text, "data_key_unwritable");
}

std::string key_encryption_key::wrap(const data_key& key, std::string_view subject) const {
  require_sodium();
  std::string out(crypto_aead_xchacha20poly1305_ietf_NPUBBYTES + key.bytes.size() +
                      crypto_aead_xchacha20poly1305_ietf_ABYTES,
                  '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  randombytes_buf(nonce, crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + crypto_aead_xchacha20poly1305_ietf_NPUBBYTES,
                                             &written, key.bytes.data(), key.bytes.size(),
                                             reinterpret_cast<const unsigned char*>(subject.data()),
                                             subject.size(), nullptr, nonce, key_.data());
  return out;
}

std::optional<data_key> key_encryption_key::unwrap(std::string_view wrapped,
                                                   std::string_view subject) const {
  require_sodium();
  constexpr std::size_t nonce_size = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
  data_key key;
  if (wrapped.size() != nonce_size + key.bytes.size() + crypto_aead_xchacha20poly1305_ietf_ABYTES)
    return std::nullopt;
  const auto* nonce = reinterpret_cast<const unsigned char*>(wrapped.data());
  unsigned long long length = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(
          key.bytes.data(), &length, nullptr, nonce + nonce_size, wrapped.size() - nonce_size,
          reinterpret_cast<const unsigned char*>(subject.data()), subject.size(), nonce,
          key_.data()) != 0 ||
      length != key.bytes.size())
    return std::nullopt;
  return key;
}

std::string key_encryption_key::keyed_hash(std::string_view text) const {
  require_sodium();
  // A subkey of its own: the KEK itself never keys anything but the wrapping.
  std::array<unsigned char, crypto_generichash_KEYBYTES> subkey{};
  crypto_kdf_derive_from_key(subkey.data(), subkey.size(), 1, "tnaddrs1", key_.data());
  std::array<unsigned char, 32> digest{};
  crypto_generichash(digest.data(), digest.size(),
                     reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     subkey.data(), subkey.size());
  sodium_memzero(subkey.data(), subkey.size());
  std::string hex(digest.size() * 2 + 1, '\0');
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  hex.pop_back();
  return hex;
}

}  // namespace tenantry
