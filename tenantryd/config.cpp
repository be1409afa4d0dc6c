#include "tenantryd/config.hpp"

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

namespace tenantry {

std::expected<tenantryd_config, int> parse_config(int argc, char** argv) {
  tenantryd_config cfg;
  CLI::App app{"tenantryd: the tenantry server (event-sourced tenant management)"};
  std::string listen = "127.0.0.1:8080";
  std::string log_level = "info";
  std::string password_hashing = "interactive";
  int consistency_wait_ms = 5000;
  int access_ttl_s = 900;
  cfg.kafka.brokers = "127.0.0.1:39092";
  cfg.database_url = "postgresql://tenantry@127.0.0.1:35432/tenantry";

  app.add_option("--listen", listen, "address:port to serve HTTP on")
      ->envname("TENANTRY_LISTEN")
      ->capture_default_str();
  app.add_option("--io-threads", cfg.io_threads, "HTTP I/O threads")
      ->envname("TENANTRY_IO_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--kafka-brokers", cfg.kafka.brokers, "Kafka bootstrap servers")
      ->envname("TENANTRY_KAFKA_BROKERS")
      ->capture_default_str();
  app.add_option("--topic", cfg.kafka.topic, "the event topic")
      ->envname("TENANTRY_TOPIC")
      ->capture_default_str();
  app.add_option("--transactional-id", cfg.kafka.transactional_id,
                 "the writer's Kafka transactional.id: a newer writer with it fences older ones")
      ->envname("TENANTRY_TRANSACTIONAL_ID")
      ->capture_default_str();
  app.add_option("--replication-factor", cfg.kafka.replication_factor,
                 "replication factor of a topic tenantry creates")
      ->envname("TENANTRY_REPLICATION_FACTOR")
      ->capture_default_str();
  app.add_option("--min-insync-replicas", cfg.kafka.min_insync_replicas,
                 "min.insync.replicas of a topic tenantry creates")
      ->envname("TENANTRY_MIN_INSYNC_REPLICAS")
      ->capture_default_str();
  app.add_option("--database-url", cfg.database_url, "PostgreSQL connection URL")
      ->envname("TENANTRY_DATABASE_URL")
      ->capture_default_str();
  app.add_option("--schema", cfg.schema, "PostgreSQL schema of the read models")
      ->envname("TENANTRY_DB_SCHEMA")
      ->capture_default_str();
  app.add_option("--db-pool-size", cfg.db_pool_size, "PostgreSQL connections for queries")
      ->envname("TENANTRY_DB_POOL_SIZE")
      ->check(CLI::Range(1, 256))
      ->capture_default_str();
  app.add_option("--signing-key", cfg.signing_key_path,
                 "Ed25519 PEM key that signs access tokens (generated when missing)")
      ->envname("TENANTRY_SIGNING_KEY")
      ->capture_default_str();
  app.add_option("--issuer", cfg.issuer, "JWT iss")->envname("TENANTRY_JWT_ISSUER");
  app.add_option("--audience", cfg.audience, "JWT aud")->envname("TENANTRY_JWT_AUDIENCE");
  app.add_option("--access-token-ttl", access_ttl_s, "access token lifetime, seconds")
      ->envname("TENANTRY_ACCESS_TOKEN_TTL")
      ->check(CLI::Range(10, 86400))
      ->capture_default_str();
  app.add_option("--admin-email", cfg.admin_email, "bootstrap super_admin (empty log only)")
      ->envname("TENANTRY_ADMIN_EMAIL");
  app.add_option("--admin-password", cfg.admin_password, "bootstrap super_admin's password")
      ->envname("TENANTRY_ADMIN_PASSWORD");
  app.add_option("--max-depth", cfg.max_depth, "deepest tenant level allowed")
      ->envname("TENANTRY_MAX_DEPTH")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--consistency-wait-ms", consistency_wait_ms,
                 "how long a GET with X-Consistency-Token waits for the read models")
      ->envname("TENANTRY_CONSISTENCY_WAIT_MS")
      ->check(CLI::Range(0, 60000))
      ->capture_default_str();
  app.add_option("--password-hashing", password_hashing,
                 "argon2id cost: interactive (production) or minimal (tests only)")
      ->envname("TENANTRY_PASSWORD_HASHING")
      ->check(CLI::IsMember({"interactive", "minimal"}))
      ->capture_default_str();
  app.add_option("--rate-limit-requests-per-min", cfg.api.requests_per_min,
                 "requests per minute per principal (0: off)")
      ->envname("TENANTRY_RATE_LIMIT_REQUESTS_PER_MIN")
      ->capture_default_str();
  app.add_option("--rate-limit-writes-per-min", cfg.api.writes_per_min,
                 "writes per minute per principal (0: off)")
      ->envname("TENANTRY_RATE_LIMIT_WRITES_PER_MIN")
      ->capture_default_str();
  app.add_option("--rate-limit-login-failures-per-hour", cfg.api.login_failures_per_hour,
                 "failed logins per hour per account and per client address (0: off)")
      ->envname("TENANTRY_RATE_LIMIT_LOGIN_FAILURES_PER_HOUR")
      ->capture_default_str();
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error")
      ->envname("TENANTRY_LOG_LEVEL")
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return std::unexpected(app.exit(e));
  }

  const auto colon = listen.rfind(':');
  boost::system::error_code ec;
  const auto address = api::asio::ip::make_address(
      colon == std::string::npos ? std::string() : listen.substr(0, colon), ec);
  int port = -1;
  try {
    port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
  }
  if (colon == std::string::npos || ec || port < 0 || port > 65535) {
    std::fprintf(stderr, "TENANTRY_LISTEN must be address:port, e.g. 127.0.0.1:8080\n");
    return std::unexpected(2);
  }
  cfg.listen = api::tcp::endpoint(address, static_cast<unsigned short>(port));
  cfg.access_token_ttl = std::chrono::seconds(access_ttl_s);
  cfg.api.consistency_wait = std::chrono::milliseconds(consistency_wait_ms);
  cfg.api.max_depth = cfg.max_depth;
  cfg.api.password_params = password_hashing == "minimal"
                                ? api::password_hash_params::minimal()
                                : api::password_hash_params::interactive();
  spdlog::set_level(spdlog::level::from_str(log_level));
  return cfg;
}

}  // namespace tenantry
