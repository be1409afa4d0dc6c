#include "commands/command_processor.hpp"

#include <algorithm>
#include <exception>

#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "events/codec.hpp"
#include "events/decode_failure.hpp"

namespace tenantry {

std::string_view to_string(writer_state s) {
  switch (s) {
    case writer_state::starting:
      return "starting";
    case writer_state::ready:
      return "ready";
    case writer_state::recovering:
      return "recovering";
    case writer_state::fenced:
      return "fenced";
    case writer_state::stopped:
      return "stopped";
    case writer_state::failed:
      return "failed";
  }
  return "unknown";
}

namespace {

error unavailable(std::string message, std::string code = "unavailable") {
  return error{errc::unavailable, std::move(code), std::move(message), nlohmann::json::object()};
}

// A renderer that throws must not take the writer down: the command still happened.
command_outcome render_safely(const response_renderer& render, const command_effect& effect) {
  try {
    return render(effect);
  } catch (const std::exception& e) {
    spdlog::error("writer: rendering an answer failed: {}", e.what());
    return command_outcome{.kind = outcome::unrendered};
  }
}

}  // namespace

command_processor::command_processor(event_appender& appender, event_replayer& replayer,
                                     writer_options options)
    : appender_(appender), replayer_(replayer), options_(std::move(options)) {}

command_processor::~command_processor() {
  stop();
}

void command_processor::start() {
  thread_ = std::thread([this] { run(); });
}

void command_processor::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  std::deque<command_request> rest;
  {
    std::lock_guard lock(mutex_);
    rest.swap(queue_);
  }
  reject_all(rest, unavailable("The server is shutting down."));
  state_ = writer_state::stopped;
}

void command_processor::submit(command_request request) {
  const writer_state s = state_.load();
  if (s != writer_state::ready) {
    request.done(command_reply{
        std::unexpected(
            s == writer_state::fenced
                ? unavailable("Another writer took over; this instance stopped "
                              "writing.",
                              "writer_fenced")
                : unavailable("The writer is " + std::string(to_string(s)) + "; retry shortly.")),
        false, -1});
    return;
  }
  {
    std::unique_lock lock(mutex_);
    if (queue_.size() >= options_.max_queue) {
      lock.unlock();
      request.done(
          command_reply{std::unexpected(unavailable("Too many commands are waiting; retry shortly.",
                                                    "overloaded")),
                        false, -1});
      return;
    }
    queue_.push_back(std::move(request));
  }
  wake_.notify_one();
}

std::optional<std::chrono::steady_clock::time_point> command_processor::committed_at(
    std::int64_t offset) const {
  std::lock_guard lock(commits_mutex_);
  const auto it = std::ranges::find_if(commits_, [&](const auto& c) { return c.first >= offset; });
  if (it == commits_.end()) return std::nullopt;
  return it->second;
}

std::size_t command_processor::queued() const {
  std::lock_guard lock(mutex_);
  return queue_.size();
}

// After a commit: the standing of each user whose access the batch changed, until the read
// models show it (from `offset`, the batch's last).
void command_processor::remember_standings(const std::vector<recorded_event>& committed,
                                           std::int64_t offset) {
  using ending_or_changing_access =
      std::variant<user_updated, user_deactivated, user_activated, user_deleted, user_restored,
                   user_password_changed>;
  for (const recorded_event& e : committed) {
    if (!holds_one_of<ending_or_changing_access>(e.data)) continue;
    if (const user_state* u = model_->users.find(user_id{e.meta.subject}))
      standings_.record(u->id.value, writer_standing{u->in_good_standing(), u->auth_generation,
                                                     u->platform_roles, offset});
  }
}

void command_processor::reject_all(std::deque<command_request>& batch, const error& why) {
  for (auto& r : batch) r.done(command_reply{std::unexpected(why), false, -1});
  batch.clear();
}

