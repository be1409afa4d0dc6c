#pragma once
// List conventions: ?page= (from 1), ?page_size= (alias limit; default 20, capped at 200),
// and the {"count", "next", "previous", "results"} envelope with absolute page links.

#include <nlohmann/json.hpp>

#include "api/http/request_context.hpp"
#include "api/http/responses.hpp"
#include "events/result.hpp"

namespace tenantry::api {

struct paging {
  int page = 1;
  int page_size = 20;
};

inline constexpr int default_page_size = 20;
inline constexpr int max_list_page_size = 200;

result<paging> read_paging(const request_context& ctx);

// An integer query parameter within [min, max]; absent -> nullopt; anything else -> 400.
result<std::optional<int>> int_param(const request_context& ctx, std::string_view name, int min,
                                     int max);
// "true"/"false"/"1"/"0"; absent -> fallback; anything else -> 400.
result<bool> bool_param(const request_context& ctx, std::string_view name, bool fallback);

nlohmann::json page_envelope(const request_context& ctx, const paging& p, std::int64_t count,
                             nlohmann::json results);

// 200 with the envelope around a page of a list query ({count, rows}), each row as
// `show` represents it.
template <class Page, class Show>
response page_response(const request_context& ctx, const paging& p, const Page& page, Show show) {
  nlohmann::json results = nlohmann::json::array();
  for (const auto& row : page.rows) results.push_back(show(row));
  return json_response(200, page_envelope(ctx, p, page.count, std::move(results)));
}

}  // namespace tenantry::api
