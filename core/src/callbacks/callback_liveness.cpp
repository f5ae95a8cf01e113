#include "callbacks/callback_liveness.hpp"

namespace b3s::core::callbacks {

const char* toString(Liveness liveness) noexcept {
    switch (liveness) {
        case Liveness::Running: return "running";
        case Liveness::InGrace: return "in_grace";
        case Liveness::EndedLongAgo: return "ended_long_ago";
        case Liveness::Unknown: return "unknown";
    }
    return "unknown";
}

Liveness callbackLiveness(const CallbackTarget& target, const std::optional<store::Meeting>& current,
                          std::optional<store::Micros> ended_at, store::Micros now, store::Micros grace) {
    if (current && current->frontend_id == target.frontend_id && current->created_at == target.meeting_since_us)
        return Liveness::Running;
    if (!ended_at) return Liveness::Unknown;
    return now - *ended_at <= grace ? Liveness::InGrace : Liveness::EndedLongAgo;
}

}  // namespace b3s::core::callbacks
