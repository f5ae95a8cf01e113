#pragma once
// b3scale's placement rule: among enabled, healthy backends that carry every required tag,
// take the one with the lowest load = load_factor × max(15 × meetings, attendees).

#include <b3s/plugin/balancer.hpp>
#include <b3s/plugin/context.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <span>

namespace b3s::balancer::least_load {

/// The rule has no knobs; the empty table still gives the descriptor a valid pointer/size.
inline constexpr std::array<plugin::ConfigKey, 0> kConfigKeys{};

/// One meeting weighs as much as this many attendees, so a backend with many small
/// meetings is not mistaken for an idle one (b3scale's constant).
inline constexpr double kMeetingWeight = 15.0;

/// load_factor × max(15 × meetings, attendees). A load_factor that is not a finite number
/// ≥ 0 (core never sends one) yields +infinity so such a backend ranks last.
double loadOf(const plugin::BackendCandidate& backend) noexcept;

class LeastLoadStrategy final : public plugin::BalancerStrategy {
public:
    // b3s::plugin::BalancerStrategy
    plugin::Placement choose(const plugin::PlacementRequest& request,
                             std::span<const plugin::BackendCandidate> candidates) override;
    /// loadOf(backend): the figure choose() minimises.
    double load(const plugin::BackendCandidate& backend, std::int64_t now_us) const override;
};

/// The factory exported as b3s_create_balancer.
std::unique_ptr<plugin::BalancerStrategy> create(const plugin::Context& context);

}  // namespace b3s::balancer::least_load
