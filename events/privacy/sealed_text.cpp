#include "events/privacy/sealed_text.hpp"

#include <sodium.h>

namespace tenantry {
namespace {

constexpr std::string_view prefix = "pd1.";
constexpr std::size_t nonce_size = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t tag_size = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr int variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

std::string associated_data(std::string_view subject, std::string_view field) {
  std::string ad(subject);
  ad += '\0';  // neither an id nor a field name holds U+0000
  ad += field;
  return ad;
}

const unsigned char* bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

}  // namespace

bool is_sealed(std::string_view text) {
  return text.starts_with(prefix);
}

std::string seal(const data_key& key, std::string_view subject, std::string_view field,
                 std::string_view plain) {
  require_sodium();
  std::string box(nonce_size + plain.size() + tag_size, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(box.data());
  randombytes_buf(nonce, nonce_size);  // 192-bit random nonces never repeat in practice
  const std::string ad = associated_data(subject, field);
  unsigned long long written = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(nonce + nonce_size, &written, bytes(plain),
                                             plain.size(), bytes(ad), ad.size(), nullptr, nonce,
                                             key.bytes.data());
  std::string out(prefix);
  const std::size_t encoded = sodium_base64_encoded_len(box.size(), variant);
  const std::size_t at = out.size();
  out.resize(at + encoded);
  sodium_bin2base64(out.data() + at, encoded, bytes(box), box.size(), variant);
  out.resize(out.size() - 1);  // the terminating NUL sodium writes
  return out;
}

std::optional<std::string> open_sealed(const data_key& key, std::string_view subject,
                                       std::string_view field, std::string_view sealed) {
  if (!is_sealed(sealed)) return std::nullopt;
  sealed.remove_prefix(prefix.size());
  std::string box(sealed.size(), '\0');  // base64 is longer than what it decodes to
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(box.data()), box.size(), sealed.data(),
                        sealed.size(), nullptr, &length, nullptr, variant) != 0 ||
      length < nonce_size + tag_size)
    return std::nullopt;
  const std::string ad = associated_data(subject, field);
  std::string plain(length - nonce_size - tag_size, '\0');
  unsigned long long written = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(reinterpret_cast<unsigned char*>(plain.data()),
                                                 &written, nullptr, bytes(box) + nonce_size,
                                                 length - nonce_size, bytes(ad), ad.size(),
                                                 bytes(box), key.bytes.data()) != 0)
    return std::nullopt;
  plain.resize(written);
  return plain;
}

}  // namespace tenantry
