#pragma once
// The users read model: one row per registered user, without the password hash.
// Runs of user_registered become one multi-row INSERT. Session events are archive-only.

#include <vector>

#include "events/envelope.hpp"
#include "projections/projection.hpp"

namespace tenantry {

class user_projection final : public projection {
 public:
  void prepare(pqxx::connection&) override {}
  void apply(pqxx::transaction_base& tx, const recorded_event& e) override;
  void flush(pqxx::transaction_base& tx) override;
  void reset() override { registered_.clear(); }

 private:
  struct pending_registration {
    user_registered data;
    std::int64_t version;
    timestamp time;
  };
  std::vector<pending_registration> registered_;
};

}  // namespace tenantry
