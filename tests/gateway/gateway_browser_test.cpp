// What a browser sees when it joins through b3scale: the retry page while a meeting is being
// created (signed, expiring, re-checking), HTML pages with the right status and content type
// for unknown meetings, full frontends and unavailable backends, and nothing user-supplied
// unescaped. API clients (redirect=false) get BBB XML for the same cases.

#include "gateway_cluster.hpp"

#include "bbb/meeting_id_codec.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace b3s::test {
namespace {

using core::bbb::encodeMeetingId;

constexpr const char* kKey = "tenant";
constexpr const char* kSecret = "tenant-secret";

class GatewayBrowserTest : public ::testing::Test {
protected:
    void start(const std::string& settings = "{}") {
        GatewayClusterOptions options;
        options.backends = 1;
        cluster_ = std::make_unique<GatewayCluster>(options);
        frontend_ = cluster_->addFrontend(kKey, kSecret, settings);
        backends_ = cluster_->addAllBackends();
        cluster_->start();
    }
    HttpResult join(const std::string& query) { return cluster_->call(kKey, kSecret, "join", query); }
    // Repeats `request` until `done` holds (the change feed delivers within milliseconds).
    template <class Request, class Done>
    HttpResult eventually(Request request, Done done) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        HttpResult r = request();
        while (!done(r) && std::chrono::steady_clock::now() < deadline) {
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
            r = request();
        }
        return r;
    }

    std::unique_ptr<GatewayCluster> cluster_;
    core::store::Frontend frontend_;
    std::vector<core::store::Backend> backends_;
};

bool isHtml(const HttpResult& r) {
    return r.content_type.rfind("text/html", 0) == 0;
}

TEST_F(GatewayBrowserTest, JoinWhileTheMeetingIsBeingCreatedWaitsOnASignedRetryPage) {
    start();
    // Placed by some instance, the backend's acknowledgement not in yet.
    core::store::Meeting pending;
    pending.id = encodeMeetingId(kKey, "m1");
    pending.frontend_id = frontend_.id;
    pending.backend_id = backends_[0].id;
    cluster_->store().insertMeeting(pending);

    const std::string query = "meetingID=m1&fullName=Ada&role=VIEWER";
    auto r = eventually([&] { return join(query); }, [](const HttpResult& x) { return x.status == 302; });
    ASSERT_EQ(r.status, 302) << r.body;
    EXPECT_TRUE(isHtml(r));
    ASSERT_EQ(r.location.rfind("/b3s/retry-join/", 0), 0u) << r.location;

    auto page = cluster_->get(r.location);
    EXPECT_EQ(page.status, 200);
    EXPECT_TRUE(isHtml(page)) << page.content_type;
    // It re-requests the original join (escaped into the attribute) after a moment.
    const auto original = GatewayCluster::target(kKey, kSecret, "join", query);
    std::string escaped;
    for (char c : original) escaped += c == '&' ? std::string("&amp;") : std::string(1, c);
    EXPECT_NE(page.body.find("http-equiv=\"refresh\" content=\"2; url=" + escaped + "\""), std::string::npos)
        << page.body;

    // The link is signed: any change makes it a dead end, not a redirect.
    std::string forged = r.location;
    forged[forged.size() / 2 + 3] = forged[forged.size() / 2 + 3] == 'x' ? 'y' : 'x';
    auto bad = cluster_->get(forged);
    EXPECT_EQ(bad.status, 404);
    EXPECT_TRUE(isHtml(bad));
    EXPECT_EQ(bad.body.find("refresh"), std::string::npos);
    // API clients are told the meeting is not there yet.
    EXPECT_TRUE(answered(join(query + "&redirect=false"), "FAILED", "invalidMeetingIdentifier"));

    // Once the backend acknowledged the create, the same join goes to the meeting.
    ASSERT_TRUE(cluster_->store().markMeetingCreated(frontend_.id, pending.id, backends_[0].id, "int-1", "{}"));
    r = eventually([&] { return join(query); },
                   [](const HttpResult& x) { return x.location.find("/b3s/") == std::string::npos; });
    EXPECT_EQ(r.status, 302);
    EXPECT_EQ(r.location.rfind(cluster_->backend(0).baseUrl() + "join?", 0), 0u) << r.location;
}

