// b3scaleagent end to end, events: BBB's real event JSON published on a real redis-server
// reaches b3scaled's meetings through the real agent, also when redis or b3scaled go away and
// come back, and a burst keeps every meeting's order.
#include "agent_fixtures.hpp"
#include "agent_stack.hpp"
#include "serial_lanes.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <csignal>
#include <iostream>

namespace b3s::agent::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

const std::string kTenant = "greenlight";
const std::string kTenantSecret = "tenant-secret-0123456789abcdef0123";

std::string event(const std::string& name, const std::string& meeting, const std::string& user = kFixtureUser) {
    EventIds ids;
    ids.meeting = meeting;
    ids.user = user;
    ids.external_user = "ext-" + user;
    ids.name = "Name of " + user;
    return bbbEvent(name, ids);
}

class AgentEvents : public ::testing::Test {
protected:
    void SetUp() override {
        agent_ = stack_.startAgent({"-a"});
        stack_.enableNodeBackend();
        ASSERT_TRUE(agent_->waitLogged("meetings_seeded")) << agent_->log();
        stack_.addFrontend(kTenant, kTenantSecret);
    }
    void TearDown() override {
        if (agent_->running()) {
            agent_->signal(SIGTERM);
            EXPECT_EQ(agent_->wait(seconds(3)), 0) << agent_->log();
        }
    }

    AgentStack::NodeMeeting createMeeting(const std::string& id) {
        const auto m = stack_.createMeeting(kTenant, kTenantSecret, id);
        EXPECT_FALSE(m.internal_id.empty());
        return m;
    }

    void publish(const std::string& message) { EXPECT_EQ(stack_.redis().publish(kAkkaAppsChannel, message), 1); }

    bool attendeesBecome(const std::string& meeting, const std::vector<std::string>& expected,
                         milliseconds within = seconds(15)) {
        return eventually([&] { return stack_.attendeesOf(meeting) == expected; }, within);
    }

    /// The agent's own count as its heartbeat reported it (agent_report), when b3scaled shows one.
    std::optional<int> reportedAttendees() {
        const auto b = stack_.nodeBackend();
        if (!b || !b->has("agent_report") || b->get("agent_report").type() != typeid(Poco::JSON::Object::Ptr))
            return std::nullopt;
        const auto report = b->getObject("agent_report");
        if (!report->has("attendees") || report->get("attendees").isEmpty()) return std::nullopt;
        return report->getValue<int>("attendees");
    }
    bool b3scaledShowsReports() {
        const auto b = stack_.nodeBackend();
        return b && b->has("agent_report");
    }

    AgentStack stack_;
    std::unique_ptr<AgentProcess> agent_;
};

