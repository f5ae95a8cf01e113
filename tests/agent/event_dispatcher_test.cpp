// The dispatcher: events decoded onto the lanes, the count seeded and kept, drops.
#include "agent_fixtures.hpp"

#include "event_dispatcher.hpp"

#include "captured_log.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

namespace b3s::agent::test {
namespace {

std::string joined(const std::string& meeting, const std::string& user) {
    EventIds ids;
    ids.meeting = meeting;
    ids.user = user;
    return bbbEvent("UserJoinedMeetingEvtMsg", ids);
}
std::string left(const std::string& meeting, const std::string& user) {
    EventIds ids;
    ids.meeting = meeting;
    ids.user = user;
    return bbbEvent("UserLeftMeetingEvtMsg", ids);
}

template <class F>
bool eventually(F&& f, std::chrono::milliseconds within = std::chrono::seconds(5)) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
        if (f()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    return f();
}

class DispatcherTest : public ::testing::Test {
protected:
    DispatcherTest()
        : lanes_(4, 100,
                 [this](std::size_t, RelayCall& call, const std::stop_token&) {
                     std::unique_lock lock(mutex_);
                     calls_.push_back(call);
                 }),
          dispatcher_(lanes_, 50, [this](std::uint64_t generation) { wanted_ = generation; }) {}

    std::vector<RelayCall> calls() {
        std::lock_guard lock(mutex_);
        return calls_;
    }

    b3s::test::CapturedLog log_;
    std::mutex mutex_;
    std::vector<RelayCall> calls_;
    std::atomic<std::uint64_t> wanted_{0};
    SerialLanes<RelayCall> lanes_;
    EventDispatcher dispatcher_;
};

TEST_F(DispatcherTest, RelaysEventsAndSkipsTheRest) {
    dispatcher_.start();
    dispatcher_.offer(fixtureText("MeetingCreatedEvtMsg.json"));
    dispatcher_.offer(fixtureText("UserBroadcastCamStartedEvtMsg.json"));
    dispatcher_.offer("{broken");
    dispatcher_.offer(fixtureText("UserJoinedMeetingEvtMsg.json"));
    ASSERT_TRUE(eventually([&] { return calls().size() == 2; }));
    EXPECT_EQ(calls()[0].action, "meeting_set_running");
    EXPECT_EQ(calls()[1].action, "meeting_add_attendee");
    ASSERT_TRUE(eventually([&] { return dispatcher_.stats().malformed == 1; }));
    EXPECT_EQ(dispatcher_.stats().received, 4u);
    EXPECT_EQ(dispatcher_.stats().relayed, 2u);
    EXPECT_NE(log_.text().find("\"event_undecodable\""), std::string::npos) << log_.text();
}

TEST_F(DispatcherTest, CountsAreUnknownUntilSeededThenFollowTheEvents) {
    dispatcher_.start();
    dispatcher_.offer(joined("m1", "u1"));
    ASSERT_TRUE(eventually([&] { return calls().size() == 1; }));
    EXPECT_FALSE(dispatcher_.counts());  // never seeded

    dispatcher_.requestSeed();
    ASSERT_TRUE(eventually([&] { return wanted_ != 0; }));
    // Events after the request, before the snapshot arrives: a join the snapshot already
    // shows, a leave it does not show yet, a join it misses.
    dispatcher_.offer(joined("m1", "u2"));
    dispatcher_.offer(left("m1", "u1"));
    dispatcher_.offer(joined("m2", "u3"));
    ASSERT_TRUE(eventually([&] { return calls().size() == 4; }));
    EXPECT_FALSE(dispatcher_.counts());
    MeetingSnapshot snapshot;
    snapshot.meetings["m1"] = {"u1", "u2"};
    snapshot.meetings["m0"] = {"u0"};
    dispatcher_.deliverSeed(wanted_, snapshot);
    ASSERT_TRUE(eventually([&] { return dispatcher_.counts().has_value(); }));
    // m0 {u0}, m1 {u2}, m2 {u3}
    EXPECT_EQ(*dispatcher_.counts(), (MeetingCounts{3, 3}));

    dispatcher_.offer(left("m0", "u0"));
    ASSERT_TRUE(eventually([&] { return dispatcher_.counts() == MeetingCounts{3, 2}; }));
    EXPECT_NE(log_.text().find("\"meetings_seeded\""), std::string::npos);
}

TEST_F(DispatcherTest, AStaleSeedIsIgnoredAndALostConnectionForgetsTheCounts) {
    dispatcher_.start();
    dispatcher_.requestSeed();
    ASSERT_TRUE(eventually([&] { return wanted_ == 1; }));
    dispatcher_.requestSeed();
    ASSERT_TRUE(eventually([&] { return wanted_ == 2; }));
    dispatcher_.deliverSeed(1, {});
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_FALSE(dispatcher_.counts());
    dispatcher_.deliverSeed(2, {});
    ASSERT_TRUE(eventually([&] { return dispatcher_.counts() == MeetingCounts{0, 0}; }));

    dispatcher_.forgetCounts();
    EXPECT_FALSE(dispatcher_.counts());
    dispatcher_.deliverSeed(2, {});  // late answer for the lost subscription
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_FALSE(dispatcher_.counts());
}

TEST_F(DispatcherTest, AFullInboxDropsForgetsTheCountsAndAsksForANewSeed) {
    // Not started: nothing drains the inbox (capacity 50).
    dispatcher_.requestSeed();
    int accepted = 0;
    for (int i = 0; i < 60; ++i) accepted += dispatcher_.offer(joined("m", "u" + std::to_string(i))) ? 1 : 0;
    EXPECT_EQ(accepted, 49);  // the seed marker takes a place
    EXPECT_EQ(dispatcher_.stats().dropped, 11u);
    EXPECT_NE(log_.text().find("\"event_dropped\""), std::string::npos);
    dispatcher_.start();
    // The first marker, then the one the drop queued: the seeder is asked twice.
    ASSERT_TRUE(eventually([&] { return wanted_ == 2; }));
    ASSERT_TRUE(eventually([&] { return calls().size() == 49; }));
    dispatcher_.deliverSeed(2, {});
    ASSERT_TRUE(eventually([&] { return dispatcher_.counts().has_value(); }));
}

}  // namespace
}  // namespace b3s::agent::test
