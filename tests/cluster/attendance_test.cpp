// The attendee bookkeeping between polls (cluster/attendance.hpp): a join counts at once, the
// next answer replaces the count and drops the joins it already includes, a late answer
// changes nothing, and another instance's newer poll (the backend row) wins over ours.

#include "cluster/attendance.hpp"

#include <gtest/gtest.h>

namespace b3s::test {
namespace {

using core::cluster::Attendance;

core::store::Backend row(const std::string& id, int attendees = 0, std::int64_t synced_at = 0) {
    core::store::Backend b;
    b.id = id;
    b.attendees_count = attendees;
    b.synced_at = synced_at;
    return b;
}

TEST(AttendanceTest, WithoutAnAnswerOfItsOwnTheRowsFigureCounts) {
    Attendance a;
    EXPECT_EQ(a.backendAttendees(row("b", 12)), 12);
    EXPECT_FALSE(a.meetingAttendees("b", {"m"}));
}

TEST(AttendanceTest, JoinsCountUntilAnAnswerAskedAfterThemCountsThem) {
    Attendance a;
    a.measured("b", 100, {{"m1", 5}, {"m2", 2}});
    EXPECT_EQ(a.backendAttendees(row("b")), 7);
    a.joined("b", "m1", 150);
    a.joined("b", "m1", 160);
    a.joined("b", "m2", 170);
    EXPECT_EQ(a.backendAttendees(row("b")), 10);
    EXPECT_EQ(a.meetingAttendees("b", {"m1"})->attendees, 7);
    EXPECT_EQ(a.meetingAttendees("b", {"m1", "m2"})->attendees, 10);
    // Asked at 165: the first two joins are in the answer (one never connected: 6, not 7).
    a.measured("b", 165, {{"m1", 6}, {"m2", 2}});
    EXPECT_EQ(a.backendAttendees(row("b")), 9) << "6 + 2 answered, + the join at 170";
    EXPECT_EQ(a.meetingAttendees("b", {"m2"})->attendees, 3);
    EXPECT_EQ(a.meetingAttendees("b", {"m2"})->measured_at_us, 165);
}

TEST(AttendanceTest, AnAnswerArrivingLateChangesNothing) {
    Attendance a;
    a.measured("b", 200, {{"m", 4}});
    const auto before = a.version();
    a.measured("b", 150, {{"m", 40}});
    EXPECT_EQ(a.backendAttendees(row("b")), 4);
    EXPECT_EQ(a.version(), before);
}

TEST(AttendanceTest, AnotherInstancesNewerPollWins) {
    Attendance a;
    a.measured("b", 100, {{"m", 4}});
    a.joined("b", "m", 150);
    a.joined("b", "m", 250);
    EXPECT_EQ(a.backendAttendees(row("b", 30, 90)), 6) << "our answer is newer than the row's";
    EXPECT_EQ(a.backendAttendees(row("b", 30, 200)), 31) << "the row's poll counted the join at 150";
}

TEST(AttendanceTest, EveryChangeBumpsTheVersion) {
    Attendance a;
    const auto v0 = a.version();
    a.joined("b", "m", 1);
    const auto v1 = a.version();
    EXPECT_NE(v0, v1);
    a.measured("b", 2, {});
    EXPECT_NE(a.version(), v1);
}

core::store::Backend withAgentCount(core::store::Backend b, int attendees, std::int64_t at) {
    b.agent_report = core::store::AgentReport{};
    b.agent_report->at = at;
    b.agent_report->attendees = attendees;
    return b;
}

TEST(AttendanceTest, ANodeAgentsCountWinsWhenItIsTheNewestFigure) {
    Attendance a;
    EXPECT_EQ(a.backendAttendees(withAgentCount(row("b", 30, 100), 44, 150)), 44) << "newer than the row's poll";
    EXPECT_EQ(a.backendAttendees(withAgentCount(row("b", 30, 200), 44, 150)), 30) << "older than the row's poll";
    a.measured("b", 300, {{"m", 4}});
    a.joined("b", "m", 350);
    a.joined("b", "m", 450);
    EXPECT_EQ(a.backendAttendees(withAgentCount(row("b"), 44, 250)), 6) << "our own answer is newer";
    EXPECT_EQ(a.backendAttendees(withAgentCount(row("b"), 44, 400)), 45) << "44 counted at 400, + the join at 450";
    auto silent = row("b");
    silent.agent_report = core::store::AgentReport{};
    silent.agent_report->at = 1000;  // a report with host figures only: no count to stand in
    EXPECT_EQ(a.backendAttendees(silent), 6);
}

}  // namespace
}  // namespace b3s::test
