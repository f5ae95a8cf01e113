// Failover on join through a real b3scaled: a join of a meeting whose backend just died never
// sends the user there — not even before any poll noticed. The backend is checked with one
// short call when it is suspect (it failed a call or its last poll), and a dead one's meeting
// is re-created on another backend (once, whatever the number of joins at once) with the
// passwords its first backend generated; with no backend left the user gets the 503 page (or
// serverUnavailable), and the meeting is kept for when one is back. Healthy backends' joins
// are not checked.

#include "gateway_cluster.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "fake_bbb/sign_query.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <chrono>
#include <functional>
#include <thread>

namespace b3s::test {
namespace {

using core::bbb::encodeMeetingId;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr const char* kKey = "tenant";
constexpr const char* kSecret = "tenant-secret-for-failover-tests-0123456789";
constexpr const char* kJoin = "meetingID=m&fullName=Alice&role=VIEWER";

bool eventually(const std::function<bool()>& condition, milliseconds timeout = milliseconds(10'000)) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(milliseconds(20));
    }
    return condition();
}

bool isHtml(const HttpResult& r) {
    return r.content_type.rfind("text/html", 0) == 0;
}

class GatewayFailoverTest : public ::testing::Test {
protected:
    void start(Env extra = {}) {
        GatewayClusterOptions options;
        options.backends = 2;
        // Polls never take a backend offline here: what the tests see is the join's own doing.
        options.extra_env = {{"B3SCALE_POLL_FAIL_COUNT", "100"}, {"B3SCALE_POLL_RECOVER_COUNT", "1"}};
        for (auto& [k, v] : extra) options.extra_env[k] = v;
        cluster_ = std::make_unique<GatewayCluster>(options);
        cluster_->addFrontend(kKey, kSecret);
        rows_.push_back(cluster_->addBackend(0, {"b0"}));
        rows_.push_back(cluster_->addBackend(1, {"b1"}));
        cluster_->start();
        ASSERT_TRUE(cluster_->waitForView(1, 2)) << cluster_->b3scaled().stderrText();
        // Prefers backend 0 (not required, so it may move).
        const auto created = call("create", "meetingID=m&name=Room&meta_server-tag=b0");
        ASSERT_TRUE(answered(created, "SUCCESS")) << created.status << " " << created.body;
        ASSERT_TRUE(a().meeting(encoded_));
        attendee_pw_ = a().meeting(encoded_)->attendeePw;
        ASSERT_EQ(call("join", kJoin).location.rfind(a().baseUrl(), 0), 0u) << "on backend 0 first";
        EXPECT_EQ(a().callCount("isMeetingRunning"), 0u) << "a healthy backend's join is not checked";
    }
    HttpResult call(const std::string& name, const std::string& query = "") {
        return cluster_->call(kKey, kSecret, name, query);
    }
    bbb::FakeBbbServer& a() { return cluster_->backend(0); }
    bbb::FakeBbbServer& b() { return cluster_->backend(1); }
    bool redirectedTo(const HttpResult& r, bbb::FakeBbbServer& backend) {
        return r.status == 302 && r.location.rfind(backend.baseUrl() + "join?", 0) == 0;
    }
    // A frontend asks about the meeting (as Greenlight does before a join) and the dead
    // backend does not answer: the gateway now knows it failed a call.
    void failACall() { EXPECT_TRUE(answered(call("isMeetingRunning", "meetingID=m"), "FAILED", "internalError")); }
    bool logged(const std::string& event) { return cluster_->b3scaled().stderrText().find(event) != std::string::npos; }

