#pragma once
// Tools for the closed variants of events and commands: the one `overloaded`, a variant
// composed from the resources' own variants, and visits limited to one resource's
// alternatives. A chain of `if constexpr` over alternatives ends in
// `static_assert(unhandled<T>, ...)`, so the compiler names what a new alternative misses.

#include <cstddef>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <variant>

namespace tenantry {

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};

// False for every T, but only once T is known: the last branch of an exhaustive chain.
template <class T>
inline constexpr bool unhandled = false;

template <class T, class Variant>
struct is_alternative : std::false_type {};
template <class T, class... A>
struct is_alternative<T, std::variant<A...>> : std::bool_constant<(std::is_same_v<T, A> || ...)> {};
template <class T, class Variant>
inline constexpr bool is_alternative_v = is_alternative<T, Variant>::value;

// One variant holding the alternatives of all of them, in order.
template <class... Variants>
struct join_variants;
template <class... A>
struct join_variants<std::variant<A...>> {
  using type = std::variant<A...>;
};
template <class... A, class... B, class... Rest>
struct join_variants<std::variant<A...>, std::variant<B...>, Rest...>
    : join_variants<std::variant<A..., B...>, Rest...> {};
template <class... Variants>
using join_variants_t = typename join_variants<Variants...>::type;

// Whether no type is an alternative twice (two resources claiming one event).
template <class T, class... A>
inline constexpr std::size_t count_of = (std::size_t{std::is_same_v<T, A>} + ... + 0);
template <class Variant>
inline constexpr bool distinct_alternatives = false;
template <class... A>
inline constexpr bool distinct_alternatives<std::variant<A...>> = ((count_of<A, A...> == 1) && ...);

// Calls f with the alternative `v` holds, which must be one of `Own`'s: the caller routes
// only those here, so another one is a bug (std::logic_error, never silently ignored).
template <class Own, class Variant, class F>
decltype(auto) visit_as(const Variant& v, F&& f) {
  using R = std::invoke_result_t<F&, const std::variant_alternative_t<0, Own>&>;
  return std::visit(
      [&](const auto& alternative) -> R {
        using T = std::decay_t<decltype(alternative)>;
        if constexpr (is_alternative_v<T, Own>)
          return f(alternative);
        else
          throw std::logic_error("an alternative was routed to a variant that does not hold it");
      },
      v);
}

// Whether `v` holds one of `Own`'s alternatives.
template <class Own, class Variant>
bool holds_one_of(const Variant& v) {
  return std::visit(
      [](const auto& alternative) {
        return is_alternative_v<std::decay_t<decltype(alternative)>, Own>;
      },
      v);
}

// Calls f when `v` holds one of `Own`'s alternatives and does nothing otherwise: a read
// model sees every event and reads only those of the resources it shows.
template <class Own, class Variant, class F>
void visit_within(const Variant& v, F&& f) {
  std::visit(
      [&](const auto& alternative) {
        using T = std::decay_t<decltype(alternative)>;
        if constexpr (is_alternative_v<T, Own>) f(alternative);
      },
      v);
}

}  // namespace tenantry
