// Memory over long runs of distinct client input (issue 11, hole 5), each beside what the
// same input costs without the bound, in the same run:
// - the password-try limiter over a million distinct usernames: the keys it holds stay at
//   its cap, where a plain map (what the limiter did before) holds one per username;
// - the writer's idempotency records and sessions over two simulated days of commands with
//   distinct keys and logins: pruned as time passes they stay at what 24 hours (keys) and
//   one hour (sessions) bring, where without pruning they grow with every command.
// Counts are what the bound is about; each process's peak resident set is printed beside
// them (run one benchmark a process: --benchmark_filter).

#include <benchmark/benchmark.h>

#include <fstream>
#include <unordered_map>

#include "api/http/rate_limiter.hpp"
#include "commands/command_outcome.hpp"
#include "commands/write_model.hpp"

namespace tenantry::bench {
namespace {

// The process's peak resident set (VmHWM): meaningful when each benchmark runs in a
// process of its own, as infra/bench.sh runs them.
double peak_resident_mib() {
  std::ifstream status("/proc/self/status");
  std::string word;
  while (status >> word)
    if (word == "VmHWM:") {
      double kib = 0;
      status >> kib;
      return kib / 1024.0;
    }
  return 0;
}

std::string username_key(std::uint64_t n) {
  return "pair:user" + std::to_string(n) + "@example.com|203.0.113.9";
}

void BM_LimiterDistinctUsernames(benchmark::State& state) {
  api::rate_limiter limiter(20, std::chrono::hours(1));
  const auto now = api::rate_limiter::clock::now();
  std::uint64_t n = 0;
  for (auto _ : state) limiter.take(username_key(n++), now);
  state.counters["keys_tried"] = static_cast<double>(n);
  state.counters["keys_held"] = static_cast<double>(limiter.size());
  state.counters["peak_rss_mib"] = peak_resident_mib();
}
BENCHMARK(BM_LimiterDistinctUsernames)->Iterations(1'000'000)->Unit(benchmark::kMillisecond);

// The reference: one entry per username tried, never forgotten.
void BM_UnboundedMapDistinctUsernames(benchmark::State& state) {
  std::unordered_map<std::string, std::uint32_t> windows;
  std::uint64_t n = 0;
  for (auto _ : state) ++windows[username_key(n++)];
  state.counters["keys_tried"] = static_cast<double>(n);
  state.counters["keys_held"] = static_cast<double>(windows.size());
  state.counters["peak_rss_mib"] = peak_resident_mib();
}
BENCHMARK(BM_UnboundedMapDistinctUsernames)->Iterations(1'000'000)->Unit(benchmark::kMillisecond);

recorded_event at_time(event data, timestamp at, std::string key) {
  recorded_event e;
  e.meta.event_id = new_uuid_v7();
  e.meta.subject = aggregate_id(data);
  e.meta.aggregate_type = std::string(aggregate_type(data));
  e.meta.aggregate_version = 1;
  e.meta.time = at;
  e.meta.actor = "bench-user";
  e.meta.idempotency_key = std::move(key);
  if (!e.meta.idempotency_key.empty()) {
    e.meta.request_hash = "hash";
    e.meta.response = to_record(command_outcome{outcome::created, e.meta.subject});
  }
  e.data = std::move(data);
  return e;
}

// Two simulated days, 10 idempotent commands and 10 logins (one-hour sessions) a minute.
void two_days(benchmark::State& state, bool prune) {
  for (auto _ : state) {
    write_model model;
    const user_id user{new_uuid_v7()};
    timestamp t{std::chrono::milliseconds{1'800'000'000'000}};
    model.apply(at_time(user_registered{user, "bench@example.com", "", "h", {}}, t, ""));
    std::uint64_t n = 0;
    for (int minute = 0; minute < 2 * 24 * 60; ++minute, t += std::chrono::minutes(1)) {
      for (int i = 0; i < 10; ++i, ++n) {
        model.apply(at_time(tenant_created{tenant_id{new_uuid_v7()}, "t" + std::to_string(n), "T",
                                           "", std::nullopt},
                            t, "key-" + std::to_string(n)));
        model.apply(at_time(session_started{session_id{new_uuid_v7()}, user,
                                            "rt-" + std::to_string(n), t + std::chrono::hours(1)},
                            t, ""));
      }
      if (prune) model.forget_what_has_ended(t, std::chrono::hours(24));
      if (minute == 24 * 60 - 1) state.counters["records_after_1d"] = model.idempotency_count();
    }
    state.counters["commands"] = static_cast<double>(n);
    state.counters["records_after_2d"] = static_cast<double>(model.idempotency_count());
    state.counters["sessions_after_2d"] = static_cast<double>(model.users.session_count());
    state.counters["peak_rss_mib"] = peak_resident_mib();
  }
}

void BM_WriterTwoDaysPruned(benchmark::State& state) {
  two_days(state, true);
}
BENCHMARK(BM_WriterTwoDaysPruned)->Iterations(1)->Unit(benchmark::kMillisecond);

// The reference: the same two days, nothing forgotten.
void BM_WriterTwoDaysUnpruned(benchmark::State& state) {
  two_days(state, false);
}
BENCHMARK(BM_WriterTwoDaysUnpruned)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tenantry::bench

BENCHMARK_MAIN();
