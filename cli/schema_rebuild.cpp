#include "cli/schema_rebuild.hpp"

#include <algorithm>
#include <stdexcept>
#include <thread>

#include <spdlog/spdlog.h>
#include <pqxx/nontransaction>
#include <pqxx/result>
#include <pqxx/transaction>

#include "cli/kafka_topic_probe.hpp"
#include "projections/migrations.hpp"
#include "projections/postgres/postgres_error.hpp"
#include "projections/projector.hpp"

namespace tenantry::cli {

namespace {

using steady = std::chrono::steady_clock;
using namespace std::chrono_literals;

const std::string kSchemaExists = "SELECT count(*) FROM pg_namespace WHERE nspname = $1";
// Which of a schema's tables say what it is: tenantry's migrations create both.
const std::string kSchemaTables =
    "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = $1 AND c.relname IN ('schema_migrations', 'events') AND c.relkind = 'r'";
const std::string kArchivedUpTo = "SELECT count(*) FROM {R}.events WHERE position <= $1";
// Positions up to the rebuild's end that the live archive holds with another event (or
// that the rebuild lacks): the live read models come from another log.
const std::string kDisagreeing =
    "SELECT count(*) FROM {L}.events l LEFT JOIN {R}.events r ON r.position = l.position"
    " WHERE l.position <= $1 AND (r.position IS NULL OR l.event_id IS DISTINCT FROM r.event_id)";
const std::string kAnyEvent = "SELECT count(*) FROM (SELECT 1 FROM {L}.events LIMIT 1) e";
// ALTER SCHEMA waits for nothing a projector holds, but never hang on a stuck session.
const std::string kSwitchLockTimeout = "SET LOCAL lock_timeout = '10s'";
const std::string kDropLockTimeout = "SET LOCAL lock_timeout = '30s'";

// Replaces {L} and {R} by quoted schema names.
std::string with_schemas(pqxx::connection& conn, std::string sql, const std::string& live,
                         const std::string& rebuilt) {
  for (const auto& [tag, name] :
       {std::pair<std::string, std::string>{"{L}", live}, {"{R}", rebuilt}})
    for (auto at = sql.find(tag); at != std::string::npos; at = sql.find(tag))
      sql.replace(at, tag.size(), conn.quote_name(name));
  return sql;
}

bool schema_exists(pqxx::transaction_base& tx, const std::string& schema) {
  return tx.exec_params(kSchemaExists, schema)[0][0].as<std::int64_t>() > 0;
}

bool is_cancelled(const rebuild_hooks& hooks) {
  return hooks.cancelled && hooks.cancelled();
}

std::unexpected<error> interrupted() {
  return fail(errc::unavailable, "interrupted", "The rebuild was interrupted; nothing switched");
}

void report(const rebuild_hooks& hooks, rebuild_step step, std::int64_t done, std::int64_t total) {
  if (hooks.progress) hooks.progress(step, done, total);
}

// Runs a projector into `schema` until its position passes extent.last_offset().
result<void> run_projector(event_subscriber& log, const log_extent& extent,
                           const std::string& schema, const rebuild_settings& settings,
                           const rebuild_hooks& hooks) {
  projector_options options;  // name "read_models": tenantryd's projector continues it
  options.batch_size = settings.batch_size;
  options.privacy = settings.privacy;
  projector builder(log, settings.database_url, schema, options);
  std::jthread runner([&](std::stop_token stop) { builder.run(stop); });

  const std::int64_t target = extent.last_offset();
  std::int64_t seen = -1;
  auto moved_at = steady::now();
  for (;;) {
    const bool done = builder.wait_for(target, 200ms);
    const std::int64_t position = builder.position();
    report(hooks, rebuild_step::projecting, extent.events_before(position), extent.events());
    if (done) return {};
    if (is_cancelled(hooks)) return interrupted();
    const auto now = steady::now();
    if (position != seen) {
      seen = position;
      moved_at = now;
    } else if (now - moved_at >= settings.stall_timeout) {
      return fail(errc::unavailable, "rebuild_stalled",
                  "The projector made no progress for " +
                      std::to_string(settings.stall_timeout.count()) + " s at offset " +
                      std::to_string(position) + " of " + std::to_string(target + 1) +
                      " (its errors are logged above)");
    }
  }
}

// Best effort after a failure: a half-built schema is of no use to anyone.
void discard(const std::string& database_url, const std::string& schema) {
  try {
    pqxx::connection conn(database_url);
    if (auto dropped = drop_schema(conn, schema); !dropped)
      spdlog::warn("could not drop the unfinished schema {}: {}", schema, dropped.error().message);
  } catch (const std::exception& e) {
    spdlog::warn("could not drop the unfinished schema {}: {}", schema, e.what());
  }
}

}  // namespace

std::int64_t log_extent::events_before(std::int64_t position) const {
  return std::lower_bound(offsets.begin(), offsets.end(), position) - offsets.begin();
}

result<rebuild_plan> plan_rebuild(const std::string& schema, std::int64_t unix_time) {
  rebuild_plan plan;
  plan.schema = schema;
  plan.rebuild_schema = schema + "_rebuild_" + std::to_string(unix_time);
  plan.old_schema = schema + "_old_" + std::to_string(unix_time);
  for (const std::string* name : {&plan.schema, &plan.rebuild_schema, &plan.old_schema}) {
    if (!valid_schema_name(*name))
      return fail(errc::invalid_argument, "invalid_schema",
                  "Schema names are lowercase identifiers of at most 63 characters, and a "
                  "rebuild appends _rebuild_<unix time> to the schema: " +
                      *name);
  }
  return plan;
}

result<log_extent> read_log_extent(event_replayer& log, std::int64_t high_watermark,
                                   const rebuild_hooks& hooks) {
  log_extent extent;
  report(hooks, rebuild_step::reading_log, 0, high_watermark);
  auto end = log.replay([&](const stored_event& e) {
    extent.offsets.push_back(e.offset);
    if (extent.offsets.size() % 256 == 0) {
      if (is_cancelled(hooks)) throw std::runtime_error("interrupted");
      report(hooks, rebuild_step::reading_log, e.offset + 1, high_watermark);
    }
  });
  if (!end) return is_cancelled(hooks) ? interrupted() : std::unexpected(end.error());
  report(hooks, rebuild_step::reading_log, std::max(*end, high_watermark), high_watermark);
  return extent;
}

result<void> project_into_new_schema(event_subscriber& log, const log_extent& extent,
                                     const std::string& schema, const rebuild_settings& settings,
                                     const rebuild_hooks& hooks) {
  try {
    pqxx::connection conn(settings.database_url);
    {
      pqxx::nontransaction tx(conn);
      if (schema_exists(tx, schema))
        return fail(errc::conflict, "schema_exists",
                    "The schema " + schema + " exists already; a rebuild starts from nothing");
    }
    if (auto migrated = migrate(conn, schema); !migrated) return migrated;
    report(hooks, rebuild_step::projecting, 0, extent.events());
    if (extent.events() > 0) {
      if (auto projected = run_projector(log, extent, schema, settings, hooks); !projected)
        return projected;
    }
    pqxx::nontransaction tx(conn);
    const auto archived =
        tx.exec_params(with_schemas(conn, kArchivedUpTo, "", schema), extent.last_offset())[0][0]
            .as<std::int64_t>();
    if (archived != extent.events())
      return fail(errc::internal, "rebuild_incomplete",
                  "The rebuild archived " + std::to_string(archived) + " of " +
                      std::to_string(extent.events()) + " events");
    return {};
  } catch (...) {
    return std::unexpected(current_database_error());
  }
}

result<std::optional<std::string>> switch_schema(pqxx::connection& conn, const std::string& live,
                                                 const std::string& rebuilt,
                                                 const std::string& old_schema,
                                                 std::int64_t last_offset) {
  try {
    pqxx::work tx(conn);
    tx.exec(kSwitchLockTimeout);
    if (!schema_exists(tx, rebuilt))
      return fail(errc::not_found, "schema_not_found", "There is no schema " + rebuilt);
    std::optional<std::string> replaced;
    if (schema_exists(tx, live)) {
      std::vector<std::string> tables;
      for (const auto& row : tx.exec_params(kSchemaTables, live))
        tables.push_back(row[0].as<std::string>());
      if (tables.size() != 2)
        return fail(errc::conflict, "not_a_read_model_schema",
                    "The schema " + live +
                        " does not hold tenantry read models (no schema_migrations and events "
                        "tables)");
      const auto disagreeing =
          tx.exec_params(with_schemas(conn, kDisagreeing, live, rebuilt), last_offset)[0][0]
              .as<std::int64_t>();
      const bool live_has_events =
          tx.exec(with_schemas(conn, kAnyEvent, live, rebuilt))[0][0].as<std::int64_t>() > 0;
      if (disagreeing > 0 || (last_offset < 0 && live_has_events))
        return fail(errc::conflict, "log_mismatch",
                    "The events archived in " + live +
                        " are not the log's (another topic, or a log that lost events): " +
                        std::to_string(disagreeing) + " positions differ");
      if (schema_exists(tx, old_schema))
        return fail(errc::conflict, "schema_exists",
                    "The schema " + old_schema + " exists already");
      tx.exec("ALTER SCHEMA " + conn.quote_name(live) + " RENAME TO " +
              conn.quote_name(old_schema));
      replaced = old_schema;
    }
    tx.exec("ALTER SCHEMA " + conn.quote_name(rebuilt) + " RENAME TO " + conn.quote_name(live));
    tx.commit();
    return replaced;
  } catch (...) {
    return std::unexpected(current_database_error());
  }
}

result<void> drop_schema(pqxx::connection& conn, const std::string& schema) {
  try {
    pqxx::work tx(conn);
    tx.exec(kDropLockTimeout);
    tx.exec("DROP SCHEMA IF EXISTS " + conn.quote_name(schema) + " CASCADE");
    tx.commit();
    return {};
  } catch (...) {
    return std::unexpected(current_database_error());
  }
}

result<rebuild_outcome> rebuild_read_models(const rebuild_settings& settings,
                                            const rebuild_hooks& hooks) {
  const std::int64_t now = settings.unix_time > 0
                               ? settings.unix_time
                               : std::chrono::duration_cast<std::chrono::seconds>(
                                     std::chrono::system_clock::now().time_since_epoch())
                                     .count();
  auto plan = plan_rebuild(settings.schema, now);
  if (!plan) return std::unexpected(plan.error());

  // Check the topic first: opening the log would create a missing one.
  auto topic = probe_topic(settings.kafka.brokers, settings.kafka.topic);
  if (!topic) return std::unexpected(topic.error());
  if (topic->low_watermark > 0)
    return fail(errc::conflict, "log_truncated",
                "The topic " + settings.kafka.topic +
                    " no longer starts at offset 0 (it starts at " +
                    std::to_string(topic->low_watermark) + "): a rebuild needs the whole log");
  auto log = kafka_event_log::open(settings.kafka, /*with_producer=*/false);
  if (!log) return std::unexpected(log.error());

  auto extent = read_log_extent(**log, topic->high_watermark, hooks);
  if (!extent) return std::unexpected(extent.error());
  if (is_cancelled(hooks)) return interrupted();
  plan->events = extent->events();
  plan->last_offset = extent->last_offset();
  if (hooks.confirm && !hooks.confirm(*plan))
    return fail(errc::invalid_argument, "not_confirmed", "Not confirmed; nothing changed");

  if (auto built = project_into_new_schema(**log, *extent, plan->rebuild_schema, settings, hooks);
      !built) {
    if (built.error().code != "schema_exists") discard(settings.database_url, plan->rebuild_schema);
    return std::unexpected(built.error());
  }
  if (is_cancelled(hooks)) {  // the last moment to change one's mind
    discard(settings.database_url, plan->rebuild_schema);
    return interrupted();
  }
  try {
    pqxx::connection conn(settings.database_url);
    auto switched = switch_schema(conn, plan->schema, plan->rebuild_schema, plan->old_schema,
                                  plan->last_offset);
    if (!switched) {
      error e = switched.error();
      e.message +=
          "; nothing switched, the rebuilt read models stay in schema " + plan->rebuild_schema;
      return std::unexpected(std::move(e));
    }
    rebuild_outcome outcome;
    outcome.plan = *plan;
    outcome.old_schema = *switched;
    if (settings.drop_old && outcome.old_schema) {
      if (auto dropped = drop_schema(conn, *outcome.old_schema); dropped)
        outcome.old_dropped = true;
      else
        outcome.drop_failure = dropped.error();
    }
    auto checksum = checksum_read_models(conn, plan->schema);
    if (!checksum) {
      error e = checksum.error();
      e.message = "Switched (the previous read models are in " +
                  outcome.old_schema.value_or("no schema") +
                  "), but the checksum failed: " + e.message;
      return std::unexpected(std::move(e));
    }
    outcome.checksum = std::move(*checksum);
    return outcome;
  } catch (...) {  // connecting for the switch failed
    error e = current_database_error();
    e.message +=
        "; nothing switched, the rebuilt read models stay in schema " + plan->rebuild_schema;
    return std::unexpected(std::move(e));
  }
}

}  // namespace tenantry::cli
