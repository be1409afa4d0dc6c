#pragma once
// The users read model: one row per registered user, without the password hash. Runs of
// user_registered become one multi-row INSERT; the lifecycle events (rarer) one prepared
// statement each, after the registrations buffered before them. Session events are
// archive-only.

#include <string>
#include <vector>

#include "events/envelope.hpp"
#include "events/event.hpp"
#include "projections/projection.hpp"

namespace tenantry {

class user_projection final : public projection {
 public:
  // The events this read model is built from.
  using reads = user_event;
  void prepare(pqxx::connection& conn) override;
  void apply(pqxx::transaction_base& tx, const recorded_event& e) override;
  void flush(pqxx::transaction_base& tx) override;
  void reset() override { registered_.clear(); }

 private:
  template <class T>
  void apply_lifecycle(pqxx::transaction_base& tx, const T& ev, std::int64_t version,
                       const std::string& at);

  struct pending_registration {
    user_registered data;
    std::int64_t version;
    timestamp time;
  };
  std::vector<pending_registration> registered_;
};

}  // namespace tenantry
