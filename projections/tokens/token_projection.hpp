#pragma once
// The API tokens read model (migration 0007): one row per token with its secret's hash,
// never the secret. One statement per event (tokens are rare next to tenant events).

#include "events/envelope.hpp"
#include "events/event.hpp"
#include "projections/projection.hpp"

namespace tenantry {

class token_projection final : public unbuffered_projection {
 public:
  // The events this read model is built from.
  using reads = token_event;
  void prepare(pqxx::connection& conn) override;
  void apply(pqxx::transaction_base& tx, const recorded_event& e) override;
};

}  // namespace tenantry