TEST_F(AgentEvents, AttendeeListsMoveWithJoinAndLeaveEvents) {
    const auto m = createMeeting("room-1");
    publish(event("MeetingCreatedEvtMsg", m.internal_id));
    publish(event("UserJoinedMeetingEvtMsg", m.internal_id, "w_alice000001"));
    publish(event("UserJoinedMeetingEvtMsg", m.internal_id, "w_bob00000002"));
    ASSERT_TRUE(attendeesBecome(m.internal_id, {"w_alice000001", "w_bob00000002"})) << agent_->log();
    const auto r = stack_.api("GET", "/api/v1/meetings/internal:" + m.internal_id);
    Poco::JSON::Parser parser;
    const auto state = parser.parse(r.body).extract<Poco::JSON::Object::Ptr>()->getObject("meeting");
    EXPECT_TRUE(state->getValue<bool>("Running"));
    const auto alice = state->getArray("Attendees")->getObject(0);
    EXPECT_EQ(alice->getValue<std::string>("UserID"), "ext-w_alice000001");
    EXPECT_EQ(alice->getValue<std::string>("FullName"), "Name of w_alice000001");
    EXPECT_EQ(alice->getValue<std::string>("Role"), "MODERATOR");
    EXPECT_EQ(alice->getValue<std::string>("ClientType"), "HTML5");

    // A moderator presses the record button.
    const auto recording = [&] {
        const auto shown = stack_.api("GET", "/api/v1/meetings/internal:" + m.internal_id);
        Poco::JSON::Parser p;
        const auto meeting = p.parse(shown.body).extract<Poco::JSON::Object::Ptr>()->getObject("meeting");
        return meeting->has("Recording") && meeting->getValue<bool>("Recording");
    };
    EXPECT_FALSE(recording());
    publish(event("RecordingStatusChangedEvtMsg", m.internal_id, "w_alice000001"));
    EXPECT_TRUE(eventually(recording, seconds(10))) << agent_->log();

    publish(event("UserLeftMeetingEvtMsg", m.internal_id, "w_alice000001"));
    ASSERT_TRUE(attendeesBecome(m.internal_id, {"w_bob00000002"})) << agent_->log();
    if (b3scaledShowsReports()) {
        EXPECT_TRUE(eventually([&] { return reportedAttendees() == 1; }, seconds(5))) << agent_->log();
    }

    // BBB ends the meeting: the attendees go, then the meeting.
    stack_.bbb().endMeeting(m.meeting_id);
    publish(event("MeetingEndedEvtMsg", m.internal_id));
    ASSERT_TRUE(attendeesBecome(m.internal_id, {})) << agent_->log();
    publish(event("MeetingDestroyedEvtMsg", m.internal_id));
    ASSERT_TRUE(eventually([&] { return !stack_.attendeesOf(m.internal_id); }, seconds(10))) << agent_->log();
    if (b3scaledShowsReports()) {
        EXPECT_TRUE(eventually([&] { return reportedAttendees() == 0; }, seconds(5))) << agent_->log();
    }
    EXPECT_FALSE(agent_->logged("event_refused")) << agent_->log();
}

TEST_F(AgentEvents, OtherMessagesAndGarbageOnTheChannelAreSkipped) {
    const auto m = createMeeting("room-2");
    publish(fixtureText("UserBroadcastCamStartedEvtMsg.json"));
    publish("{\"envelope\":{\"name\":\"UserJoinedMeetingEvtMsg\"},\"core\":{\"header\":{}}}");
    publish("UserJoinedMeetingEvtMsg but not JSON");
    publish(event("UserJoinedMeetingEvtMsg", m.internal_id, "w_carol000003"));
    ASSERT_TRUE(attendeesBecome(m.internal_id, {"w_carol000003"})) << agent_->log();
    EXPECT_TRUE(agent_->logged("event_undecodable")) << agent_->log();
    EXPECT_TRUE(agent_->running());
}

TEST_F(AgentEvents, ARedisRestartIsFollowedEventsAreRelayedAgainAndTheHeartbeatGoesOn) {
    const auto m = createMeeting("room-3");
    publish(event("UserJoinedMeetingEvtMsg", m.internal_id, "w_dave0000004"));
    ASSERT_TRUE(attendeesBecome(m.internal_id, {"w_dave0000004"})) << agent_->log();

    stack_.redis().kill();
    ASSERT_TRUE(agent_->waitLogged("redis_lost")) << agent_->log();
    // The heartbeat does not depend on redis.
    const auto while_down = nowMicros();
    ASSERT_TRUE(eventually([&] { return stack_.heartbeatMicros() > while_down; }, seconds(3))) << agent_->log();
    std::this_thread::sleep_for(seconds(2));  // a few failed reconnects: the backoff grows

    stack_.redis().restart();
    const auto restarted = std::chrono::steady_clock::now();
    ASSERT_TRUE(agent_->waitLogged("redis_reconnected", seconds(20))) << agent_->log();
    const auto reconnect_ms =
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - restarted).count();
    RecordProperty("redis_reconnect_ms", std::to_string(reconnect_ms));
    std::cout << "redis back: the agent resubscribed after " << reconnect_ms << " ms\n";
    EXPECT_LT(reconnect_ms, 10'000);  // the backoff had reached 2-4 s at most
    EXPECT_EQ(stack_.redis().patternSubscriptions(), 1);

    publish(event("UserJoinedMeetingEvtMsg", m.internal_id, "w_erin0000005"));
    ASSERT_TRUE(attendeesBecome(m.internal_id, {"w_dave0000004", "w_erin0000005"})) << agent_->log();
    // Seeded again after the resubscription (the fake BBB lists nobody: its joins went
    // through the events only), then counting the join above.
    EXPECT_GE(agent_->countLogged("meetings_seeded"), 2) << agent_->log();
    const auto later = nowMicros();
    EXPECT_TRUE(eventually([&] { return stack_.heartbeatMicros() > later; }, seconds(3))) << agent_->log();
    if (b3scaledShowsReports()) {
        EXPECT_TRUE(eventually([&] { return reportedAttendees() == 1; }, seconds(5))) << agent_->log();
    }
}

