#pragma once
// b3scale's placement rule: among enabled, healthy backends that carry every required tag,
// take the one with the lowest load = load_factor × max(15 × meetings, attendees); a backend
// whose node agent reports its CPU busier than B3SCALE_BALANCER_CPU_LIMIT only when every
// eligible one is.

#include <b3s/plugin/balancer.hpp>
#include <b3s/plugin/context.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <span>

namespace b3s::balancer::least_load {

inline constexpr const char* kCpuLimitKey = "B3SCALE_BALANCER_CPU_LIMIT";
inline constexpr const char* kDefaultCpuLimit = "0.9";

inline constexpr std::array<plugin::ConfigKey, 1> kConfigKeys{{
    {kCpuLimitKey, kDefaultCpuLimit,
     "share of all cores busy (from the node agent) above which a backend gets new meetings only when every "
     "eligible one is that busy (0.05 to 1; 1 turns it off)",
     false, false},
}};

/// B3SCALE_BALANCER_CPU_LIMIT as a number; throws plugin::ConfigError outside 0.05 … 1.
double parseCpuLimit(const plugin::ConfigView& config);

/// Whether the backend's agent reports a CPU busier than `limit` (never without figures).
bool runsHot(const plugin::BackendCandidate& backend, double limit) noexcept;

/// One meeting weighs as much as this many attendees, so a backend with many small
/// meetings is not mistaken for an idle one (b3scale's constant).
inline constexpr double kMeetingWeight = 15.0;

/// load_factor × max(15 × meetings, attendees). A load_factor that is not a finite number
/// ≥ 0 (core never sends one) yields +infinity so such a backend ranks last.
double loadOf(const plugin::BackendCandidate& backend) noexcept;

class LeastLoadStrategy final : public plugin::BalancerStrategy {
public:
    explicit LeastLoadStrategy(double cpu_limit = 1.0) : cpu_limit_(cpu_limit) {}

    // b3s::plugin::BalancerStrategy
    plugin::Placement choose(const plugin::PlacementRequest& request,
                             std::span<const plugin::BackendCandidate> candidates) override;
    /// loadOf(backend): the figure choose() minimises.
    double load(const plugin::BackendCandidate& backend, std::int64_t now_us) const override;

private:
    double cpu_limit_;
};

/// The factory exported as b3s_create_balancer.
std::unique_ptr<plugin::BalancerStrategy> create(const plugin::Context& context);

}  // namespace b3s::balancer::least_load
