#pragma once
// Burst-safe placement. Polls lag behind joins: a backend that just received a meeting still
// looks empty for minutes, so a burst of creates would pile onto it. Every recent placement
// therefore reserves seats that decay linearly over a window, and the choice between the two
// lowest-scoring backends is spread by a seeded coin when they are within one reservation of
// each other. The full rule, with an example, is in ../README.md.

#include "settings.hpp"

#include <b3s/plugin/balancer.hpp>
#include <b3s/plugin/context.hpp>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <span>

namespace b3s::balancer::reserved_seats {

/// One meeting weighs as much as this many attendees (b3scale's constant, as in least_load).
inline constexpr double kMeetingWeight = 15.0;

/// A size hint may reserve at most this many times reserved_seats (BBBLB's cap), so one
/// frontend announcing 100000 attendees cannot make a backend look full for minutes.
inline constexpr double kMaxSizeHintFactor = 5.0;

/// Seats one placement reserves when fresh: its size hint, capped at 5 × reserved_seats, or
/// reserved_seats without a hint. 0 when reservations are off (reserved_seats 0).
/// Inline: scoring calls it for every recent placement of every backend.
inline double seatsFor(int sizeHint, const Settings& settings) noexcept {
    if (settings.reserved_seats <= 0.0) return 0.0;
    if (sizeHint <= 0) return settings.reserved_seats;
    return std::min(static_cast<double>(sizeHint), kMaxSizeHintFactor * settings.reserved_seats);
}

/// Seats a placement of `seats` made `ageSeconds` ago still reserves:
/// seats × max(0, 1 − age / decay). A negative age (a placement stamped by an instance whose
/// clock runs ahead) counts as age 0, never as more than `seats`.
double reservedSeatsAt(double ageSeconds, double seats, const Settings& settings) noexcept;
/// The same for a placement without a size hint (seats = reserved_seats).
double reservedSeatsAt(double ageSeconds, const Settings& settings) noexcept;

/// max(attendees, 15 × meetings) + Σ reservedSeatsAt(now − placement, seatsFor(hint)) over
/// recent_placements.
double effectiveAttendees(const plugin::BackendCandidate& backend, std::int64_t nowUs,
                          const Settings& settings) noexcept;

/// load_factor × effectiveAttendees. A load_factor that is not a finite number ≥ 0 (core
/// never sends one) yields +infinity so such a backend ranks last.
double scoreOf(const plugin::BackendCandidate& backend, std::int64_t nowUs, const Settings& settings) noexcept;

/// Probability that the runner-up is chosen over the lowest-scoring backend:
/// ½ × max(0, 1 − gap / (lowestLoadFactor × seats)) with gap = runnerUp − lowest and `seats`
/// what the new meeting reserves (seatsFor(its size hint)); ½ on an exact tie, 0 when either
/// score is infinite.
double runnerUpProbability(double lowest, double runnerUp, double lowestLoadFactor, double seats) noexcept;
/// The same for a meeting without a size hint (seats = reserved_seats).
double runnerUpProbability(double lowest, double runnerUp, double lowestLoadFactor, const Settings& settings) noexcept;

/// A seed from a clock reading, for when B3SCALE_BALANCER_SEED is unset.
std::uint64_t seedFromClock(std::int64_t clockMicros) noexcept;

/// The coin for one request, uniform in [0, 1): a keyed hash of the seed, the frontend, the
/// meeting id and the decision time. Stateless, so concurrent calls need no lock and the same
/// request on the same snapshot gets the same answer; distinct meetings get independent coins.
double coinFor(std::uint64_t seed, const plugin::PlacementRequest& request, std::int64_t nowUs) noexcept;

class ReservedSeatsStrategy final : public plugin::BalancerStrategy {
public:
    /// `clock` supplies the time when a request carries no now_us; it outlives this object
    /// (plugin::Context's guarantee).
    ReservedSeatsStrategy(const Settings& settings, std::uint64_t seed, const plugin::Clock& clock);

    // b3s::plugin::BalancerStrategy. Thread-safe: no mutable state.
    plugin::Placement choose(const plugin::PlacementRequest& request,
                             std::span<const plugin::BackendCandidate> candidates) override;
    /// scoreOf(backend, now_us): the figure choose() ranks backends by, reservations included.
    double load(const plugin::BackendCandidate& backend, std::int64_t now_us) const override;

    const Settings& settings() const noexcept { return settings_; }
    std::uint64_t seed() const noexcept { return seed_; }

private:
    plugin::Placement decide(const plugin::PlacementRequest& request,
                             std::span<const plugin::BackendCandidate> candidates) const;

    const Settings settings_;
    const std::uint64_t seed_;
    const plugin::Clock& clock_;
};

/// The factory exported as b3s_create_balancer. Throws plugin::ConfigError.
std::unique_ptr<plugin::BalancerStrategy> create(const plugin::Context& context);

}  // namespace b3s::balancer::reserved_seats
