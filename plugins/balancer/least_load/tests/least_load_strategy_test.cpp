#include "least_load_strategy.hpp"

#include <balancer_candidates.hpp>
#include <fake_context.hpp>

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace b3s::balancer::least_load {
namespace {

using plugin::BackendCandidate;
using plugin::PlacementRequest;

using test::backend;
using test::disabled;
using test::unhealthy;

TEST(LeastLoadLoadOf, MatchesB3scaleStressFormula) {
    struct Case {
        int line;
        BackendCandidate backend;
        double expected;
    };
    const double inf = std::numeric_limits<double>::infinity();
    const std::vector<Case> cases = {
        {__LINE__, backend("a", 10, 12, 1.0), 150.0},  {__LINE__, backend("a", 10, 12, 1.25), 187.5},
        {__LINE__, backend("a", 10, 600, 1.0), 600.0}, {__LINE__, backend("a", 0, 0, 1.0), 0.0},
        {__LINE__, backend("a", 40, 900, 0.0), 0.0},   {__LINE__, backend("a", 1, 1, std::nan("")), inf},
        {__LINE__, backend("a", 1, 1, inf), inf},      {__LINE__, backend("a", 1, 1, -1.0), inf},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        EXPECT_EQ(loadOf(c.backend), c.expected);
    }
}

TEST(LeastLoadStrategy, ShowsTheLoadItMinimises) {
    // What operators see (b3scale_backend_load, the API's load) is the figure choose() ranks by.
    LeastLoadStrategy strategy;
    for (const auto& b : {backend("a", 10, 12, 1.0), backend("b", 10, 600, 1.25), backend("c", 0, 0, 1.0)})
        EXPECT_EQ(strategy.load(b, 0), loadOf(b)) << b.id;
    const std::vector<BackendCandidate> pair = {backend("busy", 4, 100), backend("idle", 1, 3)};
    const auto placement = strategy.choose(PlacementRequest{}, pair);
    ASSERT_TRUE(placement.index);
    EXPECT_LT(strategy.load(pair[*placement.index], 0), strategy.load(pair[1 - *placement.index], 0));
}

TEST(LeastLoadStrategy, ChoosesLightestEligibleBackend) {
    struct Case {
        int line;
        std::string what;
        std::vector<std::string> required_tags;
        std::vector<BackendCandidate> candidates;
        std::string expected_id;      // empty: no placement
        std::string reason_contains;  // checked in both outcomes
    };
    const std::vector<Case> cases = {
        {__LINE__, "empty snapshot", {}, {}, "", "no backend is registered"},
        {__LINE__,
         "all disabled",
         {},
         {disabled(backend("a", 0, 0)), disabled(backend("b", 0, 0))},
         "",
         "no backend is enabled and healthy"},
        {__LINE__,
         "disabled or unhealthy",
         {},
         {disabled(backend("a", 0, 0)), unhealthy(backend("b", 0, 0))},
         "",
         "no backend is enabled and healthy"},
        {__LINE__, "single backend", {}, {backend("a", 3, 10)}, "a", "backend a has the lowest load (45)"},
        {__LINE__,
         "attendees outweigh few meetings",
         {},
         {backend("a", 10, 12), backend("b", 0, 100)},
         "b",
         "lowest load (100)"},
        {__LINE__, "load factor raises load", {}, {backend("a", 10, 12, 1.25), backend("b", 10, 160)}, "b", "(160)"},
        {__LINE__, "load factor lowers load", {}, {backend("a", 10, 12), backend("b", 10, 200, 0.5)}, "b", "(100)"},
        {__LINE__,
         "load factor 0 is always preferred",
         {},
         {backend("a", 1, 1), backend("b", 50, 2000, 0.0)},
         "b",
         "(0)"},
        {__LINE__,
         "load factor 0 ties with an idle backend",
         {},
         {backend("a", 0, 0), backend("b", 50, 2000, 0.0)},
         "a",
         "(0)"},
        {__LINE__, "disabled lightest is skipped", {}, {disabled(backend("a", 0, 0)), backend("b", 5, 5)}, "b", ""},
        {__LINE__, "unhealthy lightest is skipped", {}, {unhealthy(backend("a", 0, 0)), backend("b", 5, 5)}, "b", ""},
        {__LINE__, "tie on load: fewer meetings wins", {}, {backend("a", 2, 30), backend("b", 1, 30)}, "b", ""},
        {__LINE__,
         "tie on load and meetings: smaller id wins",
         {},
         {backend("b", 1, 10), backend("a", 1, 10)},
         "a",
         ""},
        {__LINE__,
         "required tags filter before load",
         {"bbb_26", "sip"},
         {backend("a", 0, 0, 1.0, {"bbb_26"}), backend("b", 9, 90, 1.0, {"sip", "bbb_26", "gpu"})},
         "b",
         ""},
        {__LINE__,
         "tags are case-sensitive",
         {"sip"},
         {backend("a", 0, 0, 1.0, {"SIP"})},
         "",
         "no enabled and healthy backend carries the tags sip"},
        {__LINE__,
         "no backend carries the tags",
         {"bbb_26", "sip"},
         {backend("a", 0, 0, 1.0, {"bbb_26"}), backend("b", 0, 0, 1.0, {"sip"})},
         "",
         "no enabled and healthy backend carries the tags bbb_26, sip"},
        {__LINE__,
         "tagged backend disabled",
         {"sip"},
         {disabled(backend("a", 0, 0, 1.0, {"sip"})), backend("b", 0, 0)},
         "",
         "no enabled and healthy backend carries the tags sip"},
        {__LINE__, "empty required tag matches every backend", {""}, {backend("a", 0, 0)}, "a", ""},
        {__LINE__,
         "invalid load factor ranks last",
         {},
         {backend("a", 0, 0, std::nan("")), backend("b", 90, 900)},
         "b",
         ""},
    };
    LeastLoadStrategy strategy;
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line) + ": " + c.what);
        PlacementRequest request;
        request.frontend_key = "tenant";
        request.meeting_id = "meeting-1";
        request.required_tags = c.required_tags;
        auto placement = strategy.choose(request, c.candidates);
        if (c.expected_id.empty()) {
            EXPECT_FALSE(placement.index.has_value());
        } else {
            ASSERT_TRUE(placement.index.has_value());
            ASSERT_LT(*placement.index, c.candidates.size());
            EXPECT_EQ(c.candidates[*placement.index].id, c.expected_id);
        }
        EXPECT_NE(placement.reason.find(c.reason_contains), std::string::npos) << placement.reason;
        EXPECT_FALSE(placement.reason.empty());
    }
}

