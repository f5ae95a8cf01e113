#include "callbacks/delivered_callbacks.hpp"

#include <algorithm>

namespace b3s::core::callbacks {

DeliveredCallbacks::DeliveredCallbacks(std::size_t capacity) : capacity_(std::max<std::size_t>(capacity, 1)) {}

bool DeliveredCallbacks::claim(const std::string& key) {
    std::lock_guard lock(mutex_);
    if (!keys_.insert(key).second) return false;
    order_.push_back(key);
    while (order_.size() > capacity_) {
        keys_.erase(order_.front());
        order_.pop_front();
    }
    return true;
}

void DeliveredCallbacks::release(const std::string& key) {
    std::lock_guard lock(mutex_);
    if (keys_.erase(key) == 0) return;
    // Rare (the queue was full): the linear search does not matter.
    if (const auto it = std::find(order_.rbegin(), order_.rend(), key); it != order_.rend())
        order_.erase(std::next(it).base());
}

}  // namespace b3s::core::callbacks
