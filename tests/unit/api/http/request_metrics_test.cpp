#include "api/http/request_metrics.hpp"

#include <gtest/gtest.h>

namespace tenantry::api {
namespace {

using namespace std::chrono_literals;

TEST(RequestMetrics, CountsByRouteStatusAndCode) {
  request_metrics m;
  m.observe("GET", "/v1/tenants/{ref}", 200, "", 2ms);
  m.observe("GET", "/v1/tenants/{ref}", 200, "", 4ms);
  m.observe("GET", "/v1/tenants/{ref}", 404, "not_found", 1ms);
  m.observe("POST", "/v1/auth/token", 429, "rate_limited", 1ms);
  m.failed_password_try();
  const std::string text = m.render();
  for (const char* line :
       {"tenantry_http_requests_total{method=\"GET\",route=\"/v1/tenants/{ref}\",status=\"200\"} "
        "2\n",
        "tenantry_http_requests_total{method=\"GET\",route=\"/v1/tenants/{ref}\",status=\"404\"} "
        "1\n",
        "tenantry_http_request_duration_seconds_count{method=\"GET\",route=\"/v1/tenants/{ref}\"} "
        "3\n",
        "tenantry_http_errors_total{code=\"not_found\"} 1\n",
        "tenantry_http_errors_total{code=\"rate_limited\"} 1\n",
        "tenantry_http_rate_limited_total 1\n", "tenantry_failed_password_tries_total 1\n",
        "# TYPE tenantry_http_requests_total counter\n",
        "# TYPE tenantry_http_request_duration_seconds histogram\n"})
    EXPECT_NE(text.find(line), std::string::npos) << line << text;
}

}  // namespace
}  // namespace tenantry::api
