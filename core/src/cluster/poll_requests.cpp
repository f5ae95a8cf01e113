#include "cluster/poll_requests.hpp"

namespace b3s::core::cluster {

void PollRequests::request(const std::string& backend_id) {
    std::lock_guard lock(mutex_);
    ids_.insert(backend_id);
}

std::vector<std::string> PollRequests::take() {
    std::lock_guard lock(mutex_);
    std::vector<std::string> out(ids_.begin(), ids_.end());
    ids_.clear();
    return out;
}

}  // namespace b3s::core::cluster
