#include "projections/projector.hpp"

#include <algorithm>
#include <optional>
#include <thread>
#include <tuple>
#include <type_traits>
#include <variant>

#include <spdlog/spdlog.h>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "events/decode_failure.hpp"
#include "events/storable_text.hpp"
#include "projections/access/access_projection.hpp"
#include "projections/event_archive.hpp"
#include "projections/grants/grant_projection.hpp"
#include "projections/groups/group_projection.hpp"
#include "projections/invitations/invitation_projection.hpp"
#include "projections/migrations.hpp"
#include "projections/postgres/postgres_error.hpp"
#include "projections/tenants/tenant_projection.hpp"
#include "projections/tokens/token_projection.hpp"
#include "projections/users/user_projection.hpp"

namespace tenantry {

// The one registration of the read side: every read model the projector keeps, each built
// from the events of its `reads` variant. A new resource adds its read model here.
using read_models =
    std::tuple<tenant_projection, user_projection, access_projection, group_projection,
               grant_projection, token_projection, invitation_projection>;

namespace {

// Every event is read by at least one read model, which may still keep nothing of it (a
// session has no read model): an event no read model names does not compile.
template <class E, class... Models>
inline constexpr bool read_by_one = (is_alternative_v<E, typename Models::reads> || ...);
template <class Models, class Events>
inline constexpr bool every_event_read = false;
template <class... Models, class... E>
inline constexpr bool every_event_read<std::tuple<Models...>, std::variant<E...>> =
    (read_by_one<E, Models...> && ...);
static_assert(every_event_read<read_models, event>,
              "an event that no read model of `read_models` reads");

const std::string kEnsureOffset = "projector_ensure_offset";
const std::string kEnsureOffsetSql =
    "INSERT INTO projection_offsets (projection, next_offset) VALUES ($1, 0)"
    " ON CONFLICT (projection) DO NOTHING";
// The row lock serializes projectors of the same name: a second one waits, then sees
// that the offset moved and resubscribes instead of applying the batch again.
const std::string kLockOffset = "projector_lock_offset";
const std::string kLockOffsetSql =
    "SELECT next_offset FROM projection_offsets WHERE projection = $1 FOR UPDATE";
const std::string kStoreOffset = "projector_store_offset";
const std::string kStoreOffsetSql =
    "UPDATE projection_offsets SET next_offset = $2, updated_at = now() WHERE projection = $1";
const std::string kAsynchronousCommit = "SET synchronous_commit TO off";
// Every statement of a batch joins the batch's keys (ids, parents, subtrees) to indexed
// rows that are cached, so index probes are what it needs. Left to itself the planner
// prices a few thousand probes above scanning and hashing the 100,000-row table (and
// JIT-compiles the plan), several times slower. work_mem keeps a batch's sorts in memory.
const std::string kPlannerSettings =
    "SET random_page_cost = 1.1; SET enable_hashjoin = off; SET enable_mergejoin = off;"
    " SET jit = off; SET work_mem = '32MB'";
const std::string kStoredPosition =
    "SELECT next_offset FROM projection_offsets WHERE projection = $1";
const std::string kRecordFault = "projector_record_fault";
const std::string kRecordFaultSql =
    "INSERT INTO projection_faults (projection, event_offset, event_id, type, message)"
    " VALUES ($1, $2, $3, $4, $5) ON CONFLICT (projection) DO UPDATE SET"
    " event_offset = EXCLUDED.event_offset, event_id = EXCLUDED.event_id,"
    " type = EXCLUDED.type, message = EXCLUDED.message, detected_at = now()";
const std::string kClearFault = "projector_clear_fault";
const std::string kClearFaultSql =
    "DELETE FROM projection_faults WHERE projection = $1 AND event_offset < $2";

// Whether a batch holds a change of users (registration or lifecycle).
bool touches_users(const std::vector<result<recorded_event>>& decoded) {
  return std::ranges::any_of(decoded, [](const result<recorded_event>& e) {
    return e && std::visit(
                    [](const auto& ev) {
                      using T = std::decay_t<decltype(ev)>;
                      return std::is_same_v<T, user_registered> ||
                             is_alternative_v<T, user_lifecycle_event>;
                    },
                    e->data);
  });
}

// Sleeps for `d` unless stop is requested first.
void sleep_for(std::chrono::milliseconds d, const std::stop_token& stop) {
  std::mutex m;
  std::condition_variable_any cv;
  std::unique_lock lock(m);
  cv.wait_for(lock, stop, d, [] { return false; });
}

// Polls the log and decodes on a thread of its own, one batch ahead of the transaction
// in progress, so that consuming and decoding overlap with PostgreSQL's work.
class batch_prefetch {
 public:
  struct batch {
    result<std::vector<stored_event>> events;
    std::vector<result<recorded_event>> decoded;
  };

