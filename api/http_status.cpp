#include "api/http_status.hpp"

namespace tenantry::api {

unsigned http_status(errc category) {
  switch (category) {
    case errc::invalid_argument:
      return 400;
    case errc::unauthenticated:
      return 401;
    case errc::permission_denied:
      return 403;
    case errc::not_found:
      return 404;
    case errc::conflict:
      return 409;
    case errc::version_conflict:
      return 412;
    case errc::payload_too_large:
      return 413;
    case errc::unsupported_media:
      return 415;
    case errc::unprocessable:
      return 422;
    case errc::rate_limited:
      return 429;
    case errc::unavailable:
      return 503;
    case errc::internal:
      return 500;
  }
  return 500;
}

unsigned http_status(const command_outcome& o) {
  if (o.recorded_status) return *o.recorded_status;
  switch (o.kind) {
    case outcome::created:
      return 201;
    case outcome::done:
      return 200;
    case outcome::no_content:
      return 204;
    case outcome::absent:
      return 404;
    case outcome::refused:
      return http_status(o.refusal ? o.refusal->category : errc::internal);
    case outcome::unrendered:
      return 500;
  }
  return 500;
}

}  // namespace tenantry::api
