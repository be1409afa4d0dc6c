#include "events/memory_event_log.hpp"

namespace tenantry {

class memory_subscription final : public event_subscription {
 public:
  memory_subscription(memory_event_log& log, std::int64_t from) : log_(log), next_(from) {}

  result<std::vector<stored_event>> poll(std::size_t max, std::chrono::milliseconds wait) override {
    std::unique_lock lock(log_.mutex_);
    log_.appended_.wait_for(lock, wait,
                            [&] { return static_cast<std::int64_t>(log_.log_.size()) > next_; });
    std::vector<stored_event> out;
    while (next_ < static_cast<std::int64_t>(log_.log_.size()) && out.size() < max)
      out.push_back(log_.log_[static_cast<std::size_t>(next_++)]);
    return out;
  }

 private:
  memory_event_log& log_;
  std::int64_t next_;
};

result<std::vector<std::int64_t>> memory_event_log::append(
    const std::vector<recorded_event>& batch) {
  std::lock_guard lock(mutex_);
  std::optional<std::string> failure;
  failure.swap(fail_next_);
  if (failure && *failure != "append_unknown")
    return fail(errc::unavailable, *failure, "injected append failure");
  std::vector<std::int64_t> offsets;
  for (const auto& e : batch) {
    stored_event s = encode(e);
    s.offset = static_cast<std::int64_t>(log_.size());
    offsets.push_back(s.offset);
    log_.push_back(std::move(s));
  }
  appended_.notify_all();
  if (failure) return fail(errc::unavailable, *failure, "injected unknown outcome");
  return offsets;
}

result<void> memory_event_log::recover() {
  return {};
}

result<std::int64_t> memory_event_log::replay(const std::function<void(const stored_event&)>& fn) {
  std::vector<stored_event> copy = events();
  for (const auto& e : copy) fn(e);
  return static_cast<std::int64_t>(copy.size());
}

result<std::unique_ptr<event_subscription>> memory_event_log::subscribe(std::int64_t from_offset) {
  return std::make_unique<memory_subscription>(*this, from_offset);
}

std::int64_t memory_event_log::append_stored(stored_event e) {
  std::lock_guard lock(mutex_);
  e.offset = static_cast<std::int64_t>(log_.size());
  log_.push_back(std::move(e));
  appended_.notify_all();
  return log_.back().offset;
}

void memory_event_log::fail_next_append(std::string code) {
  std::lock_guard lock(mutex_);
  fail_next_ = std::move(code);
}

std::vector<stored_event> memory_event_log::events() const {
  std::lock_guard lock(mutex_);
  return log_;
}

}  // namespace tenantry
