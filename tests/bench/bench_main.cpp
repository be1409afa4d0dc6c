// tenantry_bench: the programs behind infra/bench.sh, one subcommand each (--help lists
// them). Figures go to stdout as one JSON object, logs to stderr.

#include <spawn.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include <CLI/CLI.hpp>

#include "subcommands.hpp"

extern char** environ;

namespace tenantry::bench {

int run_cpu(const common_options& common, const std::string& label, const std::string& out,
            const std::vector<std::string>& argv) {
  if (argv.empty()) return 2;
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  cpu_meter cpu(parse_watch_list(common.watch));
  cpu.start();
  pid_t pid = -1;
  if (posix_spawnp(&pid, args[0], nullptr, nullptr, args.data(), environ) != 0) return 127;
  int status = 0;
  waitpid(pid, &status, 0);
  figures f;
  cpu.stop(f, label);
  std::ofstream file(out);
  std::streambuf* saved = std::cout.rdbuf(file.rdbuf());
  f.print();
  std::cout.rdbuf(saved);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

}  // namespace tenantry::bench

int main(int argc, char** argv) {
  using namespace tenantry::bench;
  auto env = [](const char* name, const char* fallback) {
    const char* v = std::getenv(name);
    return std::string(v && *v ? v : fallback);
  };
  common_options common;
  common.brokers = env("TENANTRY_KAFKA_BROKERS", "127.0.0.1:39092");
  common.database_url =
      env("TENANTRY_DATABASE_URL", "postgresql://tenantry@127.0.0.1:35432/tenantry");

  CLI::App app{"tenantry benchmark programs (run by infra/bench.sh)"};
  app.require_subcommand(1);
  app.add_option("--brokers", common.brokers, "Kafka bootstrap servers");
  app.add_option("--database-url", common.database_url, "PostgreSQL of the read models");
  app.add_option("--watch", common.watch, "name=pid of a process whose CPU time to report");
  app.add_flag("-v,--verbose", common.verbose, "info logs on stderr");

  load_options load;
  auto* load_cmd = app.add_subcommand("load", "fill a topic with the data set through the writer");
  load_cmd->add_option("--topic", load.topic)->required();
  load_cmd->add_option("--trees", load.shape.trees)->required();
  load_cmd->add_option("--per-tree", load.shape.per_tree);
  load_cmd->add_option("--depth", load.shape.depth)->check(CLI::Range(2, 100));
  load_cmd->add_option("--events", load.events)->required();
  load_cmd->add_option("--seed", load.seed);

  project_options project;
  auto* project_cmd = app.add_subcommand("project", "the projector from zero into a new schema");
  project_cmd->add_option("--topic", project.topic)->required();
  project_cmd->add_option("--schema", project.schema)->required();
  project_cmd->add_option("--batch-size", project.batch_size);

  std::string migrate_schema;
  auto* migrate_cmd = app.add_subcommand("migrate", "create a schema with the read-model tables");
  migrate_cmd->add_option("--schema", migrate_schema)->required();

  rebuild_options rebuild;
  auto* rebuild_cmd = app.add_subcommand("rebuild", "the writer's start-up replay, or its layers");
  rebuild_cmd->add_option("--topic", rebuild.topic)->required();
  rebuild_cmd->add_option("--mode", rebuild.mode)
      ->check(CLI::IsMember({"writer", "consume", "replay", "decode"}));
  rebuild_cmd->add_option("--tenants", rebuild.tenants);

  produce_options produce;
  auto* produce_cmd =
      app.add_subcommand("produce", "re-produce a topic's transactions into a new topic");
  produce_cmd->add_option("--from", produce.from)->required();
  produce_cmd->add_option("--to", produce.to)->required();
  produce_cmd->add_option("--via", produce.via)->check(CLI::IsMember({"raw", "adapter"}));
  produce_cmd->add_option("--batch", produce.batch, "events per transaction (default: as written)");

  std::vector<std::string> topics;
  auto* drop_cmd = app.add_subcommand("drop-topics", "delete Kafka topics");
  drop_cmd->add_option("topics", topics);

  freshness_options fresh;
  auto* fresh_cmd = app.add_subcommand("freshness", "command acknowledged -> visible via GET");
  fresh_cmd->add_option("--port", fresh.port)->required();
  fresh_cmd->add_option("--token", fresh.token)->required();
  fresh_cmd->add_option("--seconds", fresh.seconds);
  fresh_cmd->add_option("--interval-ms", fresh.interval_ms);
  fresh_cmd->add_option("--poll-ms", fresh.poll_ms);
  fresh_cmd->add_option("--prefix", fresh.prefix);

  std::string cpu_label = "run", cpu_out;
  std::vector<std::string> cpu_argv;
  auto* cpu_cmd = app.add_subcommand("cpu", "run a command, report who used the CPU meanwhile");
  cpu_cmd->add_option("--label", cpu_label);
  cpu_cmd->add_option("--out", cpu_out, "file receiving the figures")->required();
  cpu_cmd->add_option("command", cpu_argv, "the command (after --)")->required();

  auto* port_cmd = app.add_subcommand("free-port", "print a free loopback TCP port");

  CLI11_PARSE(app, argc, argv);
  log_to_stderr(common.verbose);
  if (*load_cmd) return run_load(common, load);
  if (*project_cmd) return run_project(common, project);
  if (*migrate_cmd) return run_migrate(common, migrate_schema);
  if (*rebuild_cmd) return run_rebuild(common, rebuild);
  if (*produce_cmd) return run_produce(common, produce);
  if (*drop_cmd) return run_drop_topics(common, topics);
  if (*fresh_cmd) return run_freshness(common, fresh);
  if (*cpu_cmd) return run_cpu(common, cpu_label, cpu_out, cpu_argv);
  if (*port_cmd) return run_free_port();
  return 2;
}
