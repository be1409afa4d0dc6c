#pragma once
// Where integration and end-to-end tests find the real Kafka broker and PostgreSQL.
// infra/test.sh exports TENANTRY_KAFKA_BROKERS and TENANTRY_DATABASE_URL; the defaults
// are infra/env.sh's loopback ports. A missing dependency fails the test, never skips it.

#include <cstdlib>
#include <string>

#include "events/ids.hpp"

namespace tenantry::testing {

inline std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::string(v) : std::string(fallback);
}

inline std::string kafka_brokers() { return env_or("TENANTRY_KAFKA_BROKERS", "127.0.0.1:39092"); }

inline std::string database_url() {
  return env_or("TENANTRY_DATABASE_URL", "postgresql://tenantry@127.0.0.1:35432/tenantry");
}

// A fresh name per test run, so runs never see each other's topics or schemas.
inline std::string unique_name(const std::string& prefix) {
  std::string id = new_uuid_v7();
  std::string compact;
  for (char c : id)
    if (c != '-') compact.push_back(c);
  return prefix + "_" + compact.substr(compact.size() - 16);
}

}  // namespace tenantry::testing
