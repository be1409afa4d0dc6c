#include "api/http/router.hpp"

#include <algorithm>
#include <stdexcept>

#include <boost/url/pct_string_view.hpp>

namespace tenantry::api {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    const auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  return out;
}

// Matches a path against a pattern, collecting the decoded {placeholder} segments.
bool matches(std::string_view pattern, std::string_view path, std::vector<std::string>& params) {
  const auto want = split_path(pattern);
  const auto have = split_path(path);
  if (want.size() != have.size()) return false;
  params.clear();
  for (std::size_t i = 0; i < want.size(); ++i) {
    if (want[i].starts_with('{')) {
      auto decoded = boost::urls::make_pct_string_view(have[i]);
      if (!decoded) return false;
      params.push_back(decoded->decode());
    } else if (want[i] != have[i]) {
      return false;
    }
  }
  return true;
}

}  // namespace

void router::add(http::verb method, std::string pattern, guard rule, route_handler handler) {
  if (auto ok = check_guard(method, rule); !ok)
    throw std::invalid_argument("the route " + pattern +
                                " cannot be guarded: " + ok.error().message);
  routes_.push_back(route{method, std::move(pattern), std::move(rule), std::move(handler)});
}

router::match router::find(http::verb method, std::string_view path) const {
  match m;
  std::vector<std::string> params;
  std::vector<http::verb> allowed;  // each method once, though several patterns match
  for (const auto& r : routes_) {
    if (!matches(r.pattern, path, params)) continue;
    if (r.method == method) {
      m.found = &r;
      m.params = std::move(params);
      return m;
    }
    if (std::ranges::find(allowed, r.method) != allowed.end()) continue;
    allowed.push_back(r.method);
    if (!m.allowed.empty()) m.allowed += ", ";
    m.allowed += std::string(http::to_string(r.method));
  }
  return m;
}

}  // namespace tenantry::api
