#pragma once
// One read model, as the projector drives it: inside the projector's transaction it sees
// every decoded event of a batch in log order, and may buffer work until flush().

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "events/envelope.hpp"

namespace tenantry {

class projection {
 public:
  virtual ~projection() = default;
  // Registers prepared statements on a new connection.
  virtual void prepare(pqxx::connection& conn) = 0;
  // Applies (or buffers) one event; events of other read models are ignored.
  // The events archive already holds the whole batch when this runs.
  virtual void apply(pqxx::transaction_base& tx, const recorded_event& e) = 0;
  // Writes whatever apply() buffered; called before the transaction commits.
  virtual void flush(pqxx::transaction_base& tx) = 0;
  // Drops buffered work after a failed transaction.
  virtual void reset() = 0;
};

// A read model whose apply() writes each event at once (one statement per event, for
// events that are rare next to tenant events): nothing is buffered, so nothing to flush
// or drop.
class unbuffered_projection : public projection {
 public:
  void flush(pqxx::transaction_base&) final {}
  void reset() final {}
};

}  // namespace tenantry
