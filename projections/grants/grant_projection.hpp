#pragma once
// The object permission grants read model, one statement per event (they are rare next
// to tenant events).

#include "events/envelope.hpp"
#include "events/event.hpp"
#include "projections/projection.hpp"

namespace tenantry {

class grant_projection final : public unbuffered_projection {
 public:
  // The events this read model is built from.
  using reads = grant_event;
  void prepare(pqxx::connection& conn) override;
  void apply(pqxx::transaction_base& tx, const recorded_event& e) override;
};

}  // namespace tenantry
