#include "events/latency_histogram.hpp"

#include <gtest/gtest.h>

namespace tenantry {
namespace {

using namespace std::chrono_literals;

TEST(LatencyHistogram, RendersCumulativeBucketsSumAndCount) {
  latency_histogram h;
  h.observe(500us);  // <= 1 ms
  h.observe(3ms);    // <= 5 ms
  h.observe(3ms);
  h.observe(20s);  // beyond every bound
  const std::string text = h.render("x_seconds", "route=\"/a\"");
  EXPECT_NE(text.find("x_seconds_bucket{route=\"/a\",le=\"0.001\"} 1\n"), std::string::npos)
      << text;
  EXPECT_NE(text.find("x_seconds_bucket{route=\"/a\",le=\"0.0025\"} 1\n"), std::string::npos);
  EXPECT_NE(text.find("x_seconds_bucket{route=\"/a\",le=\"0.005\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("x_seconds_bucket{route=\"/a\",le=\"10\"} 3\n"), std::string::npos);
  EXPECT_NE(text.find("x_seconds_bucket{route=\"/a\",le=\"+Inf\"} 4\n"), std::string::npos);
  EXPECT_NE(text.find("x_seconds_sum{route=\"/a\"} 20.0065\n"), std::string::npos) << text;
  EXPECT_NE(text.find("x_seconds_count{route=\"/a\"} 4\n"), std::string::npos);
  EXPECT_NE(
      latency_histogram().render("y", "").find("y_bucket{le=\"+Inf\"} 0\ny_sum 0\ny_count 0\n"),
      std::string::npos);
}

}  // namespace
}  // namespace tenantry
