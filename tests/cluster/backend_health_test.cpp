// The health hysteresis of a backend, poll by poll (cluster/backend_health.hpp): when it stops
// taking new meetings, when its meetings are lost, when it comes back, and that a backend
// which answers every other poll never flaps between in and out of routing.

#include "cluster/backend_health.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace b3s::test {
namespace {

using core::cluster::HealthRule;
using core::cluster::HealthStep;
using core::cluster::nextHealth;

// Runs a sequence of poll outcomes from `state` and returns every step.
std::vector<HealthStep> run(std::string state, const std::vector<bool>& polls, HealthRule rule = {3, 2}) {
    std::vector<HealthStep> steps;
    int failures = 0;
    int successes = 0;
    for (const bool ok : polls) {
        auto step = nextHealth(state, failures, successes, ok, rule);
        state = step.node_state;
        failures = step.failures;
        successes = step.successes;
        steps.push_back(step);
    }
    return steps;
}

std::vector<std::string> states(const std::vector<HealthStep>& steps) {
    std::vector<std::string> out;
    for (const auto& s : steps) out.push_back(s.node_state);
    return out;
}

using States = std::vector<std::string>;

TEST(BackendHealthTest, NewBackendIsReadyAfterItsFirstAnswer) {
    const auto steps = run("init", {true});
    EXPECT_EQ(states(steps), States{"ready"});
    EXPECT_TRUE(steps[0].changed);
    EXPECT_FALSE(steps[0].went_offline);
}

TEST(BackendHealthTest, FirstFailureStopsNewMeetingsAndTheThirdLosesItsMeetings) {
    const auto steps = run("ready", {false, false, false, false});
    EXPECT_EQ(states(steps), (States{"unstable", "unstable", "offline", "offline"}));
    EXPECT_EQ(steps[2].failures, 3);
    // Meetings are marked lost once, when it goes offline, not at every later failure.
    EXPECT_FALSE(steps[1].went_offline);
    EXPECT_TRUE(steps[2].went_offline);
    EXPECT_FALSE(steps[3].went_offline);
    EXPECT_FALSE(steps[3].changed);
}

TEST(BackendHealthTest, OfflineBackendNeedsTheRecoverCountInARow) {
    auto steps = run("offline", {true, false, true, true});
    EXPECT_EQ(states(steps), (States{"offline", "offline", "offline", "ready"}));
    EXPECT_FALSE(steps[1].went_offline) << "already offline";
    steps = run("unstable", {true, true}, {3, 2});
    EXPECT_EQ(states(steps), (States{"unstable", "ready"}));
}

TEST(BackendHealthTest, BackendAnsweringEveryOtherPollStaysOutOfRoutingButKeepsItsMeetings) {
    std::vector<bool> flapping;
    for (int i = 0; i < 20; ++i) flapping.push_back(i % 2 == 1);  // fail, answer, fail, …
    const auto steps = run("ready", flapping);
    for (std::size_t i = 0; i < steps.size(); ++i) {
        EXPECT_EQ(steps[i].node_state, "unstable") << "poll " << i;
        EXPECT_FALSE(steps[i].went_offline) << "poll " << i;
    }
    // Only the first step changes anything: routing does not flap.
    EXPECT_TRUE(steps[0].changed);
    for (std::size_t i = 1; i < steps.size(); ++i) EXPECT_FALSE(steps[i].changed) << "poll " << i;
}

TEST(BackendHealthTest, ThresholdsOfOneMakeItImmediate) {
    EXPECT_EQ(states(run("ready", {false, true}, {1, 1})), (States{"offline", "ready"}));
    EXPECT_TRUE(run("ready", {false}, {1, 1})[0].went_offline);
}

TEST(BackendHealthTest, BeforeTheFirstAnswerFailuresCountTowardsOffline) {
    // A backend added with a typo in its host never gets meetings and never loses any.
    const auto steps = run("init", {false, false, false});
    EXPECT_EQ(states(steps), (States{"unstable", "unstable", "offline"}));
}

TEST(BackendHealthTest, GoErrorStateOfAMigratedDatabaseIsReadAsOffline) {
    const auto steps = run("error", {false, true, true});
    EXPECT_EQ(states(steps), (States{"offline", "offline", "ready"}));
    EXPECT_FALSE(steps[0].went_offline) << "its meetings were never ours to lose";
}

}  // namespace
}  // namespace b3s::test
