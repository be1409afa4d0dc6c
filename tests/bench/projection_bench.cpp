// `project`: the projector catching up from zero on a loaded topic into an empty schema,
// with where its time goes: the projector's own per-batch timings (archive, models,
// commit; read from its debug log) and a least-squares split of the models time by event
// kind. Beside it, the subscription alone (the projector's source without PostgreSQL).

#include <array>
#include <cstdio>
#include <mutex>
#include <thread>

#include <spdlog/sinks/base_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <pqxx/connection>

#include "events/kafka/kafka_event_log.hpp"
#include "projections/migrations.hpp"
#include "projections/projector.hpp"
#include "subcommands.hpp"

namespace tenantry::bench {
namespace {

// Keeps the projector's per-batch debug lines.
class batch_log_sink final : public spdlog::sinks::base_sink<std::mutex> {
 public:
  std::vector<std::string> take() {
    std::lock_guard lock(mutex_);
    return std::move(lines_);
  }

 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const std::string_view text(msg.payload.data(), msg.payload.size());
    if (text.find(" events up to offset ") != std::string_view::npos) lines_.emplace_back(text);
  }
  void flush_() override {}

 private:
  std::vector<std::string> lines_;
};

struct batch_timing {
  int events = 0;
  long long last_offset = 0;
  double total = 0, archive = 0, models = 0, commit = 0;  // ms
};

std::vector<batch_timing> parse_batches(const std::vector<std::string>& lines) {
  std::vector<batch_timing> out;
  for (const auto& l : lines) {
    batch_timing b;
    if (std::sscanf(l.c_str(),
                    "projector %*s %d events up to offset %lld in %lf ms (archive %lf, models "
                    "%lf, commit %lf)",
                    &b.events, &b.last_offset, &b.total, &b.archive, &b.models, &b.commit) == 6)
      out.push_back(b);
  }
  return out;
}

enum kind : std::uint8_t { created, updated, lifecycle, other, kinds };

kind kind_of(const std::string& type) {
  if (type.find(".tenant.created.") != std::string::npos) return created;
  if (type.find(".tenant.updated.") != std::string::npos) return updated;
  for (const char* k :
       {".tenant.suspended.", ".tenant.resumed.", ".tenant.activated.", ".tenant.deactivated."})
    if (type.find(k) != std::string::npos) return lifecycle;
  return other;
}

// Least squares for models_ms = sum(count_k * cost_k) + per_batch: the normal equations,
// solved by Gaussian elimination. Empty when the batches do not determine the costs.
std::vector<double> fit_costs(const std::vector<std::array<double, 4>>& x,
                              const std::vector<double>& y) {
  constexpr int n = 4;
  double a[n][n + 1] = {};
  for (std::size_t r = 0; r < x.size(); ++r)
    for (int i = 0; i < n; ++i) {
      for (int j = 0; j < n; ++j) a[i][j] += x[r][i] * x[r][j];
      a[i][n] += x[r][i] * y[r];
    }
  for (int c = 0; c < n; ++c) {
    int pivot = c;
    for (int r = c + 1; r < n; ++r)
      if (std::abs(a[r][c]) > std::abs(a[pivot][c])) pivot = r;
    if (std::abs(a[pivot][c]) < 1e-9) return {};
    std::swap(a[c], a[pivot]);
    for (int r = 0; r < n; ++r) {
      if (r == c) continue;
      const double k = a[r][c] / a[c][c];
      for (int j = c; j <= n; ++j) a[r][j] -= k * a[c][j];
    }
  }
  std::vector<double> out(n);
  for (int i = 0; i < n; ++i) out[i] = a[i][n] / a[i][i];
  return out;
}

}  // namespace

int run_migrate(const common_options& common, const std::string& schema) {
  try {
    pqxx::connection conn(common.database_url);
    if (auto r = migrate(conn, schema); !r) {
      spdlog::critical("migrate: {}", r.error().message);
      return 1;
    }
    return 0;
  } catch (const std::exception& e) {
    spdlog::critical("migrate: {}", e.what());
    return 1;
  }
}

