#pragma once
// A small synchronous HTTP/1.1 client for end-to-end tests (one connection per request).

#include <map>
#include <string>

#include <nlohmann/json.hpp>

namespace tenantry::testing {

struct http_answer {
  unsigned status = 0;
  std::map<std::string, std::string> headers;  // lowercase names
  std::string body;
  nlohmann::json json() const;
  std::string header(const std::string& name) const;
};

class http_client {
 public:
  explicit http_client(unsigned short port) : port_(port) {}
  // Connects from `from_address` (another loopback address, e.g. 127.0.0.2): a second client
  // address for tests of per-address limits.
  http_client(unsigned short port, std::string from_address)
      : port_(port), from_(std::move(from_address)) {}
  // Sends `body` as application/json unless `headers` names another Content-Type.
  http_answer request(const std::string& method, const std::string& target,
                      const std::string& body = "",
                      const std::map<std::string, std::string>& headers = {}) const;
  http_answer get(const std::string& target, const std::string& token = "",
                  std::map<std::string, std::string> headers = {}) const;
  http_answer post(const std::string& target, const nlohmann::json& body,
                   const std::string& token = "",
                   std::map<std::string, std::string> headers = {}) const;
  http_answer patch(const std::string& target, const nlohmann::json& body, const std::string& token,
                    std::map<std::string, std::string> headers = {}) const;
  http_answer del(const std::string& target, const std::string& token,
                  std::map<std::string, std::string> headers = {}) const;
  unsigned short port() const { return port_; }

 private:
  unsigned short port_;
  std::string from_;  // empty: whatever the system picks
};

// The value of an unlabelled counter or gauge of GET /metrics; -1 when it is missing.
double metric(const http_client& c, const std::string& name);

}  // namespace tenantry::testing
