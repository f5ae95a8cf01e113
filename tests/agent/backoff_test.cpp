// Backoff: doubling from 0.5 s to the cap, jittered downwards only, reset after a success.
#include "backoff.hpp"

#include <gtest/gtest.h>

namespace b3s::agent::test {
namespace {

using std::chrono::milliseconds;

TEST(Backoff, DoublesFromInitialToTheCap) {
    Backoff b({milliseconds(500), milliseconds(30'000), 0.0}, 1);
    std::vector<long> delays;
    for (int i = 0; i < 9; ++i) delays.push_back(b.next().count());
    EXPECT_EQ(delays, (std::vector<long>{500, 1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000}));
    EXPECT_EQ(b.attempts(), 9);
}

TEST(Backoff, JitterStaysWithinItsShareBelowTheDelay) {
    Backoff b({milliseconds(1000), milliseconds(8000), 0.25}, 42);
    long base = 1000;
    bool varied = false;
    long last = -1;
    for (int i = 0; i < 50; ++i) {
        const auto d = b.next().count();
        EXPECT_GE(d, base * 3 / 4) << i;
        EXPECT_LE(d, base) << i;
        varied = varied || (last >= 0 && d != last && base == 8000);
        last = d;
        base = std::min(base * 2, 8000L);
    }
    EXPECT_TRUE(varied);
}

TEST(Backoff, TheSameSeedGivesTheSameDelays) {
    Backoff a({}, 7), b({}, 7);
    for (int i = 0; i < 10; ++i) EXPECT_EQ(a.next(), b.next());
}

TEST(Backoff, ResetStartsOverAtInitial) {
    Backoff b({milliseconds(500), milliseconds(30'000), 0.0}, 1);
    b.next();
    b.next();
    b.next();
    b.reset();
    EXPECT_EQ(b.attempts(), 0);
    EXPECT_EQ(b.next(), milliseconds(500));
}

}  // namespace
}  // namespace b3s::agent::test
