#include "events/latency_histogram.hpp"

#include <algorithm>
#include <cstdio>

namespace tenantry {

void latency_histogram::observe(std::chrono::nanoseconds latency) {
  const double seconds = std::chrono::duration<double>(latency).count();
  const auto at = std::ranges::lower_bound(bounds, seconds) - bounds.begin();
  buckets_[static_cast<std::size_t>(at)].fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<std::uint64_t>(std::max<std::int64_t>(0, latency.count())),
                    std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

std::string latency_histogram::render(std::string_view name, std::string_view labels) const {
  const std::string prefix = labels.empty() ? std::string() : std::string(labels) + ",";
  std::string out;
  std::uint64_t cumulative = 0;
  char bound[32];
  for (std::size_t i = 0; i <= bounds.size(); ++i) {
    cumulative += buckets_[i].load(std::memory_order_relaxed);
    if (i < bounds.size())
      std::snprintf(bound, sizeof bound, "%g", bounds[i]);
    else
      std::snprintf(bound, sizeof bound, "+Inf");
    out += std::string(name) + "_bucket{" + prefix + "le=\"" + bound + "\"} " +
           std::to_string(cumulative) + "\n";
  }
  const std::string braces = labels.empty() ? std::string() : "{" + std::string(labels) + "}";
  char sum[64];
  std::snprintf(sum, sizeof sum, "%.9g",
                static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9);
  out += std::string(name) + "_sum" + braces + " " + sum + "\n";
  out += std::string(name) + "_count" + braces + " " + std::to_string(count()) + "\n";
  return out;
}

}  // namespace tenantry
