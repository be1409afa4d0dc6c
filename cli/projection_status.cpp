#include "cli/projection_status.hpp"

#include <pqxx/nontransaction>
#include <pqxx/result>

#include "projections/postgres/postgres_error.hpp"

namespace tenantry::cli {
namespace {

const std::string kSchemaPresent = "SELECT 1 FROM pg_namespace WHERE nspname = $1";

std::string standings_sql(pqxx::connection& conn, const std::string& schema) {
  const std::string s = conn.quote_name(schema);
  return "SELECT o.projection, o.next_offset, f.event_offset, coalesce(f.event_id, ''),"
         " coalesce(f.type, ''), coalesce(f.message, ''), coalesce(f.detected_at::text, '')"
         " FROM " +
         s + ".projection_offsets o LEFT JOIN " + s +
         ".projection_faults f ON f.projection = o.projection ORDER BY o.projection";
}

}  // namespace

result<std::vector<projector_standing>> projector_standings(const std::string& database_url,
                                                            const std::string& schema) {
  try {
    pqxx::connection conn(database_url);
    pqxx::nontransaction tx(conn);
    if (tx.exec_params(kSchemaPresent, schema).empty())
      return fail(errc::not_found, "schema_not_found", "No schema " + schema + ".");
    std::vector<projector_standing> out;
    for (const auto& r : tx.exec(standings_sql(conn, schema))) {
      projector_standing p;
      p.projection = r[0].as<std::string>();
      p.next_offset = r[1].as<std::int64_t>();
      if (!r[2].is_null()) p.fault_offset = r[2].as<std::int64_t>();
      p.fault_event_id = r[3].as<std::string>();
      p.fault_type = r[4].as<std::string>();
      p.fault_message = r[5].as<std::string>();
      p.fault_detected_at = r[6].as<std::string>();
      out.push_back(std::move(p));
    }
    return out;
  } catch (...) {
    return std::unexpected(current_database_error());
  }
}

std::string render(const std::vector<projector_standing>& standings) {
  std::string out;
  for (const projector_standing& p : standings) {
    out += p.projection + ": next offset " + std::to_string(p.next_offset) + "\n";
    if (p.fault_offset)
      out += "  stopped at offset " + std::to_string(*p.fault_offset) + " (" + p.fault_type +
             ", event " + p.fault_event_id + ", since " + p.fault_detected_at +
             "): " + p.fault_message + "\n";
  }
  return out;
}

}  // namespace tenantry::cli
