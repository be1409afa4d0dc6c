#pragma once
// The groups read models: groups with their members, and object permission grants, one
// statement per event (they are rare next to tenant events).

#include "events/envelope.hpp"
#include "projections/projection.hpp"

namespace tenantry {

class group_projection final : public unbuffered_projection {
 public:
  void prepare(pqxx::connection& conn) override;
  void apply(pqxx::transaction_base& tx, const recorded_event& e) override;
};

}  // namespace tenantry