bool command_processor::rebuild() {
  auto model = std::make_unique<write_model>();
  bool decoded_all = true;
  std::optional<error> unopened;  // the first event whose personal fields could not be opened
  // What the fold throws (an evolve meeting a state it cannot be in) must not read as a
  // log that failed to replay, which would be retried for ever: it is kept and thrown
  // again once the replay returns, for run() to stop the process.
  std::exception_ptr thrown;
  stage_ = "rebuild";
  auto end = replayer_.replay([&](const stored_event& s) {
    if (thrown) return;
    stage_offset_ = s.offset;
    auto e = decode(s, options_.privacy);
    if (!e) {
      if (!event_is_unreadable(e.error())) {  // the key store did not answer: try again
        if (!unopened) unopened = e.error();
        return;
      }
      spdlog::error("writer: cannot decode event at offset {} ({}): {}", s.offset, s.type,
                    e.error().message);
      decoded_all = false;
      return;
    }
    e->offset = s.offset;
    try {
      model->apply(*e);
    } catch (...) {
      thrown = std::current_exception();
    }
  });
  if (thrown) std::rethrow_exception(thrown);
  if (!end) {
    spdlog::warn("writer: rebuild failed: {}", end.error().message);
    return false;
  }
  if (unopened) {
    spdlog::warn("writer: rebuild failed: {}", unopened->message);
    return false;
  }
  if (!decoded_all) {
    // An event this build cannot read: deciding on a partial model could break invariants.
    spdlog::critical("writer: the log holds events this version cannot decode; not writing");
    return false;
  }
  model->forget_what_has_ended(options_.clock(), options_.idempotency_ttl);
  event_count_ = model->event_count();
  spdlog::info("writer: rebuilt from {} events ({} tenants)", model->event_count(),
               model->tenants.size());
  model_ = std::move(model);
  last_offset_ = model_->last_offset();
  return true;
}

void command_processor::recover() {
  state_ = writer_state::recovering;
  auto backoff = std::chrono::milliseconds(100);
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      if (stopping_) return;
    }
    if (auto r = appender_.recover(); !r) {
      if (r.error().code == "writer_fenced") {
        state_ = writer_state::fenced;
        spdlog::error("writer: fenced by a newer writer; this instance stops writing");
        return;
      }
      spdlog::warn("writer: producer recovery failed: {}", r.error().message);
    } else if (rebuild()) {
      state_ = writer_state::ready;
      spdlog::info("writer: recovered");
      return;
    }
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, backoff, [&] { return stopping_; });
    backoff = std::min(backoff * 2, std::chrono::milliseconds(5000));
  }
}

void command_processor::run() {
  try {
    serve();
  } catch (const std::exception& e) {
    halt(e.what());
  } catch (...) {
    halt("an exception of unknown type");
  }
}

// Fail-stop: the write model may be half changed, so nothing more is decided on it.
void command_processor::halt(std::string_view what) {
  state_ = writer_state::failed;
  spdlog::critical("writer: \"{}\" escaped the {} at log offset {}; stopping the process", what,
                   stage_, stage_offset_);
  spdlog::default_logger()->flush();
  std::deque<command_request> queued;
  {
    std::lock_guard lock(mutex_);
    queued.swap(queue_);
  }
  reject_all(queued, unavailable("The writer stopped; retry shortly."));
  options_.fail_stop();
}

void command_processor::serve() {
  if (!rebuild())
    recover();
  else
    state_ = writer_state::ready;
  auto pruned = std::chrono::steady_clock::now();
  for (;;) {
    std::deque<command_request> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock,
                     std::max<std::chrono::seconds>(options_.prune_every, std::chrono::seconds(1)),
                     [&] { return stopping_ || !queue_.empty(); });
      if (stopping_) return;
      while (!queue_.empty() && batch.size() < options_.max_batch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (state_.load() == writer_state::ready &&
        std::chrono::steady_clock::now() - pruned >= options_.prune_every) {
      model_->forget_what_has_ended(options_.clock(), options_.idempotency_ttl);
      pruned = std::chrono::steady_clock::now();
    }
    if (batch.empty()) continue;
    switch (state_.load()) {
      case writer_state::ready:
        process(batch);
        break;
      case writer_state::fenced:
        reject_all(batch, unavailable("Another writer took over.", "writer_fenced"));
        break;
      default:
        reject_all(batch, unavailable("The writer is recovering; retry shortly."));
        break;
    }
  }
}

