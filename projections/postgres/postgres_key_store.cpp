#include "projections/postgres/postgres_key_store.hpp"

#include <sodium.h>
#include <pqxx/pqxx>

namespace tenantry {
namespace {

constexpr int variant = sodium_base64_VARIANT_ORIGINAL;

std::string to_base64(const std::string& bytes) {
  std::string out(sodium_base64_encoded_len(bytes.size(), variant), '\0');
  sodium_bin2base64(out.data(), out.size(), reinterpret_cast<const unsigned char*>(bytes.data()),
                    bytes.size(), variant);
  out.pop_back();  // sodium's terminating NUL
  return out;
}

std::optional<std::string> from_base64(const std::string& text) {
  std::string out(text.size(), '\0');
  std::size_t length = 0;
  if (sodium_base642bin(reinterpret_cast<unsigned char*>(out.data()), out.size(), text.data(),
                        text.size(), nullptr, &length, nullptr, variant) != 0)
    return std::nullopt;
  out.resize(length);
  return out;
}

std::unexpected<error> store_failed(const std::exception& e) {
  return fail(errc::unavailable, "key_store_unavailable",
              std::string("The data key store failed: ") + e.what());
}

}  // namespace

result<std::unique_ptr<postgres_key_store>> postgres_key_store::open(
    const std::string& database_url, const std::string& key_schema, key_encryption_key kek) {
  try {
    auto conn = std::make_unique<pqxx::connection>(database_url);
    const std::string quoted = conn->quote_name(key_schema);
    const std::string table = quoted + ".data_keys";
    pqxx::work tx(*conn);
    tx.exec0("CREATE SCHEMA IF NOT EXISTS " + quoted);
    tx.exec0("CREATE TABLE IF NOT EXISTS " + table +
             " (person text PRIMARY KEY, wrapped text NOT NULL,"
             " created_at timestamptz NOT NULL DEFAULT now())");
    tx.commit();
    return std::unique_ptr<postgres_key_store>(
        new postgres_key_store(database_url, std::move(conn), table, std::move(kek)));
  } catch (const std::exception& e) {
    return store_failed(e);
  }
}

postgres_key_store::postgres_key_store(std::string database_url,
                                       std::unique_ptr<pqxx::connection> conn, std::string table,
                                       key_encryption_key kek)
    : database_url_(std::move(database_url)),
      conn_(std::move(conn)),
      table_(std::move(table)),
      kek_(std::move(kek)) {}

pqxx::connection& postgres_key_store::connection() {
  if (!conn_ || !conn_->is_open()) conn_ = std::make_unique<pqxx::connection>(database_url_);
  return *conn_;
}

std::unexpected<error> postgres_key_store::failed(const std::exception& e) {
  conn_.reset();
  return store_failed(e);
}

result<std::optional<data_key>> postgres_key_store::read(const std::string& person) {
  pqxx::nontransaction tx(connection());
  const pqxx::result r =
      tx.exec_params("SELECT wrapped FROM " + table_ + " WHERE person = $1", person);
  if (r.empty()) return std::optional<data_key>();
  auto key = keep(person, r[0][0].as<std::string>());
  if (!key) return std::unexpected(key.error());
  return std::optional<data_key>(*key);
}

result<data_key> postgres_key_store::keep(const std::string& person, const std::string& stored) {
  const auto wrapped = from_base64(stored);
  std::optional<data_key> key;
  if (wrapped) key = kek_.unwrap(*wrapped, person);
  if (!key)
    return fail(errc::internal, "data_key_mismatch",
                "A stored data key does not unwrap with this TENANTRY_DATA_KEY_FILE.");
  cache_.insert_or_assign(person, *key);
  return *key;
}

result<data_key> postgres_key_store::key_for_sealing(std::string_view person_view) {
  std::lock_guard lock(mutex_);
  if (const auto it = cache_.find(person_view); it != cache_.end()) return it->second;
  const std::string person(person_view);
  try {
    auto stored = read(person);
    if (!stored) return std::unexpected(stored.error());
    if (*stored) return **stored;
    const data_key key = data_key::generate();
    pqxx::work tx(connection());
    // Another process may make the same person's key at the same moment: the first wins.
    tx.exec_params("INSERT INTO " + table_ +
                       " (person, wrapped) VALUES ($1, $2) ON CONFLICT (person) DO NOTHING",
                   person, to_base64(kek_.wrap(key, person)));
    tx.commit();
    auto kept = read(person);
    if (!kept) return std::unexpected(kept.error());
    if (!*kept)
      return fail(errc::unavailable, "key_store_unavailable",
                  "The data key was erased while it was made.");
    return **kept;
  } catch (const std::exception& e) {
    return failed(e);
  }
}

result<std::optional<data_key>> postgres_key_store::key_for_opening(std::string_view person) {
  std::lock_guard lock(mutex_);
  if (const auto it = cache_.find(person); it != cache_.end())
    return std::optional<data_key>(it->second);
  try {
    return read(std::string(person));
  } catch (const std::exception& e) {
    return failed(e);
  }
}

result<void> postgres_key_store::destroy(std::string_view person) {
  std::lock_guard lock(mutex_);
  try {
    pqxx::work tx(connection());
    tx.exec_params("DELETE FROM " + table_ + " WHERE person = $1", std::string(person));
    tx.commit();
  } catch (const std::exception& e) {
    return failed(e);
  }
  if (const auto it = cache_.find(person); it != cache_.end()) cache_.erase(it);
  return {};
}

result<void> postgres_key_store::destroy_before(std::string_view prefix, std::string_view bound) {
  std::lock_guard lock(mutex_);
  try {
    pqxx::work tx(connection());
    tx.exec_params("DELETE FROM " + table_ + " WHERE left(person, length($1)) = $1 AND person < $2",
                   std::string(prefix), std::string(bound));
    tx.commit();
  } catch (const std::exception& e) {
    return failed(e);
  }
  std::erase_if(cache_, [&](const auto& kv) {
    return kv.first.starts_with(prefix) && std::string_view(kv.first) < bound;
  });
  return {};
}

result<void> postgres_key_store::preload() {
  std::lock_guard lock(mutex_);
  try {
    pqxx::nontransaction tx(connection());
    for (const auto& row : tx.exec("SELECT person, wrapped FROM " + table_))
      if (auto key = keep(row[0].as<std::string>(), row[1].as<std::string>()); !key)
        return std::unexpected(key.error());
  } catch (const std::exception& e) {
    return failed(e);
  }
  return {};
}

void postgres_key_store::forget(std::string_view person) {
  std::lock_guard lock(mutex_);
  if (const auto it = cache_.find(person); it != cache_.end()) cache_.erase(it);
}

}  // namespace tenantry
