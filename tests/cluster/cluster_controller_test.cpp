// The cluster controller through a real b3scaled, real PostgreSQL and fake BBB backends with
// injected faults: health from polls alone (no agent), load from polls, drain and
// decommission, a killed backend's meetings re-created elsewhere on their next join or
// create, flapping that does not flap routing, the reconciler, several instances sharing the
// polls, and a PostgreSQL restart survived. (The controller's in-process housekeeping is
// controller_housekeeping_test.cpp, a unit test.)

#include "gateway_cluster.hpp"
#include "pg_test_database.hpp"

#include "bbb/meeting_id_codec.hpp"

#include <Poco/URI.h>

#include <gtest/gtest.h>

#include <atomic>
#include <barrier>
#include <chrono>
#include <csignal>
#include <functional>
#include <iostream>
#include <optional>
#include <thread>

namespace b3s::test {
namespace {

using core::bbb::encodeMeetingId;
using core::store::AdminState;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr const char* kKey = "tenant";
constexpr const char* kSecret = "tenant-secret";

bool eventually(const std::function<bool()>& condition, milliseconds timeout = milliseconds(8000)) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(milliseconds(20));
    }
    return condition();
}

// Polls five times a second; a backend is offline after three failures in a row (about half
// a second after it died) and ready again after two answers.
Env fastPolls() {
    return {{"B3SCALE_POLL_INTERVAL", "200ms"},
            {"B3SCALE_POLL_RETRY_INTERVAL", "100ms"},
            {"B3SCALE_POLL_TIMEOUT_MS", "300"},
            {"B3SCALE_BACKEND_CONNECT_TIMEOUT_MS", "300"},
            {"B3SCALE_BACKEND_RESPONSE_TIMEOUT_MS", "1000"},
            {"B3SCALE_POLL_FAIL_COUNT", "3"},
            {"B3SCALE_POLL_RECOVER_COUNT", "2"}};
}

// GET of an absolute http://127.0.0.1 URL (where b3scale sent a browser).
HttpResult getUrl(const std::string& url) {
    const Poco::URI uri(url);
    return httpRequest("GET", uri.getHost(), uri.getPort(), uri.getPathAndQuery());
}

class ClusterControllerTest : public ::testing::Test {
protected:
    void start(int backends = 2, Env extra = fastPolls(), std::string pg_cluster_url = {},
               Connector connector = Connector::Postgres) {
        GatewayClusterOptions options;
        options.backends = backends;
        options.connector = connector;
        options.extra_env = std::move(extra);
        options.pg_cluster_url = std::move(pg_cluster_url);
        cluster_ = std::make_unique<GatewayCluster>(options);
        cluster_->addFrontend(kKey, kSecret);
        rows_ = cluster_->addAllBackends();
        cluster_->start();
        ASSERT_TRUE(cluster_->waitForView(1, rows_.size())) << cluster_->b3scaled().stderrText();
    }
    HttpResult call(const std::string& name, const std::string& query, const B3scaledProcess* process = nullptr) {
        return cluster_->call(kKey, kSecret, name, query, process);
    }
    HttpResult create(const std::string& id, const std::string& extra = "", const B3scaledProcess* process = nullptr) {
        return call("create", "meetingID=" + id + "&name=Room+" + id + extra, process);
    }
    HttpResult join(const std::string& id, const std::string& extra = "") {
        return call("join", "meetingID=" + id + "&fullName=Ada&role=VIEWER" + extra);
    }
    bbb::FakeBbbServer& fake(std::size_t i) { return cluster_->backend(i); }
    /// Index of the fake backend running meeting `id` of kKey, -1 when none, -2 when several.
    int holder(const std::string& id) {
        int found = -1;
        for (std::size_t i = 0; i < cluster_->backendCount(); ++i)
            if (fake(i).meeting(encodeMeetingId(kKey, id))) found = found == -1 ? static_cast<int>(i) : -2;
        return found;
    }
    std::optional<core::store::Backend> row(std::size_t i) { return cluster_->store().findBackend(rows_.at(i).id); }
    std::string nodeState(std::size_t i) {
        const auto r = row(i);
        return r ? r->node_state : "(deleted)";
    }
    std::size_t polls(std::size_t i) { return fake(i).callCount("getMeetings"); }
    /// Sets the admin state as an operator's tool does (read, change, write).
    void setAdminState(std::size_t i, AdminState state) {
        auto r = row(i);
        ASSERT_TRUE(r);
        r->admin_state = state;
        ASSERT_TRUE(cluster_->store().updateBackend(*r));
    }

    /// A PostgreSQL cluster of the test's own, declared before cluster_ so it outlives the
    /// database cluster_ creates on it.
    PgCluster& privateCluster() { return private_pg_.emplace(); }

