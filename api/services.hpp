#pragma once
// What the HTTP layer is wired to: the writer, the read side, the token machinery and the
// settings. Built once by the composition root (tenantryd's main).

#include <atomic>
#include <chrono>
#include <memory>
#include <string>

#include "api/auth/jwt.hpp"
#include "api/auth/password_hash.hpp"
#include "api/auth/user_standing_cache.hpp"
#include "api/http/asio.hpp"
#include "api/http/client_address.hpp"
#include "api/http/cpu_pool.hpp"
#include "api/http/rate_limiter.hpp"
#include "api/http/request_metrics.hpp"
#include "commands/command_processor.hpp"
#include "projections/postgres/postgres_pool.hpp"
#include "projections/projector.hpp"

namespace tenantry::api {

struct api_settings {
  std::chrono::milliseconds consistency_wait{5000};  // X-Consistency-Token waits at most this
  std::chrono::seconds refresh_ttl{std::chrono::hours(24 * 30)};
  // A refresh-token family ends this long after its login, however often it is refreshed.
  std::chrono::seconds refresh_family_ttl{std::chrono::hours(24 * 30)};
  password_hash_params password_params = password_hash_params::interactive();
  int max_depth = 10;
  // 0 turns a limit off.
  std::uint32_t requests_per_min = 100;
  std::uint32_t writes_per_min = 30;
  std::uint32_t login_failures_per_hour = 20;
  // Peers whose Forwarded / X-Forwarded-For headers are believed (api/http/client_address.hpp).
  trusted_proxies proxies;
  // Where clients reach tenantry, without a trailing slash ("https://t.example.com"); the
  // pagination links start with it. Empty: the request's Host header.
  std::string public_url;
  // GET /metrics is served on its own listener (TENANTRY_METRICS_LISTEN), not this one.
  bool metrics_elsewhere = false;
};

// The rate limits of api.md, built from the settings.
struct rate_limits {
  explicit rate_limits(const api_settings& s)
      : requests(s.requests_per_min, std::chrono::minutes(1)),
        writes(s.writes_per_min, std::chrono::minutes(1)),
        login_failures(s.login_failures_per_hour, std::chrono::hours(1)),
        account_failures(s.login_failures_per_hour == 0 ? 0 : 1'000'000, std::chrono::hours(1)) {}
  rate_limiter requests;  // per principal (or client address before login)
  rate_limiter writes;    // POST, PUT, PATCH, DELETE per principal
  // Password tries per (account, client address) and per client address: a hard limit.
  rate_limiter login_failures;
  // Failed password tries per account, from anywhere: they only delay the next try
  // (api/auth/password_attempt.hpp), so strangers cannot lock an owner out.
  rate_limiter account_failures;
};

struct services {
  command_processor& writer;
  postgres_pool& db;
  const projector& read_side;
  const jwt_signer& signer;
  const jwt_verifier& verifier;
  cpu_pool& cpu;  // password hashing and other CPU-heavy work, its queue bounded
  api_settings settings;
  clock_fn clock = system_now;
  // Set once start-up work outside the writer and projector is done (the bootstrap admin);
  // /readyz waits for it. Null: nothing to wait for.
  const std::atomic<bool>* started = nullptr;
  rate_limits* limits = nullptr;  // null: no rate limits
  // Users' standing as authentication last read it (api/auth/user_standing.cpp).
  std::shared_ptr<user_standing_cache> standings = std::make_shared<user_standing_cache>(10000);
  // What GET /metrics reports about the HTTP traffic.
  std::shared_ptr<request_metrics> metrics = std::make_shared<request_metrics>();
};

}  // namespace tenantry::api
