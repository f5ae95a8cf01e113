#include "round_robin_strategy.hpp"

#include <balancer_candidates.hpp>
#include <fake_context.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace b3s::balancer::round_robin {
namespace {

using plugin::BackendCandidate;
using plugin::PlacementRequest;

using test::backend;
using test::disabled;
using test::unhealthy;

PlacementRequest withTags(std::vector<std::string> tags) {
    PlacementRequest r;
    r.required_tags = std::move(tags);
    return r;
}

// The ids a fresh strategy picks over `turns` decisions ("-" for a refusal).
std::vector<std::string> sequence(const std::vector<BackendCandidate>& candidates, const PlacementRequest& request,
                                  int turns, std::string* lastReason = nullptr) {
    RoundRobinStrategy strategy;
    std::vector<std::string> ids;
    for (int i = 0; i < turns; ++i) {
        auto placement = strategy.choose(request, candidates);
        EXPECT_FALSE(placement.reason.empty());
        if (lastReason) *lastReason = placement.reason;
        if (!placement.index) {
            ids.push_back("-");
            continue;
        }
        EXPECT_LT(*placement.index, candidates.size());
        ids.push_back(candidates[*placement.index].id);
    }
    return ids;
}

TEST(RoundRobinStrategy, ShowsMeetingsAsItsLoad) {
    // A rotation spreads meetings and weighs nothing else: attendees and load factor do not count.
    RoundRobinStrategy strategy;
    EXPECT_EQ(strategy.load(backend("a", 7, 300, 2.0), 0), 7.0);
    EXPECT_EQ(strategy.load(backend("b", 7, 0, 1.0), 0), 7.0);
    EXPECT_EQ(strategy.load(backend("c", 0, 50), 0), 0.0);
}

TEST(RoundRobinStrategy, RotatesOverEligibleBackendsInIdOrder) {
    struct Case {
        int line;
        std::string what;
        std::vector<std::string> required_tags;
        std::vector<BackendCandidate> candidates;
        std::vector<std::string> expected;
        std::string reason_contains;  // of the last decision
    };
    const std::vector<Case> cases = {
        {__LINE__, "empty snapshot", {}, {}, {"-", "-"}, "no backend is registered"},
        {__LINE__,
         "all disabled",
         {},
         {disabled(backend("a")), disabled(backend("b"))},
         {"-"},
         "no backend is enabled and healthy"},
        {__LINE__,
         "disabled or unhealthy",
         {},
         {disabled(backend("a")), unhealthy(backend("b"))},
         {"-"},
         "no backend is enabled and healthy"},
        {__LINE__, "single backend", {}, {backend("a")}, {"a", "a", "a"}, "backend a is next in rotation (1 of 1"},
        {__LINE__,
         "listed out of order",
         {},
         {backend("c"), backend("a"), backend("b")},
         {"a", "b", "c", "a", "b", "c", "a"},
         "backend a is next in rotation (1 of 3 eligible, by id)"},
        {__LINE__,
         "disabled and unhealthy are skipped",
         {},
         {backend("d"), disabled(backend("a")), backend("c"), unhealthy(backend("b"))},
         {"c", "d", "c", "d"},
         "(2 of 2 eligible"},
        {__LINE__,
         "required tags",
         {"sip", "bbb_27"},
         {backend("a", {"sip"}), backend("b", {"bbb_27", "sip"}), backend("c", {"sip", "bbb_27", "gpu"})},
         {"b", "c", "b"},
         "backend b"},
        {__LINE__,
         "tags are case-sensitive",
         {"sip"},
         {backend("a", {"SIP"})},
         {"-"},
         "no enabled and healthy backend carries the tags sip"},
        {__LINE__,
         "no backend carries the tags",
         {"bbb_26", "sip"},
         {backend("a", {"bbb_26"}), backend("b", {"sip"})},
         {"-"},
         "no enabled and healthy backend carries the tags bbb_26, sip"},
        {__LINE__,
         "tagged backend disabled",
         {"sip"},
         {disabled(backend("a", {"sip"})), backend("b")},
         {"-"},
         "no enabled and healthy backend carries the tags sip"},
        {__LINE__, "empty required tag matches every backend", {""}, {backend("b"), backend("a")}, {"a", "b"}, ""},
        {__LINE__,
         "ids compare byte-wise",
         {},
         {backend("b10"), backend("b9"), backend("B1")},
         {"B1", "b10", "b9"},
         ""},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line) + ": " + c.what);
        std::string reason;
        EXPECT_EQ(sequence(c.candidates, withTags(c.required_tags), static_cast<int>(c.expected.size()), &reason),
                  c.expected);
        EXPECT_NE(reason.find(c.reason_contains), std::string::npos) << reason;
    }
}