    std::optional<PgCluster> private_pg_;
    std::unique_ptr<GatewayCluster> cluster_;
    std::vector<core::store::Backend> rows_;
};

// ---------------------------------------------------------------------------------------------
// Health and load from polls alone

TEST_F(ClusterControllerTest, BackendWithoutAgentIsPolledAndItsHealthLatencyAndLoadRecorded) {
    start(1);
    ASSERT_TRUE(answered(create("load"), "SUCCESS"));
    fake(0).setAttendees(encodeMeetingId(kKey, "load"), 7, 2, 3, 4, 1);
    ASSERT_TRUE(eventually([&] { return row(0)->attendees_count == 7; })) << "attendees " << row(0)->attendees_count;
    const auto r = *row(0);
    EXPECT_EQ(r.node_state, "ready");
    EXPECT_EQ(r.meetings_count, 1);
    EXPECT_EQ(r.attendees_count, 7) << "participantCount already includes listeners and video";
    EXPECT_GT(r.latency, 0);
    EXPECT_FALSE(r.last_error);
    EXPECT_FALSE(r.agent_ref) << "no agent involved";
    EXPECT_GT(r.synced_at, rows_[0].created_at);
    // Roughly five polls a second, not more.
    fake(0).resetCounters();
    std::this_thread::sleep_for(milliseconds(1000));
    EXPECT_GE(polls(0), 3u);
    EXPECT_LE(polls(0), 7u);
}

TEST_F(ClusterControllerTest, StaleAgentHeartbeatDoesNotKeepABackendFromNewMeetings) {
    start(1);
    auto r = *row(0);
    r.agent_ref = "node-agent-1";
    r.agent_heartbeat = rows_[0].created_at - 3600LL * 1'000'000;  // an agent that died an hour ago
    ASSERT_TRUE(cluster_->store().updateBackend(r));
    ASSERT_TRUE(eventually([&] { return answered(create("despite-agent"), "SUCCESS"); }));
    EXPECT_EQ(holder("despite-agent"), 0);
}

TEST_F(ClusterControllerTest, FailedAnswerOfABackendIsItsLastErrorAndRemovesNothing) {
    start(1);
    ASSERT_TRUE(answered(create("kept"), "SUCCESS"));
    fake(0).setFault(bbb::Fault::failed("checksumError", "Checksums do not match"));
    ASSERT_TRUE(eventually([&] { return nodeState(0) == "unstable"; }));
    EXPECT_EQ(row(0)->last_error, "getMeetings answered FAILED: checksumError");
    // Unstable: no new meetings, but the running one is still served.
    EXPECT_TRUE(answered(create("refused"), "FAILED"));
    fake(0).setFault(bbb::Fault::none());
    ASSERT_TRUE(eventually([&] { return nodeState(0) == "ready"; }));
    EXPECT_FALSE(row(0)->last_error);
    EXPECT_TRUE(cluster_->store().findMeetingById(encodeMeetingId(kKey, "kept"))) << "a failed poll removes nothing";
    const auto j = join("kept");
    EXPECT_EQ(j.status, 302);
    EXPECT_EQ(j.location.rfind(fake(0).baseUrl(), 0), 0u) << j.location;
}

// ---------------------------------------------------------------------------------------------
// Drain and decommission

TEST_F(ClusterControllerTest, DrainKeepsJoinsWorkingAndSendsNewMeetingsElsewhere) {
    start(2);
    ASSERT_TRUE(answered(create("before-drain"), "SUCCESS"));
    const int drained = holder("before-drain");
    ASSERT_GE(drained, 0);
    const int other = 1 - drained;
    setAdminState(static_cast<std::size_t>(drained), AdminState::Stopped);
    // Until the edit reaches b3scaled's view a probe may still land there; then never again.
    // (least_load alternates between equal backends, so four in a row means the edit arrived.)
    ASSERT_TRUE(eventually([&, n = 0, in_a_row = 0]() mutable {
        const auto id = "probe-" + std::to_string(n++);
        in_a_row = answered(create(id), "SUCCESS") && holder(id) == other ? in_a_row + 1 : 0;
        return in_a_row >= 4;
    }));
    for (int i = 0; i < 6; ++i) {
        const auto id = "after-drain-" + std::to_string(i);
        ASSERT_TRUE(answered(create(id), "SUCCESS"));
        EXPECT_EQ(holder(id), other) << id;
    }
    const auto j = join("before-drain");
    ASSERT_EQ(j.status, 302);
    EXPECT_EQ(j.location.rfind(fake(static_cast<std::size_t>(drained)).baseUrl() + "join?", 0), 0u) << j.location;
    EXPECT_TRUE(answered(call("getMeetingInfo", "meetingID=before-drain"), "SUCCESS"));
    // A drained backend is still watched.
    const auto before = polls(static_cast<std::size_t>(drained));
    EXPECT_TRUE(eventually([&] { return polls(static_cast<std::size_t>(drained)) > before + 1; }));
    EXPECT_EQ(nodeState(static_cast<std::size_t>(drained)), "ready");
}

