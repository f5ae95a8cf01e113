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

void PollRequests::callFailed(const std::string& backend_id) {
    std::lock_guard lock(mutex_);
    ids_.insert(backend_id);
    failed_[backend_id] = ++failures_seen_;
    failing_.store(failed_.size());
}

bool PollRequests::failedSinceLastAnswer(std::string_view backend_id) const {
    if (failing_.load() == 0) return false;  // the usual case: no lock
    std::lock_guard lock(mutex_);
    return failed_.contains(std::string(backend_id));
}

void PollRequests::answered(const std::string& backend_id, Ticket asked) {
    if (failing_.load() == 0) return;
    std::lock_guard lock(mutex_);
    const auto it = failed_.find(backend_id);
    if (it == failed_.end() || it->second > asked) return;
    failed_.erase(it);
    failing_.store(failed_.size());
}

}  // namespace b3s::core::cluster
