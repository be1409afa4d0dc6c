// Request targets -> routes, path parameters and query parameters, the way the request
// pipeline (api/request_handler.cpp) and the handlers read them: Beast parses the
// request line, parse_origin_form the target, router::find the path against every route of
// the OpenAPI document (the route table the server serves), then the handlers' query
// parameters (read_paging, int_param, bool_param, query) and the list envelope's links.
//
// Input: the start of a request line, "GET /v1/tenants?page=2"; " HTTP/1.1", a Host header
// and the blank line are appended (the input may add header lines of its own).
// Checks: nothing throws; a match has one parameter per placeholder; a 405 names methods;
// every answer renders; the envelope's next link is a target whose page is page + 1.

#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include <boost/url/parse.hpp>

#include "api/http/listing.hpp"
#include "api/http/request_target.hpp"
#include "api/http/responses.hpp"
#include "api/http/router.hpp"
#include "api/openapi.hpp"

namespace tenantry::api {
namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "request_target_fuzz: check failed: %s\n", what);
  std::abort();
}

// Every documented path and method, with a handler that is never called.
router documented_routes() {
  router r;
  const auto doc = nlohmann::json::parse(openapi_document());
  for (const auto& [path, item] : doc.at("paths").items())
    for (const auto& [method, operation] : item.items()) {
      std::string name = method;  // "get" -> "GET"; "parameters" and the like -> unknown
      for (char& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
      const http::verb verb = http::string_to_verb(name);
      if (verb != http::verb::unknown) r.add(verb, path, access::anyone, route_handler{});
    }
  return r;
}

const router& routes() {
  static const router r = documented_routes();
  return r;
}

std::size_t placeholders(std::string_view pattern) {
  std::size_t n = 0;
  for (char c : pattern) n += c == '{';
  return n;
}

void render(const result<void>& r) {
  if (!r) (void)error_response(r.error());
}

// What the list handlers read from the query, and the envelope they answer with.
void read_query(const request_context& ctx) {
  auto page = read_paging(ctx);
  if (!page) {
    render(std::unexpected(page.error()));
  } else {
    check(page->page >= 1 && page->page_size >= 1 && page->page_size <= max_list_page_size,
          "paging within bounds");
    const auto envelope = page_envelope(ctx, *page, 1'000'000'000'000, nlohmann::json::array());
    (void)json_response(200, envelope);
    const std::string next = envelope.at("next").get<std::string>();
    const std::string host = ctx.header("Host");
    const std::string prefix = host.empty() ? "" : "http://" + host;
    check(next.starts_with(prefix), "the next link starts with the Host");
    const auto link = boost::urls::parse_origin_form(std::string_view(next).substr(prefix.size()));
    check(link.has_value(), "the next link is a valid target");
    const auto p = link->params().find("page");
    check(p != link->params().end() && (*p).value == std::to_string(page->page + 1),
          "the next link names the next page");
  }
  for (const char* name : {"include_deleted", "recursive", "is_active"}) {
    auto flag = bool_param(ctx, name, false);
    if (!flag) render(std::unexpected(flag.error()));
  }
  struct bounds {
    const char* name;
    int min, max;
  };
  for (const bounds b : {bounds{"tenant_level", 1, 1000}, bounds{"depth", 0, 1000}}) {
    auto value = int_param(ctx, b.name, b.min, b.max);
    if (!value)
      render(std::unexpected(value.error()));
    else if (*value)
      check(**value >= b.min && **value <= b.max, "int_param within bounds");
  }
  for (const char* name : {"search", "ordering", "status", "parent_id", "parent"})
    (void)ctx.query(name).value_or("");
}

}  // namespace
}  // namespace tenantry::api

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tenantry::api;
  std::string head(reinterpret_cast<const char*>(data), size);
  head += " HTTP/1.1\r\nHost: tenantry.test\r\n\r\n";
  http::request_parser<http::string_body> parser;
  parser.header_limit(16 * 1024);  // the server's limit (server_limits::max_header)
  beast::error_code ec;
  parser.put(boost::asio::buffer(head), ec);
  if (ec || !parser.is_header_done()) return 0;
  const request& req = parser.get();

  auto target = boost::urls::parse_origin_form(req.target());
  if (!target) {
    (void)error_response(tenantry::errc::invalid_argument, "bad_request", "bad target");
    return 0;
  }
  // The pipeline routes canonical paths only: one that is not has no empty, dot or slashed
  // segment the router would read differently.
  if (!check_canonical_path(target->encoded_path())) return 0;
  const std::string_view path = target->encoded_path();
  check(path == "/" || (path.find("//") == std::string_view::npos && !path.ends_with('/')),
        "a canonical path has no empty segment");
  const auto match = routes().find(req.method(), target->encoded_path());
  if (!match.found) {
    check(match.params.empty(), "no parameters without a match");
    if (!match.allowed.empty())
      (void)json_response(405, nlohmann::json{{"error", "method_not_allowed"},
                                              {"details", {{"allowed", match.allowed}}}});
    return 0;
  }
  check(match.found->method == req.method(), "a match has the request's method");
  check(match.params.size() == placeholders(match.found->pattern), "one parameter per {ref}");
  const request_context ctx{.req = req,
                            .remote_address = "127.0.0.1",
                            .target = *target,
                            .params = match.params,
                            .request_id = "fuzz"};
  for (const auto& ref : ctx.params)
    (void)error_response(tenantry::errc::not_found, "not_found", "No tenant '" + ref + "' exists.");
  read_query(ctx);
  return 0;
}