TEST_F(ClusterControllerTest, DecommissionedBackendIsRemovedAfterItsLastMeetingEnds) {
    start(2);
    ASSERT_TRUE(answered(create("last-one"), "SUCCESS"));
    const auto retiring = static_cast<std::size_t>(holder("last-one"));
    setAdminState(retiring, AdminState::Decommissioned);
    // While the meeting runs, the backend stays and serves it.
    std::this_thread::sleep_for(milliseconds(800));
    ASSERT_TRUE(row(retiring)) << "removed while a meeting still runs there";
    EXPECT_EQ(join("last-one").status, 302);
    // BBB ends it (the last user left); the next polls see it gone, then the backend goes.
    ASSERT_TRUE(fake(retiring).endMeeting(encodeMeetingId(kKey, "last-one")));
    ASSERT_TRUE(eventually([&] { return !row(retiring); })) << cluster_->b3scaled().stderrText();
    EXPECT_FALSE(cluster_->store().findMeetingById(encodeMeetingId(kKey, "last-one")));
    EXPECT_TRUE(cluster_->waitForView(1, 1)) << "b3scaled's view lost it too";
    EXPECT_TRUE(answered(call("isMeetingRunning", "meetingID=last-one"), "SUCCESS"));
    EXPECT_EQ(field(call("isMeetingRunning", "meetingID=last-one"), "running"), "false");
    // Polls of a removed backend stop.
    const auto after = polls(retiring);
    std::this_thread::sleep_for(milliseconds(600));
    EXPECT_LE(polls(retiring), after + 1);
}

// ---------------------------------------------------------------------------------------------
// Failover

TEST_F(ClusterControllerTest, KilledBackendGoesOfflineAndItsMeetingIsRecreatedElsewhereOnTheNextJoin) {
    start(2);
    ASSERT_TRUE(answered(create("survivor", "&meta_course=Maths+101&record=true"), "SUCCESS"));
    const auto dead = static_cast<std::size_t>(holder("survivor"));
    const auto alive = 1 - dead;
    const auto original = *fake(dead).meeting(encodeMeetingId(kKey, "survivor"));

    const auto killed_at = Clock::now();
    fake(dead).takeDown();
    ASSERT_TRUE(eventually([&] { return nodeState(dead) == "offline"; }));
    const auto offline_after = std::chrono::duration_cast<milliseconds>(Clock::now() - killed_at);
    // Next poll ≤ 200 ms, then two retries 100 ms apart (connections are refused at once).
    EXPECT_LT(offline_after.count(), 1500) << "offline after " << offline_after.count() << " ms";
    EXPECT_TRUE(row(dead)->last_error);
    EXPECT_TRUE(cluster_->store().findMeetingById(encodeMeetingId(kKey, "survivor"))->lost_at);

    const auto j = join("survivor");
    ASSERT_EQ(j.status, 302) << j.body;
    EXPECT_EQ(j.location.rfind(fake(alive).baseUrl() + "join?", 0), 0u) << j.location;
    const auto again = fake(alive).meeting(encodeMeetingId(kKey, "survivor"));
    ASSERT_TRUE(again) << "re-created on the live backend";
    EXPECT_EQ(again->attendeePw, original.attendeePw) << "join links handed out before still work";
    EXPECT_EQ(again->moderatorPw, original.moderatorPw);
    EXPECT_EQ(again->voiceBridge, original.voiceBridge) << "dial-in number kept where free";
    EXPECT_EQ(again->name, original.name);
    EXPECT_EQ(again->metadata.at("course"), "Maths 101");
    EXPECT_EQ(again->record, true);
    // The redirect works there, and everything else follows the meeting.
    EXPECT_EQ(getUrl(j.location).status, 302) << "the live backend accepts the signed join";
    EXPECT_EQ(field(call("isMeetingRunning", "meetingID=survivor"), "running"), "true");
    const auto placed = cluster_->store().findMeetingById(encodeMeetingId(kKey, "survivor"));
    EXPECT_EQ(placed->backend_id, rows_[alive].id);
    EXPECT_FALSE(placed->lost_at);
    EXPECT_EQ(fake(alive).callCount("create"), 1u);
}

// Polls an hour apart: only the hints can make b3scaled notice a dead backend in time.
Env hourlyPollsQuickRetries() {
    Env env = fastPolls();
    env["B3SCALE_POLL_INTERVAL"] = "1h";
    return env;
}