int run_project(const common_options& common, const project_options& o) {
  auto log =
      kafka_event_log::open(kafka_config{.brokers = common.brokers, .topic = o.topic}, false);
  if (!log) {
    spdlog::critical("project: cannot open {}: {}", o.topic, log.error().message);
    return 1;
  }
  figures f;

  // 1. The source alone: the subscription the projector polls, at its batch size.
  std::vector<std::uint8_t> kind_at;  // by offset
  std::int64_t last_offset = -1;
  std::size_t events = 0;
  {
    auto sub = (*log)->subscribe(0);
    if (!sub) {
      spdlog::critical("project: subscribe: {}", sub.error().message);
      return 1;
    }
    const auto started = steady::now();
    auto last_event_at = started;
    for (;;) {
      auto batch = (*sub)->poll(o.batch_size > 0 ? o.batch_size : projector_options{}.batch_size,
                                std::chrono::milliseconds(events ? 1000 : 10000));
      if (!batch) {
        spdlog::critical("project: poll: {}", batch.error().message);
        return 1;
      }
      if (batch->empty()) break;
      last_event_at = steady::now();
      for (const auto& e : *batch) {
        if (kind_at.size() <= std::size_t(e.offset))
          kind_at.resize(std::size_t(e.offset) + 1, other);
        kind_at[std::size_t(e.offset)] = kind_of(e.type);
        last_offset = e.offset;
      }
      events += batch->size();
    }
    const double read = std::chrono::duration<double>(last_event_at - started).count();
    f.add("projection_source_events_per_s", read > 0 ? double(events) / read : 0, "events/s");
  }
  if (events == 0) {
    spdlog::critical("project: topic {} is empty", o.topic);
    return 1;
  }
  if (run_migrate(common, o.schema) != 0) return 1;

  // 2. The projector from zero, its per-batch debug lines captured.
  auto capture = std::make_shared<batch_log_sink>();
  auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>();
  console->set_level(common.verbose ? spdlog::level::info : spdlog::level::warn);
  auto logger =
      std::make_shared<spdlog::logger>("project", spdlog::sinks_init_list{console, capture});
  logger->set_level(spdlog::level::debug);
  spdlog::set_default_logger(logger);

  projector_options options;
  if (o.batch_size > 0) options.batch_size = o.batch_size;
  projector p(**log, common.database_url, o.schema, options);
  cpu_meter cpu(parse_watch_list(common.watch));
  cpu.start();
  const auto started = steady::now();
  auto last_report = started;
  std::jthread worker([&](std::stop_token stop) { p.run(stop); });
  while (p.position() <= last_offset) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    if (seconds_since(last_report) > 10) {
      last_report = steady::now();
      spdlog::warn("project: at offset {} of {}, {:.0f} events/s", p.position(), last_offset,
                   double(p.position()) / seconds_since(started));
    }
  }
  const double elapsed = seconds_since(started);
  cpu.stop(f, "projection");
  worker.request_stop();
  worker.join();

  f.add("projection_events", double(events), "events");
  f.add("projection_seconds", elapsed, "s");
  f.add("projection_events_per_s", double(events) / elapsed, "events/s");

  const auto batches = parse_batches(capture->take());
  if (!batches.empty()) {
    double archive = 0, models = 0, commit = 0, total = 0;
    std::vector<double> batch_ms;
    std::vector<std::array<double, 4>> x;
    std::vector<double> y;
    long long previous = -1;
    for (const auto& b : batches) {
      archive += b.archive;
      models += b.models;
      commit += b.commit;
      total += b.total;
      batch_ms.push_back(b.total);
      std::array<double, 4> counts{0, 0, 0, 1};
      for (long long off = previous + 1; off <= b.last_offset; ++off)
        if (std::size_t(off) < kind_at.size() && kind_at[std::size_t(off)] < other)
          counts[kind_at[std::size_t(off)]] += 1;
      previous = b.last_offset;
      x.push_back(counts);
      y.push_back(b.models);
    }
    const double wall_ms = elapsed * 1000;
    f.add("projection_batches", double(batches.size()), "batches");
    f.add("projection_batch_p50", percentile(batch_ms, 50), "ms");
    f.add("projection_batch_p99", percentile(batch_ms, 99), "ms");
    f.add("projection_share_archive", 100 * archive / wall_ms, "%");
    f.add("projection_share_models", 100 * models / wall_ms, "%");
    f.add("projection_share_commit", 100 * commit / wall_ms, "%");
    f.add("projection_share_outside_batches", 100 * (wall_ms - total) / wall_ms, "%");
    if (const auto cost = fit_costs(x, y); !cost.empty()) {
      f.add("projection_models_us_per_created", cost[created] * 1000, "us");
      f.add("projection_models_us_per_updated", cost[updated] * 1000, "us");
      f.add("projection_models_us_per_lifecycle", cost[lifecycle] * 1000, "us");
    }
    std::array<double, kinds> mix{};
    for (auto k : kind_at) mix[k] += 1;
    f.add("projection_mix_created", 100 * mix[created] / double(events), "%");
    f.add("projection_mix_updated", 100 * mix[updated] / double(events), "%");
    f.add("projection_mix_lifecycle", 100 * mix[lifecycle] / double(events), "%");
  } else {
    spdlog::warn("project: no per-batch timings in the projector's debug log");
  }
  f.print();
  return 0;
}

}  // namespace tenantry::bench
