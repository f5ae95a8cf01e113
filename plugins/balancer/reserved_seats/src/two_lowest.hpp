#pragma once
// Which two eligible candidates have the lowest scores (scoreOf), in the strategy's strict
// order: lower score, then fewer meetings, then smaller id.
//
// Scoring costs two divisions per recent placement, and a decision scores every backend:
// at 1,000 backends with 10 placements each that was most of a decision's time. twoLowest()
// first estimates every score with one multiplication per placement, together with a
// bound on the estimate's rounding error, and scores exactly only the candidates whose
// interval could still put them among the two lowest. Its answer is twoLowestByScore()'s:
// the same two candidates, with the same (exact) scores.

#include "settings.hpp"

#include <b3s/plugin/balancer.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace b3s::balancer::reserved_seats {

struct Ranked {
    std::size_t index;  ///< into the candidate span
    double score;       ///< scoreOf(candidate), exact
};

struct TwoLowest {
    std::optional<Ranked> lowest;
    std::optional<Ranked> runner_up;
};

/// An interval holding scoreOf(backend, nowUs, settings), from one multiplication per
/// recent placement. Exact (low == high == score) when the score is infinite.
struct ScoreBounds {
    double low;
    double high;
};
ScoreBounds scoreBounds(const plugin::BackendCandidate& backend, std::int64_t nowUs, const Settings& settings) noexcept;

/// The reference: scores every candidate of `eligible` (indices into `candidates`) exactly.
TwoLowest twoLowestByScore(std::span<const std::size_t> eligible, std::span<const plugin::BackendCandidate> candidates,
                           std::int64_t nowUs, const Settings& settings);

/// The same answer, scoring exactly only the candidates that may be among the two lowest.
/// Allocates one bound per eligible candidate.
TwoLowest twoLowest(std::span<const std::size_t> eligible, std::span<const plugin::BackendCandidate> candidates,
                    std::int64_t nowUs, const Settings& settings);

}  // namespace b3s::balancer::reserved_seats