    std::unique_ptr<GatewayCluster> cluster_;
    std::vector<core::store::Backend> rows_;
    const std::string encoded_ = encodeMeetingId(kKey, "m");
    std::string attendee_pw_;
};

TEST_F(GatewayFailoverTest, JoinOfAMeetingOnADeadBackendGoesToTheMeetingRecreatedElsewhere) {
    start();
    a().takeDown();
    failACall();
    const auto r = call("join", kJoin);
    EXPECT_TRUE(redirectedTo(r, b())) << r.status << " " << r.location;
    ASSERT_TRUE(b().meeting(encoded_)) << "the meeting now runs on backend 1";
    EXPECT_EQ(b().meeting(encoded_)->attendeePw, attendee_pw_) << "with the passwords frontends handed out";
    EXPECT_EQ(b().meeting(encoded_)->createCalls, 1);
    // The user's own join URL works there.
    EXPECT_EQ(httpRequest("GET", "127.0.0.1", b().port(), r.location.substr(b().serverUrl().size())).status, 302);
    EXPECT_TRUE(logged("join_backend_check_failed"));
    // Everyone after goes there too, and sees it running there.
    EXPECT_TRUE(redirectedTo(call("join", "meetingID=m&fullName=Bob&role=VIEWER"), b()));
    EXPECT_TRUE(answered(call("isMeetingRunning", "meetingID=m"), "SUCCESS"));
    EXPECT_EQ(b().callCount("create"), 1u);
}

TEST_F(GatewayFailoverTest, JoinWithoutRedirectIsAnsweredByTheNewBackend) {
    start();
    a().takeDown();
    failACall();
    const auto r = call("join", std::string(kJoin) + "&redirect=false");
    EXPECT_TRUE(answered(r, "SUCCESS")) << r.body;
    EXPECT_EQ(b().callCount("join"), 1u);
}

// A backend that accepts connections and never answers: the check gives up after
// B3SCALE_JOIN_CHECK_TIMEOUT_MS, and the user goes to the new backend.
TEST_F(GatewayFailoverTest, JoinOfAMeetingOnAHungBackendMovesWithinTheCheckTimeout) {
    start({{"B3SCALE_JOIN_CHECK_TIMEOUT_MS", "500"}});
    // Its last poll failed (as the controller would have recorded it).
    core::store::PollRecord unstable;
    unstable.node_state = "unstable";
    unstable.failures = 1;
    unstable.last_error = "timed out";
    ASSERT_TRUE(cluster_->store().recordObservation(rows_[0].id, unstable));
    // The view has it once new meetings avoid backend 0 although they prefer it.
    int n = 0;
    ASSERT_TRUE(eventually([&] {
        const auto id = "probe-" + std::to_string(n++);
        call("create", "meetingID=" + id + "&name=Probe&meta_server-tag=b0");
        return b().meeting(encodeMeetingId(kKey, id)).has_value();
    }));
    a().setFault(bbb::Fault::hang(std::chrono::seconds(30)));
    const auto started = Clock::now();
    const auto r = call("join", kJoin);
    const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    EXPECT_TRUE(redirectedTo(r, b())) << r.status << " " << r.location;
    EXPECT_TRUE(b().meeting(encoded_));
    EXPECT_TRUE(logged("join_backend_check_failed"));
    EXPECT_LT(took.count(), 3000) << "the check's timeout, not the forwarded calls' 20 s";
}

// Suspect but alive: the check is answered and the join goes where the meeting is.
TEST_F(GatewayFailoverTest, ASuspectBackendThatAnswersKeepsItsMeeting) {
    start();
    core::store::PollRecord unstable;
    unstable.node_state = "unstable";
    unstable.failures = 1;
    unstable.last_error = "one poll timed out";
    ASSERT_TRUE(cluster_->store().recordObservation(rows_[0].id, unstable));
    ASSERT_TRUE(eventually([&] {
        call("join", kJoin);
        return a().callCount("isMeetingRunning") > 0;
    }));
    const auto r = call("join", kJoin);
    EXPECT_TRUE(redirectedTo(r, a())) << r.status << " " << r.location;
    EXPECT_FALSE(b().meeting(encoded_));
    EXPECT_EQ(b().callCount("create"), 0u);
}

TEST_F(GatewayFailoverTest, WithEveryBackendDeadTheUserWaitsAndTheMeetingIsKeptForLater) {
    start();
    a().takeDown();
    b().takeDown();
    failACall();
    const auto page = call("join", kJoin);
    EXPECT_EQ(page.status, 503);
    EXPECT_TRUE(isHtml(page)) << page.content_type;
    EXPECT_TRUE(page.location.empty()) << page.location;
    EXPECT_TRUE(answered(call("join", std::string(kJoin) + "&redirect=false"), "FAILED", "serverUnavailable"));
    EXPECT_EQ(call("join", kJoin).status, 503) << "still known, still nowhere to go";
    const auto row = cluster_->store().findMeeting(cluster_->store().findFrontendByKey(kKey)->id, encoded_);
    ASSERT_TRUE(row) << "the meeting is not forgotten";
    EXPECT_TRUE(row->lost_at);
    EXPECT_EQ(row->backend_id, rows_[0].id);

    // Backend 1 comes back: once a poll saw it, the next join re-creates the meeting there,
    // with the passwords of its first create.
    b().bringUp();
    HttpResult r;
    ASSERT_TRUE(eventually([&] {
        r = call("join", kJoin);
        return r.status == 302;
    })) << r.status
        << " " << r.body;
    EXPECT_TRUE(redirectedTo(r, b())) << r.location;
    ASSERT_TRUE(b().meeting(encoded_));
    EXPECT_EQ(b().meeting(encoded_)->attendeePw, attendee_pw_);
}

TEST_F(GatewayFailoverTest, TwentyJoinsAtOnceAfterTheDeathAllGoToOneNewBackendCreatedOnce) {
    start();
    a().takeDown();
    failACall();
    constexpr int kJoins = 20;
    std::vector<HttpResult> results(kJoins);
    std::barrier go(kJoins);
    std::vector<std::thread> threads;
    for (int i = 0; i < kJoins; ++i) {
        threads.emplace_back([&, i] {
            go.arrive_and_wait();
            results[static_cast<std::size_t>(i)] =
                call("join", "meetingID=m&fullName=User" + std::to_string(i) + "&role=VIEWER");
        });
    }
    for (auto& t : threads) t.join();
    for (const auto& r : results) EXPECT_TRUE(redirectedTo(r, b())) << r.status << " " << r.location;
    EXPECT_EQ(b().callCount("create"), 1u);
    ASSERT_TRUE(b().meeting(encoded_));
    EXPECT_EQ(b().meeting(encoded_)->createCalls, 1);
}

}  // namespace
}  // namespace b3s::test
