#include "cluster/poll_figures.hpp"

namespace b3s::core::cluster {

void PollFigures::observe(const std::string& backend_id, const PollResult& poll) {
    std::unordered_map<std::string, MeetingFigures> figures;
    for (const auto& m : poll.meetings) figures[m.meeting_id] = {m.participants, m.video, m.running, m.start_time_ms};
    std::lock_guard lock(mutex_);
    by_backend_[backend_id] = std::move(figures);
}

void PollFigures::forget(const std::string& backend_id) {
    std::lock_guard lock(mutex_);
    by_backend_.erase(backend_id);
}

std::unordered_map<std::string, MeetingFigures> PollFigures::meetings() const {
    std::unordered_map<std::string, MeetingFigures> out;
    std::lock_guard lock(mutex_);
    for (const auto& [backend, figures] : by_backend_) out.insert(figures.begin(), figures.end());
    return out;
}

}  // namespace b3s::core::cluster