TEST(RoundRobinStrategy, RefusalsDoNotTakeATurn) {
    RoundRobinStrategy strategy;
    std::vector<BackendCandidate> candidates = {backend("a"), backend("b", {"sip"})};
    EXPECT_EQ(candidates[*strategy.choose({}, candidates).index].id, "a");
    EXPECT_FALSE(strategy.choose(withTags({"gpu"}), candidates).index.has_value());
    EXPECT_FALSE(strategy.choose({}, std::vector<BackendCandidate>{}).index.has_value());
    EXPECT_EQ(strategy.turns(), 1u);
    EXPECT_EQ(candidates[*strategy.choose({}, candidates).index].id, "b");
}

TEST(RoundRobinStrategy, RotationDoesNotDependOnCandidateOrder) {
    std::vector<BackendCandidate> candidates = {backend("a"), backend("b"), disabled(backend("c")), backend("d")};
    auto byId = [](const auto& x, const auto& y) { return x.id < y.id; };
    const std::vector<std::string> expected = {"a", "b", "d", "a", "b"};
    int permutations = 0;
    do {
        EXPECT_EQ(sequence(candidates, {}, 5), expected);
        ++permutations;
    } while (std::next_permutation(candidates.begin(), candidates.end(), byId));
    EXPECT_EQ(permutations, 24);
}

TEST(RoundRobinStrategy, ConcurrentDecisionsShareTheRotationEvenly) {
    std::vector<BackendCandidate> candidates;
    for (int i = 0; i < 10; ++i) candidates.push_back(backend("backend-" + std::to_string(i)));
    RoundRobinStrategy strategy;
    constexpr int kThreads = 8;
    constexpr int kPerThread = 1000;
    std::vector<std::vector<int>> counts(kThreads, std::vector<int>(candidates.size(), 0));
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < kPerThread; ++i) {
                auto placement = strategy.choose({}, candidates);
                if (placement.index) ++counts[t][*placement.index];
            }
        });
    for (auto& thread : threads) thread.join();
    EXPECT_EQ(strategy.turns(), std::uint64_t{kThreads * kPerThread});
    // Every fetch_add hands out a distinct turn, so the totals are exact, not just close.
    for (std::size_t b = 0; b < candidates.size(); ++b) {
        int total = 0;
        for (const auto& perThread : counts) total += perThread[b];
        EXPECT_EQ(total, kThreads * kPerThread / 10) << candidates[b].id;
    }
}

// Not a benchmark: a guard against accidental quadratic work on the create path.
TEST(RoundRobinStrategy, ThousandCandidatesTimesHundredDecisionsTakeUnderASecond) {
    std::vector<BackendCandidate> candidates;
    for (int i = 0; i < 1000; ++i) {
        auto b = backend("backend-" + std::to_string((i * 7919) % 1000), {"bbb_27", "sip"});
        b.enabled = i % 50 != 0;
        candidates.push_back(std::move(b));
    }
    RoundRobinStrategy strategy;
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < 100; ++i) ASSERT_TRUE(strategy.choose(withTags({"sip"}), candidates).index.has_value());
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_LT(elapsed, std::chrono::seconds(1));
    RecordProperty("microseconds_per_decision",
                   std::to_string(std::chrono::duration_cast<std::chrono::microseconds>(elapsed).count() / 100));
}

TEST(RoundRobinFactory, CreatesStrategyAndLogsReadiness) {
    test::FakeContext context;
    auto strategy = create(context);
    ASSERT_NE(strategy, nullptr);
    EXPECT_EQ(context.recordingLogger().count("strategy_ready"), 1u);
    std::vector<BackendCandidate> candidates = {backend("a")};
    EXPECT_EQ(strategy->choose({}, candidates).index, std::optional<std::size_t>(0));
}

TEST(RoundRobinFactory, DeclaresNoConfigKeys) {
    EXPECT_EQ(kConfigKeys.size(), 0u);
}

}  // namespace
}  // namespace b3s::balancer::round_robin
