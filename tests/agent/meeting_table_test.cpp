// The agent's own meeting and attendee count.
#include "meeting_table.hpp"

#include <gtest/gtest.h>

namespace b3s::agent::test {
namespace {

UserJoined join(const std::string& meeting, const std::string& user) {
    return {meeting, {"ext-" + user, user, "Name " + user, "VIEWER", "HTML5"}};
}

TEST(MeetingTable, EventsMoveTheCounts) {
    MeetingTable t;
    EXPECT_EQ(t.counts(), (MeetingCounts{0, 0}));
    t.apply(MeetingCreated{"m1", "e1"});
    t.apply(join("m1", "u1"));
    t.apply(join("m1", "u2"));
    t.apply(join("m2", "u3"));  // a join names its meeting: counted even without a create seen
    EXPECT_EQ(t.counts(), (MeetingCounts{2, 3}));
    t.apply(join("m1", "u1"));  // seen twice (seed and event): once
    EXPECT_EQ(t.counts(), (MeetingCounts{2, 3}));
    t.apply(UserLeft{"m1", "u1"});
    t.apply(UserLeft{"m1", "nobody"});
    t.apply(UserLeft{"m9", "u1"});
    EXPECT_EQ(t.counts(), (MeetingCounts{2, 2}));
    t.apply(MeetingEnded{"m1"});
    EXPECT_EQ(t.counts(), (MeetingCounts{1, 1}));
    t.apply(MeetingDestroyed{"m2"});
    t.apply(MeetingDestroyed{"m1"});
    EXPECT_EQ(t.counts(), (MeetingCounts{0, 0}));
}

TEST(MeetingTable, ReplaceStartsFromASnapshot) {
    MeetingTable t;
    t.apply(join("old", "u"));
    MeetingSnapshot s;
    s.meetings["a"] = {"x", "y"};
    s.meetings["b"] = {};
    t.replace(s);
    EXPECT_EQ(t.counts(), (MeetingCounts{2, 2}));
}

}  // namespace
}  // namespace b3s::agent::test
