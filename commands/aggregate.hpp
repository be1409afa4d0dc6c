#pragma once
// What every aggregate of the write model provides (the `aggregate` concept, checked for
// each entry of write_model_aggregates), and the version and partition-key lookups most of
// them share.

#include <concepts>
#include <cstdint>
#include <optional>
#include <string>

#include "events/event.hpp"
#include "events/variants.hpp"

namespace tenantry {

class tenant_aggregate;

// An aggregate: the commands it decides and the events it applies (its resource's
// variants), how it applies one, and what an event it owns is stamped with.
template <class A>
concept aggregate = requires(A& a, const A& c, const event& e, std::int64_t version, timestamp at,
                             const tenant_aggregate& tenants) {
  typename A::commands;
  typename A::events;
  a.evolve(e, version, at);
  { c.version_of(e) } -> std::same_as<std::int64_t>;
  { c.partition_key_of(e, tenants) } -> std::same_as<std::string>;
};

// The version before `e` of the state the aggregate finds by the event's id (0 when there
// is none yet), for an aggregate whose events all carry the id of their own state.
template <class Events, class Aggregate>
std::int64_t version_before(const Aggregate& aggregate, const event& e) {
  return visit_as<Events>(e, [&](const auto& ev) -> std::int64_t {
    const auto* state = aggregate.find(ev.id);
    return state ? state->version : 0;
  });
}

// The partition key of what `tenant` owns: the id of its root organization; `fallback`
// (the owner's own id) for what no tenant owns or a tenant the aggregate does not know.
std::string partition_key_under(const tenant_aggregate& tenants,
                                const std::optional<tenant_id>& tenant,
                                const std::string& fallback);

// The partition key of `e` once applied, for an aggregate whose states are found by the
// event's id and name the tenant that owns them (`tenant`).
template <class Events, class Aggregate>
std::string partition_key_of_owned(const Aggregate& aggregate, const event& e,
                                   const tenant_aggregate& tenants) {
  return visit_as<Events>(e, [&](const auto& ev) {
    const auto* state = aggregate.find(ev.id);
    return partition_key_under(
        tenants, state ? std::optional<tenant_id>(state->tenant) : std::nullopt, ev.id.value);
  });
}

}  // namespace tenantry
