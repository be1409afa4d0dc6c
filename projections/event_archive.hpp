#pragma once
// The events table: every event the projector saw, undecoded, keyed by its log offset.

#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/dbtransaction>
#include <pqxx/transaction_base>

#include "events/envelope.hpp"

namespace tenantry {

// Writes the batch with COPY; should a position or event id be archived already, the
// whole batch goes again through an INSERT that leaves existing rows as they are.
void archive_events(pqxx::dbtransaction& tx, const std::vector<stored_event>& batch);

// The archived events of one aggregate (by subject), oldest first, up to and including
// position `up_to`.
std::vector<stored_event> archived_history(pqxx::transaction_base& tx, const std::string& subject,
                                           std::int64_t up_to);

}  // namespace tenantry
