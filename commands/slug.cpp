#include "commands/slug.hpp"

#include <string>

#include "events/ids.hpp"

namespace tenantry {
namespace {

// Two-byte UTF-8 Latin-1 letters (U+00C0..U+00FF) mapped to ASCII; others are dropped.
std::string_view fold_latin1(unsigned char second) {
  static constexpr std::string_view table[64] = {
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "ss",
      "a", "a", "a", "a", "a", "a", "ae", "c", "e", "e", "e", "e", "i", "i", "i",  "i",
      "d", "n", "o", "o", "o", "o", "o",  "",  "o", "u", "u", "u", "u", "y", "th", "y"};
  return table[second & 0x3f];
}

}  // namespace

std::string slugify(std::string_view name) {
  std::string out;
  bool dash = false;
  auto put = [&](std::string_view s) {
    for (char c : s) {
      if (dash && !out.empty()) out.push_back('-');
      dash = false;
      out.push_back(c);
    }
  };
  for (std::size_t i = 0; i < name.size(); ++i) {
    const auto c = static_cast<unsigned char>(name[i]);
    if (c >= 'A' && c <= 'Z') {
      put(std::string(1, static_cast<char>(c - 'A' + 'a')));
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
      put(std::string(1, static_cast<char>(c)));
    } else if (c == 0xC3 && i + 1 < name.size()) {
      const auto next = static_cast<unsigned char>(name[++i]);
      if (next >= 0x80 && next <= 0xBF) put(fold_latin1(static_cast<unsigned char>(next + 0x40)));
    } else if (c >= 0x80) {
      // Other non-ASCII: skip the whole UTF-8 sequence, treat it as a separator.
      while (i + 1 < name.size() && (static_cast<unsigned char>(name[i + 1]) & 0xC0) == 0x80) ++i;
      dash = true;
    } else {
      dash = true;
    }
  }
  if (out.size() > max_slug_length) out.resize(max_slug_length);
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.empty() || looks_like_uuid(out)) out = out.empty() ? "tenant" : "t-" + out;
  return out;
}

bool is_valid_slug(std::string_view slug) {
  if (slug.empty() || slug.size() > max_slug_length) return false;
  if (slug.front() == '-' || slug.back() == '-') return false;
  char prev = 0;
  for (char c : slug) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
    if (c == '-' && prev == '-') return false;
    prev = c;
  }
  return !looks_like_uuid(slug);
}

std::string numbered_slug(std::string_view base, int n) {
  std::string suffix(1, '-');
  suffix += std::to_string(n);
  std::string head(base.substr(0, max_slug_length - suffix.size()));
  while (!head.empty() && head.back() == '-') head.pop_back();
  return head + suffix;
}

std::string lowercased_slug(std::string_view path_slug) {
  std::string out(path_slug);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

result<void> check_slug_form(std::string_view slug) {
  if (is_valid_slug(slug)) return {};
  return validation("slug",
                    "must be 1-63 characters of [a-z0-9-] without leading, trailing or double "
                    "dashes");
}

}  // namespace tenantry
