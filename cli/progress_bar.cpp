#include "cli/progress_bar.hpp"

#include <algorithm>
#include <cmath>

#include <unistd.h>

namespace tenantry::cli {

namespace {

std::string duration_text(double seconds) {
  const auto s = static_cast<long long>(std::llround(std::max(0.0, seconds)));
  char buf[48];
  if (s >= 3600)
    std::snprintf(buf, sizeof buf, "%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
  else
    std::snprintf(buf, sizeof buf, "%lld:%02lld", s / 60, s % 60);
  return buf;
}

}  // namespace

std::string describe_progress(std::int64_t done, std::int64_t total, std::string_view unit,
                              std::chrono::duration<double> elapsed) {
  char buf[160];
  const double fraction = total > 0 ? static_cast<double>(done) / static_cast<double>(total) : 1.0;
  std::snprintf(buf, sizeof buf, "%lld/%lld %.*s (%.1f%%)", static_cast<long long>(done),
                static_cast<long long>(total), static_cast<int>(unit.size()), unit.data(),
                100.0 * std::clamp(fraction, 0.0, 1.0));
  std::string text = buf;
  const double seconds = elapsed.count();
  if (seconds >= 0.2 && done > 0) {
    const double rate = static_cast<double>(done) / seconds;
    std::snprintf(buf, sizeof buf, ", %.*f %.*s/s", rate < 10 ? 1 : 0, rate,
                  static_cast<int>(unit.size()), unit.data());
    text += buf;
    if (done < total) text += ", ETA " + duration_text(static_cast<double>(total - done) / rate);
  }
  if (done >= total) text += ", " + duration_text(seconds);
  return text;
}

std::string progress_cells(std::int64_t done, std::int64_t total, int width) {
  const double fraction =
      total > 0 ? std::clamp(static_cast<double>(done) / static_cast<double>(total), 0.0, 1.0)
                : 1.0;
  const int full = static_cast<int>(fraction * width);
  std::string cells(1, '[');
  cells.append(static_cast<std::size_t>(full), '#');
  cells.append(static_cast<std::size_t>(width - full), '.');
  cells.push_back(']');
  return cells;
}

progress_bar::progress_bar(std::FILE* out, std::string label, std::string unit, std::int64_t total,
                           bool terminal)
    : out_(out),
      label_(std::move(label)),
      unit_(std::move(unit)),
      total_(std::max<std::int64_t>(total, 0)),
      terminal_(terminal) {
  draw(false);
}

progress_bar::~progress_bar() {
  finish();
}

bool progress_bar::is_terminal(std::FILE* out) {
  return ::isatty(::fileno(out)) == 1;
}

void progress_bar::update(std::int64_t done) {
  if (finished_) return;
  done_ = std::clamp<std::int64_t>(done, 0, total_);
  const auto every = terminal_ ? std::chrono::milliseconds(100) : std::chrono::milliseconds(2000);
  if (clock::now() - drawn_ >= every) draw(false);
}

void progress_bar::finish() {
  if (finished_) return;
  finished_ = true;
  draw(true);
}

void progress_bar::draw(bool last) {
  drawn_ = clock::now();
  const std::string text = describe_progress(done_, total_, unit_, drawn_ - started_);
  if (terminal_) {
    // \r and "erase to the end of the line": a shorter line leaves nothing behind.
    std::fprintf(out_, "\r%s %s %s\x1b[K%s", label_.c_str(),
                 progress_cells(done_, total_, 30).c_str(), text.c_str(), last ? "\n" : "");
  } else {
    std::fprintf(out_, "%s: %s\n", label_.c_str(), text.c_str());
  }
  std::fflush(out_);
}

}  // namespace tenantry::cli
