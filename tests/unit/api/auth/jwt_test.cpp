#include "api/auth/jwt.hpp"

#include <random>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "api/auth/secret_token.hpp"
#include "api/auth/verified_token_cache.hpp"

namespace tenantry::api {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

constexpr std::int64_t now = 1'800'000'000;
constexpr auto issuer = "https://tenantry.test";
constexpr auto audience = "tenantry-api";

const signing_key& test_key() {
  static const signing_key key = signing_key::generate().value();
  return key;
}

jwt_signer signer() {
  return jwt_signer(test_key(), issuer, audience, 900s);
}
jwt_verifier verifier() {
  return jwt_verifier(test_key(), issuer, audience);
}

json good_header() {
  return {{"alg", "EdDSA"}, {"typ", "JWT"}, {"kid", test_key().kid()}};
}

json good_claims() {
  return {{"iss", issuer},   {"sub", "user-1"},
          {"aud", audience}, {"exp", now + 900},
          {"iat", now},      {"nbf", now},
          {"jti", "jti-1"},  {"platform_roles", {"platform_operator"}}};
}

std::string signing_input(const json& header, const json& claims) {
  return base64url_encode(header.dump()) + '.' + base64url_encode(claims.dump());
}

// A token signed with `key` whatever its header says.
std::string craft(const json& header, const json& claims, const signing_key& key = test_key()) {
  const std::string input = signing_input(header, claims);
  return input + '.' + base64url_encode(key.sign(input));
}

// Expects a rejection whose message mentions `reason`.
void expect_rejected(const result<access_claims>& verdict, std::string_view reason) {
  ASSERT_FALSE(verdict) << "accepted a token that should fail with: " << reason;
  EXPECT_EQ(verdict.error().category, errc::unauthenticated);
  EXPECT_EQ(verdict.error().code, "unauthenticated");
  EXPECT_NE(verdict.error().message.find(reason), std::string::npos)
      << "message was: " << verdict.error().message;
}

TEST(JwtSigner, IssuesTokensTheVerifierAccepts) {
  const std::string token = signer().issue("user-42", {"super_admin", "platform_admin"}, now);
  const auto claims = verifier().verify(token, now + 10);
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_EQ(claims->subject, "user-42");
  EXPECT_EQ(claims->platform_roles, (std::vector<std::string>{"super_admin", "platform_admin"}));
  EXPECT_EQ(claims->issued_at, now);
  EXPECT_EQ(claims->not_before, now);
  EXPECT_EQ(claims->expires_at, now + 900);
  EXPECT_FALSE(claims->jwt_id.empty());
}

TEST(JwtSigner, WritesTheAgreedHeaderAndClaims) {
  const std::string token = signer().issue("user-42", {}, now);
  const auto dot1 = token.find('.');
  const auto dot2 = token.find('.', dot1 + 1);
  const json header = json::parse(base64url_decode(token.substr(0, dot1)).value());
  const json claims =
      json::parse(base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1)).value());
  EXPECT_EQ(header, good_header());
  for (const char* claim : {"iss", "sub", "aud", "exp", "iat", "nbf", "jti", "platform_roles"})
    EXPECT_TRUE(claims.contains(claim)) << claim;
  EXPECT_EQ(claims["iss"], issuer);
  EXPECT_EQ(claims["aud"], audience);
  EXPECT_EQ(claims["platform_roles"], json::array());
}

TEST(JwtSigner, CarriesTheUsersAuthGeneration) {
  const auto claims = verifier().verify(signer().issue("u", {}, now, 3), now);
  ASSERT_TRUE(claims) << claims.error().message;
  EXPECT_EQ(claims->generation, 3);
  EXPECT_EQ(verifier().verify(signer().issue("u", {}, now), now)->generation, 0);
}

TEST(JwtVerifier, ReadsAMissingGenerationAsZeroAndRefusesABadOne) {
  json claims = good_claims();
  claims.erase("gen");
  const auto old = verifier().verify(craft(good_header(), claims), now);
  ASSERT_TRUE(old) << old.error().message;
  EXPECT_EQ(old->generation, 0);
  for (const json& bad : {json("1"), json(-1), json(1.5)}) {
    claims["gen"] = bad;
    expect_rejected(verifier().verify(craft(good_header(), claims), now), "gen claim");
  }
}

