#include "api/http/responses.hpp"

#include "api/http_status.hpp"

namespace tenantry::api {

response json_response(unsigned status, std::string body) {
  response res{static_cast<http::status>(status), 11};
  if (!body.empty()) res.set(http::field::content_type, "application/json");
  res.body() = std::move(body);
  res.prepare_payload();
  return res;
}

response json_response(unsigned status, const nlohmann::json& body) {
  return json_response(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

response error_response(const error& e) {
  const nlohmann::json body{
      {"error", e.code.empty() ? "internal" : e.code},
      {"message", e.message},
      {"details", e.details.is_null() ? nlohmann::json::object() : e.details}};
  response res = json_response(http_status(e.category), body);
  if (e.category == errc::unauthenticated) res.set(http::field::www_authenticate, "Bearer");
  if (e.category == errc::unavailable || e.category == errc::rate_limited)
    res.set(http::field::retry_after, "1");
  return res;
}

response error_response(errc category, std::string code, std::string message,
                        nlohmann::json details) {
  return error_response(error{category, std::move(code), std::move(message), std::move(details)});
}

void set_etag(response& res, std::int64_t version) {
  std::string tag(1, '"');
  tag += std::to_string(version);
  tag += '"';
  res.set(http::field::etag, tag);
}

}  // namespace tenantry::api
