// `load`: fills a topic with the data set through the real single writer (decide, apply,
// group commit into Kafka transactions), without HTTP in front of it. Its rate is the
// writer's own ceiling; timing every append shows how much of it Kafka takes.

#include <condition_variable>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "commands/command_processor.hpp"
#include "events/kafka/kafka_event_log.hpp"
#include "subcommands.hpp"

namespace tenantry::bench {
namespace {

// Times every append the writer makes (one per group commit) and records its size.
class timed_appender final : public event_appender {
 public:
  explicit timed_appender(event_appender& inner) : inner_(inner) {}
  result<std::vector<std::int64_t>> append(const std::vector<recorded_event>& batch) override {
    const auto t0 = steady::now();
    auto r = inner_.append(batch);
    append_ms.push_back(millis(steady::now() - t0));
    sizes.push_back(double(batch.size()));
    return r;
  }
  result<void> recover() override { return inner_.recover(); }

  std::vector<double> append_ms;  // written by the writer thread only
  std::vector<double> sizes;

 private:
  event_appender& inner_;
};

}  // namespace

int run_load(const common_options& common, const load_options& o) {
  kafka_config config{
      .brokers = common.brokers, .topic = o.topic, .transactional_id = o.topic + "-loader"};
  auto log = kafka_event_log::open(config);
  if (!log) {
    spdlog::critical("load: cannot open {}: {}", o.topic, log.error().message);
    return 1;
  }
  timed_appender appender(**log);
  command_processor writer(appender, **log, writer_options{.max_depth = o.shape.depth});
  writer.start();
  const auto ready_by = steady::now() + std::chrono::seconds(60);
  while (writer.state() != writer_state::ready && steady::now() < ready_by)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  if (writer.state() != writer_state::ready) {
    spdlog::critical("load: the writer did not become ready");
    return 1;
  }

  std::mutex mutex;
  std::condition_variable answered;
  std::int64_t outstanding = 0, failures = 0;
  std::string first_failure;
  dataset_generator gen(o.shape, o.events, o.seed);
  cpu_meter cpu(parse_watch_list(common.watch));
  cpu.start();
  const auto started = steady::now();
  auto last_report = started;
  while (auto cmd = gen.next()) {
    {
      std::unique_lock lock(mutex);
      // A bounded window keeps memory flat while still filling every group commit.
      answered.wait(lock, [&] { return outstanding < o.window; });
      ++outstanding;
    }
    command_request request;
    request.cmd = std::move(*cmd);
    request.actor = "system";
    request.correlation_id = "bench-load";
    request.trusted = true;
    request.render = [](const command_effect&) { return command_outcome{outcome::done}; };
    request.done = [&](command_reply reply) {
      std::lock_guard lock(mutex);
      if (!reply.response) {
        if (failures++ == 0) first_failure = reply.response.error().message;
      }
      --outstanding;
      answered.notify_all();
    };
    writer.submit(std::move(request));
    if (seconds_since(last_report) > 10) {
      last_report = steady::now();
      spdlog::warn("load: {} of {} commands submitted, {:.0f}/s", gen.produced(), o.events,
                   double(gen.produced()) / seconds_since(started));
    }
  }
  {
    std::unique_lock lock(mutex);
    answered.wait(lock, [&] { return outstanding == 0; });
  }
  const double elapsed = seconds_since(started);
  figures f;
  cpu.stop(f, "load");
  writer.stop();
  if (failures > 0) {
    spdlog::critical("load: {} commands failed; the first: {}", failures, first_failure);
    return 1;
  }
  double append_total = 0;
  for (double ms : appender.append_ms) append_total += ms;
  const double batches = double(appender.sizes.size());
  f.add("load_events", double(writer.event_count()), "events");
  f.add("writer_only_commands_per_s", double(o.events) / elapsed, "commands/s");
  f.add("writer_only_batch_avg", batches > 0 ? double(o.events) / batches : 0, "events");
  f.add("writer_only_append_p50", percentile(appender.append_ms, 50), "ms");
  f.add("writer_only_append_p99", percentile(appender.append_ms, 99), "ms");
  f.add("writer_only_append_share", 100 * append_total / 1000 / elapsed, "%");
  f.print();
  return 0;
}

}  // namespace tenantry::bench
