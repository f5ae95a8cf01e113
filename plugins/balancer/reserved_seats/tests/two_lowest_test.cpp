#include "two_lowest.hpp"

#include "reserved_seats_strategy.hpp"

#include <balancer_candidates.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace b3s::balancer::reserved_seats {
namespace {

using plugin::BackendCandidate;

constexpr std::int64_t kNow = 1'780'000'000'000'000;
constexpr std::int64_t kSecond = 1'000'000;

std::vector<std::size_t> all(const std::vector<BackendCandidate>& candidates) {
    std::vector<std::size_t> indices(candidates.size());
    std::iota(indices.begin(), indices.end(), std::size_t{0});
    return indices;
}

// The fast path must name the same two candidates as scoring every one, with the same scores.
void expectSameAsReference(const std::vector<BackendCandidate>& candidates, const Settings& settings,
                           const std::string& what) {
    const auto eligible = all(candidates);
    const auto fast = twoLowest(eligible, candidates, kNow, settings);
    const auto reference = twoLowestByScore(eligible, candidates, kNow, settings);
    ASSERT_EQ(fast.lowest.has_value(), reference.lowest.has_value()) << what;
    ASSERT_EQ(fast.runner_up.has_value(), reference.runner_up.has_value()) << what;
    if (reference.lowest) {
        EXPECT_EQ(fast.lowest->index, reference.lowest->index) << what;
        EXPECT_EQ(fast.lowest->score, reference.lowest->score) << what;
    }
    if (reference.runner_up) {
        EXPECT_EQ(fast.runner_up->index, reference.runner_up->index) << what;
        EXPECT_EQ(fast.runner_up->score, reference.runner_up->score) << what;
    }
}

class RandomCluster {
public:
    explicit RandomCluster(std::uint64_t seed) : rng_(seed) {}

    Settings settings() {
        Settings s;
        s.reserved_seats = pick<double>({0.0, 1.0, 15.0, 10'000.0});
        s.decay_seconds = pick<std::int64_t>({1, 60, 300, 86'400});
        return s;
    }

    BackendCandidate backend(int i) {
        const double load_factor =
            pick<double>({1.0, 1.0, 0.5, 2.0, 0.0, uniform(0.0, 3.0), std::numeric_limits<double>::infinity(), -1.0});
        auto b = test::backend("b" + std::to_string(i), count(0, 20), count(0, 300), load_factor);
        const int placements = count(0, 30);
        for (int p = 0; p < placements; ++p) {
            // From 10 s in the future (a clock ahead) to past every decay window.
            const auto age = static_cast<std::int64_t>(uniform(-10.0, 90'000.0) * kSecond);
            b.recent_placements.push_back({kNow - age, pick<int>({0, 0, count(1, 200), 100'000})});
        }
        return b;
    }

    template <class T>
    T pick(std::initializer_list<T> values) {
        return *(values.begin() + count(0, static_cast<int>(values.size()) - 1));
    }
    int count(int low, int high) { return std::uniform_int_distribution<int>(low, high)(rng_); }
    double uniform(double low, double high) { return std::uniform_real_distribution<double>(low, high)(rng_); }

private:
    std::mt19937_64 rng_;
};

TEST(ReservedSeatsTwoLowest, BoundsHoldTheExactScore) {
    RandomCluster random(7);
    for (int round = 0; round < 200; ++round) {
        const auto settings = random.settings();
        for (int i = 0; i < 20; ++i) {
            const auto b = random.backend(i);
            const double score = scoreOf(b, kNow, settings);
            const auto bounds = scoreBounds(b, kNow, settings);
            EXPECT_LE(bounds.low, score) << "round " << round << " backend " << i;
            EXPECT_GE(bounds.high, score) << "round " << round << " backend " << i;
        }
    }
}

TEST(ReservedSeatsTwoLowest, RandomClustersGetTheReferenceAnswer) {
    RandomCluster random(42);
    for (int round = 0; round < 500; ++round) {
        const auto settings = random.settings();
        std::vector<BackendCandidate> candidates;
        const int size = random.count(0, 40);
        for (int i = 0; i < size; ++i) candidates.push_back(random.backend(i));
        expectSameAsReference(candidates, settings, "round " + std::to_string(round));
    }
}

// Scores a rounding apart are where an estimate could go wrong: backends whose placements
// differ by a microsecond, and copies that tie exactly and are told apart by meetings and id.
TEST(ReservedSeatsTwoLowest, NearTiesAndExactTiesGetTheReferenceAnswer) {
    const Settings settings{};
    std::vector<BackendCandidate> candidates;
    for (int i = 0; i < 200; ++i) {
        auto b = test::backend("b" + std::to_string(i % 50), 10, 120);
        for (int p = 0; p < 10; ++p) b.recent_placements.push_back({kNow - 60 * kSecond + (i % 3) * 10 + p, 20});
        b.meetings = 10 + (i % 7 == 0 ? 1 : 0);
        candidates.push_back(std::move(b));
    }
    expectSameAsReference(candidates, settings, "near ties");
    for (auto& c : candidates) c.recent_placements.assign(10, {kNow - 60 * kSecond, 20});
    expectSameAsReference(candidates, settings, "exact ties");
}

TEST(ReservedSeatsTwoLowest, FewerThanTwoEligibleAreAllRanked) {
    const Settings settings{};
    const std::vector<BackendCandidate> one{test::backend("a", 1, 10)};
    const auto two = twoLowest(all(one), one, kNow, settings);
    ASSERT_TRUE(two.lowest.has_value());
    EXPECT_EQ(two.lowest->index, 0u);
    EXPECT_FALSE(two.runner_up.has_value());
    const std::vector<BackendCandidate> none;
    EXPECT_FALSE(twoLowest(all(none), none, kNow, settings).lowest.has_value());
}

TEST(ReservedSeatsTwoLowest, OnlyEligibleIndicesAreConsidered) {
    const Settings settings{};
    const std::vector<BackendCandidate> candidates{test::backend("idle", 0, 0), test::backend("busy", 5, 200),
                                                   test::backend("full", 9, 400)};
    const std::vector<std::size_t> eligible{1, 2};
    const auto two = twoLowest(eligible, candidates, kNow, settings);
    ASSERT_TRUE(two.lowest && two.runner_up);
    EXPECT_EQ(two.lowest->index, 1u);
    EXPECT_EQ(two.runner_up->index, 2u);
}

}  // namespace
}  // namespace b3s::balancer::reserved_seats
