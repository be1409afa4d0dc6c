#include "dataset.hpp"

#include <algorithm>
#include <cstdio>

namespace tenantry::bench {

int forest_shape::parent_of(int node) const {
  const int level = level_of(node);
  if (level == 1) return -1;
  if (level == 2) return 0;
  return first_of_level(level - 1) + (node - first_of_level(level)) % per_level();
}

std::string forest_shape::name(int tree, int node) const {
  char buf[64];
  if (node == 0)
    std::snprintf(buf, sizeof buf, "Org %06d", tree);
  else
    std::snprintf(buf, sizeof buf, "Unit %06d %03d", tree, node);
  return buf;
}

std::string forest_shape::slug(int tree, int node) const {
  char buf[64];
  if (node == 0)
    std::snprintf(buf, sizeof buf, "org-%06d", tree);
  else
    std::snprintf(buf, sizeof buf, "unit-%06d-%03d", tree, node);
  return buf;
}

dataset_generator::dataset_generator(forest_shape shape, std::int64_t events, std::uint64_t seed)
    : shape_(shape),
      events_(events),
      tenants_(std::min<std::int64_t>(std::int64_t(shape.trees) * shape.per_tree, events)),
      suspended_(static_cast<std::size_t>(tenants_), false),
      rng_(seed) {}

std::string dataset_generator::slug_of(std::int64_t t) const {
  return shape_.slug(static_cast<int>(t / shape_.per_tree), static_cast<int>(t % shape_.per_tree));
}

std::int64_t dataset_generator::parent_of(std::int64_t t) const {
  const int p = shape_.parent_of(static_cast<int>(t % shape_.per_tree));
  return p < 0 ? -1 : t - t % shape_.per_tree + p;
}

std::int64_t dataset_generator::suspended_above(std::int64_t t) const {
  std::int64_t highest = -1;
  for (; t >= 0; t = parent_of(t))
    if (suspended_[static_cast<std::size_t>(t)]) highest = t;
  return highest;
}

command dataset_generator::suspend(std::int64_t t, change_kind* kind) {
  suspended_[static_cast<std::size_t>(t)] = true;
  suspended_list_.push_back(t);
  if (kind) *kind = change_kind::suspend;
  return change_tenant_lifecycle{slug_of(t), lifecycle_action::suspend, "bench", std::nullopt};
}

command dataset_generator::resume(std::int64_t t, change_kind* kind) {
  suspended_[static_cast<std::size_t>(t)] = false;
  auto it = std::find(suspended_list_.begin(), suspended_list_.end(), t);
  std::swap(*it, suspended_list_.back());
  suspended_list_.pop_back();
  if (kind) *kind = change_kind::resume;
  return change_tenant_lifecycle{slug_of(t), lifecycle_action::resume, "bench", std::nullopt};
}

std::int64_t dataset_generator::random_created() {
  return std::uniform_int_distribution<std::int64_t>(0, created_ - 1)(rng_);
}

std::optional<command> dataset_generator::next(change_kind* kind) {
  if (produced_ >= events_) return std::nullopt;
  const std::int64_t remaining = events_ - produced_;
  const std::int64_t to_create = tenants_ - created_;
  ++produced_;
  // Spreads the creations evenly over the whole run (each slot equally likely a creation).
  const bool creation = to_create > 0 && (created_ == 0 ||
                                          std::uniform_int_distribution<std::int64_t>(
                                              0, remaining - 1)(rng_) < to_create ||
                                          to_create >= remaining);
  if (creation) {
    const std::int64_t parent = created_ % shape_.per_tree == 0 ? -1 : parent_of(created_);
    // A suspended parent takes no children: resume it first (the creation comes next).
    if (parent >= 0)
      if (const std::int64_t blocked = suspended_above(parent); blocked >= 0)
        return resume(blocked, kind);
    const int tree = static_cast<int>(created_ / shape_.per_tree);
    const int node = static_cast<int>(created_ % shape_.per_tree);
    ++created_;
    if (kind) *kind = change_kind::create;
    create_tenant c;
    c.name = shape_.name(tree, node);
    if (node > 0) c.parent = shape_.slug(tree, shape_.parent_of(node));
    return c;
  }
  const auto max_suspended = static_cast<std::size_t>(std::max<std::int64_t>(1, created_ / 100));
  const bool lifecycle = rng_() % 2 == 0;
  if (lifecycle && suspended_list_.size() >= max_suspended) {
    const auto i = std::uniform_int_distribution<std::size_t>(0, suspended_list_.size() - 1)(rng_);
    return resume(suspended_list_[i], kind);
  }
  // An effectively active tenant: a suspension's target or an update's.
  for (int attempt = 0; attempt < 20; ++attempt) {
    const std::int64_t t = random_created();
    if (suspended_above(t) >= 0) continue;
    if (lifecycle) return suspend(t, kind);
    if (kind) *kind = change_kind::update;
    update_tenant u;
    u.ref = slug_of(t);
    u.description = "revision " + std::to_string(produced_);
    return u;
  }
  return resume(suspended_list_.front(), kind);  // nearly everything is suspended
}

}  // namespace tenantry::bench
