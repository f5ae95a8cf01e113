#include "least_load_strategy.hpp"

#include <b3s/plugin/errors.hpp>
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

BackendCandidate withCpu(BackendCandidate b, double cpu) {
    b.host_figures = plugin::HostFigures{};
    b.host_figures->cpu = cpu;
    return b;
}

TEST(LeastLoadCpuLimit, PassesOverABusyCpuWhileAnotherIsBelowTheLimit) {
    LeastLoadStrategy strategy(0.9);
    // The hot node has the lowest load by attendees, but its CPU is saturated.
    const std::vector<BackendCandidate> candidates = {withCpu(backend("hot", 1, 10), 0.97),
                                                      withCpu(backend("cool", 3, 200), 0.4), backend("blind", 5, 300)};
    const auto placement = strategy.choose({}, candidates);
    ASSERT_TRUE(placement.index);
    EXPECT_EQ(candidates[*placement.index].id, "cool");
    EXPECT_NE(placement.reason.find("1 busier skipped"), std::string::npos) << placement.reason;
    // The load shown to operators stays the attendee figure: the CPU limit is a filter.
    EXPECT_EQ(strategy.load(candidates[0], 0), loadOf(candidates[0]));
}

TEST(LeastLoadCpuLimit, EveryBackendBusyStillPlacesOnTheLightest) {
    LeastLoadStrategy strategy(0.9);
    const std::vector<BackendCandidate> candidates = {withCpu(backend("a", 5, 300), 0.95),
                                                      withCpu(backend("b", 1, 10), 0.99)};
    const auto placement = strategy.choose({}, candidates);
    ASSERT_TRUE(placement.index);
    EXPECT_EQ(candidates[*placement.index].id, "b");
    EXPECT_NE(placement.reason.find("every eligible backend reports its CPU above 0.9"), std::string::npos)
        << placement.reason;
}

TEST(LeastLoadCpuLimit, OffAtOneAndUnreportedCpuIsNeverHot) {
    const std::vector<BackendCandidate> candidates = {withCpu(backend("hot", 1, 10), 0.99),
                                                      withCpu(backend("cool", 3, 200), 0.1)};
    LeastLoadStrategy off(1.0);
    EXPECT_EQ(candidates[*off.choose({}, candidates).index].id, "hot");
    LeastLoadStrategy on(0.5);
    EXPECT_FALSE(runsHot(withCpu(backend("x", 0, 0), -1), 0.5)) << "-1: the agent did not report the CPU";
    EXPECT_FALSE(runsHot(backend("x", 0, 0), 0.05)) << "no agent figures";
    EXPECT_TRUE(runsHot(withCpu(backend("x", 0, 0), 0.51), 0.5));
    EXPECT_FALSE(runsHot(withCpu(backend("x", 0, 0), 0.5), 0.5)) << "at the limit is not above it";
    EXPECT_EQ(candidates[*on.choose({}, candidates).index].id, "cool");
}

TEST(LeastLoadFactory, ReadsTheCpuLimitAndRefusesNonsense) {
    EXPECT_EQ(kConfigKeys.size(), 1u);
    test::FakeContext defaults;
    EXPECT_DOUBLE_EQ(parseCpuLimit(defaults.config()), 0.9);
    test::FakeContext empty{{kCpuLimitKey, ""}};
    EXPECT_DOUBLE_EQ(parseCpuLimit(empty.config()), 0.9) << "empty is unset, as for every variable";
    for (const char* good : {"0.05", "0.75", "1"}) {
        test::FakeContext context{{kCpuLimitKey, good}};
        EXPECT_NO_THROW(create(context)) << good;
    }
    for (const char* bad : {"0", "0.01", "1.5", "90%", "abc", "nan", "-0.5"}) {
        test::FakeContext context{{kCpuLimitKey, bad}};
        try {
            create(context);
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const plugin::ConfigError& e) {
            EXPECT_NE(std::string(e.what()).find(kCpuLimitKey), std::string::npos) << e.what();
        }
    }
}

}  // namespace
}  // namespace b3s::balancer::least_load
