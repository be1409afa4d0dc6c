#include "bench_support.hpp"

#include <dirent.h>
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <sstream>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

namespace tenantry::bench {

void figures::add(const std::string& name, double value, const std::string& unit) {
  if (!std::isfinite(value)) value = 0;
  // Three significant decimals are plenty for noisy figures and keep the JSON readable.
  json_[name] = {{"value", std::round(value * 1000) / 1000}, {"unit", unit}};
}

void figures::print() const {
  std::cout << json_.dump() << std::endl;
}

double seconds_since(steady::time_point t) {
  return std::chrono::duration<double>(steady::now() - t).count();
}

double millis(steady::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const double rank = std::ceil(p / 100.0 * static_cast<double>(values.size()));
  const auto i = static_cast<std::size_t>(std::clamp(rank, 1.0, double(values.size())));
  return values[i - 1];
}

memory_usage current_memory() {
  memory_usage m;
  std::ifstream status("/proc/self/status");
  std::string line;
  auto kib = [](const std::string& l) {
    std::istringstream in(l.substr(l.find(':') + 1));
    double v = 0;
    in >> v;
    return v * 1024;
  };
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) m.rss_bytes = kib(line);
    if (line.rfind("VmHWM:", 0) == 0) m.peak_rss_bytes = kib(line);
  }
  const struct mallinfo2 mi = mallinfo2();
  m.heap_bytes = static_cast<double>(mi.uordblks + mi.hblkhd);
  return m;
}

namespace {

const double ticks_per_second = static_cast<double>(sysconf(_SC_CLK_TCK));

// utime + stime of a process (all its threads), in seconds; -1 when it is gone.
double process_seconds(int pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string text;
  if (!std::getline(in, text)) return -1;
  const auto paren = text.rfind(')');
  if (paren == std::string::npos) return -1;
  std::istringstream fields(text.substr(paren + 2));
  std::string f;
  double utime = 0, stime = 0;
  // After "(comm) " come field 3 (state) onwards; utime and stime are fields 14 and 15.
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) utime = std::stod(f);
    if (i == 15) stime = std::stod(f);
  }
  return (utime + stime) / ticks_per_second;
}

// Every process's parent, from /proc/<pid>/stat (field 4).
std::map<int, int> parents() {
  std::map<int, int> out;
  DIR* dir = opendir("/proc");
  if (!dir) return out;
  while (const dirent* e = readdir(dir)) {
    const std::string name = e->d_name;
    if (name.empty() || !std::all_of(name.begin(), name.end(), ::isdigit)) continue;
    std::ifstream in("/proc/" + name + "/stat");
    std::string text;
    if (!std::getline(in, text)) continue;
    const auto paren = text.rfind(')');
    if (paren == std::string::npos) continue;
    std::istringstream fields(text.substr(paren + 2));
    std::string state;
    int ppid = 0;
    if (fields >> state >> ppid) out[std::stoi(name)] = ppid;
  }
  closedir(dir);
  return out;
}

double rusage_seconds(int who) {
  rusage ru{};
  getrusage(who, &ru);
  auto s = [](const timeval& tv) { return double(tv.tv_sec) + double(tv.tv_usec) / 1e6; };
  return s(ru.ru_utime) + s(ru.ru_stime);
}

}  // namespace

cpu_meter::cpu_meter(std::map<std::string, int> watched) : watched_(std::move(watched)) {}

void cpu_meter::start() {
  started_ = take();
}

cpu_meter::snapshot cpu_meter::take() const {
  snapshot s;
  s.at = steady::now();
  std::ifstream stat("/proc/stat");
  std::string cpu;
  double user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0;
  stat >> cpu >> user >> nice >> system >> idle >> iowait >> irq >> softirq >> steal;
  s.busy = (user + nice + system + irq + softirq + steal) / ticks_per_second;
  s.idle = (idle + iowait) / ticks_per_second;
  s.self = rusage_seconds(RUSAGE_SELF);
  s.children = rusage_seconds(RUSAGE_CHILDREN);
  const std::map<int, int> parent = watched_.empty() ? std::map<int, int>() : parents();
  for (const auto& [name, pid] : watched_) {
    process_times& times = s.watched[name];
    if (const double own = process_seconds(pid); own >= 0) times[pid] = own;
    for (const auto& [child, ppid] : parent)
      if (ppid == pid)
        if (const double t = process_seconds(child); t >= 0) times[child] = t;
  }
  return s;
}

void cpu_meter::stop(figures& out, const std::string& label) const {
  const snapshot end = take();
  const double wall = std::chrono::duration<double>(end.at - started_.at).count();
  if (wall <= 0) return;
  const std::string prefix = label + "_cores_";
  double accounted = 0;
  auto put = [&](const std::string& name, double seconds) {
    seconds = std::max(0.0, seconds);
    accounted += seconds;
    out.add(prefix + name, seconds / wall, "cores");
  };
  // Processes that exited meanwhile are lost; those that started meanwhile count whole.
  for (const auto& [name, times] : end.watched) {
    const process_times& before = started_.watched.at(name);
    double seconds = 0;
    for (const auto& [pid, t] : times) {
      const auto b = before.find(pid);
      seconds += t - (b == before.end() ? 0 : b->second);
    }
    put(name, seconds);
  }
  put("bench", end.self - started_.self);
  if (end.children > started_.children) put("wrk", end.children - started_.children);
  const double busy = end.busy - started_.busy;
  out.add(prefix + "other", std::max(0.0, busy - accounted) / wall, "cores");
  out.add(prefix + "idle", (end.idle - started_.idle) / wall, "cores");
}

std::map<std::string, int> parse_watch_list(const std::vector<std::string>& pairs) {
  std::map<std::string, int> out;
  for (const auto& p : pairs) {
    const auto eq = p.find('=');
    if (eq == std::string::npos) continue;
    const int pid = std::atoi(p.c_str() + eq + 1);
    if (pid > 0) out[p.substr(0, eq)] = pid;
  }
  return out;
}

void log_to_stderr(bool verbose) {
  auto logger = spdlog::stderr_color_mt("bench");
  spdlog::set_default_logger(logger);
  spdlog::set_level(verbose ? spdlog::level::info : spdlog::level::warn);
}

}  // namespace tenantry::bench
