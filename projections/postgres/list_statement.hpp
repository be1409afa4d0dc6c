#pragma once
// A list query built from only the filters a request sets: each combination of filters
// and ordering is its own small statement, named after it and prepared once per
// connection. One statement with every filter as an optional parameter is planned anew on
// every request, and planning it cost more than running it (docs/performance.md).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pqxx/connection>
#include <pqxx/result>
#include <pqxx/transaction_base>

namespace tenantry {

// An ORDER BY clause and the short code that names it in statement names.
struct list_order {
  std::string code;
  std::string clause;
};

class list_statement {
 public:
  // `columns` is the SELECT list, `from` the FROM clause (" FROM tenants t").
  list_statement(std::string name, std::string columns, std::string from);

  // Adds `condition` (ANDed). It refers to its parameter as $N, if it has one; `code`
  // names the kind of condition, one letter each, so a name stands for one statement.
  void where(char code, const std::string& condition,
             std::optional<std::string> parameter = std::nullopt);

  std::int64_t count(pqxx::connection& conn, pqxx::transaction_base& tx) const;
  pqxx::result page(pqxx::connection& conn, pqxx::transaction_base& tx, const list_order& order,
                    int limit, std::int64_t offset) const;
  // The page and the count in one pass (the count as the rows' last column), for
  // conditions that already visit every match to sort them, like a search. A page past
  // the end has no rows to carry the count: the count is then asked on its own.
  std::pair<pqxx::result, std::int64_t> page_and_count(pqxx::connection& conn,
                                                       pqxx::transaction_base& tx,
                                                       const list_order& order, int limit,
                                                       std::int64_t offset) const;

 private:
  std::string paging() const;  // LIMIT and OFFSET, after the conditions' parameters
  std::vector<std::string> with_paging(int limit, std::int64_t offset) const;

  std::string name_;
  std::string columns_;
  std::string from_;
  std::string where_;
  std::string codes_;
  std::vector<std::string> params_;
};

}  // namespace tenantry
