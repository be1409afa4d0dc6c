// The rebuild's progress display (no I/O besides a temporary file).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <string>

#include "cli/progress_bar.hpp"

namespace tenantry::cli {
namespace {

using namespace std::chrono_literals;

TEST(ProgressBar, DescribesDoneTotalRateAndEta) {
  EXPECT_EQ(describe_progress(50, 200, "events", 10s),
            "50/200 events (25.0%), 5.0 events/s, ETA 0:30");
  EXPECT_EQ(describe_progress(200, 200, "events", 40s),
            "200/200 events (100.0%), 5.0 events/s, 0:40");
  EXPECT_EQ(describe_progress(1, 100000, "events", 2s),
            "1/100000 events (0.0%), 0.5 events/s, ETA 55:33:18");
  EXPECT_EQ(describe_progress(0, 10, "events", 0s), "0/10 events (0.0%)");
  EXPECT_EQ(describe_progress(0, 0, "events", 0s), "0/0 events (100.0%), 0:00");
}

TEST(ProgressBar, FillsCellsInProportion) {
  EXPECT_EQ(progress_cells(1, 4, 8), "[##......]");
  EXPECT_EQ(progress_cells(4, 4, 4), "[####]");
  EXPECT_EQ(progress_cells(0, 0, 2), "[##]");
  EXPECT_EQ(progress_cells(9, 4, 2), "[##]");
}

TEST(ProgressBar, WritesPlainLinesWhenNotOnATerminalAndFinishesOnce) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  {
    progress_bar bar(out, "projecting", "events", 3, /*terminal=*/false);
    bar.update(1);  // within 2 s of the first line: not drawn
    bar.update(3);
    bar.finish();
    bar.update(2);  // after the end: ignored
  }                 // the destructor does not draw again
  std::rewind(out);
  std::string text(4096, '\0');
  text.resize(std::fread(text.data(), 1, text.size(), out));
  std::fclose(out);
  EXPECT_TRUE(text.starts_with("projecting: 0/3 events (0.0%)\nprojecting: 3/3 events (100.0%)"))
      << text;
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 2) << text;
  EXPECT_EQ(text.find('\r'), std::string::npos);
}

}  // namespace
}  // namespace tenantry::cli
