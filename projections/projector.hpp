#pragma once
// The projector: follows the event log and applies each batch to the read models in one
// PostgreSQL transaction that also archives the events and stores the next offset, so a
// crash anywhere neither repeats nor loses an event. Run it on its own thread (jthread);
// it polls and decodes the next batch on a second thread while PostgreSQL applies one.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <stop_token>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "events/event_log.hpp"
#include "projections/projection.hpp"

namespace tenantry {

// An event the read models cannot take: its batch failed on its data, not on the
// connection, and the projector narrowed the failure down to this one event. The read
// models stop before it; the projector retries it with backoff, and /readyz, /metrics and
// `tenantry projections status` show it until a batch gets past it.
struct projection_fault {
  std::int64_t offset = -1;
  std::string event_id;
  std::string type;
  std::string message;
};

struct projector_options {
  std::string name = "read_models";  // its row in projection_offsets
  // Events per transaction at most. A poll takes what is there, so live traffic still
  // makes small batches; a projector catching up writes this many at a time. Bigger
  // batches merge more changes of the same tenants (docs/performance.md); each event in
  // flight costs a few KiB, and two batches are in flight (one applied, one prefetched).
  std::size_t batch_size = 20000;
  // Commit without waiting for the WAL flush (synchronous_commit = off). Safe here: the
  // offset commits with the rows, so a commit lost in a PostgreSQL crash only makes the
  // projector apply those events again from the log (docs/projections.md).
  bool asynchronous_commit = true;
  std::chrono::milliseconds poll_wait{50};
  std::chrono::milliseconds min_backoff{100};  // after a failure, doubling up to max_backoff
  std::chrono::milliseconds max_backoff{5000};
  bool run_migrations = true;  // migrate the schema on every (re)connect
  // Opens the events' personal fields for the read models (docs/privacy.md); the archive
  // keeps them sealed as the log has them. None: read as they are (unit tests).
  event_privacy* privacy = nullptr;
  // Test hook: runs after a batch is applied and its offset written, just before the
  // commit. Throwing aborts the transaction, as a crash at that moment would.
  std::function<void()> before_commit;
};

class projector {
 public:
  projector(event_subscriber& log, std::string database_url, std::string schema,
            projector_options options = {});
  ~projector();
  projector(const projector&) = delete;
  projector& operator=(const projector&) = delete;

  // Projects until `stop` is requested. Postgres and log failures are logged and retried
  // with backoff: reconnect, then resubscribe from the offset stored in Postgres.
  void run(std::stop_token stop);

  // True once a poll came back empty after start: the read models had caught up (/readyz).
  bool caught_up_once() const { return caught_up_.load(); }
  // The next offset to apply: every event below it is visible in the read models.
  std::int64_t position() const { return position_.load(); }
  // Waits until position() > offset (reads-your-writes); false on timeout.
  bool wait_for(std::int64_t offset, std::chrono::milliseconds timeout) const;
  // Moves on (before position() does) with every committed batch that changed users, and
  // whenever rows may have changed unseen (another projector applied a batch, a new
  // session): what was read about users at an earlier value may be out of date.
  std::int64_t users_epoch() const { return users_epoch_.load(); }
  // The event the read models are stopped at, if one fails on its data.
  std::optional<projection_fault> fault() const;

 private:
  result<void> session(std::stop_token stop, bool& progressed);
  // Applies one batch (its events and what they decoded to) in one transaction; returns
  // the next offset. When another projector moved the stored offset, applies nothing and
  // returns the stored one.
  std::int64_t apply_batch(pqxx::connection& conn, const std::vector<stored_event>& batch,
                           const std::vector<result<recorded_event>>& decoded,
                           std::int64_t expected_next, bool& moved);
  // apply_batch, and for a batch that fails on its data (not on the connection) the
  // halves of it in turn, down to the one event that fails alone: the events before it
  // are applied, and it comes back as the error (code "projection_fault").
  result<std::int64_t> apply_isolating(pqxx::connection& conn, std::vector<stored_event> batch,
                                       std::vector<result<recorded_event>> decoded,
                                       std::int64_t expected_next, bool& moved);
  void record_fault(pqxx::connection& conn, const stored_event& e, const std::string& message);
  void publish(std::int64_t next);

  event_subscriber& log_;
  std::string database_url_;
  std::string schema_;
  projector_options options_;
  std::vector<std::unique_ptr<projection>> projections_;

  std::atomic<std::int64_t> position_{0};
  std::atomic<std::int64_t> users_epoch_{0};
  std::atomic<bool> caught_up_{false};
  mutable std::mutex fault_mutex_;
  std::optional<projection_fault> fault_;
  // A fault may be on record (this run's, or an earlier one's): the next batch that
  // commits clears it.
  bool fault_on_record_ = true;
  mutable std::mutex position_mutex_;
  mutable std::condition_variable position_changed_;
};

// The next offset projector `name` will apply, as stored (0 when it never ran).
std::int64_t stored_position(pqxx::connection& conn, const std::string& name);

}  // namespace tenantry
