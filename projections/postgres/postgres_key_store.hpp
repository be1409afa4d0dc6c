#pragma once
// The key store of crypto-shredding in PostgreSQL: table data_keys of its own schema (by
// default "<read-model schema>_keys"), which a rebuild of the read models never drops, one row per
// person holding their data key wrapped by the KEK. Erasure is a DELETE: gone for every
// reader at its commit (docs/privacy.md, why not a compacted topic). Keys read are cached.

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <pqxx/connection>

#include "events/privacy/key_store.hpp"

namespace tenantry {

class postgres_key_store final : public key_store {
 public:
  // Connects and creates `key_schema` and its table when missing. The keys are the log's:
  // every read-model schema built from one log must use the same key schema.
  static result<std::unique_ptr<postgres_key_store>> open(const std::string& database_url,
                                                          const std::string& key_schema,
                                                          key_encryption_key kek);

  result<data_key> key_for_sealing(std::string_view person) override;
  result<std::optional<data_key>> key_for_opening(std::string_view person) override;
  result<void> destroy(std::string_view person) override;
  result<void> destroy_before(std::string_view prefix, std::string_view bound) override;
  void forget(std::string_view person) override;
  // Reads every key into the cache in one query: a writer rebuilding from a log that
  // names many people asks PostgreSQL once, not once per person.
  result<void> preload();

  // The key schema of a deployment whose (live) read-model schema is `schema`.
  static std::string schema_of(const std::string& schema) { return schema + "_keys"; }

 private:
  postgres_key_store(std::string database_url, std::unique_ptr<pqxx::connection> conn,
                     std::string table, key_encryption_key kek);
  // The connection, opened again when PostgreSQL dropped it; the mutex is held.
  pqxx::connection& connection();
  // Reads the person's key from the table (nullopt: no row); the mutex is held.
  result<std::optional<data_key>> read(const std::string& person);
  // Unwraps a key as stored (base64) and caches it; the mutex is held.
  result<data_key> keep(const std::string& person, const std::string& stored);
  // What a failed call returns; the connection is dropped, to be opened again next time.
  std::unexpected<error> failed(const std::exception& e);

  std::mutex mutex_;
  const std::string database_url_;
  std::unique_ptr<pqxx::connection> conn_;
  std::string table_;  // quoted schema.data_keys
  key_encryption_key kek_;
  // Bounded by the people the log names: one entry per person whose fields were read.
  std::map<std::string, data_key, std::less<>> cache_;
};

}  // namespace tenantry
