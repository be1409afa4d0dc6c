#pragma once
// The tenants read model: rows with their place in the hierarchy (ltree path, level) and
// the effective status they inherit. Work is buffered and written set-wise at flush():
// runs of tenant_created become one INSERT, the columns that updates, lifecycle changes
// and deletes set on existing rows one UPDATE (last writer wins per column), and the
// effective status of every subtree whose root changed status one more UPDATE. A move, a
// restore and a slug change flush first and run on their own, in log order. Feature flags
// are rows of their own table, written as their events come.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "events/envelope.hpp"
#include "events/event.hpp"
#include "projections/projection.hpp"

namespace tenantry {

class tenant_projection final : public projection {
 public:
  // The events this read model is built from.
  using reads = tenant_event;
  void prepare(pqxx::connection& conn) override;
  void apply(pqxx::transaction_base& tx, const recorded_event& e) override;
  void flush(pqxx::transaction_base& tx) override;
  void reset() override;

 private:
  // What a run of events sets on one row; every event sets version and updated_at.
  struct pending_change {
    std::optional<std::string> name, description, status;
    std::optional<std::string> metadata;       // the whole new map, as JSON
    std::optional<std::string> configuration;  // the whole new object, as JSON
    bool deleted = false;
    std::string deleted_at, deletion_id;
    std::int64_t version = 0;
    std::string updated_at;
  };
  struct pending_creation {
    tenant_created data;
    std::int64_t version;
    timestamp time;
  };

  pending_change& change_of(const std::string& id, const recorded_event& e);
  void apply_update(pqxx::transaction_base& tx, const recorded_event& e, const tenant_updated& u);
  void apply_move(pqxx::transaction_base& tx, const recorded_event& e, const tenant_moved& m);
  void apply_restore(pqxx::transaction_base& tx, const recorded_event& e, const tenant_restored& r);
  void flush_creations(pqxx::transaction_base& tx);
  void flush_changes(pqxx::transaction_base& tx);

  std::vector<pending_creation> created_;
  std::vector<std::pair<std::string, pending_change>> changes_;  // first-change order
  std::unordered_map<std::string, std::size_t> change_at_;       // id -> index in changes_
  std::vector<std::string> status_changed_;                      // ids, each once
  std::unordered_set<std::string> status_changed_set_;
};

}  // namespace tenantry
