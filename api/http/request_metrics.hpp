#pragma once
// What GET /metrics reports about HTTP traffic, kept by the request pipeline: requests by
// matched route, method and status, their latency by route, error answers by code, and
// failed password tries. Every label comes from the server's own route table and error
// codes, never from a client's text, so the maps stay small. Thread-safe.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "events/latency_histogram.hpp"

namespace tenantry::api {

class request_metrics {
 public:
  // `route` is the matched pattern ("/v1/tenants/{ref}"), or "unmatched"; `code` the error
  // code of a 4xx or 5xx answer, or empty.
  void observe(std::string_view method, std::string_view route, unsigned status,
               std::string_view code, std::chrono::nanoseconds latency);
  void failed_password_try() { failed_password_tries_.fetch_add(1, std::memory_order_relaxed); }

  // Prometheus text: tenantry_http_requests_total, tenantry_http_request_duration_seconds,
  // tenantry_http_errors_total, tenantry_http_rate_limited_total,
  // tenantry_failed_password_tries_total.
  std::string render() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, unsigned>, std::uint64_t> requests_;
  std::map<std::pair<std::string, std::string>, std::unique_ptr<latency_histogram>> latency_;
  std::map<std::string, std::uint64_t> errors_;
  std::uint64_t rate_limited_ = 0;
  std::atomic<std::uint64_t> failed_password_tries_{0};
};

}  // namespace tenantry::api
