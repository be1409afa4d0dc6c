#include <gtest/gtest.h>

#include <chrono>

#include "events/clock.hpp"

namespace tenantry {
namespace {

using namespace std::chrono;
using namespace std::chrono_literals;

timestamp at(int y, unsigned m, unsigned d, hours h, minutes mi, seconds s, milliseconds ms) {
  return timestamp{sys_days{year{y} / m / d}} + h + mi + s + ms;
}

TEST(Clock, FormatsUtcWithMilliseconds) {
  EXPECT_EQ(format_rfc3339(at(2026, 11, 23, 10h, 30min, 0s, 123ms)), "2026-11-23T10:30:00.123Z");
  EXPECT_EQ(format_rfc3339(timestamp{}), "1970-01-01T00:00:00.000Z");
}

TEST(Clock, ParsesZulu) {
  EXPECT_EQ(parse_rfc3339("2026-11-23T10:30:00Z"), at(2026, 11, 23, 10h, 30min, 0s, 0ms));
}

TEST(Clock, ParsesFractions) {
  EXPECT_EQ(parse_rfc3339("2026-11-23T10:30:00.5Z"), at(2026, 11, 23, 10h, 30min, 0s, 500ms));
  EXPECT_EQ(parse_rfc3339("2026-11-23T10:30:00.123456Z"), at(2026, 11, 23, 10h, 30min, 0s, 123ms));
}

TEST(Clock, ParsesNumericOffsets) {
  EXPECT_EQ(parse_rfc3339("2026-11-23T12:30:00+02:00"), at(2026, 11, 23, 10h, 30min, 0s, 0ms));
  EXPECT_EQ(parse_rfc3339("2026-11-23T05:00:00.250-05:30"),
            at(2026, 11, 23, 10h, 30min, 0s, 250ms));
}

TEST(Clock, RoundTripsFormattedTime) {
  const auto t = time_point_cast<milliseconds>(system_now());
  EXPECT_EQ(parse_rfc3339(format_rfc3339(t)), t);
}

// An offset or a leap second that leaves the years 0000-9999 gave a time that
// format_rfc3339 wrote as "10000-..." or "-001-...", which parse_rfc3339 then refused: a
// decoded event could not be written and read back (the round-trip check of
// tests/fuzz/event_codec_fuzz.cpp).
TEST(Clock, RejectsTimesOutsideTheFourDigitYears) {
  for (const char* text :
       {"9999-12-31T23:59:59.999-01:00", "9999-12-31T23:59:60Z", "0000-01-01T00:00:00+00:01"}) {
    EXPECT_FALSE(parse_rfc3339(text)) << text;
  }
  EXPECT_EQ(parse_rfc3339("9999-12-31T23:59:59.999+01:00"),
            at(9999, 12, 31, 22h, 59min, 59s, 999ms));
  EXPECT_EQ(parse_rfc3339("0000-01-01T00:00:00-00:01"), at(0, 1, 1, 0h, 1min, 0s, 0ms));
  for (const char* text : {"0000-01-01T00:00:00.000Z", "9999-12-31T23:59:59.999Z"}) {
    EXPECT_EQ(format_rfc3339(parse_rfc3339(text).value()), text);
  }
}

TEST(Clock, RejectsGarbage) {
  for (const char* text : {"", "now", "2026-11-23", "2026-11-23T10:30:00", "2026-13-01T00:00:00Z",
                           "2026-02-30T00:00:00Z", "2026-11-23T24:00:00Z", "2026-11-23T10:30:00.Z",
                           "2026-11-23T10:30:00Zjunk", "2026-11-23T10:30:00+0200",
                           "2026-11-23X10:30:00Z", "20a6-11-23T10:30:00Z"}) {
    EXPECT_FALSE(parse_rfc3339(text)) << text;
  }
}

}  // namespace
}  // namespace tenantry