TEST_F(AgentEvents, AB3scaledRestartIsFollowedHeartbeatFreshWithinBackoffPlusTwoSecondsAndNoEventLost) {
    const auto m = createMeeting("room-4");
    publish(event("UserJoinedMeetingEvtMsg", m.internal_id, "w_fay00000006"));
    ASSERT_TRUE(attendeesBecome(m.internal_id, {"w_fay00000006"})) << agent_->log();

    stack_.killB3scaled();
    ASSERT_TRUE(agent_->waitLogged("heartbeat_failed")) << agent_->log();
    // Events while b3scaled is away wait on their lane, in order.
    publish(event("UserJoinedMeetingEvtMsg", m.internal_id, "w_gus00000007"));
    publish(event("UserLeftMeetingEvtMsg", m.internal_id, "w_fay00000006"));
    ASSERT_TRUE(agent_->waitLogged("relay_retrying")) << agent_->log();
    std::this_thread::sleep_for(seconds(3));

    stack_.startB3scaled();
    const auto back = nowMicros();
    const auto back_steady = std::chrono::steady_clock::now();
    // The heartbeat's backoff is capped at 5 s.
    ASSERT_TRUE(eventually([&] { return stack_.heartbeatMicros() > back; }, seconds(5 + 2))) << agent_->log();
    const auto fresh_ms =
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - back_steady).count();
    RecordProperty("heartbeat_fresh_after_restart_ms", std::to_string(fresh_ms));
    std::cout << "b3scaled back: heartbeat fresh after " << fresh_ms << " ms\n";
    EXPECT_TRUE(agent_->waitLogged("heartbeat_restored")) << agent_->log();
    ASSERT_TRUE(attendeesBecome(m.internal_id, {"w_gus00000007"}, seconds(40))) << agent_->log();
}

// A meeting b3scaled does not know (BBB used directly): b3scaled waits 15 s for it once, then
// the agent stops asking, and a meeting on another lane moves all the while.
TEST_F(AgentEvents, EventsOfAMeetingB3scaledDoesNotKnowCostOneWaitThenAreSkipped) {
    const auto m = createMeeting("room-5");
    std::string foreign = "0000000000000000000000000000000000000000-1718870400000";
    for (int i = 1; laneFor(foreign, 8) == laneFor(m.internal_id, 8); ++i)
        foreign = "000000000000000000000000000000000000000" + std::to_string(i % 10) + "-1718870400000";
    const auto started = std::chrono::steady_clock::now();
    publish(event("UserJoinedMeetingEvtMsg", foreign, "w_stranger001"));
    publish(event("UserJoinedMeetingEvtMsg", m.internal_id, "w_hank0000008"));
    ASSERT_TRUE(attendeesBecome(m.internal_id, {"w_hank0000008"}, seconds(5))) << agent_->log();
    EXPECT_LT(std::chrono::steady_clock::now() - started, seconds(10));

    ASSERT_TRUE(agent_->waitLogged("meeting_unknown_to_b3scaled", seconds(30))) << agent_->log();
    for (int i = 0; i < 3; ++i) publish(event("UserJoinedMeetingEvtMsg", foreign, "w_stranger00" + std::to_string(i)));
    ASSERT_TRUE(eventually([&] { return agent_->countLogged("event_skipped") == 3; }, seconds(5))) << agent_->log();
    EXPECT_EQ(agent_->countLogged("event_refused"), 1);
}

