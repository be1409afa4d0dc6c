#pragma once
// The subcommands of tenantry_bench. Each prints its figures as one JSON object on stdout
// (see bench_support.hpp) and returns the process exit code. infra/bench.sh runs them.

#include <cstdint>
#include <string>
#include <vector>

#include "bench_support.hpp"
#include "dataset.hpp"

namespace tenantry::bench {

struct common_options {
  std::string brokers;
  std::string database_url;
  std::vector<std::string> watch;  // "name=pid": processes whose CPU time to report
  bool verbose = false;
};

struct load_options {
  std::string topic;
  forest_shape shape;
  std::int64_t events = 0;
  std::uint64_t seed = 42;
  std::int64_t window = 4096;  // commands in flight
};
int run_load(const common_options& common, const load_options& o);

struct project_options {
  std::string topic;
  std::string schema;
  std::size_t batch_size = 0;  // 0: the projector's default
};
int run_project(const common_options& common, const project_options& o);
int run_migrate(const common_options& common, const std::string& schema);

struct rebuild_options {
  std::string topic;
  std::string mode = "writer";  // writer, consume, replay, decode
  std::int64_t tenants = 0;     // for the write model's bytes per tenant
};
int run_rebuild(const common_options& common, const rebuild_options& o);

struct produce_options {
  std::string from;         // a topic written by tenantryd: its events and transaction boundaries
  std::string to;           // a new topic receiving them again
  std::string via = "raw";  // raw: librdkafka directly; adapter: kafka_event_log::append
  std::size_t batch = 0;    // > 0: transactions of this many events instead of the original ones
};
int run_produce(const common_options& common, const produce_options& o);
int run_drop_topics(const common_options& common, const std::vector<std::string>& topics);

struct freshness_options {
  unsigned short port = 0;
  std::string token;
  double seconds = 10;
  int interval_ms = 100;  // one probe command per interval
  int poll_ms = 1;        // pause between GETs while waiting for visibility
  std::string prefix = "fresh";
};
int run_freshness(const common_options& common, const freshness_options& o);

// Runs `argv` as a child, measuring the CPU of the watched processes meanwhile.
int run_cpu(const common_options& common, const std::string& label, const std::string& out,
            const std::vector<std::string>& argv);

int run_free_port();

}  // namespace tenantry::bench