TEST_F(GatewayBrowserTest, UnknownMeetingIsAnHtmlPageWithEverythingEscaped) {
    start();
    auto r = join("meetingID=%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E&fullName=%3Cb%3EEve%3C%2Fb%3E");
    EXPECT_EQ(r.status, 404);
    EXPECT_TRUE(isHtml(r)) << r.content_type;
    EXPECT_EQ(r.body.find("<script>alert(1)"), std::string::npos);
    EXPECT_EQ(r.body.find("<b>Eve"), std::string::npos);
    EXPECT_EQ(r.body.find("checksum=\""), std::string::npos);
    EXPECT_TRUE(answered(join("meetingID=nope&fullName=Eve&redirect=false"), "FAILED", "invalidMeetingIdentifier"));
}

TEST_F(GatewayBrowserTest, MeetingOnAnUnavailableBackendGetsAPageNotAnError) {
    start();
    ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "create", "meetingID=m2&name=Two"), "SUCCESS"));
    // The only backend is offline: the meeting cannot be re-created anywhere.
    core::store::PollRecord offline;
    offline.node_state = "offline";
    offline.last_error = "unreachable";
    ASSERT_TRUE(cluster_->store().recordObservation(backends_[0].id, offline));
    auto r = eventually([&] { return join("meetingID=m2&fullName=Ada&role=VIEWER"); },
                        [](const HttpResult& x) { return x.status == 503; });
    EXPECT_EQ(r.status, 503);
    EXPECT_TRUE(isHtml(r));
    EXPECT_TRUE(answered(join("meetingID=m2&fullName=Ada&role=VIEWER&redirect=false"), "FAILED", "serverUnavailable"));
}

// attendees_limit counts the frontend's attendees from the backends' own answers plus the
// joins redirected since, so a burst of joins cannot overshoot it.
TEST_F(GatewayBrowserTest, AttendeeLimitIsCheckedOnFreshNumbers) {
    start(R"({"attendees_limit": {"limit": 3}})");
    ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "create", "meetingID=full&name=Full"), "SUCCESS"));
    ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "create", "meetingID=other&name=Other"), "SUCCESS"));
    // Two people already in one meeting (a poll would not know yet), one join on the way.
    cluster_->backend(0).setAttendees(encodeMeetingId(kKey, "full"), 2);
    EXPECT_EQ(join("meetingID=other&fullName=A&role=VIEWER").status, 302);
    // 2 present + 1 redirected = the limit: the next is refused, in the other meeting too.
    auto refused = join("meetingID=full&fullName=B&role=VIEWER");
    EXPECT_EQ(refused.status, 403);
    EXPECT_TRUE(isHtml(refused));
    EXPECT_TRUE(
        answered(join("meetingID=other&fullName=B&role=VIEWER&redirect=false"), "FAILED", "maxParticipantsReached"));
    // People leave; once the count is fresh again (at most 2 s old), joins are let in.
    cluster_->backend(0).setAttendees(encodeMeetingId(kKey, "full"), 0);
    cluster_->backend(0).setAttendees(encodeMeetingId(kKey, "other"), 0);
    auto r = eventually([&] { return join("meetingID=full&fullName=C&role=VIEWER"); },
                        [](const HttpResult& x) { return x.status == 302; });
    EXPECT_EQ(r.status, 302);
}

TEST_F(GatewayBrowserTest, FrontendsWithoutALimitNeverAskBackendsOnJoin) {
    start();
    ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "create", "meetingID=free&name=Free"), "SUCCESS"));
    cluster_->backend(0).resetCounters();
    for (int i = 0; i < 20; ++i) EXPECT_EQ(join("meetingID=free&fullName=U&role=VIEWER").status, 302);
    EXPECT_EQ(cluster_->backend(0).totalCalls(), 0u) << "join is answered from memory";
}

}  // namespace
}  // namespace b3s::test
