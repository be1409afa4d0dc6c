#pragma once
// What every benchmark subcommand shares: figures printed as one JSON object, clocks and
// percentiles, the process's memory, and which processes used the two cores meanwhile.

#include <chrono>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace tenantry::bench {

// {"name": {"value": x, "unit": "..."}}: the format of var/bench/results.json.
class figures {
 public:
  void add(const std::string& name, double value, const std::string& unit);
  // Prints the figures as one JSON line on stdout (logs go to stderr).
  void print() const;

 private:
  nlohmann::json json_ = nlohmann::json::object();
};

using steady = std::chrono::steady_clock;
double seconds_since(steady::time_point t);
double millis(steady::duration d);

// The p-th percentile (0..100, nearest rank) of `values`, which it sorts; 0 when empty.
double percentile(std::vector<double>& values, double p);

struct memory_usage {
  double rss_bytes = 0;       // VmRSS
  double peak_rss_bytes = 0;  // VmHWM
  double heap_bytes = 0;      // allocated and not freed, over every malloc arena
};
memory_usage current_memory();

// Where the CPU time went between start() and stop(), in cores (CPU seconds per second):
// each watched process with its child processes (PostgreSQL: watch the postmaster),
// this process, its finished children (wrk), everything else, and what stayed idle.
class cpu_meter {
 public:
  explicit cpu_meter(std::map<std::string, int> watched = {});
  void start();
  // Adds "<label>_cores_<name>" figures.
  void stop(figures& out, const std::string& label) const;

 private:
  using process_times = std::map<int, double>;  // pid -> CPU seconds
  struct snapshot {
    steady::time_point at;
    double busy = 0, idle = 0;  // machine-wide, seconds
    double self = 0, children = 0;
    std::map<std::string, process_times> watched;  // the process and its children
  };
  snapshot take() const;

  std::map<std::string, int> watched_;
  snapshot started_;
};

// "name=pid" pairs (from the command line) as a map; pid 0 entries are dropped.
std::map<std::string, int> parse_watch_list(const std::vector<std::string>& pairs);

// Sends spdlog to stderr (stdout carries the figures); `verbose` shows info logs.
void log_to_stderr(bool verbose);

}  // namespace tenantry::bench
