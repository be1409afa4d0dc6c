// Health, readiness, metrics, the JWKS and the OpenAPI document: no token needed.

#include <algorithm>
#include <chrono>
#include <cstdio>

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

// One series of the Prometheus text format, with its HELP and TYPE lines.
void series(std::string& out, const char* name, const char* type, const char* help,
            const std::string& value) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n" +
         name + " " + value + "\n";
}

std::string metrics_text(const services& s) {
  std::string text;
  text += "# HELP tenantry_build_info The running build: its version and compiler.\n";
  text += "# TYPE tenantry_build_info gauge\n";
  text += std::string("tenantry_build_info{version=\"") + TENANTRY_VERSION + "\",compiler=\"" +
          __VERSION__ + "\"} 1\n";
  series(text, "tenantry_writer_ready", "gauge", "1 while this instance's writer accepts commands.",
         s.writer.state() == writer_state::ready ? "1" : "0");
  series(text, "tenantry_writer_events", "gauge",
         "Events in the write model (rebuilt plus committed since).",
         std::to_string(s.writer.event_count()));
  series(text, "tenantry_writer_queue", "gauge", "Commands waiting for the writer.",
         std::to_string(s.writer.queued()));
  const auto answered = s.writer.answered();
  text += "# HELP tenantry_commands_total Commands the writer answered, by result.\n";
  text += "# TYPE tenantry_commands_total counter\n";
  text +=
      "tenantry_commands_total{result=\"accepted\"} " + std::to_string(answered.accepted) + "\n";
  text += "tenantry_commands_total{result=\"refused\"} " + std::to_string(answered.refused) + "\n";
  text +=
      "tenantry_commands_total{result=\"replayed\"} " + std::to_string(answered.replayed) + "\n";
  text +=
      "# HELP tenantry_writer_commit_duration_seconds Time the event log took to confirm a "
      "commit.\n# TYPE tenantry_writer_commit_duration_seconds histogram\n";
  text += s.writer.commit_latency().render("tenantry_writer_commit_duration_seconds", "");
  series(text, "tenantry_projector_position", "gauge",
         "The next log offset the read models will apply.", std::to_string(s.read_side.position()));
  const std::int64_t lag =
      std::max<std::int64_t>(0, s.writer.last_offset() + 1 - s.read_side.position());
  series(text, "tenantry_projector_lag_events", "gauge",
         "Events this instance's writer committed that the read models do not show yet.",
         std::to_string(lag));
  // How long the oldest commit the read models do not show yet has been waiting.
  double lag_seconds = 0;
  if (lag > 0)
    if (const auto since = s.writer.committed_at(s.read_side.position()))
      lag_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - *since).count();
  char seconds[32];
  std::snprintf(seconds, sizeof seconds, "%.3f", lag_seconds);
  series(text, "tenantry_projector_lag_seconds", "gauge",
         "Since when the oldest commit of this instance's writer that the read models do not "
         "show yet has waited.",
         seconds);
  const auto fault = s.read_side.fault();
  series(text, "tenantry_projector_fault_offset", "gauge",
         "The offset of the event the projector is stopped at (it fails on its data); -1: none.",
         std::to_string(fault ? fault->offset : -1));
  series(text, "tenantry_cpu_tasks_total", "counter", "Password hashes and verifications run.",
         std::to_string(s.cpu.completed()));
  series(text, "tenantry_cpu_refused_total", "counter",
         "Password hashes refused because the CPU pool's queue was full (503 overloaded).",
         std::to_string(s.cpu.refused()));
  if (s.metrics) text += s.metrics->render();
  return text;
}

}  // namespace

void add_metrics_route(router& r, services& s) {
  r.add(http::verb::get, "/metrics", access::anyone,
        [&s](request_context&) -> asio::awaitable<response> {
          response res = json_response(200, metrics_text(s));
          res.set(http::field::content_type, "text/plain; version=0.0.4; charset=utf-8");
          co_return res;
        });
}

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
  if (!s.settings.metrics_elsewhere) add_metrics_route(r, s);
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