  batch_prefetch(event_subscription& source, std::size_t max, std::chrono::milliseconds wait,
                 event_privacy* privacy)
      : source_(source), max_(max), wait_(wait), privacy_(privacy), thread_([this] { fetch(); }) {}
  ~batch_prefetch() {
    {
      std::lock_guard lock(mutex_);
      stopping_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  batch_prefetch(const batch_prefetch&) = delete;
  batch_prefetch& operator=(const batch_prefetch&) = delete;

  // The next poll's outcome; nullopt when `stop` was requested first.
  std::optional<batch> next(const std::stop_token& stop) {
    std::unique_lock lock(mutex_);
    std::condition_variable_any& cv = changed_;
    if (!cv.wait(lock, stop, [&] { return ready_.has_value(); })) return std::nullopt;
    std::optional<batch> out = std::move(ready_);
    ready_.reset();
    cv.notify_all();
    return out;
  }

 private:
  void fetch() {
    for (;;) {
      batch b{source_.poll(max_, wait_), {}};
      if (b.events) {
        b.decoded.reserve(b.events->size());
        for (const stored_event& s : *b.events) {
          b.decoded.push_back(decode(s, privacy_));
          if (!b.decoded.back()) {
            // Not the event's fault: the key store did not answer. The batch fails (and
            // the session starts over) rather than apply the event as undecodable.
            if (!event_is_unreadable(b.decoded.back().error()))
              b.events = std::unexpected(b.decoded.back().error());
            if (!b.events) break;
            continue;
          }
          b.decoded.back()->offset = s.offset;
          // Text an older log may hold that PostgreSQL cannot (U+0000) is mapped here, off
          // the thread that applies batches, the same way the archive maps it.
          make_storable(*b.decoded.back());
        }
      }
      const bool failed = !b.events;
      std::unique_lock lock(mutex_);
      changed_.wait(lock, [&] { return stopping_ || !ready_.has_value(); });
      if (stopping_) return;
      ready_ = std::move(b);
      changed_.notify_all();
      if (failed) return;  // the subscription is broken; the session starts over
    }
  }

  event_subscription& source_;
  const std::size_t max_;
  const std::chrono::milliseconds wait_;
  event_privacy* const privacy_;
  std::mutex mutex_;
  std::condition_variable_any changed_;
  std::optional<batch> ready_;
  bool stopping_ = false;
  std::thread thread_;  // last: starts once everything above is ready
};

}  // namespace

std::int64_t stored_position(pqxx::connection& conn, const std::string& name) {
  pqxx::nontransaction tx(conn);
  const pqxx::result r = tx.exec_params(kStoredPosition, name);
  return r.empty() ? 0 : r[0][0].as<std::int64_t>();
}

projector::projector(event_subscriber& log, std::string database_url, std::string schema,
                     projector_options options)
    : log_(log),
      database_url_(std::move(database_url)),
      schema_(std::move(schema)),
      options_(std::move(options)) {
  options_.batch_size = std::max<std::size_t>(options_.batch_size, 1);
  [this]<class... Models>(std::type_identity<std::tuple<Models...>>) {
    (projections_.push_back(std::make_unique<Models>()), ...);
  }(std::type_identity<read_models>{});
}

projector::~projector() = default;

void projector::run(std::stop_token stop) {
  std::chrono::milliseconds backoff = options_.min_backoff;
  while (!stop.stop_requested()) {
    bool progressed = false;
    const result<void> outcome = session(stop, progressed);
    if (outcome || stop.stop_requested()) break;
    if (progressed) backoff = options_.min_backoff;
    spdlog::error("projector {}: {} ({}); retrying in {} ms", options_.name,
                  outcome.error().message, outcome.error().code, backoff.count());
    sleep_for(backoff, stop);
    backoff = std::min(backoff * 2, options_.max_backoff);
  }
}

bool projector::wait_for(std::int64_t offset, std::chrono::milliseconds timeout) const {
  std::unique_lock lock(position_mutex_);
  return position_changed_.wait_for(lock, timeout, [&] { return position_.load() > offset; });
}

void projector::publish(std::int64_t next) {
  {
    std::lock_guard lock(position_mutex_);
    position_.store(next);
  }
  position_changed_.notify_all();
}

// One connection's lifetime: connect, resume from the stored offset, follow the log.
result<void> projector::session(std::stop_token stop, bool& progressed) {
  try {
    pqxx::connection conn(database_url_);
    const result<void> ready =
        options_.run_migrations ? migrate(conn, schema_) : use_schema(conn, schema_);
    if (!ready) return std::unexpected(ready.error());
    {
      pqxx::nontransaction tx(conn);
      tx.exec(kPlannerSettings);
      if (options_.asynchronous_commit) tx.exec(kAsynchronousCommit);
    }
    for (auto& p : projections_) p->prepare(conn);
    conn.prepare(kEnsureOffset, kEnsureOffsetSql);
    conn.prepare(kLockOffset, kLockOffsetSql);
    conn.prepare(kStoreOffset, kStoreOffsetSql);
    conn.prepare(kRecordFault, kRecordFaultSql);
    conn.prepare(kClearFault, kClearFaultSql);
    {
      pqxx::nontransaction tx(conn);
      tx.exec_prepared(kEnsureOffset, options_.name);
    }
    std::int64_t next = stored_position(conn, options_.name);
    users_epoch_.fetch_add(1);
    publish(next);
    spdlog::info("projector {}: following the log from offset {} into schema {}", options_.name,
                 next, schema_);

    auto subscription = log_.subscribe(next);
    if (!subscription) return std::unexpected(subscription.error());
    auto prefetch = std::make_unique<batch_prefetch>(**subscription, options_.batch_size,
                                                     options_.poll_wait, options_.privacy);
    while (!stop.stop_requested()) {
      std::optional<batch_prefetch::batch> polled = prefetch->next(stop);
      if (!polled) break;
      if (!polled->events) return std::unexpected(polled->events.error());
      std::vector<stored_event>& batch = *polled->events;
      // Events below `next` (applied already) come first in a batch: drop them.
      const auto keep = std::find_if(batch.begin(), batch.end(),
                                     [&](const stored_event& e) { return e.offset >= next; });
      const auto skipped = keep - batch.begin();
      batch.erase(batch.begin(), keep);
      polled->decoded.erase(polled->decoded.begin(), polled->decoded.begin() + skipped);
      if (batch.empty()) {
        caught_up_.store(true);
        continue;
      }
      bool moved = false;
      const std::int64_t before = next;
      auto applied =
          apply_isolating(conn, std::move(batch), std::move(polled->decoded), next, moved);
      if (!applied) {
        progressed = progressed || position() > before;
        return std::unexpected(applied.error());
      }
      next = *applied;
      publish(next);
      progressed = true;
      if (moved) {
        spdlog::debug("projector {}: another projector moved the offset; resuming from {}",
                      options_.name, next);
        prefetch.reset();
        subscription = log_.subscribe(next);
        if (!subscription) return std::unexpected(subscription.error());
        prefetch = std::make_unique<batch_prefetch>(**subscription, options_.batch_size,
                                                    options_.poll_wait, options_.privacy);
      }
    }
    return {};
  } catch (...) {
    for (auto& p : projections_) p->reset();
    return std::unexpected(current_database_error());
  }
}

std::optional<projection_fault> projector::fault() const {
  std::lock_guard lock(fault_mutex_);
  return fault_;
}

result<std::int64_t> projector::apply_isolating(pqxx::connection& conn,
                                                std::vector<stored_event> batch,
                                                std::vector<result<recorded_event>> decoded,
                                                std::int64_t expected_next, bool& moved) {
  std::optional<error> failed;
  try {
    return apply_batch(conn, batch, decoded, expected_next, moved);
  } catch (...) {
    failed = current_database_error();
  }
  for (auto& p : projections_) p->reset();
  // The connection or the server: the whole batch is retried later, as it is.
  if (failed->category == errc::unavailable) return std::unexpected(*failed);
  if (batch.size() == 1) {
    record_fault(conn, batch.front(), failed->message);
    return fail(errc::internal, "projection_fault",
                "the event at offset " + std::to_string(batch.front().offset) + " (" +
                    batch.front().type + ") cannot be applied: " + failed->message,
                {{"offset", batch.front().offset}, {"event_id", batch.front().meta.event_id}});
  }
  const auto half = static_cast<std::ptrdiff_t>(batch.size() / 2);
  std::vector<stored_event> second(std::make_move_iterator(batch.begin() + half),
                                   std::make_move_iterator(batch.end()));
  std::vector<result<recorded_event>> second_decoded(
      std::make_move_iterator(decoded.begin() + half), std::make_move_iterator(decoded.end()));
  batch.erase(batch.begin() + half, batch.end());
  decoded.erase(decoded.begin() + half, decoded.end());
  auto next = apply_isolating(conn, std::move(batch), std::move(decoded), expected_next, moved);
  if (!next || moved) return next;
  publish(*next);  // the events before the failing one are in the read models
  return apply_isolating(conn, std::move(second), std::move(second_decoded), *next, moved);
}

void projector::record_fault(pqxx::connection& conn, const stored_event& e,
                             const std::string& message) {
  projection_fault f{e.offset, e.meta.event_id, e.type, message};
  {
    std::lock_guard lock(fault_mutex_);
    const bool known = fault_ && fault_->offset == f.offset;
    fault_ = f;
    if (known) return;  // said already; the retries keep it on record
  }
  fault_on_record_ = true;
  spdlog::critical(
      "projector {}: the event at offset {} ({}, id {}) cannot be applied to the read models: "
      "{}; they stop before it, and the projector retries it",
      options_.name, f.offset, f.type, f.event_id, f.message);
  try {
    pqxx::work tx(conn);
    std::string text = f.message;
    make_storable(text);
    tx.exec_prepared(kRecordFault, options_.name, f.offset, f.event_id, f.type, text);
    tx.commit();
  } catch (const std::exception& ex) {
    spdlog::error("projector {}: the fault at offset {} is not on record: {}", options_.name,
                  f.offset, ex.what());
  }
}

std::int64_t projector::apply_batch(pqxx::connection& conn, const std::vector<stored_event>& batch,
                                    const std::vector<result<recorded_event>>& decoded,
                                    std::int64_t expected_next, bool& moved) {
  using clock = std::chrono::steady_clock;
  const auto started = clock::now();
  pqxx::work tx(conn);
  const std::int64_t stored = tx.exec_prepared1(kLockOffset, options_.name)[0].as<std::int64_t>();
  if (stored != expected_next) {
    moved = true;
    users_epoch_.fetch_add(1);  // what the other projector applied is unknown here
    return stored;
  }
  archive_events(tx, batch);
  const auto archived = clock::now();
  for (std::size_t i = 0; i < batch.size(); ++i) {
    const result<recorded_event>& e = decoded[i];
    if (!e) {
      // Archived as it came; a later version (with an upcaster) can rebuild from there.
      spdlog::error("projector {}: cannot decode {} at offset {}: {}; archived only", options_.name,
                    batch[i].type, batch[i].offset, e.error().message);
      continue;
    }
    for (auto& p : projections_) p->apply(tx, *e);
  }
  for (auto& p : projections_) p->flush(tx);
  const std::int64_t next = batch.back().offset + 1;
  tx.exec_prepared(kStoreOffset, options_.name, next);
  if (fault_on_record_) tx.exec_prepared(kClearFault, options_.name, next);
  const auto applied = clock::now();
  if (options_.before_commit) options_.before_commit();
  tx.commit();
  if (fault_on_record_) {
    fault_on_record_ = false;
    std::lock_guard lock(fault_mutex_);
    if (fault_ && fault_->offset < next) fault_.reset();
  }
  if (touches_users(decoded)) users_epoch_.fetch_add(1);
  const auto committed = clock::now();
  auto ms = [](clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); };
  spdlog::debug(
      "projector {}: {} events up to offset {} in {:.1f} ms (archive {:.1f}, models "
      "{:.1f}, commit {:.1f})",
      options_.name, batch.size(), next - 1, ms(committed - started), ms(archived - started),
      ms(applied - archived), ms(committed - applied));
  return next;
}

}  // namespace tenantry
