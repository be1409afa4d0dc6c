#include "api/http/client_address.hpp"

#include <cctype>
#include <optional>

namespace tenantry::api {
namespace ip = boost::asio::ip;
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::vector<std::string_view> split(std::string_view s, char by) {
  std::vector<std::string_view> out;
  for (std::size_t start = 0;;) {
    const auto end = s.find(by, start);
    out.push_back(trim(s.substr(start, end == std::string_view::npos ? end : end - start)));
    if (end == std::string_view::npos) return out;
    start = end + 1;
  }
}

std::optional<ip::address> address_of(std::string_view text) {
  boost::system::error_code ec;
  const auto a = ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  // An IPv4 client seen through an IPv6 socket counts as the IPv4 address it is.
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return ip::make_address_v4(ip::v4_mapped, a.to_v6());
  return a;
}

// A node of Forwarded's for= or of X-Forwarded-For: "192.0.2.1", "192.0.2.1:8080",
// "[2001:db8::1]", "[2001:db8::1]:8080", "2001:db8::1"; nothing for "unknown" or an
// obfuscated "_name".
std::optional<ip::address> node_address(std::string_view node) {
  node = trim(node);
  if (node.size() >= 2 && node.front() == '"' && node.back() == '"')
    node = node.substr(1, node.size() - 2);
  if (node.starts_with('[')) {
    const auto close = node.find(']');
    if (close == std::string_view::npos) return std::nullopt;
    return address_of(node.substr(1, close - 1));
  }
  if (const auto colon = node.find(':');
      colon != std::string_view::npos && node.find(':', colon + 1) == std::string_view::npos)
    node = node.substr(0, colon);  // IPv4 with a port
  return address_of(node);
}

// The hops a header lists, client first; a hop that names no address is nullopt.
std::vector<std::optional<ip::address>> forwarded_hops(const request& req) {
  std::vector<std::optional<ip::address>> hops;
  const auto forwarded = req.equal_range(http::field::forwarded);
  if (forwarded.first != forwarded.second) {
    for (auto it = forwarded.first; it != forwarded.second; ++it)
      for (std::string_view element : split(it->value(), ','))
        for (std::string_view pair : split(element, ';')) {
          const auto eq = pair.find('=');
          if (eq == std::string_view::npos) continue;
          std::string name(trim(pair.substr(0, eq)));
          for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
          if (name == "for") hops.push_back(node_address(pair.substr(eq + 1)));
        }
    return hops;
  }
  const auto xff = req.equal_range("X-Forwarded-For");
  for (auto it = xff.first; it != xff.second; ++it)
    for (std::string_view node : split(it->value(), ',')) hops.push_back(node_address(node));
  return hops;
}

}  // namespace

std::expected<trusted_proxies, std::string> trusted_proxies::parse(std::string_view cidrs) {
  trusted_proxies out;
  if (trim(cidrs).empty()) return out;
  for (std::string_view item : split(cidrs, ',')) {
    if (item.empty()) continue;
    const auto slash = item.find('/');
    const auto base = address_of(item.substr(0, slash));
    if (!base) return std::unexpected("'" + std::string(item) + "' is not an address or CIDR");
    const int max = base->is_v4() ? 32 : 128;
    int prefix = max;
    if (slash != std::string_view::npos) {
      const std::string bits(item.substr(slash + 1));
      if (bits.empty() || bits.size() > 3 || bits.find_first_not_of("0123456789") != bits.npos ||
          std::stoi(bits) > max)
        return std::unexpected("'" + std::string(item) + "' has a bad prefix length");
      prefix = std::stoi(bits);
    }
    if (base->is_v4())
      out.v4_.push_back(
          ip::network_v4(base->to_v4(), static_cast<unsigned short>(prefix)).canonical());
    else
      out.v6_.push_back(
          ip::network_v6(base->to_v6(), static_cast<unsigned short>(prefix)).canonical());
  }
  return out;
}

bool trusted_proxies::contains(const ip::address& a) const {
  if (a.is_v4()) {
    for (const auto& n : v4_)
      if (ip::network_v4(a.to_v4(), n.prefix_length()).canonical() == n) return true;
    return false;
  }
  for (const auto& n : v6_)
    if (ip::network_v6(a.to_v6(), n.prefix_length()).canonical() == n) return true;
  return false;
}

std::string client_address(const trusted_proxies& proxies, const std::string& peer,
                           const request& req) {
  const auto from = address_of(peer);
  if (!from || proxies.empty() || !proxies.contains(*from)) return peer;
  // Right to left: each trusted hop vouches for the one before it.
  ip::address client = *from;
  const auto hops = forwarded_hops(req);
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    if (!*it) break;  // "unknown" or obfuscated: the last trusted hop is all we know
    client = **it;
    if (!proxies.contains(client)) break;
  }
  return client.to_string();
}

}  // namespace tenantry::api
