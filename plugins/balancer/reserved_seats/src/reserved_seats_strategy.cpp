#include "reserved_seats_strategy.hpp"

#include <b3s/support/balancer_rules.hpp>

#include "two_lowest.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <new>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::balancer::reserved_seats {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();

// One decimal is what an operator reads in a log line; trailing ".0" is noise.
std::string formatScore(double value) {
    if (std::isinf(value)) return "infinite";
    char buffer[48];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, 1);
    if (ec != std::errc{}) return "?";
    std::string_view text(buffer, static_cast<std::size_t>(end - buffer));
    if (text.ends_with(".0")) text.remove_suffix(2);
    return std::string(text);
}

bool validLoadFactor(double loadFactor) noexcept {
    return std::isfinite(loadFactor) && loadFactor >= 0.0;
}

// SplitMix64's finaliser: a cheap bijection whose output bits all depend on every input bit.
std::uint64_t mix(std::uint64_t x) noexcept {
    x += 0x9e3779b97f4a7c15ULL;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
    return x ^ (x >> 31);
}

std::uint64_t fnv1a(std::string_view text) noexcept {
    std::uint64_t h = 0xcbf29ce484222325ULL;
    for (unsigned char c : text) {
        h ^= c;
        h *= 0x100000001b3ULL;
    }
    return h;
}

}  // namespace

double reservedSeatsAt(double ageSeconds, double seats, const Settings& settings) noexcept {
    const double window = static_cast<double>(settings.decay_seconds);
    const double age = std::max(0.0, ageSeconds);
    if (!(age < window)) return 0.0;
    return seats * (1.0 - age / window);
}

double reservedSeatsAt(double ageSeconds, const Settings& settings) noexcept {
    return reservedSeatsAt(ageSeconds, settings.reserved_seats, settings);
}

double effectiveAttendees(const plugin::BackendCandidate& backend, std::int64_t nowUs,
                          const Settings& settings) noexcept {
    double effective = std::max(static_cast<double>(backend.attendees), kMeetingWeight * backend.meetings);
    if (settings.reserved_seats <= 0.0) return effective;
    // Differences in double: int64 subtraction could overflow on a hostile timestamp, and
    // microsecond precision holds in a double for the next 280 years.
    const double now = static_cast<double>(nowUs);
    for (const auto& placed : backend.recent_placements)
        effective += reservedSeatsAt((now - static_cast<double>(placed.at_us)) / 1e6,
                                     seatsFor(placed.size_hint, settings), settings);
    return effective;
}

double scoreOf(const plugin::BackendCandidate& backend, std::int64_t nowUs, const Settings& settings) noexcept {
    if (!validLoadFactor(backend.load_factor)) return kInfinity;
    return backend.load_factor * effectiveAttendees(backend, nowUs, settings);
}

double runnerUpProbability(double lowest, double runnerUp, double lowestLoadFactor, double seats) noexcept {
    if (!std::isfinite(lowest) || !std::isfinite(runnerUp)) return 0.0;
    const double gap = runnerUp - lowest;
    if (gap <= 0.0) return 0.5;
    // This meeting's reservation on the lowest backend, in score units: if the gap is at
    // least that, the lowest stays lowest even after taking it, so there is nothing to spread.
    const double margin = lowestLoadFactor * seats;
    if (!(margin > 0.0)) return 0.0;
    return 0.5 * std::max(0.0, 1.0 - gap / margin);
}

double runnerUpProbability(double lowest, double runnerUp, double lowestLoadFactor, const Settings& settings) noexcept {
    return runnerUpProbability(lowest, runnerUp, lowestLoadFactor, settings.reserved_seats);
}

std::uint64_t seedFromClock(std::int64_t clockMicros) noexcept {
    return mix(static_cast<std::uint64_t>(clockMicros));
}

