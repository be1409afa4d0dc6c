// Health, readiness, metrics, the JWKS and the OpenAPI document: no token needed.

#include "api/openapi.hpp"
#include "api/http/responses.hpp"
#include "api/routes.hpp"

namespace tenantry::api {
namespace {

bool ready(const services& s) {
  return s.writer.state() == writer_state::ready && s.read_side.caught_up_once() &&
         (!s.started || s.started->load());
}

nlohmann::json status_json(const services& s) {
  return {{"writer", to_string(s.writer.state())},
          {"projector", s.read_side.caught_up_once() ? "running" : "catching_up"},
          {"projector_position", s.read_side.position()}};
}

}  // namespace

void add_system_routes(router& r, services& s) {
  using v = http::verb;
  const auto anyone = access::anyone;
  r.add(v::get, "/healthz", anyone, [](request_context&) -> asio::awaitable<response> {
    co_return json_response(200, nlohmann::json{{"status", "ok"}});
  });
  r.add(v::get, "/readyz", anyone, [&s](request_context&) -> asio::awaitable<response> {
    nlohmann::json body = status_json(s);
    body["status"] = ready(s) ? "ready" : "not_ready";
    co_return json_response(ready(s) ? 200 : 503, body);
  });
  r.add(v::get, "/metrics", anyone, [&s](request_context&) -> asio::awaitable<response> {
    std::string text;
    text += "# TYPE tenantry_writer_ready gauge\ntenantry_writer_ready ";
    text += s.writer.state() == writer_state::ready ? "1\n" : "0\n";
    text += "# TYPE tenantry_writer_events gauge\ntenantry_writer_events ";
    text += std::to_string(s.writer.event_count()) + "\n";
    text += "# TYPE tenantry_projector_position gauge\ntenantry_projector_position ";
    text += std::to_string(s.read_side.position()) + "\n";
    response res = json_response(200, std::move(text));
    res.set(http::field::content_type, "text/plain; version=0.0.4");
    co_return res;
  });
  r.add(v::get, "/.well-known/jwks.json", anyone,
        [&s](request_context&) -> asio::awaitable<response> {
          co_return json_response(200, jwks(s.signer.key()));
        });
}

void add_openapi_routes(router& r) {
  using v = http::verb;
  // The two routes first, so that the document shows their guards too.
  auto served = std::make_shared<std::string>();
  auto openapi = [served](request_context&) -> asio::awaitable<response> {
    co_return json_response(200, *served);
  };
  r.add(v::get, "/v1/openapi.json", access::anyone, openapi);
  r.add(v::get, "/openapi.json", access::anyone, openapi);
  *served = openapi_with_guards(r);
}

}  // namespace tenantry::api