TEST_F(ClusterControllerTest, CallFindingABackendUnreachableBringsItsNextPollForward) {
    start(2, hourlyPollsQuickRetries());
    ASSERT_TRUE(answered(create("noticed"), "SUCCESS"));
    const auto dead = static_cast<std::size_t>(holder("noticed"));
    const auto alive = 1 - dead;
    fake(dead).takeDown();
    // A frontend's routine status question finds it dead (and gets a clean BBB answer)…
    EXPECT_TRUE(answered(call("getMeetingInfo", "meetingID=noticed"), "FAILED", "internalError"));
    // …so it is polled now, not in an hour: offline after the retries, and the next join
    // lands on the re-created meeting.
    ASSERT_TRUE(eventually([&] { return nodeState(dead) == "offline"; }, milliseconds(3000))) << nodeState(dead);
    const auto j = join("noticed");
    EXPECT_EQ(j.location.rfind(fake(alive).baseUrl(), 0), 0u) << j.status << " " << j.location;
}

TEST_F(ClusterControllerTest, AgentFallingSilentBringsItsBackendsNextPollForward) {
    Env env = hourlyPollsQuickRetries();
    env["B3SCALE_AGENT_HEARTBEAT_TIMEOUT"] = "500ms";
    start(1, env);
    auto r = *row(0);
    r.agent_ref = "node-agent-0";
    r.agent_heartbeat = core::SystemClock().nowMicros();  // alive a moment ago
    ASSERT_TRUE(cluster_->store().updateBackend(r));
    fake(0).resetCounters();
    std::this_thread::sleep_for(milliseconds(200));
    EXPECT_EQ(polls(0), 0u) << "a fresh heartbeat asks for nothing";
    // The node dies with its agent: no heartbeat, no calls from any frontend.
    fake(0).takeDown();
    ASSERT_TRUE(eventually([&] { return nodeState(0) == "offline"; }, milliseconds(4000))) << nodeState(0);
}

TEST_F(ClusterControllerTest, VoiceBridgeTakenOnTheNewBackendGivesWayToTheMeeting) {
    start(2);
    ASSERT_TRUE(answered(create("dial-in", "&voiceBridge=71234"), "SUCCESS"));
    const auto dead = static_cast<std::size_t>(holder("dial-in"));
    const auto alive = 1 - dead;
    // Someone else's meeting on the other backend uses the same dial-in number.
    ASSERT_EQ(getUrl(fake(alive).signedUrl("create", "meetingID=local&name=Local&voiceBridge=71234")).status, 200);
    fake(dead).takeDown();
    ASSERT_TRUE(eventually([&] { return nodeState(dead) == "offline"; }));
    const auto j = join("dial-in");
    ASSERT_EQ(j.location.rfind(fake(alive).baseUrl(), 0), 0u) << j.status << " " << j.body;
    const auto again = fake(alive).meeting(encodeMeetingId(kKey, "dial-in"));
    ASSERT_TRUE(again);
    EXPECT_NE(again->voiceBridge, "71234");
    EXPECT_FALSE(again->voiceBridge.empty());
}

TEST_F(ClusterControllerTest, CreateOfALostMeetingRecreatesItAsAFreshMeetingNotADuplicate) {
    // Greenlight's "start" after the users were thrown out: create, then join.
    start(2);
    ASSERT_TRUE(answered(create("room", "&attendeePW=ap&moderatorPW=mp"), "SUCCESS"));
    const auto dead = static_cast<std::size_t>(holder("room"));
    const auto alive = 1 - dead;
    fake(dead).takeDown();
    ASSERT_TRUE(eventually([&] { return nodeState(dead) == "offline"; }));
    const auto r = create("room", "&attendeePW=ap&moderatorPW=mp");
    ASSERT_TRUE(answered(r, "SUCCESS")) << r.body;
    EXPECT_EQ(field(r, "messageKey"), "") << "not a duplicateWarning: it is new where it runs now";
    EXPECT_EQ(field(r, "meetingID"), "room");
    EXPECT_TRUE(fake(alive).meeting(encodeMeetingId(kKey, "room")));
    const auto j = join("room");
    EXPECT_EQ(j.location.rfind(fake(alive).baseUrl(), 0), 0u) << j.location;
    // The dead backend comes back without the meeting (a restarted BBB): nothing changes.
    fake(dead).reset();
    fake(dead).bringUp();
    ASSERT_TRUE(eventually([&] { return nodeState(dead) == "ready"; }));
    EXPECT_EQ(cluster_->store().findMeetingById(encodeMeetingId(kKey, "room"))->backend_id, rows_[alive].id);
}