double coinFor(std::uint64_t seed, const plugin::PlacementRequest& request, std::int64_t nowUs) noexcept {
    std::uint64_t h = mix(seed ^ fnv1a(request.frontend_key));
    h = mix(h ^ fnv1a(request.meeting_id));
    h = mix(h ^ static_cast<std::uint64_t>(nowUs));
    return static_cast<double>(h >> 11) * 0x1.0p-53;  // the top 53 bits fill a double's mantissa exactly
}

ReservedSeatsStrategy::ReservedSeatsStrategy(const Settings& settings, std::uint64_t seed, const plugin::Clock& clock)
    : settings_(settings), seed_(seed), clock_(clock) {}

plugin::Placement ReservedSeatsStrategy::choose(const plugin::PlacementRequest& request,
                                                std::span<const plugin::BackendCandidate> candidates) {
    try {
        return decide(request, candidates);
    } catch (const std::bad_alloc&) {
        // The eligible list, the score bounds and the reason allocate. This reason fits
        // std::string's small buffer, so returning it cannot throw again.
        return {std::nullopt, "out of memory"};
    }
}

plugin::Placement ReservedSeatsStrategy::decide(const plugin::PlacementRequest& request,
                                                std::span<const plugin::BackendCandidate> candidates) const {
    if (candidates.empty()) return {std::nullopt, support::noPlacementReason(candidates, request)};
    // now_us 0 means core did not say; without a time every reservation would look fresh.
    const std::int64_t nowUs = request.now_us != 0 ? request.now_us : clock_.nowMicros();

    const auto eligible = support::eligibleCandidates(request, candidates);
    const auto [lowest, runnerUp] = twoLowest(eligible, candidates, nowUs, settings_);

    if (!lowest) return {std::nullopt, support::noPlacementReason(candidates, request)};

    // Core records the hint with the placement, so later decisions reserve the same seats.
    const double own_seats = seatsFor(request.size_hint, settings_);
    const std::string seats = "; this meeting reserves " + formatScore(own_seats) +
                              (request.size_hint > 0 ? " seats (size hint)" : " seats (default)");

    const auto& first = candidates[lowest->index];
    if (!runnerUp)
        return {lowest->index,
                "backend " + first.id + " has the lowest reserved load (" + formatScore(lowest->score) + ")" + seats};

    const auto& second = candidates[runnerUp->index];
    const double p = runnerUpProbability(lowest->score, runnerUp->score, first.load_factor, own_seats);
    if (p > 0.0 && coinFor(seed_, request, nowUs) < p)
        return {runnerUp->index, "backend " + second.id + " has the second-lowest reserved load (" +
                                     formatScore(runnerUp->score) + ", lowest " + first.id + " at " +
                                     formatScore(lowest->score) + ") and was chosen to spread a burst" + seats};
    return {lowest->index, "backend " + first.id + " has the lowest reserved load (" + formatScore(lowest->score) +
                               ", next " + second.id + " at " + formatScore(runnerUp->score) + ")" + seats};
}

double ReservedSeatsStrategy::load(const plugin::BackendCandidate& backend, std::int64_t now_us) const {
    return scoreOf(backend, now_us, settings_);
}

std::unique_ptr<plugin::BalancerStrategy> create(const plugin::Context& context) {
    const Settings settings = parseSettings(context.config());
    const std::uint64_t seed = settings.seed ? *settings.seed : seedFromClock(context.clock().nowMicros());
    // The seed is logged so a sequence of decisions can be replayed; it is not a secret.
    context.logger().info("strategy_ready", {{"rule", "load_factor * (max(attendees, 15 * meetings) + reserved seats)"},
                                             {"reserved_seats", formatScore(settings.reserved_seats)},
                                             {"decay_seconds", std::to_string(settings.decay_seconds)},
                                             {"seed", std::to_string(seed)},
                                             {"seed_source", settings.seed ? "config" : "clock"}});
    return std::make_unique<ReservedSeatsStrategy>(settings, seed, context.clock());
}

}  // namespace b3s::balancer::reserved_seats
