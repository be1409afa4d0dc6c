#pragma once
// Progress of a long step on stderr: a bar redrawn in place on a terminal, a plain line
// every few seconds otherwise (logs, CI), and always a last line when the step ends.

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>

namespace tenantry::cli {

// "1234/5000 events (24.7%), 812 events/s, ETA 0:05" (rate and ETA once known).
std::string describe_progress(std::int64_t done, std::int64_t total, std::string_view unit,
                              std::chrono::duration<double> elapsed);

// "[#######.............]" of `width` cells between the brackets.
std::string progress_cells(std::int64_t done, std::int64_t total, int width);

class progress_bar {
 public:
  using clock = std::chrono::steady_clock;

  progress_bar(std::FILE* out, std::string label, std::string unit, std::int64_t total,
               bool terminal);
  ~progress_bar();  // finish()
  progress_bar(const progress_bar&) = delete;
  progress_bar& operator=(const progress_bar&) = delete;

  static bool is_terminal(std::FILE* out);

  // Cheap when called often: draws at most every 100 ms (terminal) or 2 s (plain).
  void update(std::int64_t done);
  // Draws the final state once and ends the line.
  void finish();

 private:
  void draw(bool last);

  std::FILE* out_;
  std::string label_;
  std::string unit_;
  std::int64_t total_;
  bool terminal_;
  bool finished_ = false;
  std::int64_t done_ = 0;
  clock::time_point started_ = clock::now();
  clock::time_point drawn_{};
};

}  // namespace tenantry::cli
