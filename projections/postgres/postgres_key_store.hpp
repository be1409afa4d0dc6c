#pragma once
// The key store of crypto-shredding in PostgreSQL: table data_keys of its own schema
// ("<read-model schema>_keys"), which a rebuild of the read models never drops, one row per
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
  // Connects and creates the schema and table when missing; `schema` is the read models'.
  static result<std::unique_ptr<postgres_key_store>> open(const std::string& database_url,
                                                          const std::string& schema,
                                                          key_encryption_key kek);

  result<data_key> key_for_sealing(std::string_view person) override;
  result<std::optional<data_key>> key_for_opening(std::string_view person) override;
  result<void> destroy(std::string_view person) override;
  void forget(std::string_view person) override;

  // The schema the keys live in, for `schema`.
  static std::string schema_of(const std::string& schema) { return schema + "_keys"; }

 private:
  postgres_key_store(std::unique_ptr<pqxx::connection> conn, std::string table,
                     key_encryption_key kek);
  // Reads the person's key from the table (nullopt: no row); the mutex is held.
  result<std::optional<data_key>> read(const std::string& person);

  std::mutex mutex_;
  std::unique_ptr<pqxx::connection> conn_;
  std::string table_;  // quoted schema.data_keys
  key_encryption_key kek_;
  // Bounded by the people the log names: one entry per person whose fields were read.
  std::map<std::string, data_key, std::less<>> cache_;
};

}  // namespace tenantry