TEST_F(ClusterControllerTest, BackendBackWithItsMeetingsKeepsThemIfNobodyRecreatedThem) {
    start(2);
    ASSERT_TRUE(answered(create("patient"), "SUCCESS"));
    const auto flaky = static_cast<std::size_t>(holder("patient"));
    fake(flaky).setFault(bbb::Fault::failed());
    ASSERT_TRUE(eventually([&] { return nodeState(flaky) == "offline"; }));
    // The offline state and the lost marks are one transaction.
    EXPECT_TRUE(cluster_->store().findMeetingById(encodeMeetingId(kKey, "patient"))->lost_at.has_value());
    fake(flaky).setFault(bbb::Fault::none());
    ASSERT_TRUE(eventually([&] { return nodeState(flaky) == "ready"; }));
    ASSERT_TRUE(eventually([&] {
        return !cluster_->store().findMeetingById(encodeMeetingId(kKey, "patient"))->lost_at;
    })) << "it still runs there: found again";
    const auto j = join("patient");
    EXPECT_EQ(j.location.rfind(fake(flaky).baseUrl(), 0), 0u) << j.location;
    EXPECT_EQ(holder("patient"), static_cast<int>(flaky)) << "not re-created anywhere";
}

TEST_F(ClusterControllerTest, FlappingBackendStaysOutOfRoutingWithoutLosingItsMeetings) {
    start(2);
    ASSERT_TRUE(answered(create("steady"), "SUCCESS"));
    const auto flapper = static_cast<std::size_t>(holder("steady"));
    const auto other = 1 - flapper;
    // Every poll of the flapper alternates: fails, answers, fails, answers, … (in the fake
    // server itself, so no poll slips through however loaded the machine is).
    fake(flapper).setFault(bbb::Fault::flapping());
    ASSERT_TRUE(eventually([&] { return nodeState(flapper) == "unstable"; }));
    std::set<std::string> states;
    for (int i = 0; i < 20; ++i) {
        states.insert(nodeState(flapper));
        const auto id = "during-" + std::to_string(i);
        EXPECT_TRUE(answered(create(id), "SUCCESS"));
        EXPECT_EQ(holder(id), static_cast<int>(other)) << id << ": no new meeting on a flapping backend";
        std::this_thread::sleep_for(milliseconds(100));
    }
    const auto polls_seen = polls(flapper);
    fake(flapper).setFault(bbb::Fault::none());
    EXPECT_GE(polls_seen, 8u) << "it was polled through the flapping";
    EXPECT_EQ(states, std::set<std::string>{"unstable"}) << "never ready, never offline";
    EXPECT_FALSE(cluster_->store().findMeetingById(encodeMeetingId(kKey, "steady"))->lost_at);
    EXPECT_EQ(join("steady").location.rfind(fake(flapper).baseUrl(), 0), 0u) << "its meeting is still served there";
    ASSERT_TRUE(eventually([&] { return nodeState(flapper) == "ready"; })) << "back after two answers in a row";
}

// ---------------------------------------------------------------------------------------------
// Reconciler

TEST_F(ClusterControllerTest, MeetingsRunningWithoutUsAreAdoptedAndEndedOnesForgotten) {
    start(2);
    // A meeting the Go b3scale created before the take-over: same id encoding and metadata.
    const auto taken_over = encodeMeetingId(kKey, "from-go-b3scale");
    const auto direct = getUrl(fake(1).signedUrl(
        "create", "meetingID=" + taken_over + "&name=Old&attendeePW=ap&moderatorPW=mp&meta_b3s-frontend=" + kKey));
    ASSERT_EQ(direct.status, 200) << direct.body;
    // And one of nobody we know, on the same backend.
    ASSERT_EQ(getUrl(fake(1).signedUrl("create", "meetingID=someone-elses&name=Not+ours")).status, 200);

    ASSERT_TRUE(eventually([&] { return cluster_->store().findMeetingById(taken_over).has_value(); }));
    const auto j = join("from-go-b3scale");
    ASSERT_EQ(j.status, 302);
    EXPECT_EQ(j.location.rfind(fake(1).baseUrl(), 0), 0u) << j.location;
    EXPECT_NE(call("getMeetings", "").body.find("<meetingID>from-go-b3scale</meetingID>"), std::string::npos);
    EXPECT_FALSE(cluster_->store().findMeetingById("someone-elses")) << "not ours: left alone";
    EXPECT_EQ(row(1)->meetings_count, 2) << "but it counts as load";

    // BBB ends both meetings by itself; the store follows, no time-to-live involved.
    fake(1).endMeeting(taken_over);
    ASSERT_TRUE(eventually([&] { return !cluster_->store().findMeetingById(taken_over); }));
    EXPECT_EQ(field(call("isMeetingRunning", "meetingID=from-go-b3scale"), "running"), "false");
    EXPECT_TRUE(answered(call("getMeetingInfo", "meetingID=from-go-b3scale"), "FAILED", "notFound"));
}

