#include "projections/postgres/list_statement.hpp"

#include <pqxx/prepared_statement>

namespace tenantry {

list_statement::list_statement(std::string name, std::string columns, std::string from)
    : name_(std::move(name)), columns_(std::move(columns)), from_(std::move(from)) {}

void list_statement::where(char code, const std::string& condition,
                           std::optional<std::string> parameter) {
  std::string c = condition;
  if (parameter) {
    params_.push_back(std::move(*parameter));
    if (const auto at = c.find("$N"); at != std::string::npos)
      c.replace(at, 2, "$" + std::to_string(params_.size()));
  }
  where_ += (where_.empty() ? " WHERE " : " AND ") + c;
  codes_ += code;
}

std::int64_t list_statement::count(pqxx::connection& conn, pqxx::transaction_base& tx) const {
  const std::string statement = name_ + "_count_" + codes_;
  conn.prepare(statement, "SELECT count(*)" + from_ + where_);
  return tx.exec_prepared1(statement, pqxx::prepare::make_dynamic_params(params_))[0]
      .as<std::int64_t>();
}

pqxx::result list_statement::page(pqxx::connection& conn, pqxx::transaction_base& tx,
                                  const list_order& order, int limit, std::int64_t offset) const {
  const std::string statement = name_ + "_page_" + codes_ + "_" + order.code;
  conn.prepare(statement, columns_ + from_ + where_ + order.clause + paging());
  return tx.exec_prepared(statement,
                          pqxx::prepare::make_dynamic_params(with_paging(limit, offset)));
}

std::pair<pqxx::result, std::int64_t> list_statement::page_and_count(pqxx::connection& conn,
                                                                     pqxx::transaction_base& tx,
                                                                     const list_order& order,
                                                                     int limit,
                                                                     std::int64_t offset) const {
  // The matches first, then their order: left to itself the planner may walk an index in
  // the wanted order and filter row by row, which reads most of the table when the matches
  // sit together in that order (a search for one tree's number: 187 ms instead of 0.6).
  const std::string statement = name_ + "_counted_" + codes_ + "_" + order.code;
  conn.prepare(statement, "WITH t AS MATERIALIZED (SELECT t.*" + from_ + where_ + ") " + columns_ +
                              ", count(*) OVER () FROM t" + order.clause + paging());
  pqxx::result rows =
      tx.exec_prepared(statement, pqxx::prepare::make_dynamic_params(with_paging(limit, offset)));
  if (rows.empty()) return {std::move(rows), offset == 0 ? 0 : count(conn, tx)};
  const auto total = rows[0][rows.columns() - 1].as<std::int64_t>();
  return {std::move(rows), total};
}

std::string list_statement::paging() const {
  const std::size_t n = params_.size();
  return " LIMIT $" + std::to_string(n + 1) + " OFFSET $" + std::to_string(n + 2);
}

std::vector<std::string> list_statement::with_paging(int limit, std::int64_t offset) const {
  std::vector<std::string> params = params_;
  params.push_back(std::to_string(limit));
  params.push_back(std::to_string(offset));
  return params;
}

}  // namespace tenantry
