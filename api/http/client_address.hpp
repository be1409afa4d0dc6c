#pragma once
// Who the client is behind a proxy: only when the TCP peer is one of the trusted proxies
// (TENANTRY_TRUSTED_PROXIES) are its `Forwarded` (RFC 7239) or `X-Forwarded-For` headers
// believed, read right to left past every trusted hop; otherwise the client is the peer.

#include <expected>
#include <string>
#include <string_view>
#include <vector>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include "api/http/http_server.hpp"

namespace tenantry::api {

class trusted_proxies {
 public:
  // Comma-separated CIDRs ("10.0.0.0/8, ::1/128"); a bare address is a /32 or /128.
  static std::expected<trusted_proxies, std::string> parse(std::string_view cidrs);

  bool empty() const { return v4_.empty() && v6_.empty(); }
  bool contains(const boost::asio::ip::address& a) const;

 private:
  std::vector<boost::asio::ip::network_v4> v4_;
  std::vector<boost::asio::ip::network_v6> v6_;
};

// The client's address for a request that came from `peer` (the TCP peer's address).
std::string client_address(const trusted_proxies& proxies, const std::string& peer,
                           const request& req);

}  // namespace tenantry::api
