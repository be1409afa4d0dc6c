#pragma once
// Shared by the projection integration tests: a fresh schema per test in the real
// PostgreSQL, an event script that appends tenant and user events to a memory_event_log,
// and a projector running on its own thread.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>
#include <pqxx/nontransaction>
#include <pqxx/result>

#include "events/memory_event_log.hpp"
#include "projections/migrations.hpp"
#include "projections/projector.hpp"
#include "projections/users/user_queries.hpp"
#include "test_env.hpp"

namespace tenantry::testing {

// Connects to the test database with the search_path on `schema`; a failure fails the test.
inline std::unique_ptr<pqxx::connection> connect_to(const std::string& schema) {
  auto conn = std::make_unique<pqxx::connection>(database_url());
  auto used = use_schema(*conn, schema);
  EXPECT_TRUE(used) << used.error().message;
  return conn;
}

// A migrated schema of its own, dropped at the end of the test.
class schema_under_test {
 public:
  explicit schema_under_test(const std::string& prefix = "proj")
      : name_(unique_name(prefix)), conn_(std::make_unique<pqxx::connection>(database_url())) {
    auto migrated = migrate(*conn_, name_);
    EXPECT_TRUE(migrated) << migrated.error().message;
  }
  ~schema_under_test() {
    try {
      pqxx::connection admin(database_url());
      pqxx::nontransaction tx(admin);
      tx.exec("DROP SCHEMA IF EXISTS " + admin.quote_name(name_) + " CASCADE");
    } catch (const std::exception& e) {
      ADD_FAILURE() << "dropping schema " << name_ << ": " << e.what();
    }
  }
  const std::string& name() const { return name_; }
  pqxx::connection& conn() { return *conn_; }

  pqxx::result query(const std::string& sql) {
    pqxx::nontransaction tx(*conn_);
    return tx.exec(sql);
  }
  std::int64_t count(const std::string& sql) { return query(sql)[0][0].as<std::int64_t>(); }

 private:
  std::string name_;
  std::unique_ptr<pqxx::connection> conn_;
};

// Appends events the way the writer would: one aggregate version per aggregate, a clock
// that advances one second per event, the root organization as partition key.
class event_script {
 public:
  explicit event_script(memory_event_log& log) : log_(log) {}

  timestamp now() const { return now_; }

  std::string create(const std::string& name, const std::optional<std::string>& parent = {},
                     std::string slug = {}) {
    const std::string id = new_uuid_v7();
    if (slug.empty()) slug = slugify(name);
    tenant_created e{tenant_id{id}, slug, name, "about " + name, std::nullopt};
    if (parent) e.parent = tenant_id{*parent};
    roots_[id] = parent ? roots_.at(*parent) : id;
    append(id, "tenant", e);
    return id;
  }
  void update(const std::string& id, std::optional<std::string> name,
              std::optional<std::string> description = {}, std::optional<std::string> slug = {}) {
    append(id, "tenant", tenant_updated{tenant_id{id}, name, description, slug});
  }
  void move(const std::string& id, const std::optional<std::string>& from,
            const std::optional<std::string>& to) {
    tenant_moved e{tenant_id{id}, {}, {}};
    if (from) e.from_parent = tenant_id{*from};
    if (to) e.to_parent = tenant_id{*to};
    roots_[id] = to ? roots_.at(*to) : id;
    append(id, "tenant", e);
  }
  void suspend(const std::string& id) {
    append(id, "tenant", tenant_suspended{tenant_id{id}, "x"});
  }
  void resume(const std::string& id) { append(id, "tenant", tenant_resumed{tenant_id{id}, "x"}); }
  void activate(const std::string& id) {
    append(id, "tenant", tenant_activated{tenant_id{id}, "x"});
  }
  void deactivate(const std::string& id) {
    append(id, "tenant", tenant_deactivated{tenant_id{id}, "x"});
  }
  void remove(const std::string& id, const std::string& deletion_id, const std::string& via) {
    append(id, "tenant", tenant_deleted{tenant_id{id}, deletion_id, tenant_id{via}});
  }
  void restore(const std::string& id, const std::string& deletion_id) {
    append(id, "tenant", tenant_restored{tenant_id{id}, deletion_id});
  }
  std::string register_user(const std::string& email, const std::string& name,
                            std::vector<std::string> roles = {}) {
    const std::string id = new_uuid_v7();
    append(id, "user",
           user_registered{user_id{id}, email, name, "$argon2id$secret-hash", std::move(roles)});
    return id;
  }
  void start_session(const std::string& user) {
    const std::string id = new_uuid_v7();
    append(id, "session",
           session_started{session_id{id}, user_id{user}, "hash", now_ + std::chrono::hours(1)});
  }

