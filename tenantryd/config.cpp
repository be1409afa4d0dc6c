#include "tenantryd/config.hpp"

#include <cstdlib>
#include <fstream>

#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

namespace tenantry {
namespace {

// "address:port" (IPv6 as "[::1]:8080" or "::1:8080"), or nothing.
std::optional<api::tcp::endpoint> parse_endpoint(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos) return std::nullopt;
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  boost::system::error_code ec;
  const auto address = api::asio::ip::make_address(host, ec);
  const std::string digits = text.substr(colon + 1);
  if (ec || digits.empty() || digits.size() > 5 ||
      digits.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  const int port = std::stoi(digits);
  if (port > 65535) return std::nullopt;
  return api::tcp::endpoint(address, static_cast<unsigned short>(port));
}

}  // namespace

std::expected<tenantryd_config, int> parse_config(int argc, char** argv) {
  tenantryd_config cfg;
  CLI::App app{"tenantryd: the tenantry server (event-sourced tenant management)"};
  std::string listen = "127.0.0.1:8080";
  std::string log_level = "info";
  std::string password_hashing = "interactive";
  std::string trusted_proxies;
  std::string metrics_listen;
  int consistency_wait_ms = 5000;
  int access_ttl_s = 900;
  long long refresh_ttl_s = 30LL * 24 * 3600, refresh_family_ttl_s = 30LL * 24 * 3600;
  cfg.kafka.brokers = "127.0.0.1:39092";
  cfg.database_url = "postgresql://tenantry@127.0.0.1:35432/tenantry";

  app.add_option("--listen", listen, "address:port to serve HTTP on")
      ->envname("TENANTRY_LISTEN")
      ->capture_default_str();
  app.add_option("--io-threads", cfg.io_threads, "HTTP I/O threads")
      ->envname("TENANTRY_IO_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--cpu-threads", cfg.cpu_threads, "threads that hash and verify passwords")
      ->envname("TENANTRY_CPU_THREADS")
      ->check(CLI::Range(1, 64))
      ->capture_default_str();
  app.add_option("--cpu-queue", cfg.cpu_queue,
                 "hashing tasks running and waiting at most; beyond, 503 overloaded")
      ->envname("TENANTRY_CPU_QUEUE")
      ->check(CLI::Range(1, 100000))
      ->capture_default_str();
  app.add_option("--metrics-listen", metrics_listen,
                 "address:port to serve GET /metrics on alone (then not on --listen)")
      ->envname("TENANTRY_METRICS_LISTEN");
  app.add_option("--trusted-proxies", trusted_proxies,
                 "comma-separated CIDRs of proxies whose Forwarded/X-Forwarded-For is believed")
      ->envname("TENANTRY_TRUSTED_PROXIES");
  app.add_option("--public-url", cfg.api.public_url,
                 "the URL clients reach tenantry at (pagination links), e.g. https://t.example.com")
      ->envname("TENANTRY_PUBLIC_URL");
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
  app.add_option("--data-key-file", cfg.data_key_path,
                 "key-encryption key of personal data: 32 bytes base64 (generated when missing)")
      ->envname("TENANTRY_DATA_KEY_FILE")
      ->capture_default_str();
  app.add_option("--key-schema", cfg.key_schema,
                 "PostgreSQL schema of the data keys, one per log (default: <schema>_keys)")
      ->envname("TENANTRY_KEY_SCHEMA");
  app.add_option("--issuer", cfg.issuer, "JWT iss")->envname("TENANTRY_JWT_ISSUER");
  app.add_option("--audience", cfg.audience, "JWT aud")->envname("TENANTRY_JWT_AUDIENCE");
  app.add_option("--access-token-ttl", access_ttl_s, "access token lifetime, seconds")
      ->envname("TENANTRY_ACCESS_TOKEN_TTL")
      ->check(CLI::Range(10, 86400))
      ->capture_default_str();
  app.add_option("--refresh-token-ttl", refresh_ttl_s,
                 "how long a refresh token stays valid unused, seconds")
      ->envname("TENANTRY_REFRESH_TTL")
      ->check(CLI::Range(60LL, 365LL * 24 * 3600))
      ->capture_default_str();
  app.add_option("--refresh-family-ttl", refresh_family_ttl_s,
                 "a refresh-token family's absolute lifetime from its login, seconds")
      ->envname("TENANTRY_REFRESH_FAMILY_TTL")
      ->check(CLI::Range(60LL, 365LL * 24 * 3600))
      ->capture_default_str();
  app.add_option("--admin-email", cfg.admin_email, "bootstrap super_admin (empty log only)")
      ->envname("TENANTRY_ADMIN_EMAIL");
  // The password is never a flag (flags show in the process list): an environment variable
  // or a file.
  std::string admin_password_file;
  app.add_option("--admin-password-file", admin_password_file,
                 "file holding the bootstrap super_admin's password (or TENANTRY_ADMIN_PASSWORD)")
      ->envname("TENANTRY_ADMIN_PASSWORD_FILE");
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
  app.add_option("--log-level", log_level, "trace, debug, info, warn, error, critical, off")
      ->envname("TENANTRY_LOG_LEVEL")
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}))
      ->capture_default_str();
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return std::unexpected(app.exit(e));
  }

  auto endpoint = parse_endpoint(listen);
  if (!endpoint) {
    std::fprintf(stderr, "TENANTRY_LISTEN must be address:port, e.g. 127.0.0.1:8080\n");
    return std::unexpected(2);
  }
  cfg.listen = *endpoint;
  if (!metrics_listen.empty()) {
    cfg.metrics_listen = parse_endpoint(metrics_listen);
    if (!cfg.metrics_listen) {
      std::fprintf(stderr, "TENANTRY_METRICS_LISTEN must be address:port, e.g. 127.0.0.1:9090\n");
      return std::unexpected(2);
    }
    cfg.api.metrics_elsewhere = true;
  }
  auto proxies = api::trusted_proxies::parse(trusted_proxies);
  if (!proxies) {
    std::fprintf(stderr, "TENANTRY_TRUSTED_PROXIES: %s\n", proxies.error().c_str());
    return std::unexpected(2);
  }
  cfg.api.proxies = std::move(*proxies);
  while (!cfg.api.public_url.empty() && cfg.api.public_url.back() == '/')
    cfg.api.public_url.pop_back();
  if (!cfg.api.public_url.empty() && !cfg.api.public_url.starts_with("http://") &&
      !cfg.api.public_url.starts_with("https://")) {
    std::fprintf(stderr, "TENANTRY_PUBLIC_URL must start with http:// or https://\n");
    return std::unexpected(2);
  }
  if (const char* pw = std::getenv("TENANTRY_ADMIN_PASSWORD")) cfg.admin_password = pw;
  if (!admin_password_file.empty()) {
    std::ifstream in(admin_password_file);
    if (!in || !std::getline(in, cfg.admin_password)) {
      std::fprintf(stderr, "cannot read TENANTRY_ADMIN_PASSWORD_FILE %s\n",
                   admin_password_file.c_str());
      return std::unexpected(2);
    }
  }
  if (!cfg.admin_password.empty())
    if (auto problem = api::new_password_problem(cfg.admin_password)) {
      std::fprintf(stderr, "the bootstrap admin's password %s\n", problem->c_str());
      return std::unexpected(2);
    }
  cfg.access_token_ttl = std::chrono::seconds(access_ttl_s);
  cfg.api.refresh_ttl = std::chrono::seconds(refresh_ttl_s);
  cfg.api.refresh_family_ttl = std::chrono::seconds(refresh_family_ttl_s);
  cfg.api.consistency_wait = std::chrono::milliseconds(consistency_wait_ms);
  cfg.api.max_depth = cfg.max_depth;
  cfg.api.password_params = password_hashing == "minimal"
                                ? api::password_hash_params::minimal()
                                : api::password_hash_params::interactive();
  spdlog::set_level(spdlog::level::from_str(log_level));
  return cfg;
}

}  // namespace tenantry