TEST(JwtSigner, GivesEveryTokenItsOwnJti) {
  const auto a = verifier().verify(signer().issue("u", {}, now), now).value();
  const auto b = verifier().verify(signer().issue("u", {}, now), now).value();
  EXPECT_NE(a.jwt_id, b.jwt_id);
}

TEST(JwtVerifier, AcceptsHandCraftedValidToken) {
  EXPECT_TRUE(verifier().verify(craft(good_header(), good_claims()), now));
}

TEST(JwtVerifier, RejectsAlgNone) {
  json header = good_header();
  header["alg"] = "none";
  expect_rejected(verifier().verify(signing_input(header, good_claims()) + ".", now), "none");
  // Even with a real signature attached.
  expect_rejected(verifier().verify(craft(header, good_claims()), now), "none");
}

TEST(JwtVerifier, RejectsHs256) {
  json header = good_header();
  header["alg"] = "HS256";
  // The classic confusion attack: an HMAC keyed with the public key.
  expect_rejected(verifier().verify(craft(header, good_claims()), now), "not EdDSA");
}

TEST(JwtVerifier, RejectsRs256AndMissingAlg) {
  json header = good_header();
  header["alg"] = "RS256";
  expect_rejected(verifier().verify(craft(header, good_claims()), now), "not EdDSA");
  header.erase("alg");
  expect_rejected(verifier().verify(craft(header, good_claims()), now), "no alg");
}

TEST(JwtVerifier, RejectsTokenSignedByAnotherKey) {
  const auto other = signing_key::generate().value();
  expect_rejected(verifier().verify(craft(good_header(), good_claims(), other), now),
                  "signature is invalid");
}

TEST(JwtVerifier, RejectsUnknownKid) {
  const auto other = signing_key::generate().value();
  const std::string token = jwt_signer(other, issuer, audience, 900s).issue("u", {}, now);
  expect_rejected(verifier().verify(token, now), "kid is unknown");
  json header = good_header();
  header.erase("kid");
  expect_rejected(verifier().verify(craft(header, good_claims()), now), "no kid");
}

TEST(JwtVerifier, AcceptsEveryConfiguredKey) {
  const auto other = signing_key::generate().value();
  const jwt_verifier both({test_key().public_key(), other.public_key()}, issuer, audience);
  EXPECT_TRUE(both.verify(jwt_signer(other, issuer, audience, 900s).issue("u", {}, now), now));
  EXPECT_TRUE(both.verify(signer().issue("u", {}, now), now));
}

TEST(JwtVerifier, RejectsExpiredTokenAfterLeeway) {
  const std::string token = signer().issue("u", {}, now);
  EXPECT_TRUE(verifier().verify(token, now + 900 + 29));
  expect_rejected(verifier().verify(token, now + 900 + 30), "expired");
  expect_rejected(verifier().verify(token, now + 86400), "expired");
}

TEST(JwtVerifier, RejectsNotBeforeInTheFuture) {
  json claims = good_claims();
  claims["nbf"] = now + 120;
  expect_rejected(verifier().verify(craft(good_header(), claims), now), "not valid yet");
  EXPECT_TRUE(verifier().verify(craft(good_header(), claims), now + 100));
}

TEST(JwtVerifier, RejectsIssuedInTheFuture) {
  json claims = good_claims();
  claims["iat"] = now + 120;
  expect_rejected(verifier().verify(craft(good_header(), claims), now), "issued in the future");
}

TEST(JwtVerifier, RejectsWrongAudience) {
  const std::string token = signer().issue("u", {}, now);
  expect_rejected(jwt_verifier(test_key(), issuer, "another-api").verify(token, now),
                  "audience is wrong");
  json claims = good_claims();
  claims["aud"] = {"x", "y"};
  expect_rejected(verifier().verify(craft(good_header(), claims), now), "audience is wrong");
  claims["aud"] = 7;
  expect_rejected(verifier().verify(craft(good_header(), claims), now), "audience is wrong");
}

