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
#include <string>
#include <thread>

#include "commands/command.hpp"
#include "commands/command_outcome.hpp"
#include "commands/write_model.hpp"
#include "events/event_log.hpp"

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
  // Checked, every one, before deciding; none: a trusted caller (bootstrap, tests).
  std::vector<command_authorization> authorizations;
  // The API token the actor sends the command through (recorded with its events); empty:
  // none. Idempotency keys are kept per actor and token.
  std::string actor_token{};
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

 private:
  void run();
  void serve();
  void halt(std::string_view what);
  bool rebuild();
  void recover();
  void process(std::deque<command_request>& batch);
  void reject_all(std::deque<command_request>& batch, const error& why);

  event_appender& appender_;
  event_replayer& replayer_;
  writer_options options_;
  std::unique_ptr<write_model> model_;

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<command_request> queue_;
  bool stopping_ = false;
  std::atomic<writer_state> state_{writer_state::starting};
  std::atomic<std::size_t> event_count_{0};
  // What the writer thread is doing, for the critical log line of a fail-stop: "rebuild"
  // at the offset of the event it folds, or "decide" / "evolve" after the last offset.
  std::string_view stage_ = "start";
  std::int64_t stage_offset_ = -1;
  std::thread thread_;
};

}  // namespace tenantry
