#pragma once
// Slugs: lowercase ASCII [a-z0-9-], dashes collapsed, generated from a name or validated.

#include <string>
#include <string_view>

#include "events/result.hpp"

namespace tenantry {

inline constexpr std::size_t max_slug_length = 63;

// "Acme Corp. (EU)" -> "acme-corp-eu"; accented Latin letters lose their accents; an
// empty result becomes "tenant".
std::string slugify(std::string_view name);
// True when `slug` is a valid explicit slug: 1-63 of [a-z0-9-], no leading, trailing or
// double dash, and not shaped like a UUID (a UUID in a path is always an id).
bool is_valid_slug(std::string_view slug);
// is_valid_slug as a 400 validation_error naming the field "slug" (for the decide functions).
result<void> check_slug_form(std::string_view slug);
// A slug as an upsert's path gives it (PUT /v1/tenants/{slug}): ASCII letters lowercased,
// everything else as it is (and then judged by is_valid_slug).
std::string lowercased_slug(std::string_view path_slug);
// "acme" with n = 2 -> "acme-2", trimmed so that the result stays within the maximum.
std::string numbered_slug(std::string_view base, int n);

}  // namespace tenantry