TEST(JwtVerifier, AcceptsAudienceArrayContainingUs) {
  json claims = good_claims();
  claims["aud"] = {"other", audience};
  EXPECT_TRUE(verifier().verify(craft(good_header(), claims), now));
}

TEST(JwtVerifier, RejectsWrongIssuer) {
  const std::string token = signer().issue("u", {}, now);
  expect_rejected(jwt_verifier(test_key(), "https://evil.test", audience).verify(token, now),
                  "issuer is wrong");
}

TEST(JwtVerifier, RejectsTamperedPayload) {
  const std::string token = signer().issue("user-1", {}, now);
  const auto dot1 = token.find('.');
  const auto dot2 = token.find('.', dot1 + 1);
  json claims = json::parse(base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1)).value());
  claims["platform_roles"] = {"super_admin"};
  const std::string forged =
      token.substr(0, dot1) + '.' + base64url_encode(claims.dump()) + token.substr(dot2);
  expect_rejected(verifier().verify(forged, now), "signature is invalid");
}

TEST(JwtVerifier, RejectsTamperedSignature) {
  std::string token = signer().issue("u", {}, now);
  const char last = token.back();
  token.back() = last == 'A' ? 'Q' : 'A';  // keeps the tail canonical
  EXPECT_FALSE(verifier().verify(token, now));
  expect_rejected(verifier().verify(token + "AA", now), "signature");
}

TEST(JwtVerifier, RejectsOversizedToken) {
  expect_rejected(verifier().verify(std::string(8 * 1024 + 1, 'a'), now), "8 KiB");
  // A genuinely signed token is refused too once it is too large.
  const std::vector<std::string> roles(700, "platform_operator");
  const std::string big = signer().issue("u", roles, now);
  ASSERT_GT(big.size(), max_token_size);
  expect_rejected(verifier().verify(big, now), "8 KiB");
}

TEST(JwtVerifier, RejectsGarbage) {
  const auto v = verifier();
  expect_rejected(v.verify("", now), "three");
  expect_rejected(v.verify("abc", now), "three");
  expect_rejected(v.verify("a.b", now), "three");
  expect_rejected(v.verify("a.b.c.d", now), "three");
  expect_rejected(v.verify("!!!.###.$$$", now), "header is not");
  expect_rejected(v.verify(base64url_encode("{not json") + ".e30.", now), "header is not");
  expect_rejected(v.verify(base64url_encode("[1,2]") + ".e30.", now), "header is not");
  const std::string input = signing_input(good_header(), good_claims());
  expect_rejected(v.verify(input + ".%%%", now), "signature is not base64url");
}

TEST(JwtVerifier, RejectsSignedPayloadThatIsNotJson) {
  const std::string input = base64url_encode(good_header().dump()) + '.' + base64url_encode("nope");
  expect_rejected(verifier().verify(input + '.' + base64url_encode(test_key().sign(input)), now),
                  "payload is not");
}

TEST(JwtVerifier, RejectsMissingClaims) {
  for (const char* claim : {"iss", "sub", "aud", "exp", "iat", "nbf", "jti", "platform_roles"}) {
    json claims = good_claims();
    claims.erase(claim);
    expect_rejected(verifier().verify(craft(good_header(), claims), now),
                    std::string("no ") + claim + " claim");
  }
}

TEST(JwtVerifier, RejectsClaimsOfTheWrongType) {
  json claims = good_claims();
  claims["exp"] = "soon";
  expect_rejected(verifier().verify(craft(good_header(), claims), now), "no exp claim");
  claims = good_claims();
  claims["platform_roles"] = {"a", 1};
  expect_rejected(verifier().verify(craft(good_header(), claims), now), "no platform_roles");
  claims = good_claims();
  claims["sub"] = "";
  expect_rejected(verifier().verify(craft(good_header(), claims), now), "no sub claim");
}

TEST(JwtVerifier, RejectsCritHeader) {
  json header = good_header();
  header["crit"] = {"exp"};
  expect_rejected(verifier().verify(craft(header, good_claims()), now), "crit");
}

