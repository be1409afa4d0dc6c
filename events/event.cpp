#include "events/event.hpp"

#include <type_traits>
#include <utility>

namespace tenantry {
namespace {

template <std::size_t... I>
consteval bool distinct_types(std::index_sequence<I...>) {
  constexpr std::string_view types[] = {
      event_contract<std::variant_alternative_t<I, event>>::type...};
  for (std::size_t a = 0; a < sizeof...(I); ++a)
    for (std::size_t b = a + 1; b < sizeof...(I); ++b)
      if (types[a] == types[b]) return false;
  return true;
}
static_assert(distinct_types(std::make_index_sequence<std::variant_size_v<event>>{}),
              "two events share a CloudEvents type: the codec could decode only one of them");

}  // namespace

std::string_view event_type(const event& e) {
  return std::visit([](const auto& x) { return event_contract<std::decay_t<decltype(x)>>::type; },
                    e);
}

std::string_view aggregate_type(const event& e) {
  return std::visit(
      [](const auto& x) { return event_contract<std::decay_t<decltype(x)>>::aggregate; }, e);
}

const std::string& aggregate_id(const event& e) {
  return std::visit([](const auto& x) -> const std::string& { return x.id.value; }, e);
}

}  // namespace tenantry
