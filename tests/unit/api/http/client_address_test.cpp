// The client's address: the TCP peer unless that peer is a trusted proxy, and then the
// right-most hop of Forwarded (RFC 7239) or X-Forwarded-For that is not a trusted proxy.

#include "api/http/client_address.hpp"

#include <gtest/gtest.h>

namespace tenantry::api {
namespace {

trusted_proxies proxies(std::string_view cidrs) {
  auto p = trusted_proxies::parse(cidrs);
  EXPECT_TRUE(p) << (p ? "" : p.error());
  return p ? *p : trusted_proxies{};
}

std::string client(const trusted_proxies& trusted, const std::string& peer,
                   std::initializer_list<std::pair<std::string, std::string>> headers) {
  request req{http::verb::get, "/", 11};
  for (const auto& [name, value] : headers) req.insert(name, value);
  return client_address(trusted, peer, req);
}

TEST(TrustedProxies, ParsesCidrsAndBareAddresses) {
  const auto p = proxies("10.0.0.0/8, 192.168.1.7 ,fd00::/8,::1");
  EXPECT_TRUE(p.contains(boost::asio::ip::make_address("10.200.3.4")));
  EXPECT_TRUE(p.contains(boost::asio::ip::make_address("192.168.1.7")));
  EXPECT_FALSE(p.contains(boost::asio::ip::make_address("192.168.1.8")));
  EXPECT_TRUE(p.contains(boost::asio::ip::make_address("fd12::1")));
  EXPECT_TRUE(p.contains(boost::asio::ip::make_address("::1")));
  EXPECT_FALSE(p.contains(boost::asio::ip::make_address("2001:db8::1")));
  EXPECT_TRUE(proxies("").empty());
}

TEST(TrustedProxies, RefusesWhatIsNotACidr) {
  for (const char* bad :
       {"10.0.0.0/33", "example.com", "10.0.0.0/", "10.0.0.0/-1", "::/129", "1.2.3.4/8x"})
    EXPECT_FALSE(trusted_proxies::parse(bad)) << bad;
}

TEST(ClientAddress, AnUntrustedPeerIsTheClientWhateverItSays) {
  EXPECT_EQ(client(proxies(""), "192.0.2.9", {{"X-Forwarded-For", "203.0.113.1"}}), "192.0.2.9");
  EXPECT_EQ(client(proxies("10.0.0.0/8"), "192.0.2.9", {{"Forwarded", "for=203.0.113.1"}}),
            "192.0.2.9");
}

TEST(ClientAddress, ATrustedProxyNamesTheClientRightToLeft) {
  const auto p = proxies("10.0.0.0/8");
  EXPECT_EQ(client(p, "10.0.0.1", {{"X-Forwarded-For", "203.0.113.1"}}), "203.0.113.1");
  // The client may prepend anything; only the hop the proxies vouch for counts.
  EXPECT_EQ(client(p, "10.0.0.1", {{"X-Forwarded-For", "1.1.1.1, 203.0.113.1, 10.0.0.2"}}),
            "203.0.113.1");
  // Several header fields read as one list, in order.
  EXPECT_EQ(
      client(p, "10.0.0.1", {{"X-Forwarded-For", "1.1.1.1"}, {"X-Forwarded-For", "203.0.113.2"}}),
      "203.0.113.2");
  // Every hop trusted: the left-most is the client.
  EXPECT_EQ(client(p, "10.0.0.1", {{"X-Forwarded-For", "10.9.9.9, 10.0.0.2"}}), "10.9.9.9");
  // No header: the proxy itself.
  EXPECT_EQ(client(p, "10.0.0.1", {}), "10.0.0.1");
}

TEST(ClientAddress, ForwardedWinsAndItsNodesMayCarryPortsAndBrackets) {
  const auto p = proxies("10.0.0.0/8");
  EXPECT_EQ(client(p, "10.0.0.1",
                   {{"Forwarded", "for=\"203.0.113.5:4711\";proto=https"},
                    {"X-Forwarded-For", "198.51.100.1"}}),
            "203.0.113.5");
  EXPECT_EQ(client(p, "10.0.0.1", {{"Forwarded", "For=\"[2001:db8::17]:4711\", for=10.0.0.3"}}),
            "2001:db8::17");
  // An obfuscated or unknown hop ends what can be known: the last trusted hop.
  EXPECT_EQ(client(p, "10.0.0.1", {{"Forwarded", "for=unknown, for=10.0.0.3"}}), "10.0.0.3");
  EXPECT_EQ(client(p, "10.0.0.1", {{"X-Forwarded-For", "_hidden"}}), "10.0.0.1");
}

TEST(ClientAddress, AnIpv4PeerSeenAsMappedIpv6IsMatchedAsIpv4) {
  const auto p = proxies("127.0.0.1");
  EXPECT_EQ(client(p, "::ffff:127.0.0.1", {{"X-Forwarded-For", "203.0.113.8"}}), "203.0.113.8");
}

}  // namespace
}  // namespace tenantry::api
