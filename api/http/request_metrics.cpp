#include "api/http/request_metrics.hpp"

namespace tenantry::api {

void request_metrics::observe(std::string_view method, std::string_view route, unsigned status,
                              std::string_view code, std::chrono::nanoseconds latency) {
  latency_histogram* histogram = nullptr;
  {
    std::lock_guard lock(mutex_);
    ++requests_[{std::string(method), std::string(route), status}];
    auto& h = latency_[{std::string(method), std::string(route)}];
    if (!h) h = std::make_unique<latency_histogram>();
    histogram = h.get();  // entries are never removed
    if (!code.empty()) ++errors_[std::string(code)];
    if (status == 429) ++rate_limited_;
  }
  histogram->observe(latency);
}

std::string request_metrics::render() const {
  std::string out;
  std::lock_guard lock(mutex_);
  out +=
      "# HELP tenantry_http_requests_total HTTP requests answered, by method, route and status.\n";
  out += "# TYPE tenantry_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out += "tenantry_http_requests_total{method=\"" + method + "\",route=\"" + route +
           "\",status=\"" + std::to_string(status) + "\"} " + std::to_string(n) + "\n";
  }
  out += "# HELP tenantry_http_request_duration_seconds Time to answer, by method and route.\n";
  out += "# TYPE tenantry_http_request_duration_seconds histogram\n";
  for (const auto& [key, h] : latency_)
    out += h->render("tenantry_http_request_duration_seconds",
                     "method=\"" + key.first + "\",route=\"" + key.second + "\"");
  out += "# HELP tenantry_http_errors_total Error answers (4xx and 5xx), by error code.\n";
  out += "# TYPE tenantry_http_errors_total counter\n";
  for (const auto& [code, n] : errors_)
    out += "tenantry_http_errors_total{code=\"" + code + "\"} " + std::to_string(n) + "\n";
  out += "# HELP tenantry_http_rate_limited_total Requests answered 429 rate_limited.\n";
  out += "# TYPE tenantry_http_rate_limited_total counter\n";
  out += "tenantry_http_rate_limited_total " + std::to_string(rate_limited_) + "\n";
  out +=
      "# HELP tenantry_failed_password_tries_total Logins and current_password checks with a "
      "wrong password.\n";
  out += "# TYPE tenantry_failed_password_tries_total counter\n";
  out += "tenantry_failed_password_tries_total " +
         std::to_string(failed_password_tries_.load(std::memory_order_relaxed)) + "\n";
  return out;
}

}  // namespace tenantry::api
