// Access tokens -> claims: jwt_verifier::verify, as the request pipeline calls it on what
// follows "Bearer ", with a fixed Ed25519 key, at a fixed time.
//
// Input: either a token (raw mode; the corpus holds real tokens of the fixed key), or, when
// it starts with '{', a header JSON and a claims JSON on two lines, which the target
// encodes and signs with the fixed key before verifying (signed mode): that way the
// checks behind the signature get fuzzed too.
// Checks: nothing throws; base64url is canonical (what decodes encodes back to the same
// text); accepted claims are complete and valid at that time; a tampered signature fails.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "api/auth/jwt.hpp"
#include "api/auth/secret_token.hpp"

namespace tenantry::api {
namespace {

// Generated once for the fuzzer (openssl genpkey -algorithm ed25519); it signs nothing else.
constexpr std::string_view fuzz_key_pem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIGmj3ERhh95joAgyB7luuDdwTbd6aYKWwK4wMRdPwD/B\n"
    "-----END PRIVATE KEY-----\n";
constexpr std::int64_t now = 1'800'000'000;  // the corpus tokens are valid then
constexpr std::int64_t leeway = 30;          // jwt_verifier's default
constexpr auto issuer = "https://tenantry.fuzz";
constexpr auto audience = "tenantry-api";

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "jwt_fuzz: check failed: %s\n", what);
  std::abort();
}

const signing_key& fuzz_key() {
  static const signing_key key = signing_key::from_pem(fuzz_key_pem).value();
  return key;
}

const jwt_verifier& verifier() {
  static const jwt_verifier v(fuzz_key(), issuer, audience);
  return v;
}

void check_base64url(std::string_view part) {
  if (const auto bytes = base64url_decode(part))
    check(base64url_encode(*bytes) == part, "base64url_decode accepts only canonical text");
  const auto back = base64url_decode(base64url_encode(part));
  check(back && *back == part, "base64url round trip");
}

void check_verified(std::string_view token) {
  const auto claims = verifier().verify(token, now);
  if (!claims) {
    check(claims.error().category == errc::unauthenticated, "a rejection is a 401");
    return;
  }
  check(!claims->subject.empty() && !claims->jwt_id.empty(), "sub and jti are there");
  check(now - leeway < claims->expires_at, "not expired");
  check(claims->not_before <= now + leeway && claims->issued_at <= now + leeway, "valid now");
  // The same token with another signature must fail.
  std::string tampered(token);
  char& signature = tampered[tampered.rfind('.') + 1];
  signature = signature == 'A' ? 'B' : 'A';
  check(!verifier().verify(tampered, now), "a changed signature is refused");
}

// Signed mode: "<header JSON>\n<claims JSON>".
std::string signed_token(std::string_view input) {
  const auto newline = input.find('\n');
  const std::string_view header = input.substr(0, newline);
  const std::string_view claims =
      newline == std::string_view::npos ? std::string_view() : input.substr(newline + 1);
  std::string token = base64url_encode(header) + '.' + base64url_encode(claims);
  const std::string signature = fuzz_key().sign(token);
  return token + '.' + base64url_encode(signature);
}

}  // namespace
}  // namespace tenantry::api

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tenantry::api;
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.starts_with('{')) {
    check_verified(signed_token(input));
    return 0;
  }
  std::string_view rest = input;
  for (auto dot = rest.find('.'); dot != std::string_view::npos; dot = rest.find('.')) {
    check_base64url(rest.substr(0, dot));
    rest.remove_prefix(dot + 1);
  }
  check_base64url(rest);
  check_verified(input);
  return 0;
}
