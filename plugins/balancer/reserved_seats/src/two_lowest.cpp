#include "two_lowest.hpp"

#include "reserved_seats_strategy.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

namespace b3s::balancer::reserved_seats {
namespace {

constexpr double kInfinity = std::numeric_limits<double>::infinity();
constexpr double kUnitRoundoff = 0x1p-53;

// Strict order: lower score, then fewer meetings, then smaller id, so which two backends are
// "the two lowest" (and which of them is first) never depends on the order core listed them,
// nor on which candidates were scored exactly.
bool ranksBefore(const Ranked& a, const Ranked& b, std::span<const plugin::BackendCandidate> candidates) {
    if (a.score != b.score) return a.score < b.score;
    const auto& x = candidates[a.index];
    const auto& y = candidates[b.index];
    if (x.meetings != y.meetings) return x.meetings < y.meetings;
    if (x.id != y.id) return x.id < y.id;
    return a.index < b.index;  // duplicate ids (core never sends them): still a strict order
}

void consider(TwoLowest& two, const Ranked& here, std::span<const plugin::BackendCandidate> candidates) {
    if (!two.lowest || ranksBefore(here, *two.lowest, candidates)) {
        two.runner_up = two.lowest;
        two.lowest = here;
    } else if (!two.runner_up || ranksBefore(here, *two.runner_up, candidates)) {
        two.runner_up = here;
    }
}

}  // namespace

ScoreBounds scoreBounds(const plugin::BackendCandidate& backend, std::int64_t nowUs,
                        const Settings& settings) noexcept {
    // The same rules as scoreOf/effectiveAttendees; only the reservations are estimated.
    if (!(std::isfinite(backend.load_factor) && backend.load_factor >= 0.0)) return {kInfinity, kInfinity};
    const double base = std::max(static_cast<double>(backend.attendees), kMeetingWeight * backend.meetings);
    if (settings.reserved_seats <= 0.0 || backend.recent_placements.empty()) {
        const double exact = backend.load_factor * base;  // scoreOf computes just this
        return {exact, exact};
    }
    const double now = static_cast<double>(nowUs);
    // seats × (1 − age / decay) with age = max(0, Δµs / 1e6): one product instead of two
    // quotients. Per placement the two differ by at most ~8 units of roundoff of its seats.
    // Two sums of alternate placements, so consecutive additions do not wait for each other
    // (the bound below holds for any order of summation).
    const double per_micro = 1.0 / (1e6 * static_cast<double>(settings.decay_seconds));
    const auto reserved = [&](const plugin::RecentPlacement& placed, double& magnitude) {
        const double seats = seatsFor(placed.size_hint, settings);
        magnitude += seats;
        return seats * (1.0 - std::min(1.0, std::max(0.0, (now - static_cast<double>(placed.at_us)) * per_micro)));
    };
    const auto& placements = backend.recent_placements;
    double sums[2] = {base, 0.0};
    double magnitudes[2] = {base, 0.0};  // base + Σ seats ≥ every partial sum of either computation
    std::size_t k = 0;
    for (; k + 1 < placements.size(); k += 2) {
        sums[0] += reserved(placements[k], magnitudes[0]);
        sums[1] += reserved(placements[k + 1], magnitudes[1]);
    }
    if (k < placements.size()) sums[0] += reserved(placements[k], magnitudes[0]);
    const double sum = sums[0] + sums[1];
    const double magnitude = magnitudes[0] + magnitudes[1];
    // Both sums of n non-negative terms carry at most n roundings of their magnitude, the
    // terms ~8 between them, the load factor one each: (2n + 14) units of roundoff. Twice that
    // leaves room for the roundings of this bound itself.
    const double n = static_cast<double>(backend.recent_placements.size());
    const double estimate = backend.load_factor * sum;
    const double margin = (4.0 * n + 32.0) * kUnitRoundoff * backend.load_factor * magnitude;
    return {estimate - margin, estimate + margin};
}

TwoLowest twoLowestByScore(std::span<const std::size_t> eligible, std::span<const plugin::BackendCandidate> candidates,
                           std::int64_t nowUs, const Settings& settings) {
    TwoLowest two;
    for (const std::size_t i : eligible) consider(two, {i, scoreOf(candidates[i], nowUs, settings)}, candidates);
    return two;
}

TwoLowest twoLowest(std::span<const std::size_t> eligible, std::span<const plugin::BackendCandidate> candidates,
                    std::int64_t nowUs, const Settings& settings) {
    std::vector<ScoreBounds> bounds;
    bounds.reserve(eligible.size());
    // The two smallest upper bounds: a candidate whose lower bound exceeds the second has at
    // least two candidates with certainly lower scores, so it cannot be among the two lowest.
    double first_high = kInfinity;
    double second_high = kInfinity;
    for (const std::size_t i : eligible) {
        const auto b = scoreBounds(candidates[i], nowUs, settings);
        bounds.push_back(b);
        if (b.high < first_high) {
            second_high = first_high;
            first_high = b.high;
        } else if (b.high < second_high) {
            second_high = b.high;
        }
    }
    TwoLowest two;
    for (std::size_t k = 0; k < eligible.size(); ++k) {
        if (bounds[k].low > second_high) continue;
        const std::size_t i = eligible[k];
        consider(two, {i, scoreOf(candidates[i], nowUs, settings)}, candidates);
    }
    return two;
}

}  // namespace b3s::balancer::reserved_seats
