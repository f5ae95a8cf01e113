#include "util/stall_watch.hpp"

#include <gtest/gtest.h>

namespace b3s::core {
namespace {

using std::chrono::seconds;
const StallWatch::Clock::time_point kStart{};

TEST(StallWatchTest, WaitingWorkWithoutProgressPastTheLimitIsAStall) {
    StallWatch watch(seconds(60));
    EXPECT_FALSE(watch.stalled(5, true, kStart));  // progress seen: the clock starts at the next sample
    EXPECT_FALSE(watch.stalled(5, true, kStart + seconds(30)));
    EXPECT_FALSE(watch.stalled(5, true, kStart + seconds(90)));
    EXPECT_TRUE(watch.stalled(5, true, kStart + seconds(91)));
    EXPECT_TRUE(watch.stalled(5, true, kStart + seconds(120)));
    EXPECT_FALSE(watch.stalled(6, true, kStart + seconds(121))) << "progress ends the stall";
}

TEST(StallWatchTest, ABusyLoopThatMovesAtAllIsNeverStalled) {
    StallWatch watch(seconds(60));
    // Work waits the whole time, but one piece finishes every 50 s: slow, not wedged.
    for (int i = 0; i < 100; ++i) EXPECT_FALSE(watch.stalled(i, true, kStart + seconds(50 * i)));
}

TEST(StallWatchTest, AnIdleLoopIsNeverStalled) {
    StallWatch watch(seconds(60));
    for (int i = 0; i < 10; ++i) EXPECT_FALSE(watch.stalled(7, false, kStart + seconds(100 * i)));
    // Work arriving after a long idle time starts the clock only then.
    EXPECT_FALSE(watch.stalled(7, true, kStart + seconds(1000)));
    EXPECT_FALSE(watch.stalled(7, true, kStart + seconds(1059)));
    EXPECT_TRUE(watch.stalled(7, true, kStart + seconds(1061)));
}

TEST(StallWatchTest, WorkThatStopsWaitingResetsTheClock) {
    StallWatch watch(seconds(60));
    EXPECT_FALSE(watch.stalled(1, true, kStart));
    EXPECT_FALSE(watch.stalled(1, false, kStart + seconds(50)));
    EXPECT_FALSE(watch.stalled(1, true, kStart + seconds(70)));
    EXPECT_FALSE(watch.stalled(1, true, kStart + seconds(120)));
}

}  // namespace
}  // namespace b3s::core
