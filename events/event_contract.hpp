#pragma once
// An event's wire contract, declared next to the event itself: its CloudEvents type, the
// aggregate it belongs to, and its payload's fields, each named once. The codec
// (events/codec.cpp) encodes and decodes every event from this one list.
//
//   template <>
//   struct event_contract<tenant_moved> {
//     static constexpr std::string_view type = "tenantry.tenant.moved.v1";
//     static constexpr std::string_view aggregate = "tenant";
//     static constexpr auto fields = std::tuple{field("id", &tenant_moved::id), ...};
//   };
//
// A field's JSON shape follows from its C++ type: an id or a string is a string, a
// timestamp an RFC 3339 string, a list of strings an array; an optional id or timestamp is
// always present and null when empty; an optional string is left out when empty; metadata
// (events/metadata.hpp) is an object of strings, empty when absent (older events lack it),
// and optional metadata is left out when empty; a JSON value (a configuration, a flag's
// value) is itself.

#include <string_view>
#include <tuple>

namespace tenantry {

template <class Event>
struct event_contract;

// A field that is a member of the event.
template <class Event, class Member>
struct member_field {
  const char* name;  // a literal
  Member Event::*member;
  constexpr Member& of(Event& e) const { return e.*member; }
  constexpr const Member& of(const Event& e) const { return e.*member; }
};

// A field that is a member of one of the event's members, flattened into the payload.
template <class Event, class Outer, class Member>
struct nested_field {
  const char* name;  // a literal
  Outer Event::*outer;
  Member Outer::*member;
  constexpr Member& of(Event& e) const { return (e.*outer).*member; }
  constexpr const Member& of(const Event& e) const { return (e.*outer).*member; }
};

template <class Event, class Member>
constexpr member_field<Event, Member> field(const char* name, Member Event::*member) {
  return {name, member};
}

template <class Event, class Outer, class Member>
constexpr nested_field<Event, Outer, Member> field(const char* name, Outer Event::*outer,
                                                   Member Outer::*member) {
  return {name, outer, member};
}

}  // namespace tenantry
