// tenantryd: the composition root. Reads the configuration, wires the Kafka event log,
// the single writer, the projector, the PostgreSQL pool and the HTTP server together,
// and shuts them down in order on SIGINT/SIGTERM.

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <filesystem>
#include <thread>

#include <boost/asio/signal_set.hpp>
#include "api/auth/signing_key.hpp"
#include "api/http/asio.hpp"
#include "api/routes.hpp"
#include "events/kafka/kafka_event_log.hpp"
#include "events/privacy/event_privacy.hpp"
#include "projections/postgres/postgres_key_store.hpp"
#include "tenantryd/bootstrap.hpp"
#include "tenantryd/config.hpp"

namespace {

using namespace tenantry;

// The KEK of crypto-shredding (docs/privacy.md), made when there is none yet.
std::optional<key_encryption_key> load_data_key(const std::string& path) {
  if (!std::filesystem::exists(path)) {
    spdlog::warn(
        "no data key at {}: generating one (keep it: without it no personal field of "
        "the log opens)",
        path);
    if (auto w = key_encryption_key::write_new_file(path); !w) {
      spdlog::critical("cannot write a data key: {}", w.error().message);
      return std::nullopt;
    }
  }
  auto kek = key_encryption_key::from_file(path);
  if (!kek) {
    spdlog::critical("cannot load the data key: {}", kek.error().message);
    return std::nullopt;
  }
  return std::move(*kek);
}

// The data keys in PostgreSQL, waiting up to a minute for it; every key read at once.
std::unique_ptr<postgres_key_store> open_key_store(const tenantryd_config& cfg,
                                                   const key_encryption_key& kek) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  for (;;) {
    const std::string schema =
        cfg.key_schema.empty() ? postgres_key_store::schema_of(cfg.schema) : cfg.key_schema;
    auto keys = postgres_key_store::open(cfg.database_url, schema, kek);
    if (keys) {
      if (auto loaded = (*keys)->preload(); !loaded) {
        spdlog::critical("cannot read the data keys: {}", loaded.error().message);
        return nullptr;
      }
      return std::move(*keys);
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      spdlog::critical("cannot open the data key store: {}", keys.error().message);
      return nullptr;
    }
    spdlog::warn("data key store: {}; retrying", keys.error().message);
    std::this_thread::sleep_for(std::chrono::seconds(1));
  }
}

int run(const tenantryd_config& cfg) {
  if (!std::filesystem::exists(cfg.signing_key_path)) {
    spdlog::warn("no signing key at {}: generating one", cfg.signing_key_path);
    if (auto w = api::write_new_signing_key(cfg.signing_key_path); !w) {
      spdlog::critical("cannot write a signing key: {}", w.error().message);
      return 1;
    }
  }
  auto key = api::load_signing_key(cfg.signing_key_path);
  if (!key) {
    spdlog::critical("cannot load the signing key: {}", key.error().message);
    return 1;
  }
  const api::jwt_signer signer(*key, cfg.issuer, cfg.audience, cfg.access_token_ttl);
  const api::jwt_verifier verifier(*key, cfg.issuer, cfg.audience);

  auto kek = load_data_key(cfg.data_key_path);
  if (!kek) return 1;
  auto keys = open_key_store(cfg, *kek);
  if (!keys) return 1;
  event_privacy privacy(*keys, *kek);

  auto log = kafka_event_log::open(cfg.kafka);
  if (!log) {
    spdlog::critical("cannot open the event log at {}: {}", cfg.kafka.brokers, log.error().message);
    return 1;
  }
  (*log)->seal_with(privacy);

  writer_options writing;
  writing.max_depth = cfg.max_depth;
  writing.privacy = &privacy;
  command_processor writer(**log, **log, writing);
  writer.start();

  projector_options projecting;
  projecting.privacy = &privacy;
  projector read_side(**log, cfg.database_url, cfg.schema, projecting);
  std::jthread projector_thread([&](std::stop_token stop) { read_side.run(stop); });
  postgres_pool db(cfg.database_url, cfg.schema, {.connections = cfg.db_pool_size});

  api::asio::io_context io(static_cast<int>(cfg.io_threads));
  api::cpu_pool cpu(cfg.cpu_threads, cfg.cpu_queue);
  std::atomic<bool> bootstrapped{false};
  api::services services{writer, db, read_side, signer, verifier, cpu, cfg.api};
  services.started = &bootstrapped;
  api::rate_limits limits(cfg.api);
  services.limits = &limits;
  const api::router routes = api::make_router(services);
  api::http_server server(io, cfg.listen, api::make_request_handler(services, routes));
  server.start();
  spdlog::info("tenantryd listening on http://{}:{}", server.local_endpoint().address().to_string(),
               server.local_endpoint().port());
  // GET /metrics alone on a listener of its own, when one is configured.
  api::router metrics_routes;
  std::optional<api::http_server> metrics_server;
  if (cfg.metrics_listen) {
    api::add_metrics_route(metrics_routes, services);
    metrics_server.emplace(io, *cfg.metrics_listen,
                           api::make_request_handler(services, metrics_routes));
    metrics_server->start();
    spdlog::info("metrics on http://{}:{}/metrics",
                 metrics_server->local_endpoint().address().to_string(),
                 metrics_server->local_endpoint().port());
  }

  std::jthread bootstrap_thread([&](std::stop_token stop) {
    bootstrap_admin(writer, cfg.admin_email, cfg.admin_password, cfg.api.password_params, stop);
    bootstrapped = true;
  });

  api::asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int signal) {
    if (ec) return;
    spdlog::info("signal {}: shutting down gracefully", signal);
    server.stop();
    if (metrics_server) metrics_server->stop();
  });

  std::vector<std::jthread> io_threads;
  for (unsigned i = 1; i < cfg.io_threads; ++i) io_threads.emplace_back([&] { io.run(); });
  io.run();
  io_threads.clear();

  bootstrap_thread.request_stop();
  writer.stop();
  projector_thread.request_stop();
  projector_thread.join();
  db.stop();
  cpu.join();
  spdlog::info("tenantryd stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  auto cfg = tenantry::parse_config(argc, argv);
  if (!cfg) return cfg.error();
  try {
    return run(*cfg);
  } catch (const std::exception& e) {
    spdlog::critical("tenantryd: {}", e.what());
    return 1;
  }
}