// The soak's finding: a backend back after its meetings were re-created elsewhere kept running
// the old copies (counted as load, users split between two copies), and once the frontend
// ended such a meeting, its old copy was adopted back and served as running again.
TEST_F(ClusterControllerTest, ABackendBackAfterItsMeetingsMovedHasTheirCopiesEndedAndAnEndedOneStaysEnded) {
    start(3);
    // Both meetings on backend 0: the others take nothing new for a moment.
    setAdminState(1, AdminState::Stopped);
    setAdminState(2, AdminState::Stopped);
    std::this_thread::sleep_for(milliseconds(500));  // the change feed brings it to the view
    ASSERT_TRUE(answered(create("moved"), "SUCCESS"));
    ASSERT_EQ(holder("moved"), 0);
    ASSERT_TRUE(answered(create("ended"), "SUCCESS"));
    ASSERT_EQ(holder("ended"), 0);
    setAdminState(1, AdminState::Ready);
    setAdminState(2, AdminState::Ready);

    // Backend 0 is unreachable (its meetings run on, as behind a broken link): both are
    // re-created elsewhere by their next join, and "ended" is ended by its frontend there.
    fake(0).takeDown();
    ASSERT_TRUE(eventually([&] { return nodeState(0) == "offline"; }));
    ASSERT_EQ(join("moved").status, 302);
    ASSERT_EQ(join("ended").status, 302);
    ASSERT_TRUE(answered(call("end", "meetingID=ended"), "SUCCESS"));
    ASSERT_TRUE(fake(0).meeting(encodeMeetingId(kKey, "moved"))) << "the old copies still run on backend 0";
    ASSERT_TRUE(fake(0).meeting(encodeMeetingId(kKey, "ended")));
    const auto moved_to = holder("moved");
    ASSERT_TRUE(moved_to == -2) << "two copies while backend 0 is away";

    fake(0).bringUp();
    ASSERT_TRUE(eventually([&] {
        return !fake(0).meeting(encodeMeetingId(kKey, "moved")) && !fake(0).meeting(encodeMeetingId(kKey, "ended"));
    })) << "the stray copies are ended on the backend that came back";
    EXPECT_GE(fake(0).callCount("end"), 2u);
    const auto moved = cluster_->store().findMeetingById(encodeMeetingId(kKey, "moved"));
    ASSERT_TRUE(moved);
    EXPECT_NE(moved->backend_id, rows_[0].id) << "the meeting stays where it was re-created";
    EXPECT_GT(holder("moved"), 0) << "one copy, not on backend 0";
    EXPECT_EQ(join("moved").location.rfind(fake(static_cast<std::size_t>(holder("moved"))).baseUrl(), 0), 0u);
    // The ended meeting was not adopted back in the meantime, nor later.
    std::this_thread::sleep_for(milliseconds(600));  // three more polls of backend 0
    EXPECT_FALSE(cluster_->store().findMeetingById(encodeMeetingId(kKey, "ended")));
    EXPECT_EQ(field(call("isMeetingRunning", "meetingID=ended"), "running"), "false");
    const auto log = cluster_->b3scaled().stderrText();
    EXPECT_NE(log.find("stray_copy_ended"), std::string::npos);
    EXPECT_EQ(log.find("meeting_adopted"), std::string::npos) << log;
}

// ---------------------------------------------------------------------------------------------
// Several instances

TEST_F(ClusterControllerTest, TwoInstancesPollEachBackendOncePerIntervalAndPlaceOneMeetingOnce) {
    Env slower = fastPolls();
    slower["B3SCALE_POLL_INTERVAL"] = "500ms";
    start(3, slower);
    auto second = cluster_->startAnother();
    ASSERT_TRUE(second->running());
    std::this_thread::sleep_for(milliseconds(300));
    for (std::size_t i = 0; i < 3; ++i) fake(i).resetCounters();
    std::this_thread::sleep_for(milliseconds(3000));
    for (std::size_t i = 0; i < 3; ++i) {
        // Six polls in three seconds, cluster-wide; twelve would mean both instances poll it.
        EXPECT_GE(polls(i), 4u) << "backend " << i;
        EXPECT_LE(polls(i), 8u) << "backend " << i;
    }

    // One meeting created at once through both: one backend, one placement.
    std::barrier go(2);
    HttpResult a;
    HttpResult b;
    std::thread t1([&] {
        go.arrive_and_wait();
        a = create("both");
    });
    std::thread t2([&] {
        go.arrive_and_wait();
        b = create("both", "", second.get());
    });
    t1.join();
    t2.join();
    EXPECT_TRUE(answered(a, "SUCCESS")) << a.body;
    EXPECT_TRUE(answered(b, "SUCCESS")) << b.body;
    EXPECT_GE(holder("both"), 0) << "exactly one backend runs it";
}

