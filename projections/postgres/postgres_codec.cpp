#include "projections/postgres/postgres_codec.hpp"

#include <nlohmann/json.hpp>

#include <pqxx/array>

namespace tenantry {

namespace {

void append_quoted(std::string& out, std::string_view item) {
  out.push_back('"');
  for (char c : item) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
}

}  // namespace

std::string array_literal(const std::vector<std::optional<std::string>>& items) {
  std::size_t size = 2;
  for (const auto& item : items) size += (item ? item->size() + 3 : 5);
  std::string out;
  out.reserve(size);
  out.push_back('{');
  bool first = true;
  for (const auto& item : items) {
    if (!first) out.push_back(',');
    first = false;
    if (item)
      append_quoted(out, *item);
    else
      out += "NULL";
  }
  out.push_back('}');
  return out;
}

std::string array_literal(const std::vector<std::string>& items) {
  std::string out = "{";
  bool first = true;
  for (const auto& item : items) {
    if (!first) out.push_back(',');
    first = false;
    append_quoted(out, item);
  }
  out.push_back('}');
  return out;
}

std::vector<std::string> parse_text_array(const char* literal) {
  std::vector<std::string> out;
  pqxx::array_parser parser(literal);
  for (auto [kind, value] = parser.get_next(); kind != pqxx::array_parser::done;
       std::tie(kind, value) = parser.get_next())
    if (kind == pqxx::array_parser::string_value) out.push_back(std::move(value));
  return out;
}

std::optional<std::string> canonical_uuid(std::string_view text) {
  if (text.size() != 36) return std::nullopt;
  std::string out(text);
  for (std::size_t i = 0; i < out.size(); ++i) {
    char& c = out[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return std::nullopt;
      continue;
    }
    if (c >= 'A' && c <= 'F') c = static_cast<char>(c - 'A' + 'a');
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return std::nullopt;
  }
  return out;
}

// Appended, not "x" + std::string&&: g++ 12 warns about that in release builds (GCC bug
// 105329).
std::string millis(std::string_view column) {
  std::string sql = "(extract(epoch FROM ";
  sql += column;
  sql += ") * 1000)::bigint";
  return sql;
}

std::string contains_pattern(std::string_view text) {
  std::string out = "%";
  for (char c : text) {
    if (c == '%' || c == '_' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('%');
  return out;
}

std::string ltree_label(std::string_view uuid) {
  std::string out;
  out.reserve(uuid.size());
  for (char c : uuid)
    if (c != '-') out.push_back(c);
  return out;
}

std::string metadata_param(const metadata_map& metadata) {
  return nlohmann::json(metadata).dump();
}

metadata_map metadata_from_json(std::string_view text) {
  metadata_map out;
  const auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [key, value] : j.items())
    if (value.is_string()) out.emplace(key, value.get<std::string>());
  return out;
}

}  // namespace tenantry
