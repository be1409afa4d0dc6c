// tenantry: the operator's command-line tool. `tenantry projections status` shows where
// the projectors stand and the event one is stopped at; `tenantry projections checksum`
// prints a digest of every read model; `tenantry projections rebuild` replays the log into
// a fresh schema and switches to it. Settings default to tenantryd's TENANTRY_* variables.

#include <atomic>
#include <cctype>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <optional>
#include <string>

#include <unistd.h>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include "cli/progress_bar.hpp"
#include "cli/projection_status.hpp"
#include "cli/read_model_checksum.hpp"
#include "cli/schema_rebuild.hpp"
#include "events/privacy/event_privacy.hpp"
#include "projections/postgres/postgres_key_store.hpp"

namespace {

using namespace tenantry;
using namespace tenantry::cli;

constexpr int exit_failure = 1;
constexpr int exit_interrupted = 130;

std::atomic<bool> interrupt_requested{false};
static_assert(std::atomic<bool>::is_always_lock_free);

// The first Ctrl-C stops the rebuild cleanly; a second one ends the process at once.
extern "C" void on_interrupt(int) {
  interrupt_requested.store(true);
  std::signal(SIGINT, SIG_DFL);
  std::signal(SIGTERM, SIG_DFL);
}

struct options {
  std::string database_url = "postgresql://tenantry@127.0.0.1:35432/tenantry";
  std::string schema = "tenantry";
  std::string brokers = "127.0.0.1:39092";
  std::string topic = "tenantry.events";
  bool yes = false;
  bool drop_old = false;
  int stall_timeout_s = 120;
  std::string log_level = "warn";
  std::string data_key_file = "var/data-key";
  std::string key_schema;  // empty: <schema>_keys
};

int report_failure(const error& e) {
  std::string message = e.message;  // libpq's messages end with a newline
  while (!message.empty() && std::isspace(static_cast<unsigned char>(message.back())))
    message.pop_back();
  std::fprintf(stderr, "tenantry: %s (%s)\n", message.c_str(), e.code.c_str());
  return e.code == "interrupted" ? exit_interrupted : exit_failure;
}

// Exits 1 when a projector is stopped at an event it cannot apply, so a script sees it.
int run_status(const options& o) {
  auto standings = projector_standings(o.database_url, o.schema);
  if (!standings) return report_failure(standings.error());
  std::cout << render(*standings) << std::flush;
  for (const projector_standing& p : *standings)
    if (p.fault_offset) return exit_failure;
  return 0;
}

int run_checksum(const options& o) {
  auto checksum = checksum_read_models(o.database_url, o.schema);
  if (!checksum) return report_failure(checksum.error());
  std::cout << render(*checksum) << std::flush;
  return 0;
}

bool confirm(const options& o, const rebuild_plan& plan) {
  if (o.yes) return true;
  if (::isatty(STDIN_FILENO) != 1) {
    std::fprintf(stderr,
                 "tenantry: a rebuild replaces schema %s; pass --yes to confirm without a "
                 "terminal\n",
                 plan.schema.c_str());
    return false;
  }
  std::fprintf(stderr,
               "Rebuild schema %s from topic %s (%lld events) into %s, then switch: %s becomes "
               "%s. Continue? [y/N] ",
               plan.schema.c_str(), o.topic.c_str(), static_cast<long long>(plan.events),
               plan.rebuild_schema.c_str(), plan.schema.c_str(), plan.old_schema.c_str());
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

int run_rebuild(const options& o) {
  rebuild_settings settings;
  settings.kafka.brokers = o.brokers;
  settings.kafka.topic = o.topic;
  settings.database_url = o.database_url;
  settings.schema = o.schema;
  settings.drop_old = o.drop_old;
  settings.stall_timeout = std::chrono::seconds(o.stall_timeout_s);
  // The data keys live beside the live schema, whichever schema the rebuild writes.
  auto kek = key_encryption_key::from_file(o.data_key_file);
  if (!kek) return report_failure(kek.error());
  auto keys = postgres_key_store::open(
      o.database_url, o.key_schema.empty() ? postgres_key_store::schema_of(o.schema) : o.key_schema,
      *kek);
  if (!keys) return report_failure(keys.error());
  if (auto loaded = (*keys)->preload(); !loaded) return report_failure(loaded.error());
  event_privacy privacy(**keys, std::move(*kek));
  settings.privacy = &privacy;

  const bool terminal = progress_bar::is_terminal(stderr);
  std::optional<progress_bar> bar;
  std::optional<rebuild_step> shown;
  rebuild_hooks hooks;
  hooks.confirm = [&](const rebuild_plan& plan) {
    bar.reset();  // ends the "reading the log" line before the question
    return confirm(o, plan);
  };
  hooks.progress = [&](rebuild_step step, std::int64_t done, std::int64_t total) {
    if (shown != step) {
      bar.reset();
      shown = step;
      if (step == rebuild_step::reading_log)
        bar.emplace(stderr, "reading the log", "offsets", total, terminal);
      else
        bar.emplace(stderr, "projecting", "events", total, terminal);
    }
    if (!bar) return;
    bar->update(done);
    if (done >= total) bar->finish();  // the step's own time, not the switch's
  };
  hooks.cancelled = [] { return interrupt_requested.load(); };

  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
  auto outcome = rebuild_read_models(settings, hooks);
  bar.reset();
  if (!outcome) return report_failure(outcome.error());

  const rebuild_plan& plan = outcome->plan;
  std::printf("schema %s now holds the read models of %s: %lld events, up to offset %lld\n",
              plan.schema.c_str(), o.topic.c_str(), static_cast<long long>(plan.events),
              static_cast<long long>(plan.last_offset));
  if (!outcome->old_schema)
    std::printf("there were no read models in %s before\n", plan.schema.c_str());
  else if (outcome->old_dropped)
    std::printf("the previous read models were dropped (schema %s)\n",
                outcome->old_schema->c_str());
  else
    std::printf("the previous read models are in schema %s\n", outcome->old_schema->c_str());
  std::cout << render(outcome->checksum) << std::flush;
  if (outcome->drop_failure) {
    std::fprintf(stderr, "tenantry: switched, but dropping schema %s failed: %s\n",
                 outcome->old_schema->c_str(), outcome->drop_failure->message.c_str());
    return exit_failure;
  }
  return 0;
}

int run(int argc, char** argv) {
  options o;
  CLI::App app{"tenantry: operator tools for a tenantry deployment"};
  app.require_subcommand(1);
  app.fallthrough();  // --log-level after a subcommand too (subcommands inherit this)
  app.add_option("--log-level", o.log_level, "trace, debug, info, warn, error")
      ->envname("TENANTRY_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  CLI::App* projections = app.add_subcommand("projections", "the PostgreSQL read models");
  projections->require_subcommand(1);

  // Each subcommand binds variables of its own: two options with an envname bound to one
  // variable let the environment overwrite the flag of the other subcommand.
  options for_checksum;
  options for_status;
  auto database_options = [&](CLI::App* cmd, options& target) {
    cmd->add_option("--database-url", target.database_url, "PostgreSQL connection URL")
        ->envname("TENANTRY_DATABASE_URL")
        ->capture_default_str();
    cmd->add_option("--schema", target.schema, "schema of the read models")
        ->envname("TENANTRY_DB_SCHEMA")
        ->capture_default_str();
  };
  CLI::App* status = projections->add_subcommand(
      "status",
      "print each projector's next offset and the event it is stopped at, if one fails on its "
      "data (exit 1 then)");
  database_options(status, for_status);
  CLI::App* checksum = projections->add_subcommand(
      "checksum", "print a SHA-256 digest of every read-model table and a total");
  database_options(checksum, for_checksum);

  CLI::App* rebuild = projections->add_subcommand(
      "rebuild",
      "replay the whole log into <schema>_rebuild_<time>, then switch: <schema> becomes "
      "<schema>_old_<time> in the same transaction");
  rebuild->add_option("--kafka-brokers", o.brokers, "Kafka bootstrap servers")
      ->envname("TENANTRY_KAFKA_BROKERS")
      ->capture_default_str();
  rebuild->add_option("--topic", o.topic, "the event topic")
      ->envname("TENANTRY_TOPIC")
      ->capture_default_str();
  database_options(rebuild, o);
  rebuild
      ->add_option("--data-key-file", o.data_key_file,
                   "tenantryd's TENANTRY_DATA_KEY_FILE: opens the events' personal fields")
      ->envname("TENANTRY_DATA_KEY_FILE")
      ->capture_default_str();
  rebuild->add_option("--key-schema", o.key_schema, "tenantryd's TENANTRY_KEY_SCHEMA, if set")
      ->envname("TENANTRY_KEY_SCHEMA");
  rebuild->add_flag("--yes,-y", o.yes, "switch without asking");
  rebuild->add_flag("--drop-old", o.drop_old, "drop the replaced schema after the switch");
  rebuild
      ->add_option("--stall-timeout", o.stall_timeout_s,
                   "fail when the projector makes no progress for this many seconds")
      ->check(CLI::Range(1, 86400))
      ->capture_default_str();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  auto logger = spdlog::stderr_color_mt("tenantry");
  logger->set_pattern("%^%l%$: %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(spdlog::level::from_str(o.log_level));

  if (status->parsed()) return run_status(for_status);
  if (checksum->parsed()) return run_checksum(for_checksum);
  return run_rebuild(o);
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "tenantry: unexpected failure: %s\n", e.what());
  } catch (...) {
    std::fprintf(stderr, "tenantry: unexpected failure\n");
  }
  return exit_failure;
}