TEST(LeastLoadStrategy, ChoiceDoesNotDependOnCandidateOrder) {
    std::vector<BackendCandidate> candidates = {
        backend("c", 2, 30), backend("a", 2, 30), backend("b", 2, 30), backend("d", 1, 31), backend("e", 0, 30),
    };
    std::sort(candidates.begin(), candidates.end(), [](const auto& x, const auto& y) { return x.id < y.id; });
    LeastLoadStrategy strategy;
    int permutations = 0;
    do {
        auto placement = strategy.choose({}, candidates);
        ASSERT_TRUE(placement.index.has_value());
        // e: load 30 and no meetings beats a, b, c (load 30, 2 meetings) and d (31).
        ASSERT_EQ(candidates[*placement.index].id, "e");
        ++permutations;
    } while (std::next_permutation(candidates.begin(), candidates.end(),
                                   [](const auto& x, const auto& y) { return x.id < y.id; }));
    EXPECT_EQ(permutations, 120);
}

TEST(LeastLoadFactory, CreatesStrategyAndLogsReadiness) {
    test::FakeContext context;
    auto strategy = create(context);
    ASSERT_NE(strategy, nullptr);
    EXPECT_EQ(context.recordingLogger().count("strategy_ready"), 1u);
    std::vector<BackendCandidate> candidates = {backend("a", 1, 1)};
    EXPECT_EQ(strategy->choose({}, candidates).index, std::optional<std::size_t>(0));
}

TEST(LeastLoadFactory, DeclaresNoConfigKeys) {
    EXPECT_EQ(kConfigKeys.size(), 0u);
}

}  // namespace
}  // namespace b3s::balancer::least_load
