#include "api/http/cpu_pool.hpp"

#include <boost/asio/post.hpp>

namespace tenantry::api {

cpu_pool::cpu_pool(std::size_t threads, std::size_t queue_limit)
    : threads_(threads == 0 ? 1 : threads), limit_(queue_limit == 0 ? 1 : queue_limit) {}

bool cpu_pool::try_post(std::function<void()> task) {
  if (pending_.fetch_add(1) >= limit_) {
    pending_.fetch_sub(1);
    refused_.fetch_add(1);
    return false;
  }
  boost::asio::post(threads_, [this, task = std::move(task)] {
    task();
    pending_.fetch_sub(1);  // room first: whoever sees the task completed may post again
    completed_.fetch_add(1);
  });
  return true;
}

void cpu_pool::join() {
  threads_.join();
}

error cpu_overloaded() {
  return error{errc::unavailable, "overloaded",
               "The server is busy with costly work (password hashing); retry shortly.",
               nlohmann::json::object()};
}

}  // namespace tenantry::api
