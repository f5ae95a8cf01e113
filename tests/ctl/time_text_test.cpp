#include "time_text.hpp"

#include <gtest/gtest.h>

namespace b3s::ctl {
namespace {

using std::chrono::seconds;

WallClock::time_point at(const char* text) {
    return parseTimestamp(text).value();
}

TEST(TimeText, ParsesRfc3339) {
    EXPECT_EQ(formatTimestamp(at("2025-01-01T12:00:00Z")), "2025-01-01T12:00:00Z");
    EXPECT_EQ(at("2025-01-01T12:00:00.750Z") - at("2025-01-01T12:00:00Z"), std::chrono::milliseconds(750));
    EXPECT_EQ(at("2025-01-01T14:00:00+02:00"), at("2025-01-01T12:00:00Z"));
    EXPECT_EQ(at("2024-12-31T23:30:00-01:00"), at("2025-01-01T00:30:00Z"));
    EXPECT_EQ(at("1970-01-01T00:00:10Z").time_since_epoch(), seconds(10));
}

TEST(TimeText, ZeroTimeAndGarbageAreNever) {
    EXPECT_EQ(parseTimestamp("0001-01-01T00:00:00Z"), std::nullopt);
    EXPECT_EQ(parseTimestamp(""), std::nullopt);
    EXPECT_EQ(parseTimestamp("2025-01-01"), std::nullopt);
    EXPECT_EQ(parseTimestamp("2025-13-01T00:00:00Z"), std::nullopt);
    EXPECT_EQ(parseTimestamp("2025-01-01T00:00:00"), std::nullopt);
    EXPECT_EQ(parseTimestamp("2025-01-01T00:00:00Zjunk"), std::nullopt);
}

TEST(TimeText, AgesAreShortAndRoundedDown) {
    const auto now = at("2025-01-02T12:00:00Z");
    EXPECT_EQ(formatAge(std::nullopt, now), "never");
    EXPECT_EQ(formatAge(std::nullopt, now, "-"), "-");
    EXPECT_EQ(formatAge(now, now), "now");
    EXPECT_EQ(formatAge(now + seconds(3), now), "now");
    EXPECT_EQ(formatAge(now - seconds(59), now), "59s ago");
    EXPECT_EQ(formatAge(now - seconds(61), now), "1m ago");
    EXPECT_EQ(formatAge(now - seconds(7200), now), "2h ago");
    EXPECT_EQ(formatAge(now - seconds(86400 * 3 + 5), now), "3d ago");
}

TEST(TimeText, LatencyInMilliseconds) {
    EXPECT_EQ(formatLatency(0), "-");
    EXPECT_EQ(formatLatency(92'546'636), "92.5 ms");
    EXPECT_EQ(formatLatency(1'000'000), "1.0 ms");
}

}  // namespace
}  // namespace b3s::ctl
