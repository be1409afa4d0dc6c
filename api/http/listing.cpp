#include "api/http/listing.hpp"

#include <charconv>

#include <boost/url/url.hpp>

namespace tenantry::api {

result<std::optional<int>> int_param(const request_context& ctx, std::string_view name, int min,
                                     int max) {
  const auto raw = ctx.query(name);
  if (!raw) return std::optional<int>();
  int value = 0;
  const auto [end, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), value);
  if (ec != std::errc() || end != raw->data() + raw->size() || value < min || value > max)
    return fail(errc::invalid_argument, "validation_error",
                std::string(name) + " must be an integer from " + std::to_string(min) + " to " +
                    std::to_string(max) + ".",
                {{std::string(name), "out of range"}});
  return std::optional<int>(value);
}

result<bool> bool_param(const request_context& ctx, std::string_view name, bool fallback) {
  const auto raw = ctx.query(name);
  if (!raw) return fallback;
  if (*raw == "true" || *raw == "1") return true;
  if (*raw == "false" || *raw == "0") return false;
  return fail(errc::invalid_argument, "validation_error",
              std::string(name) + " must be true or false.", {{std::string(name), "not a bool"}});
}

result<paging> read_paging(const request_context& ctx) {
  paging p;
  auto page = int_param(ctx, "page", 1, 1'000'000);
  if (!page) return std::unexpected(page.error());
  if (*page) p.page = **page;
  // Oversized page sizes are capped at the maximum, not refused. `limit` is an alias of
  // `page_size`: both are checked, and page_size wins.
  auto limit = int_param(ctx, "limit", 1, 1'000'000'000);
  if (!limit) return std::unexpected(limit.error());
  auto size = int_param(ctx, "page_size", 1, 1'000'000'000);
  if (!size) return std::unexpected(size.error());
  if (const auto chosen = *size ? *size : *limit)
    p.page_size = std::min(*chosen, max_list_page_size);
  return p;
}

namespace {

nlohmann::json page_link(const request_context& ctx, int page) {
  boost::urls::url link(ctx.target);
  link.params().set("page", std::to_string(page));
  if (!ctx.public_url.empty()) return std::string(ctx.public_url) + std::string(link.buffer());
  const std::string host = ctx.header("Host");
  return host.empty() ? std::string(link.buffer()) : "http://" + host + std::string(link.buffer());
}

}  // namespace

nlohmann::json page_envelope(const request_context& ctx, const paging& p, std::int64_t count,
                             nlohmann::json results) {
  const bool more = static_cast<std::int64_t>(p.page) * p.page_size < count;
  return {{"count", count},
          {"next", more ? page_link(ctx, p.page + 1) : nullptr},
          {"previous", p.page > 1 ? page_link(ctx, p.page - 1) : nullptr},
          {"results", std::move(results)}};
}

}  // namespace tenantry::api
