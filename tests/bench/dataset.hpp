#pragma once
// The benchmarks' data set: a forest of tenant trees and the commands that build and then
// change it. Names are computed, never listed, so wrk scripts can pick any tenant:
// tree 42's root is "Org 000042" (slug org-000042), its node 17 "Unit 000042 017"
// (unit-000042-017). infra/bench/reads.lua computes the same shape.

#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "commands/command.hpp"

namespace tenantry::bench {

// Each tree: one root at level 1, then `per_level()` nodes on every level down to `depth`;
// a node's parent is a node of the level above, round robin.
struct forest_shape {
  int trees = 1;
  int per_tree = 100;
  int depth = 10;

  int per_level() const { return (per_tree - 1 + depth - 2) / (depth - 1); }
  int level_of(int node) const { return node == 0 ? 1 : 2 + (node - 1) / per_level(); }
  int first_of_level(int level) const { return level == 1 ? 0 : 1 + (level - 2) * per_level(); }
  int parent_of(int node) const;  // -1 for the root
  std::string name(int tree, int node) const;
  std::string slug(int tree, int node) const;
};

// What the generator emits; each command yields exactly one event.
enum class change_kind { create, update, suspend, resume };

// Creates `trees * per_tree` tenants in tree order, interleaved at random with changes to
// tenants already created: half description updates, half suspensions and resumptions,
// with about 1 % of the tenants suspended at any time. It follows the aggregate's rules
// (only effectively active tenants take updates and children), so every command succeeds.
// `events` commands in all; deterministic for a given seed.
class dataset_generator {
 public:
  dataset_generator(forest_shape shape, std::int64_t events, std::uint64_t seed = 42);
  std::optional<command> next(change_kind* kind = nullptr);
  std::int64_t produced() const { return produced_; }

 private:
  std::string slug_of(std::int64_t t) const;
  std::int64_t parent_of(std::int64_t t) const;
  // The highest suspended tenant on t's path (t included), or -1 when t is effectively active.
  std::int64_t suspended_above(std::int64_t t) const;
  command suspend(std::int64_t t, change_kind* kind);
  command resume(std::int64_t t, change_kind* kind);
  std::int64_t random_created();

  forest_shape shape_;
  std::int64_t events_;
  std::int64_t tenants_;
  std::int64_t produced_ = 0;
  std::int64_t created_ = 0;
  std::vector<bool> suspended_;
  std::vector<std::int64_t> suspended_list_;  // the suspended tenants, in no order
  std::mt19937_64 rng_;
};

}  // namespace tenantry::bench
