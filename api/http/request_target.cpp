#include "api/http/request_target.hpp"

#include <cctype>
#include <string>

namespace tenantry::api {
namespace {

std::unexpected<error> not_canonical(std::string_view why) {
  return fail(errc::invalid_argument, "bad_request",
              "The request path is not canonical: " + std::string(why) + ".");
}

// The segment with its percent-encoded dots decoded ("%2e" is "."), for the dot check.
std::string dots_decoded(std::string_view segment) {
  std::string out;
  for (std::size_t i = 0; i < segment.size(); ++i) {
    if (segment[i] == '%' && i + 2 < segment.size() && segment[i + 1] == '2' &&
        std::tolower(static_cast<unsigned char>(segment[i + 2])) == 'e') {
      out += '.';
      i += 2;
    } else {
      out += segment[i];
    }
  }
  return out;
}

bool encodes_a_slash(std::string_view segment) {
  for (std::size_t i = 0; i + 2 < segment.size(); ++i) {
    if (segment[i] != '%') continue;
    const std::string code{
        static_cast<char>(std::toupper(static_cast<unsigned char>(segment[i + 1]))),
        static_cast<char>(std::toupper(static_cast<unsigned char>(segment[i + 2])))};
    if (code == "2F" || code == "5C") return true;
  }
  return false;
}

}  // namespace

result<void> check_canonical_path(std::string_view path) {
  if (path.empty() || path.front() != '/') return not_canonical("it does not start with /");
  if (path == "/") return {};
  std::string_view rest = path.substr(1);
  for (;;) {
    const auto slash = rest.find('/');
    const std::string_view segment = rest.substr(0, slash);
    if (segment.empty()) return not_canonical("it has an empty segment");
    const std::string plain = dots_decoded(segment);
    if (plain == "." || plain == "..") return not_canonical("it has a dot segment");
    if (encodes_a_slash(segment)) return not_canonical("a segment holds an encoded slash");
    if (slash == std::string_view::npos) return {};
    rest = rest.substr(slash + 1);
  }
}

}  // namespace tenantry::api
