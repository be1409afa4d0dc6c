#pragma once
// The tenants read model: rows with their place in the hierarchy (ltree path, level) and
// the effective status they inherit. Runs of tenant_created become one multi-row INSERT;
// a restore rebuilds the row from the tenant's own events in the archive.

#include <vector>

#include "events/envelope.hpp"
#include "projections/projection.hpp"

namespace tenantry {

class tenant_projection final : public projection {
 public:
  void prepare(pqxx::connection& conn) override;
  void apply(pqxx::transaction_base& tx, const recorded_event& e) override;
  void flush(pqxx::transaction_base& tx) override;
  void reset() override { created_.clear(); }

 private:
  void apply_update(pqxx::transaction_base& tx, const recorded_event& e, const tenant_updated& u);
  void apply_move(pqxx::transaction_base& tx, const recorded_event& e, const tenant_moved& m);
  void apply_status(pqxx::transaction_base& tx, const recorded_event& e, const tenant_id& id,
                    const std::string& status);
  void apply_delete(pqxx::transaction_base& tx, const recorded_event& e, const tenant_deleted& d);
  void apply_restore(pqxx::transaction_base& tx, const recorded_event& e, const tenant_restored& r);

  struct pending_creation {
    tenant_created data;
    std::int64_t version;
    timestamp time;
  };
  std::vector<pending_creation> created_;
};

}  // namespace tenantry