// 10,000 events for four meetings: every user joins and leaves alternately, half of them
// ending inside, and each meeting's very last event is the join of a user seen nowhere else.
// The lists come out right only when each meeting's events were applied in the order BBB
// published them (a leave before its join removes nothing; two joins in a row add the user
// twice); the last user's arrival says that meeting's events are all through.
TEST_F(AgentEvents, ABurstOfTenThousandEventsIsRelayedInOrder) {
    constexpr int kMeetings = 4, kUsers = 25, kSteps = 100;
    std::vector<std::string> meetings;
    for (int i = 0; i < kMeetings; ++i) meetings.push_back(createMeeting("burst-" + std::to_string(i)).internal_id);
    const auto user = [](int m, int u) { return "w_m" + std::to_string(m) + "u" + std::to_string(100 + u); };
    const auto last_user = [](int m) { return "w_m" + std::to_string(m) + "last"; };
    std::vector<std::string> messages;
    for (int step = 0; step < kSteps; ++step)
        for (int u = 0; u < kUsers; ++u)
            for (int m = 0; m < kMeetings; ++m) {
                if (step == kSteps - 1 && u == kUsers - 1) {
                    messages.push_back(event("UserJoinedMeetingEvtMsg", meetings[m], last_user(m)));
                    continue;
                }
                // Even users: leave, join, leave, …, join (end inside); odd: join, …, leave.
                const bool join = (step % 2 == 0) == (u % 2 == 1);
                messages.push_back(
                    event(join ? "UserJoinedMeetingEvtMsg" : "UserLeftMeetingEvtMsg", meetings[m], user(m, u)));
            }
    ASSERT_EQ(messages.size(), 10'000u);
    // The last user took u24's final join, so u24 (even) ends outside after its leave.
    std::vector<std::vector<std::string>> expected(kMeetings);
    for (int m = 0; m < kMeetings; ++m) {
        for (int u = 0; u < kUsers - 1; u += 2) expected[m].push_back(user(m, u));
        expected[m].push_back(last_user(m));
    }

    const auto started = std::chrono::steady_clock::now();
    stack_.redis().publishAll(kAkkaAppsChannel, messages);
    const auto published_ms =
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started).count();
    const bool through = eventually(
        [&] {
            for (int m = 0; m < kMeetings; ++m) {
                const auto now = stack_.attendeesOf(meetings[m]);
                if (!now || std::find(now->begin(), now->end(), last_user(m)) == now->end()) return false;
            }
            return true;
        },
        seconds(150));
    const auto relayed_ms =
        std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - started).count();
    RecordProperty("burst_published_ms", std::to_string(published_ms));
    RecordProperty("burst_relayed_ms", std::to_string(relayed_ms));
    std::cout << "10,000 events: published in " << published_ms << " ms, relayed in " << relayed_ms << " ms\n";
    ASSERT_TRUE(through) << "not all relayed within 150 s";
    for (int m = 0; m < kMeetings; ++m) {
        const auto now = stack_.attendeesOf(meetings[m]);
        ASSERT_TRUE(now);
        EXPECT_EQ(*now, expected[m]) << "meeting " << m;
    }
    EXPECT_FALSE(agent_->logged("event_dropped")) << "the inbox overflowed";
    EXPECT_FALSE(agent_->logged("event_refused"));
    EXPECT_FALSE(agent_->logged("relay_retrying"));
    EXPECT_EQ(agent_->countLogged("event_relayed"), 10'000);
    if (b3scaledShowsReports()) {
        EXPECT_TRUE(eventually([&] { return reportedAttendees() == kMeetings * 13; }, seconds(5)));
    }
}

}  // namespace
}  // namespace b3s::agent::test
