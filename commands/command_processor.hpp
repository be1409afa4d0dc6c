#pragma once
// The single writer: owns the write model, decides commands one at a time in arrival
// order, and group-commits the events of every command that arrived while the previous
// transaction was committing into one Kafka transaction. A client is answered only after
// the transaction holding its events committed. Fail-stop: a failed or unknown commit
// answers 503 to the waiting commands, recovers the producer and rebuilds from the log.
// Anything thrown out of a decide, an evolve or a rebuild is a bug the writer cannot judge:
// it logs it as critical with the log offset and stops the process.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>

#include "commands/command.hpp"
#include "commands/command_outcome.hpp"
#include "commands/users/recent_standings.hpp"
#include "commands/write_model.hpp"
#include "events/event_log.hpp"
#include "events/latency_histogram.hpp"

namespace tenantry {

// What a renderer sees once a command's events are applied to the write model.
struct command_effect {
  const write_model& model;
  const std::vector<recorded_event>& events;
};

using response_renderer = std::function<command_outcome(const command_effect&)>;

struct command_reply {
  result<command_outcome> response;
  bool replayed = false;     // answered from an earlier identical request
  std::int64_t offset = -1;  // the log offset the read side must reach to show it
};

struct command_request {
  command cmd;
  std::string actor;  // user id, or "system"
  std::string correlation_id;
  std::string idempotency_key;              // empty: none
  std::string request_hash;                 // identifies the request for idempotency checks
  response_renderer render;                 // runs on the writer thread; its answer is what is kept
  std::function<void(command_reply)> done;  // called exactly once, from the writer thread
  // Checked, every one, before deciding. None is refused unless the command is of a kind
  // that has no signed-in caller (caller_demands::anonymous) or the request is `trusted`.
  std::vector<command_authorization> authorizations;
  // The API token the actor sends the command through (recorded with its events); empty:
  // none. Idempotency keys are kept per actor and token.
  std::string actor_token{};
  // Sent from inside the process (the bootstrap admin, tests), never from a request: no
  // authorization is needed.
  bool trusted = false;
};

struct writer_options {
  int max_depth = 10;
  std::size_t max_batch = 1024;
  std::chrono::hours idempotency_ttl{24};
  clock_fn clock = system_now;
  std::function<std::string()> new_id = new_uuid_v7;
  // Called on the writer thread once something escaped a decide, an evolve or a rebuild
  // and was logged as critical: it must stop the process. Tests replace it to watch.
  std::function<void()> fail_stop = [] { std::abort(); };
  // Commands waiting at most; more are refused at once with 503 overloaded.
  std::size_t max_queue = 10'000;
  // How often the writer forgets what no answer needs any more (expired idempotency
  // records, ended sessions), between batches.
  std::chrono::seconds prune_every{60};
  // Opens the personal fields of the log's events as the writer rebuilds (docs/privacy.md);
  // none: they are read as they are (a log written without sealing, unit tests).
  event_privacy* privacy = nullptr;
};

// failed: an exception escaped the writer's own code; the process is stopping.
enum class writer_state { starting, ready, recovering, fenced, stopped, failed };
std::string_view to_string(writer_state s);

class command_processor {
 public:
  command_processor(event_appender& appender, event_replayer& replayer, writer_options options);
  ~command_processor();

  // Starts the writer thread: it rebuilds from the log, then accepts commands.
  void start();
  void stop();
  void submit(command_request request);

  writer_state state() const { return state_.load(); }
  // Events folded into the write model at the last rebuild plus those appended since.
  std::size_t event_count() const { return event_count_.load(); }
  // Users' standing as this writer committed it, ahead of the read models.
  const recent_standings& standings() const { return standings_; }
  // Commands waiting for the writer thread now.
  std::size_t queued() const;
  // How long the log took to confirm each commit.
  const latency_histogram& commit_latency() const { return commit_latency_; }
  // The offset of the last event this writer committed or rebuilt from; -1: none.
  std::int64_t last_offset() const { return last_offset_.load(); }
  // When this writer committed the first of its recent batches that reach `offset` or
  // beyond (the last 1,024 batches are remembered); none: no such batch.
  std::optional<std::chrono::steady_clock::time_point> committed_at(std::int64_t offset) const;
  // Commands answered: decided and committed, refused (an error), answered again from a
  // record (same Idempotency-Key).
  struct command_counts {
    std::uint64_t accepted = 0, refused = 0, replayed = 0;
  };
  command_counts answered() const { return {accepted_.load(), refused_.load(), replayed_.load()}; }

 private:
  void run();
  void serve();
  void halt(std::string_view what);
  bool rebuild();
  void recover();
  void process(std::deque<command_request>& batch);
  void reject_all(std::deque<command_request>& batch, const error& why);
  void remember_standings(const std::vector<recorded_event>& committed, std::int64_t offset);

  event_appender& appender_;
  event_replayer& replayer_;
  writer_options options_;
  std::unique_ptr<write_model> model_;

  mutable std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<command_request> queue_;
  bool stopping_ = false;
  std::atomic<writer_state> state_{writer_state::starting};
  std::atomic<std::size_t> event_count_{0};
  // What the writer thread is doing, for the critical log line of a fail-stop: "rebuild"
  // at the offset of the event it folds, or "decide" / "evolve" after the last offset.
  std::string_view stage_ = "start";
  std::int64_t stage_offset_ = -1;
  recent_standings standings_;
  latency_histogram commit_latency_;
  mutable std::mutex commits_mutex_;
  // (last offset, when) of recent batches, oldest first.
  std::deque<std::pair<std::int64_t, std::chrono::steady_clock::time_point>> commits_;
  std::atomic<std::int64_t> last_offset_{-1};
  std::atomic<std::uint64_t> accepted_{0}, refused_{0}, replayed_{0};
  std::thread thread_;
};

}  // namespace tenantry