TEST(JwtVerifier, NeverThrowsOnRandomInput) {
  std::mt19937 random(42);
  const std::string valid = signer().issue("u", {"super_admin"}, now);
  const auto v = verifier();
  for (int i = 0; i < 5000; ++i) {
    std::string token = valid;
    const int flips = 1 + static_cast<int>(random() % 4);
    for (int f = 0; f < flips; ++f) token[random() % token.size()] = static_cast<char>(random());
    const auto verdict = v.verify(token, now);
    if (!verdict) {
      EXPECT_EQ(verdict.error().code, "unauthenticated");
    }
  }
}

// A token verified once is remembered by its exact text: its times still count on every
// use, and a token that differs in any byte is verified afresh.
TEST(JwtVerifierCache, AVerifiedTokenIsStillCheckedForItsTimes) {
  const jwt_verifier v = verifier();
  const std::string token = signer().issue("u", {"platform_operator"}, now);
  ASSERT_TRUE(v.verify(token, now));
  const auto again = v.verify(token, now + 60);
  ASSERT_TRUE(again);
  EXPECT_EQ(again->subject, "u");
  EXPECT_EQ(again->platform_roles, std::vector<std::string>{"platform_operator"});
  expect_rejected(v.verify(token, now + 900 + 30), "expired");
  expect_rejected(v.verify(token, now - 3600), "not valid yet");
}

TEST(JwtVerifierCache, ATamperedCopyOfAVerifiedTokenIsRejected) {
  const jwt_verifier v = verifier();
  const std::string token = signer().issue("user-1", {}, now);
  ASSERT_TRUE(v.verify(token, now));
  const auto dot1 = token.find('.');
  const auto dot2 = token.find('.', dot1 + 1);
  json claims = json::parse(base64url_decode(token.substr(dot1 + 1, dot2 - dot1 - 1)).value());
  claims["platform_roles"] = {"super_admin"};
  const std::string forged =
      token.substr(0, dot1) + '.' + base64url_encode(claims.dump()) + token.substr(dot2);
  expect_rejected(v.verify(forged, now), "signature is invalid");
  std::string flipped = token;
  flipped.back() = flipped.back() == 'A' ? 'Q' : 'A';
  EXPECT_FALSE(v.verify(flipped, now));
  EXPECT_TRUE(v.verify(token, now));
}

TEST(JwtVerifierCache, ATokenNotYetValidIsNotRemembered) {
  const jwt_verifier v = verifier();
  json claims = good_claims();
  claims["nbf"] = now + 120;
  const std::string token = craft(good_header(), claims);
  expect_rejected(v.verify(token, now), "not valid yet");
  EXPECT_TRUE(v.verify(token, now + 100));
}

TEST(VerifiedTokenCache, KeepsAtMostItsCapacityForgettingTheOldest) {
  verified_token_cache cache(2);
  access_claims a{"a", {}, "1", now, now, now + 10};
  cache.insert("t1", a);
  cache.insert("t2", a);
  cache.insert("t3", a);
  EXPECT_EQ(cache.size(), 2u);
  EXPECT_FALSE(cache.find("t1"));
  EXPECT_TRUE(cache.find("t2"));
  EXPECT_TRUE(cache.find("t3"));
  verified_token_cache none(0);
  none.insert("t1", a);
  EXPECT_FALSE(none.find("t1"));
}

TEST(Jwks, PublishesTheKeyAsAnOkpJwk) {
  const json set = jwks(test_key());
  ASSERT_TRUE(set["keys"].is_array());
  ASSERT_EQ(set["keys"].size(), 1u);
  const json& key = set["keys"][0];
  EXPECT_EQ(key["kty"], "OKP");
  EXPECT_EQ(key["crv"], "Ed25519");
  EXPECT_EQ(key["alg"], "EdDSA");
  EXPECT_EQ(key["use"], "sig");
  EXPECT_EQ(key["kid"], test_key().kid());
  const auto x = base64url_decode(key["x"].get<std::string>());
  ASSERT_TRUE(x);
  ASSERT_EQ(x->size(), 32u);
  EXPECT_TRUE(
      std::equal(x->begin(), x->end(), test_key().public_key().public_key.begin(),
                 [](char a, unsigned char b) { return static_cast<unsigned char>(a) == b; }));
  EXPECT_EQ(key.size(), 6u);  // no private material
}

}  // namespace
}  // namespace tenantry::api
