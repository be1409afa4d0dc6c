#pragma once
// A latency histogram with fixed buckets, observed without a lock (the HTTP pipeline, the
// writer's commits) and rendered in the Prometheus text format: cumulative `_bucket`
// series with `le`, then `_sum` (seconds) and `_count`.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace tenantry {

class latency_histogram {
 public:
  // Upper bounds in seconds; one more bucket (+Inf) holds the rest.
  static constexpr std::array<double, 13> bounds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                 0.25,  0.5,    1,     2.5,  5,     10};

  void observe(std::chrono::nanoseconds latency);
  // `name`_bucket{`labels`,le="..."} ... `name`_sum{`labels`} `name`_count{`labels`}; labels
  // as `key="value",...` or empty.
  std::string render(std::string_view name, std::string_view labels) const;
  std::uint64_t count() const { return count_.load(std::memory_order_relaxed); }

 private:
  std::array<std::atomic<std::uint64_t>, bounds.size() + 1> buckets_{};
  std::atomic<std::uint64_t> count_{0};
  std::atomic<std::uint64_t> sum_ns_{0};
};

}  // namespace tenantry