TEST_F(ClusterControllerTest, CrashedInstancesPollsArePickedUpByTheOther) {
    Env env = fastPolls();
    env["B3SCALE_POLL_INTERVAL"] = "300ms";
    // Slow answers keep polls in flight, so the crash leaves leases behind.
    start(3, env);
    for (std::size_t i = 0; i < 3; ++i) fake(i).setFault(bbb::Fault::slow(milliseconds(150)));
    auto second = cluster_->startAnother();
    std::this_thread::sleep_for(milliseconds(600));
    cluster_->b3scaled().signal(SIGKILL);
    ASSERT_TRUE(cluster_->b3scaled().wait(std::chrono::seconds(5)));
    for (std::size_t i = 0; i < 3; ++i) fake(i).resetCounters();
    // Leases last connect + poll timeout + 5 s; after that every backend is polled by the
    // survivor at the interval again.
    std::this_thread::sleep_for(milliseconds(7500));
    for (std::size_t i = 0; i < 3; ++i) {
        const auto n = polls(i);
        fake(i).resetCounters();
        EXPECT_GE(n, 5u) << "backend " << i;
    }
    std::this_thread::sleep_for(milliseconds(1500));
    for (std::size_t i = 0; i < 3; ++i) {
        EXPECT_GE(polls(i), 3u) << "backend " << i << " polled at the interval by the survivor";
        EXPECT_LE(polls(i), 7u) << "backend " << i;
        EXPECT_EQ(nodeState(i), "ready");
    }
    ASSERT_TRUE(answered(create("after-crash", "", second.get()), "SUCCESS"));
}

// ---------------------------------------------------------------------------------------------
// Resilience

TEST_F(ClusterControllerTest, PostgresRestartIsSurvivedWithoutLosingAMapping) {
    PgCluster& pg = privateCluster();
    Env env = fastPolls();
    env["B3SCALE_DB_CONNECT_TIMEOUT"] = "2";
    start(2, env, pg.url());
    ASSERT_TRUE(answered(create("kept"), "SUCCESS"));
    const auto on = holder("kept");

    pg.stop();
    // The outage: clean BBB answers, still ready (serving from memory) with the store reported
    // unavailable, joins of known meetings still served.
    const auto refused = create("during-outage");
    EXPECT_TRUE(answered(refused, "FAILED")) << refused.status << " " << refused.body;
    EXPECT_EQ(holder("during-outage"), -1) << "nothing half-created";
    const auto readiness = cluster_->get("/readyz");
    EXPECT_EQ(readiness.status, 200) << readiness.body;
    EXPECT_NE(readiness.body.find("\"store\":\"unavailable\""), std::string::npos) << readiness.body;
    const auto served = join("kept");
    EXPECT_EQ(served.status, 302);
    EXPECT_TRUE(cluster_->b3scaled().running());

    pg.start();
    ASSERT_TRUE(eventually([&] { return cluster_->get("/readyz").body.find("\"store\":\"ok\"") != std::string::npos; },
                           milliseconds(20000)))
        << cluster_->get("/readyz").body;
    EXPECT_TRUE(eventually([&] { return answered(create("after-outage"), "SUCCESS"); }));
    const auto j = join("kept");
    ASSERT_EQ(j.status, 302);
    EXPECT_EQ(j.location.rfind(fake(static_cast<std::size_t>(on)).baseUrl(), 0), 0u) << j.location;
    // The controller is back at work.
    const auto synced = row(0)->synced_at;
    EXPECT_TRUE(eventually([&] { return row(0)->synced_at > synced; }));
    EXPECT_EQ(cluster_->store().findMeetingById(encodeMeetingId(kKey, "kept"))->backend_id,
              rows_[static_cast<std::size_t>(on)].id);
}

TEST_F(ClusterControllerTest, HangingBackendStallsNoRequestForAnotherBackend) {
    start(2);
    ASSERT_TRUE(answered(create("a"), "SUCCESS"));
    ASSERT_TRUE(answered(create("b"), "SUCCESS"));
    ASSERT_NE(holder("a"), holder("b"));
    const auto hung = static_cast<std::size_t>(holder("a"));
    const auto fine = 1 - hung;
    const std::string fine_id = "b";
    fake(hung).setFault(bbb::Fault::hang(std::chrono::seconds(20)));
    const auto before = polls(fine);
    const auto started = Clock::now();
    for (int i = 0; i < 20; ++i) {
        const auto t0 = Clock::now();
        EXPECT_TRUE(answered(call("getMeetingInfo", "meetingID=" + fine_id), "SUCCESS"));
        EXPECT_EQ(join(fine_id).status, 302);
        EXPECT_LT(Clock::now() - t0, milliseconds(500)) << "request " << i;
    }
    ASSERT_TRUE(eventually([&] { return nodeState(hung) != "ready"; }));
    // New meetings go to the backend that answers.
    for (int i = 0; i < 3; ++i) {
        const auto id = "new-" + std::to_string(i);
        EXPECT_TRUE(answered(create(id), "SUCCESS"));
        EXPECT_EQ(holder(id), static_cast<int>(fine));
    }
    EXPECT_TRUE(eventually([&] { return polls(fine) > before + 3; })) << "its polls go on at the interval";
    EXPECT_LT(Clock::now() - started, std::chrono::seconds(8));
    fake(hung).setFault(bbb::Fault::none());
}

