#pragma once
// Exponential backoff with jitter for every retry of the agent (b3scaled or redis away, an
// RPC that found no answer): `initial`, doubling up to `max`, each delay drawn from
// [(1 - jitter) * d, d] so a fleet of agents does not come back in step. The random source is
// seeded by the caller (tests pass a fixed seed).

#include <chrono>
#include <cstdint>
#include <random>

namespace b3s::agent {

struct BackoffPolicy {
    std::chrono::milliseconds initial{500};
    std::chrono::milliseconds max{30'000};
    double jitter = 0.2;  ///< 0 (none) … 1
};

class Backoff {
public:
    explicit Backoff(BackoffPolicy policy = {}, std::uint64_t seed = std::random_device{}());

    /// The delay before the next attempt; the one after it is twice as long (up to max).
    std::chrono::milliseconds next();
    /// After a success: the next delay is `initial` again.
    void reset() noexcept;
    /// Delays handed out since the last reset.
    int attempts() const noexcept { return attempts_; }
    const BackoffPolicy& policy() const noexcept { return policy_; }

private:
    BackoffPolicy policy_;
    std::mt19937_64 random_;
    std::chrono::milliseconds current_;
    int attempts_ = 0;
};

}  // namespace b3s::agent
