#include "backoff.hpp"

#include <algorithm>

namespace b3s::agent {

Backoff::Backoff(BackoffPolicy policy, std::uint64_t seed)
    : policy_(policy), random_(seed), current_(std::min(policy.initial, policy.max)) {
    policy_.jitter = std::clamp(policy_.jitter, 0.0, 1.0);
}

std::chrono::milliseconds Backoff::next() {
    const auto base = current_;
    current_ = std::min(policy_.max, base * 2);
    ++attempts_;
    std::uniform_real_distribution<double> factor(1.0 - policy_.jitter, 1.0);
    const auto delay =
        std::chrono::milliseconds(static_cast<std::int64_t>(static_cast<double>(base.count()) * factor(random_)));
    return std::max(delay, std::chrono::milliseconds(1));
}

void Backoff::reset() noexcept {
    current_ = std::min(policy_.initial, policy_.max);
    attempts_ = 0;
}

}  // namespace b3s::agent