void command_processor::process(std::deque<command_request>& batch) {
  struct pending {
    command_request request;
    command_reply reply;
  };
  std::vector<pending> answered;
  std::vector<recorded_event> appended;
  std::vector<std::size_t> last_event_of;  // per answered command: index in `appended` + 1
  const timestamp now = options_.clock();
  const decide_context ctx{now, options_.new_id, options_.max_depth};

  // Something thrown out of a decide or an evolve stops the writer (run() halts): the
  // batch's requests are answered first, none is left waiting.
  std::size_t next = 0;  // the first request of the batch not yet in `answered`
  auto answer_all = [&](const error& why) {
    for (auto& p : answered) p.request.done(command_reply{std::unexpected(why), false, -1});
    for (; next < batch.size(); ++next)
      batch[next].done(command_reply{std::unexpected(why), false, -1});
  };
  try {
    for (; next < batch.size(); ++next) {
      command_request& request = batch[next];
      command_reply reply{std::unexpected(error{}), false, model_->last_offset()};
      stage_ = "decide";
      stage_offset_ = model_->last_offset();
      const idempotency_record* seen =
          request.idempotency_key.empty()
              ? nullptr
              : model_->idempotency(idempotency_principal(request.actor, request.actor_token),
                                    request.idempotency_key);
      std::size_t first = appended.size();
      if (seen && seen->request_hash != request.request_hash) {
        reply.response = fail(errc::unprocessable, "idempotency_key_reused",
                              "This Idempotency-Key was used with a different request.");
      } else if (seen) {
        reply.response = from_record(seen->response);
        reply.replayed = true;
      } else if (auto allowed = request.trusted
                                    ? result<void>{}
                                    : model_->authorize(request.authorizations, request.cmd, now);
                 !allowed) {
        reply.response = std::unexpected(allowed.error());
      } else if (auto decided = model_->decide(request.cmd, ctx); !decided) {
        reply.response = std::unexpected(decided.error());
      } else {
        for (auto& data : *decided) {
          recorded_event e;
          e.meta.event_id = new_uuid_v7();
          e.meta.subject = aggregate_id(data);
          e.meta.aggregate_type = std::string(aggregate_type(data));
          e.meta.aggregate_version = model_->version_of(data) + 1;
          e.meta.time = now;
          e.meta.actor = request.actor;
          e.meta.actor_token = request.actor_token;
          e.meta.correlation_id = request.correlation_id;
          e.meta.causation_id = request.correlation_id;
          e.meta.idempotency_key = request.idempotency_key;
          e.meta.request_hash = request.idempotency_key.empty() ? "" : request.request_hash;
          e.data = std::move(data);
          stage_ = "evolve";
          model_->apply(e);
          e.meta.partition_key = model_->partition_key_of(e.data);
          appended.push_back(std::move(e));
        }
        const std::vector<recorded_event> mine(appended.begin() + static_cast<long>(first),
                                               appended.end());
        command_outcome rendered = render_safely(request.render, command_effect{*model_, mine});
        if (!request.idempotency_key.empty() && !mine.empty()) {
          appended.back().meta.response = to_record(rendered);
          // Keep the record for retries inside this same batch too.
          model_->remember_response(appended.back().meta);
        }
        reply.response = std::move(rendered);
      }
      last_event_of.push_back(appended.size());
      answered.push_back(pending{std::move(request), std::move(reply)});
    }
  } catch (...) {
    answer_all(unavailable("The writer stopped; retry shortly."));
    throw;
  }
  batch.clear();

  if (!appended.empty()) {
    const auto commit_started = std::chrono::steady_clock::now();
    auto offsets = appender_.append(appended);
    commit_latency_.observe(std::chrono::steady_clock::now() - commit_started);
    if (!offsets) {
      const error why = offsets.error();
      const bool fenced = why.code == "writer_fenced";
      spdlog::error("writer: append of {} events failed ({}): {}", appended.size(), why.code,
                    why.message);
      if (fenced) spdlog::error("writer: fenced by a newer writer; this instance stops writing");
      state_ = fenced ? writer_state::fenced : writer_state::recovering;
      const error answer =
          fenced ? unavailable("Another writer took over.", "writer_fenced")
                 : unavailable(
                       "The event log did not confirm the change; retry with the same "
                       "Idempotency-Key.");
      for (auto& p : answered) p.request.done(command_reply{std::unexpected(answer), false, -1});
      // Commands queued while that commit was failing must not wait out the outage.
      std::deque<command_request> queued;
      {
        std::lock_guard lock(mutex_);
        queued.swap(queue_);
      }
      reject_all(queued, answer);
      if (!fenced) recover();
      return;
    }
    event_count_ += appended.size();
    model_->committed(offsets->back());
    remember_standings(appended, offsets->back());
    last_offset_ = offsets->back();
    {
      std::lock_guard lock(commits_mutex_);
      commits_.emplace_back(offsets->back(), std::chrono::steady_clock::now());
      if (commits_.size() > 1024) commits_.pop_front();
    }
    // A command answers with its own last event's offset; one without events may have
    // been decided on this batch's earlier events, so it waits for the whole batch.
    for (std::size_t i = 0; i < answered.size(); ++i) {
      const std::size_t end = last_event_of[i];
      const bool own = end > (i == 0 ? 0 : last_event_of[i - 1]);
      answered[i].reply.offset = own ? (*offsets)[end - 1] : offsets->back();
    }
  }
  for (auto& p : answered) {
    (p.reply.replayed ? replayed_ : p.reply.response ? accepted_ : refused_).fetch_add(1);
    p.request.done(std::move(p.reply));
  }
}

}  // namespace tenantry
