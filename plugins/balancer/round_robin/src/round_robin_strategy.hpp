#pragma once
// Round robin: each decision takes the next eligible backend in id order, ignoring load.
// For homogeneous clusters and for tests; the rule is in ../README.md.

#include <b3s/plugin/balancer.hpp>
#include <b3s/plugin/context.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <span>

namespace b3s::balancer::round_robin {

/// The rule has no knobs; the empty table still gives the descriptor a valid pointer/size.
inline constexpr std::array<plugin::ConfigKey, 0> kConfigKeys{};

class RoundRobinStrategy final : public plugin::BalancerStrategy {
public:
    // b3s::plugin::BalancerStrategy. Thread-safe: the only state is an atomic counter, so
    // concurrent decisions each take a distinct turn.
    plugin::Placement choose(const plugin::PlacementRequest& request,
                             std::span<const plugin::BackendCandidate> candidates) override;
    /// The meetings on the backend: what a rotation spreads evenly (it weighs nothing else).
    double load(const plugin::BackendCandidate& backend, std::int64_t now_us) const override;

    /// Decisions made so far (placements only; refusals do not take a turn).
    std::uint64_t turns() const noexcept { return next_.load(std::memory_order_relaxed); }

private:
    plugin::Placement decide(const plugin::PlacementRequest& request,
                             std::span<const plugin::BackendCandidate> candidates);

    std::atomic<std::uint64_t> next_{0};
};

/// The factory exported as b3s_create_balancer.
std::unique_ptr<plugin::BalancerStrategy> create(const plugin::Context& context);

}  // namespace b3s::balancer::round_robin
