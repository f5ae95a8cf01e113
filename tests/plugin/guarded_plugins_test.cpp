// Core's guard around every plugin call, on real libraries through the real loader: a plugin
// that declares itself not thread-safe is never entered by two calls at once, and a plugin
// that throws is answered cleanly and named in the log.

#include "captured_log.hpp"
#include "load_test_support.hpp"
#include "log/log_sink.hpp"
#include "plugin/plugin_guard.hpp"
#include "plugin/plugin_set.hpp"

#include <b3s/plugin/auth.hpp>
#include <b3s/plugin/balancer.hpp>
#include <manual_core_clock.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace b3s::test {
namespace {

using core::plugin::PluginLoader;

// The most calls `balancer` ever had running at once after 8 threads × 25 choose()/load() pairs.
int maxConcurrency(plugin::BalancerStrategy& balancer) {
    const std::vector<plugin::BackendCandidate> candidates(1);
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 25; ++i) {
                balancer.choose({}, candidates);
                balancer.load(candidates[0], 0);
            }
        });
    for (auto& t : threads) t.join();
    plugin::BackendCandidate probe;
    probe.id = "probe:max";
    return static_cast<int>(balancer.load(probe, 0));
}

TEST(GuardedPlugins, APluginThatIsNotThreadSafeIsCalledOneCallAtATime) {
    auto env = environment();
    ManualCoreClock clock;
    PluginLoader loader(kFixtureDir, env, clock);

    auto serial = loader.load<plugin::BalancerStrategy>("serial_probe");
    EXPECT_FALSE(serial.thread_safe);
    EXPECT_EQ(maxConcurrency(*core::plugin::guarded(serial)), 1);

    // The same code declared thread-safe is entered concurrently, so the probe can see it.
    auto concurrent = loader.load<plugin::BalancerStrategy>("concurrent_probe");
    EXPECT_TRUE(concurrent.thread_safe);
    EXPECT_GT(maxConcurrency(*core::plugin::guarded(concurrent)), 1);
}

TEST(GuardedPlugins, AThrowingBalancerPlacesNothingAndIsNamedInTheLog) {
    auto env = environment();
    ManualCoreClock clock;
    PluginLoader loader(kFixtureDir, env, clock);
    auto balancer = core::plugin::guarded(loader.load<plugin::BalancerStrategy>("throwing_calls"));
    CapturedLog log;

    const std::vector<plugin::BackendCandidate> candidates(2);
    const auto placement = balancer->choose({}, candidates);
    EXPECT_FALSE(placement.index.has_value());
    EXPECT_EQ(placement.reason, "the balancer plugin 'throwing_calls' failed in choose");
    EXPECT_TRUE(std::isnan(balancer->load(candidates[0], 0)));  // shown as unknown, never a made-up figure

    const auto text = log.text();
    EXPECT_NE(text.find(R"("message":"plugin_call_failed","kind":"balancer","name":"throwing_calls",)"
                        R"("method":"choose","error":"choose exploded")"),
              std::string::npos)
        << text;
    EXPECT_NE(text.find(R"("method":"load","error":"an exception that is not a std::exception")"), std::string::npos)
        << text;
}

TEST(GuardedPlugins, AThrowingAuthPluginIsAnErrorNeverAnAllowedRequest) {
    auto env = environment();
    ManualCoreClock clock;
    PluginLoader loader(kFixtureDir, env, clock);
    auto auth = core::plugin::guarded(loader.load<plugin::Authenticator>("throwing"));
    CapturedLog log;
    try {
        auth->authorize("any.token.here", plugin::ApiAction::BackendsList);
        FAIL() << "a throwing auth plugin must not produce a decision";
    } catch (const core::plugin::PluginCallError& e) {
        EXPECT_STREQ(e.what(), "the auth plugin 'throwing' failed in authorize");
    }
    EXPECT_NE(log.text().find(R"("kind":"auth","name":"throwing","method":"authorize","error":"authorize exploded")"),
              std::string::npos)
        << log.text();
}

}  // namespace
}  // namespace b3s::test
