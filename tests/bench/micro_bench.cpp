// Per-event costs of the layers the writer's replay and the projector go through, with
// Google Benchmark: headers, the JSON codec, and folding into the write model. They
// explain the end-to-end figures of infra/bench.sh (docs/performance.md).

#include <benchmark/benchmark.h>

#include "commands/write_model.hpp"
#include "events/codec.hpp"
#include "events/envelope.hpp"

namespace tenantry::bench {
namespace {

recorded_event make_event(event data, const std::string& root) {
  recorded_event e;
  e.meta.event_id = new_uuid_v7();
  e.meta.subject = aggregate_id(data);
  e.meta.aggregate_type = std::string(aggregate_type(data));
  e.meta.aggregate_version = 1;
  e.meta.time = system_now();
  e.meta.actor = new_uuid_v7();
  e.meta.correlation_id = new_uuid_v7();
  e.meta.causation_id = e.meta.correlation_id;
  e.meta.partition_key = root;
  e.data = std::move(data);
  return e;
}

recorded_event created_event(int n, const std::optional<tenant_id>& parent) {
  const tenant_id id{new_uuid_v7()};
  return make_event(tenant_created{id, "unit-000042-" + std::to_string(n),
                                   "Unit 000042 " + std::to_string(n), "", parent},
                    parent ? parent->value : id.value);
}

recorded_event suspended_event() {
  const tenant_id id{new_uuid_v7()};
  return make_event(tenant_suspended{id, "bench"}, id.value);
}

void BM_ToHeaders(benchmark::State& state) {
  const stored_event s = encode(created_event(1, std::nullopt));
  for (auto _ : state) benchmark::DoNotOptimize(to_headers(s.meta, s.type));
}
BENCHMARK(BM_ToHeaders);

void BM_FromHeaders(benchmark::State& state) {
  const stored_event s = encode(created_event(1, std::nullopt));
  const header_list headers = to_headers(s.meta, s.type);
  std::string type;
  for (auto _ : state) benchmark::DoNotOptimize(from_headers(headers, type));
}
BENCHMARK(BM_FromHeaders);

void BM_EncodeCreated(benchmark::State& state) {
  const recorded_event e = created_event(1, std::nullopt);
  for (auto _ : state) benchmark::DoNotOptimize(encode(e));
}
BENCHMARK(BM_EncodeCreated);

void BM_DecodeCreated(benchmark::State& state) {
  const stored_event s = encode(created_event(1, std::nullopt));
  for (auto _ : state) benchmark::DoNotOptimize(decode(s));
}
BENCHMARK(BM_DecodeCreated);

void BM_DecodeSuspended(benchmark::State& state) {
  const stored_event s = encode(suspended_event());
  for (auto _ : state) benchmark::DoNotOptimize(decode(s));
}
BENCHMARK(BM_DecodeSuspended);

// Folding tenant_created into a write model that already holds state.range(0) tenants.
void BM_ApplyCreated(benchmark::State& state) {
  write_model model;
  const recorded_event root = created_event(0, std::nullopt);
  model.apply(root);
  std::vector<recorded_event> events;
  for (int i = 0; i < state.range(0); ++i)
    events.push_back(created_event(i + 1, std::get<tenant_created>(root.data).id));
  std::size_t i = 0;
  for (auto _ : state) {
    if (i == events.size()) {
      state.PauseTiming();
      model = write_model();
      model.apply(root);
      i = 0;
      state.ResumeTiming();
    }
    model.apply(events[i++]);
  }
}
BENCHMARK(BM_ApplyCreated)->Arg(100000);

}  // namespace
}  // namespace tenantry::bench

BENCHMARK_MAIN();
