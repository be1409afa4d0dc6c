// GET /metrics: on a listener of its own when TENANTRY_METRICS_LISTEN is set (and then not
// on the API's), in the Prometheus text format with HELP and TYPE for every metric and
// `_total` on every counter, and counting what the API answered.

#include <gtest/gtest.h>

#include <sstream>

#include "http_client.hpp"
#include "server_process.hpp"

namespace tenantry::testing {
namespace {

TEST(Metrics, OnTheirOwnListenerInThePrometheusFormat) {
  server_process server;
  const unsigned short metrics_port = free_port();
  server.start({{"TENANTRY_METRICS_LISTEN", "127.0.0.1:" + std::to_string(metrics_port)}});
  http_client api(server.port());
  http_client metrics(metrics_port);
  EXPECT_EQ(api.get("/metrics").status, 404u);  // not where the clients are

  EXPECT_EQ(api.get("/healthz").status, 200u);
  EXPECT_EQ(api.post("/v1/auth/token",
                     {{"username", server_process::admin_email}, {"password", "not the password"}})
                .status,
            401u);
  EXPECT_EQ(api.get("/v1/tenants").status, 401u);

  auto page = metrics.get("/metrics");
  ASSERT_EQ(page.status, 200u);
  EXPECT_TRUE(page.header("Content-Type").starts_with("text/plain")) << page.header("Content-Type");
  const std::string& text = page.body;
  for (const char* line :
       {"tenantry_http_requests_total{method=\"GET\",route=\"/healthz\",status=\"200\"} 1",
        "tenantry_http_requests_total{method=\"POST\",route=\"/v1/auth/token\",status=\"401\"} 1",
        "tenantry_http_errors_total{code=\"unauthenticated\"} 2",
        "tenantry_failed_password_tries_total 1", "tenantry_writer_ready 1",
        "tenantry_projector_lag_events ", "tenantry_projector_lag_seconds ",
        "tenantry_build_info{version=\"",
        "tenantry_http_request_duration_seconds_count{method=\"GET\",route=\"/healthz\"} 1",
        "tenantry_writer_commit_duration_seconds_bucket{le=\"+Inf\"} ",
        "tenantry_commands_total{result=\"accepted\"} "})
    EXPECT_NE(text.find(line), std::string::npos) << line << "\n" << text;

  // Every metric has HELP and TYPE; every counter's name ends in _total.
  std::istringstream lines(text);
  std::string line;
  int types = 0;
  while (std::getline(lines, line)) {
    if (!line.starts_with("# TYPE ")) continue;
    ++types;
    std::istringstream words(line.substr(7));
    std::string name, type;
    words >> name >> type;
    EXPECT_NE(text.find("# HELP " + name + " "), std::string::npos) << name;
    if (type == "counter") {
      EXPECT_TRUE(name.ends_with("_total")) << name;
    }
  }
  EXPECT_GE(types, 12);
}

}  // namespace
}  // namespace tenantry::testing