  // Any other event, of the aggregate `id` of type `type`.
  void record(const std::string& id, const std::string& type, event data) {
    append(id, type, std::move(data));
  }

  // The offset of the last appended event.
  std::int64_t last_offset() const { return last_offset_; }

 private:
  static std::string slugify(const std::string& name) {
    std::string out;
    for (char c : name) out.push_back(c == ' ' ? '-' : static_cast<char>(std::tolower(c)));
    return out;
  }

  void append(const std::string& id, const std::string& type, event data) {
    now_ += std::chrono::milliseconds(1001);
    recorded_event e;
    e.meta.event_id = new_uuid_v7();
    e.meta.subject = id;
    e.meta.aggregate_type = type;
    e.meta.aggregate_version = ++versions_[id];
    e.meta.time = now_;
    e.meta.actor = "system";
    e.meta.correlation_id = "req-" + std::to_string(versions_.size());
    e.meta.partition_key = roots_.contains(id) ? roots_.at(id) : id;
    e.data = std::move(data);
    auto offsets = log_.append({e});
    EXPECT_TRUE(offsets) << offsets.error().message;
    if (offsets) last_offset_ = offsets->back();
  }

  memory_event_log& log_;
  timestamp now_ = timestamp{std::chrono::sys_days{std::chrono::year{2026} / 1 / 1}};
  std::map<std::string, std::int64_t> versions_;
  std::map<std::string, std::string> roots_;
  std::int64_t last_offset_ = -1;
};

// A projector on its own thread, stopped and joined at the end of its scope.
class running_projector {
 public:
  running_projector(event_subscriber& log, const std::string& schema,
                    projector_options options = {})
      : projector_(log, database_url(), schema, std::move(options)),
        thread_([this](std::stop_token stop) { projector_.run(stop); }) {}
  ~running_projector() { stop(); }

  void stop() {
    if (thread_.joinable()) {
      thread_.request_stop();
      thread_.join();
    }
  }
  projector& get() { return projector_; }
  // Waits until everything up to `offset` is visible; fails the test on timeout.
  void await(std::int64_t offset, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    ASSERT_TRUE(projector_.wait_for(offset, timeout))
        << "projector stuck at " << projector_.position() << ", waiting for " << offset;
  }

 private:
  projector projector_;
  std::jthread thread_;
};

// Every column of every tenant row as text, ordered by id: equal dumps, equal read models.
// The emails of a page of users, in its order.
inline std::vector<std::string> emails(const user_page& page) {
  std::vector<std::string> out;
  for (const auto& u : page.rows) out.push_back(u.email);
  return out;
}

inline std::vector<std::vector<std::string>> dump_tenants(pqxx::connection& conn) {
  pqxx::nontransaction tx(conn);
  std::vector<std::vector<std::string>> out;
  for (const auto& row :
       tx.exec("SELECT id::text, slug, name, description, parent_id::text, level::text, path::text,"
               " status, effective_status, is_deleted::text, deleted_at::text, deletion_id,"
               " version::text, created_at::text, updated_at::text, metadata::text,"
               " configuration::text"
               " FROM tenants ORDER BY id")) {
    std::vector<std::string> cells;
    for (const auto& f : row) cells.push_back(f.is_null() ? "<null>" : f.as<std::string>());
    out.push_back(std::move(cells));
  }
  return out;
}

}  // namespace tenantry::testing
