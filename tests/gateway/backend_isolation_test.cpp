// Per-backend and per-tenant limits through a real b3scaled. A frozen backend costs its own meetings a clear BBB error
// and nobody else anything, through a real b3scaled: with 100 calls at once to meetings on a backend that stopped
// answering, another tenant's calls on a healthy backend and /healthz are answered at once, and the frozen meeting's
// callers get FAILED after the bounded wait (B3SCALE_BACKEND_CALL_WAIT_MS) instead of all of them waiting for the
// response timeout.

#include "gateway_cluster.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <thread>
#include <vector>

namespace b3s::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr const char* kFrozenTenant = "frozen-tenant";
constexpr const char* kFrozenSecret = "frozen-tenant-secret-0123456789abcdef";
constexpr const char* kOtherTenant = "other-tenant";
constexpr const char* kOtherSecret = "other-tenant-secret-0123456789abcdef";

TEST(BackendIsolationTest, AFrozenBackendCostsItsOwnMeetingsAndNobodyElse) {
    GatewayClusterOptions options;
    options.backends = 2;
    // Small numbers, so that without the per-backend limit the frozen calls would hold every
    // handler thread (16) for the whole response timeout (4 s).
    options.extra_env = {{"B3SCALE_HTTP_MAX_THREADS", "16"},
                         {"B3SCALE_BACKEND_MAX_CALLS", "4"},
                         {"B3SCALE_BACKEND_CALL_WAIT_MS", "50"},
                         {"B3SCALE_BACKEND_RESPONSE_TIMEOUT_MS", "4000"},
                         {"B3SCALE_POLL_FAIL_COUNT", "100"}};
    GatewayCluster cluster(options);
    cluster.addFrontend(kFrozenTenant, kFrozenSecret, R"({"required_tags":["frozen"]})");
    cluster.addFrontend(kOtherTenant, kOtherSecret, R"({"required_tags":["healthy"]})");
    cluster.addBackend(0, {"frozen"});
    cluster.addBackend(1, {"healthy"});
    cluster.start();
    ASSERT_TRUE(cluster.waitForView(2, 2));
    ASSERT_TRUE(
        answered(cluster.call(kFrozenTenant, kFrozenSecret, "create", "meetingID=stuck&name=Stuck"), "SUCCESS"));
    ASSERT_TRUE(answered(cluster.call(kOtherTenant, kOtherSecret, "create", "meetingID=fine&name=Fine"), "SUCCESS"));

    cluster.backend(0).setFault(bbb::Fault::hang(std::chrono::seconds(6)));
    std::atomic<int> failed{0}, succeeded{0};
    std::vector<double> frozen_ms(100, 0);
    std::vector<std::thread> callers;
    for (int i = 0; i < 100; ++i)
        callers.emplace_back([&, i] {
            const auto asked = Clock::now();
            const auto r = cluster.call(kFrozenTenant, kFrozenSecret, "getMeetingInfo", "meetingID=stuck");
            frozen_ms[static_cast<std::size_t>(i)] =
                std::chrono::duration<double, std::milli>(Clock::now() - asked).count();
            (answered(r, "FAILED") ? failed : succeeded)++;
        });
    std::this_thread::sleep_for(milliseconds(300));  // the frozen calls are in by now

    double worst_ms = 0;
    for (int i = 0; i < 10; ++i) {
        const auto asked = Clock::now();
        const auto r = cluster.call(kOtherTenant, kOtherSecret, "getMeetingInfo", "meetingID=fine");
        EXPECT_TRUE(answered(r, "SUCCESS")) << r.body;
        EXPECT_EQ(cluster.get("/healthz").status, 200);
        worst_ms = std::max(worst_ms, std::chrono::duration<double, std::milli>(Clock::now() - asked).count());
    }
    for (auto& t : callers) t.join();
    cluster.backend(0).setFault(bbb::Fault::none());

    RecordProperty("other_tenant_worst_ms", static_cast<int>(worst_ms));
    EXPECT_LT(worst_ms, 1500.0) << "another tenant waited for the frozen backend";
    EXPECT_EQ(failed.load(), 100) << "every caller of the frozen meeting gets a FAILED answer";
    std::sort(frozen_ms.begin(), frozen_ms.end());
    // All but the few in flight (4 per instance) got their answer after the wait, not the timeout.
    EXPECT_LT(frozen_ms[90], 3000.0) << "the 90th caller of the frozen meeting waited " << frozen_ms[90] << " ms";
}

// A tenant's own limits (operators set them in its settings): calls per second and meetings
// at once, each a FAILED answer with its own messageKey, another tenant untouched.
TEST(FrontendLimitsTest, RateAndMeetingLimitsAnswerFailedWithTheirOwnKeysAndTouchNobodyElse) {
    GatewayClusterOptions options;
    options.backends = 1;
    GatewayCluster cluster(options);
    cluster.addFrontend("chatty", "chatty-tenant-secret-0123456789abcdef",
                        R"({"rate_limit":{"requests_per_second":0.5,"burst":3}})");
    cluster.addFrontend("busy", "busy-tenant-secret-0123456789abcdef01", R"({"meetings_limit":{"limit":2}})");
    cluster.addFrontend(kOtherTenant, kOtherSecret);
    cluster.addAllBackends();
    cluster.start();
    ASSERT_TRUE(cluster.waitForView(3, 1));

    for (int i = 0; i < 3; ++i)
        EXPECT_TRUE(answered(cluster.call("chatty", "chatty-tenant-secret-0123456789abcdef", "getMeetings"), "SUCCESS"))
            << "within the burst: " << i;
    const auto limited = cluster.call("chatty", "chatty-tenant-secret-0123456789abcdef", "getMeetings");
    EXPECT_TRUE(answered(limited, "FAILED", "rateLimitExceeded")) << limited.body;
    EXPECT_TRUE(answered(cluster.call(kOtherTenant, kOtherSecret, "getMeetings"), "SUCCESS")) << "nobody else";
    EXPECT_NE(cluster.b3scaled().stderrText().find("bbb_rate_limited"), std::string::npos);

    const std::string busy_secret = "busy-tenant-secret-0123456789abcdef01";
    EXPECT_TRUE(answered(cluster.call("busy", busy_secret, "create", "meetingID=one&name=One"), "SUCCESS"));
    EXPECT_TRUE(answered(cluster.call("busy", busy_secret, "create", "meetingID=two&name=Two"), "SUCCESS"));
    const auto third = cluster.call("busy", busy_secret, "create", "meetingID=three&name=Three");
    EXPECT_TRUE(answered(third, "FAILED", "meetingsLimitReached")) << third.body;
    EXPECT_TRUE(answered(cluster.call("busy", busy_secret, "create", "meetingID=one&name=One"), "SUCCESS"))
        << "a repeated create of a running meeting is no new meeting";
    EXPECT_EQ(cluster.backend(0).callCount("create"), 3u) << "the refused one reached no backend";
    const auto other = cluster.call(kOtherTenant, kOtherSecret, "create", "meetingID=other&name=Other");
    EXPECT_TRUE(answered(other, "SUCCESS")) << other.body;
}

}  // namespace
}  // namespace b3s::test
