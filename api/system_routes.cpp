// Health, readiness, metrics, the JWKS and the OpenAPI document: no token needed.

#include "api/http/responses.hpp"
#include "api/openapi.hpp"
#include "api/routes.hpp"

namespace tenantry::api {
namespace {

// Ready once the writer has rebuilt, the projector has caught up and is not stopped at
// an event it cannot apply, and start-up work is done.
bool ready(const services& s) {
  return s.writer.state() == writer_state::ready && s.read_side.caught_up_once() &&
         !s.read_side.fault() && (!s.started || s.started->load());
}

nlohmann::json status_json(const services& s) {
  const auto fault = s.read_side.fault();
  nlohmann::json body{{"writer", to_string(s.writer.state())},
                      {"projector", fault                          ? "stopped"
                                    : s.read_side.caught_up_once() ? "running"
                                                                   : "catching_up"},
                      {"projector_position", s.read_side.position()}};
  if (fault)
    body["projector_fault"] = {{"offset", fault->offset},
                               {"event_id", fault->event_id},
                               {"type", fault->type},
                               {"message", fault->message}};
  return body;
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
    // The offset of the event the projector is stopped at (it fails on its data); -1: none.
    const auto fault = s.read_side.fault();
    text += "# TYPE tenantry_projector_fault_offset gauge\ntenantry_projector_fault_offset ";
    text += std::to_string(fault ? fault->offset : -1) + "\n";
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
