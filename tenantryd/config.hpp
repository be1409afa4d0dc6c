#pragma once
// tenantryd's settings: each a TENANTRY_* environment variable or a flag (flags win).

#include <chrono>
#include <expected>
#include <optional>
#include <string>

#include "api/http/asio.hpp"
#include "api/services.hpp"
#include "events/kafka/kafka_event_log.hpp"

namespace tenantry {

struct tenantryd_config {
  api::tcp::endpoint listen;
  std::optional<api::tcp::endpoint> metrics_listen;  // /metrics on its own listener
  unsigned io_threads = 2;
  std::size_t cpu_threads = 2;  // password hashing
  std::size_t cpu_queue = 64;   // hashing tasks running and waiting; more is 503 overloaded
  kafka_config kafka;
  std::string database_url;
  std::string schema = "tenantry";
  std::size_t db_pool_size = 4;
  std::string signing_key_path = "var/signing-key.pem";
  // The KEK wrapping crypto-shredding's data keys (docs/privacy.md); generated when missing.
  std::string data_key_path = "var/data-key";
  // Where the data keys are kept: the same for every read-model schema of one log. Empty:
  // "<schema>_keys".
  std::string key_schema;
  std::string issuer = "tenantry";
  std::string audience = "tenantry";
  std::chrono::seconds access_token_ttl{900};
  std::string admin_email;
  std::string admin_password;
  int max_depth = 10;
  api::api_settings api;
};

// The configuration, or the process exit code when parsing ended (help, bad input).
std::expected<tenantryd_config, int> parse_config(int argc, char** argv);

}  // namespace tenantry
