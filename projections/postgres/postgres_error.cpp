#include "projections/postgres/postgres_error.hpp"

#include <pqxx/except>

namespace tenantry {

namespace {

// SQLSTATE classes that say "try again later" rather than "this is a bug":
// 08 connection exception, 40 transaction rollback, 53 insufficient resources,
// 57 operator intervention (shutdown, cancel).
bool transient_sqlstate(const std::string& state) {
  if (state.size() < 2) return false;
  const std::string cls = state.substr(0, 2);
  return cls == "08" || cls == "40" || cls == "53" || cls == "57";
}

error unavailable(const std::string& what) {
  return error{errc::unavailable, "database_unavailable", "The database is unavailable: " + what};
}

}  // namespace

error current_database_error() {
  try {
    throw;
  } catch (const pqxx::broken_connection& e) {
    return unavailable(e.what());
  } catch (const pqxx::transaction_rollback& e) {
    return unavailable(e.what());
  } catch (const pqxx::in_doubt_error& e) {
    return unavailable(e.what());
  } catch (const pqxx::sql_error& e) {
    if (transient_sqlstate(e.sqlstate())) return unavailable(e.what());
    return error{errc::internal, "database_error", e.what()};
  } catch (const std::exception& e) {
    return error{errc::internal, "database_error", e.what()};
  } catch (...) {
    return error{errc::internal, "database_error", "unknown exception"};
  }
}

}  // namespace tenantry
