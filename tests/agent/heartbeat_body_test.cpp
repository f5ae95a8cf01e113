// The heartbeat's body: counts only once seeded, host figures only when read.
#include "heartbeat_loop.hpp"

#include <gtest/gtest.h>

namespace b3s::agent::test {
namespace {

TEST(HeartbeatBody, NothingKnownIsAnEmptyBody) {
    EXPECT_EQ(heartbeatBody(std::nullopt, {}), "");
}

TEST(HeartbeatBody, CountsAlone) {
    EXPECT_EQ(heartbeatBody(MeetingCounts{3, 42}, {}), R"({"meetings":3,"attendees":42})");
    EXPECT_EQ(heartbeatBody(MeetingCounts{0, 0}, {}), R"({"meetings":0,"attendees":0})");
}

TEST(HeartbeatBody, HostFiguresWithoutCountsWhileUnseeded) {
    HostFigures h;
    h.cpu = 0.5;
    h.memory = 0.25;
    EXPECT_EQ(heartbeatBody(std::nullopt, h), R"({"host":{"cpu":0.5,"memory":0.25}})");
    h.network_rx_bytes_per_s = 1000.0;
    h.network_tx_bytes_per_s = 2500.5;
    EXPECT_EQ(heartbeatBody(MeetingCounts{1, 2}, h),
              R"({"meetings":1,"attendees":2,"host":{"cpu":0.5,"memory":0.25,"network_rx_bytes_per_s":1000,)"
              R"("network_tx_bytes_per_s":2500.5}})");
}

}  // namespace
}  // namespace b3s::agent::test
