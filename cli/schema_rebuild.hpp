#pragma once
// `tenantry projections rebuild`: replays the whole event log from offset 0 into a fresh
// schema <S>_rebuild_<t> with the projector, then switches in one PostgreSQL transaction
// (<S> becomes <S>_old_<t>, the rebuild becomes <S>). The rebuilt schema's projector
// offset says where it stopped, so whoever projects into <S> next continues from there.

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/connection>

#include "cli/read_model_checksum.hpp"
#include "events/event_log.hpp"
#include "events/kafka/kafka_event_log.hpp"
#include "events/result.hpp"

namespace tenantry::cli {

struct rebuild_settings {
  kafka_config kafka;  // brokers and topic; a rebuild never writes to the log
  std::string database_url;
  std::string schema = "tenantry";  // the live schema it replaces (or creates)
  std::int64_t unix_time = 0;       // names the new and old schemas; 0: now
  bool drop_old = false;
  std::size_t batch_size = 1000;
  // Fails the rebuild when the projector's position does not move for this long.
  std::chrono::seconds stall_timeout{120};
  // Opens the events' personal fields (docs/privacy.md); none: they stay as the log has them.
  event_privacy* privacy = nullptr;
};

struct rebuild_plan {
  std::string schema;          // <S>
  std::string rebuild_schema;  // <S>_rebuild_<t>
  std::string old_schema;      // <S>_old_<t>
  std::int64_t events = 0;     // committed events in the log at the start
  std::int64_t last_offset = -1;
};

// The names a rebuild of `schema` at `unix_time` uses; "invalid_schema" when they are not
// valid schema names (S is at most 44 characters).
result<rebuild_plan> plan_rebuild(const std::string& schema, std::int64_t unix_time);

// The log as the rebuild found it at its start: the offset of every committed event
// (commit markers take offsets too, so positions alone do not count events).
struct log_extent {
  std::vector<std::int64_t> offsets;  // ascending
  std::int64_t events() const { return static_cast<std::int64_t>(offsets.size()); }
  std::int64_t last_offset() const { return offsets.empty() ? -1 : offsets.back(); }
  // Events below a projector's next offset.
  std::int64_t events_before(std::int64_t position) const;
};

enum class rebuild_step { reading_log, projecting };

struct rebuild_hooks {
  // Sees the plan once the log was read, before anything is written; false aborts.
  std::function<bool(const rebuild_plan&)> confirm;
  // Offsets read of the high watermark (reading_log), events applied of all (projecting).
  std::function<void(rebuild_step, std::int64_t done, std::int64_t total)> progress;
  // Polled while working; true stops the rebuild ("interrupted") and drops what it built.
  std::function<bool()> cancelled;
};

struct rebuild_outcome {
  rebuild_plan plan;
  std::optional<std::string> old_schema;  // where the replaced read models went
  bool old_dropped = false;
  std::optional<error> drop_failure;  // the switch happened, dropping the old schema did not
  read_model_checksum checksum;       // of the new <S>
};

// Errors besides the log's and the database's: "topic_not_found", "log_truncated",
// "not_confirmed", "schema_exists", "not_a_read_model_schema", "rebuild_stalled",
// "rebuild_incomplete", "log_mismatch" (the live archive holds other events than the log:
// nothing is switched, the rebuild stays for inspection), "interrupted".
result<rebuild_outcome> rebuild_read_models(const rebuild_settings& settings,
                                            const rebuild_hooks& hooks = {});

// The steps, for tests and other tools.

// Reads the log once from offset 0 to its end, keeping every event's offset.
result<log_extent> read_log_extent(event_replayer& log, std::int64_t high_watermark,
                                   const rebuild_hooks& hooks = {});

// Creates and migrates `schema` (which must not exist), then runs a projector into it until
// it applied every event of `extent`.
result<void> project_into_new_schema(event_subscriber& log, const log_extent& extent,
                                     const std::string& schema, const rebuild_settings& settings,
                                     const rebuild_hooks& hooks = {});

// In one transaction: checks that the live schema (when there is one) is a read-model
// schema whose archive agrees with the rebuilt one on every position up to `last_offset`,
// renames it to `old_schema` and `rebuilt` to `live`. Returns the old schema's name, or
// nothing when `live` did not exist.
result<std::optional<std::string>> switch_schema(pqxx::connection& conn, const std::string& live,
                                                 const std::string& rebuilt,
                                                 const std::string& old_schema,
                                                 std::int64_t last_offset);

// DROP SCHEMA ... CASCADE.
result<void> drop_schema(pqxx::connection& conn, const std::string& schema);

}  // namespace tenantry::cli