// ---------------------------------------------------------------------------------------------
// The embedded store, and the failover time with default settings

// A started b3scale with kKey and every fake backend registered.
std::unique_ptr<GatewayCluster> startedCluster(const GatewayClusterOptions& options) {
    auto cluster = std::make_unique<GatewayCluster>(options);
    cluster->addFrontend(kKey, kSecret);
    cluster->addAllBackends();
    cluster->start();
    return cluster;
}

TEST(ClusterControllerSqliteTest, SecondInstanceOnTheSameSqliteFileIsRefusedWithAClearMessage) {
    GatewayClusterOptions options;
    options.connector = Connector::Sqlite;
    options.backends = 1;
    auto started = startedCluster(options);
    auto& cluster = *started;
    Env env = cluster.env();
    env["B3SCALE_LISTEN_HTTP"] = "127.0.0.1:0";
    B3scaledProcess second(env);
    const auto code = second.wait(std::chrono::seconds(20));
    ASSERT_TRUE(code) << "the second instance kept running";
    EXPECT_EQ(*code, 78);
    const auto text = second.stderrText();
    EXPECT_NE(text.find("another b3scaled"), std::string::npos) << text;
    EXPECT_TRUE(cluster.b3scaled().running()) << "the first one is unaffected";
}

// With the SQLite store the same failover works on a single node.
TEST(ClusterControllerSqliteTest, KilledBackendsMeetingIsRecreatedOnTheEmbeddedStoreToo) {
    GatewayClusterOptions options;
    options.connector = Connector::Sqlite;
    options.backends = 2;
    options.extra_env = fastPolls();
    auto started = startedCluster(options);
    auto& cluster = *started;
    ASSERT_TRUE(answered(cluster.call(kKey, kSecret, "create", "meetingID=solo&name=Solo"), "SUCCESS"));
    const std::size_t dead = cluster.backend(0).meeting(encodeMeetingId(kKey, "solo")) ? 0 : 1;
    cluster.backend(dead).takeDown();
    ASSERT_TRUE(eventually([&] {
        const auto j = cluster.call(kKey, kSecret, "join", "meetingID=solo&fullName=Ada&role=VIEWER");
        return j.status == 302 && j.location.rfind(cluster.backend(1 - dead).baseUrl(), 0) == 0;
    }));
    EXPECT_TRUE(cluster.backend(1 - dead).meeting(encodeMeetingId(kKey, "solo")));
}

// The figure the issue asks for: with the default settings (poll every 5 s, retry after 1 s,
// offline after 3 failures), how long from a backend's death to the first join that lands
// on a re-created meeting elsewhere. A user retrying every 100 ms.
TEST(ClusterControllerFailoverTime, WithDefaultSettingsAKilledBackendsMeetingIsJoinableElsewhereWithinSeconds) {
    GatewayClusterOptions options;
    options.backends = 2;
    options.extra_env["B3SCALE_POLL_INTERVAL"] = "5s";  // the default (the fixture's is 1h)
    auto started = startedCluster(options);
    auto& cluster = *started;
    ASSERT_TRUE(answered(cluster.call(kKey, kSecret, "create", "meetingID=timed&name=Timed"), "SUCCESS"));
    const std::size_t dead = cluster.backend(0).meeting(encodeMeetingId(kKey, "timed")) ? 0 : 1;
    const auto alive_url = cluster.backend(1 - dead).baseUrl();
    const auto killed_at = Clock::now();
    cluster.backend(dead).takeDown();
    milliseconds took{0};
    ASSERT_TRUE(eventually(
        [&] {
            const auto j = cluster.call(kKey, kSecret, "join", "meetingID=timed&fullName=Ada&role=VIEWER");
            if (j.status != 302 || j.location.rfind(alive_url, 0) != 0) return false;
            took = std::chrono::duration_cast<milliseconds>(Clock::now() - killed_at);
            return true;
        },
        milliseconds(15000)));
    std::cout << "[ failover ] backend killed -> first join on the re-created meeting: " << took.count() << " ms\n";
    ::testing::Test::RecordProperty("failover_ms", std::to_string(took.count()));
    // At most one interval until the next poll, then two retries a second apart.
    EXPECT_LT(took, milliseconds(8500));
}

}  // namespace
}  // namespace b3s::test
