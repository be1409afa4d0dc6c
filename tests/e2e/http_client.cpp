#include "http_client.hpp"

#include <algorithm>
#include <vector>

#include "api/http/asio.hpp"

namespace tenantry::testing {

using namespace tenantry::api;

nlohmann::json http_answer::json() const {
  return nlohmann::json::parse(body, nullptr, false);
}

std::string http_answer::header(const std::string& name) const {
  std::string lower;
  for (char c : name)
    lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  const auto it = headers.find(lower);
  return it == headers.end() ? std::string() : it->second;
}

http_answer http_client::request(const std::string& method, const std::string& target,
                                 const std::string& body,
                                 const std::map<std::string, std::string>& headers) const {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(30));
  if (!from_.empty()) {
    stream.socket().open(tcp::v4());
    stream.socket().bind(tcp::endpoint(asio::ip::make_address(from_), 0));
  }
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  http::request<http::string_body> req{http::string_to_verb(method), target, 11};
  req.set(http::field::host, "127.0.0.1:" + std::to_string(port_));
  if (!body.empty()) req.set(http::field::content_type, "application/json");
  // A header replaces the default of its name; two entries whose names differ only in case
  // ("X-Meta-A", "x-meta-a") are both sent, for tests of a header given twice.
  std::vector<std::string> given;
  for (const auto& [name, value] : headers) {
    const bool repeated =
        std::ranges::any_of(given, [&](const std::string& g) { return beast::iequals(g, name); });
    if (repeated)
      req.insert(name, value);
    else
      req.set(name, value);
    given.push_back(name);
  }
  req.body() = body;
  req.prepare_payload();
  http::write(stream, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  http::read(stream, buffer, parser);
  const auto& res = parser.get();
  http_answer answer;
  answer.status = res.result_int();
  answer.body = res.body();
  for (const auto& field : res) {
    std::string name(field.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    answer.headers[name] = std::string(field.value());
  }
  beast::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  return answer;
}

namespace {
std::map<std::string, std::string> with_token(std::map<std::string, std::string> headers,
                                              const std::string& token) {
  if (!token.empty()) headers["Authorization"] = "Bearer " + token;
  return headers;
}
}  // namespace

http_answer http_client::get(const std::string& target, const std::string& token,
                             std::map<std::string, std::string> headers) const {
  return request("GET", target, "", with_token(std::move(headers), token));
}

http_answer http_client::post(const std::string& target, const nlohmann::json& body,
                              const std::string& token,
                              std::map<std::string, std::string> headers) const {
  return request("POST", target, body.is_null() ? "" : body.dump(),
                 with_token(std::move(headers), token));
}

http_answer http_client::patch(const std::string& target, const nlohmann::json& body,
                               const std::string& token,
                               std::map<std::string, std::string> headers) const {
  return request("PATCH", target, body.dump(), with_token(std::move(headers), token));
}

http_answer http_client::del(const std::string& target, const std::string& token,
                             std::map<std::string, std::string> headers) const {
  return request("DELETE", target, "", with_token(std::move(headers), token));
}

double metric(const http_client& c, const std::string& name) {
  const std::string body = "\n" + c.get("/metrics").body;
  const auto at = body.find("\n" + name + " ");
  return at == std::string::npos ? -1 : std::stod(body.substr(at + name.size() + 2));
}

}  // namespace tenantry::testing
