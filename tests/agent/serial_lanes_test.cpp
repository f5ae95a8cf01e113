// Relay lanes: one key's items in order on one lane, other keys alongside.
#include "serial_lanes.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace b3s::agent::test {
namespace {

struct Tagged {
    std::string key;
    int sequence;
};

TEST(SerialLanes, TheSameKeyAlwaysGetsTheSameLane) {
    for (const char* key : {"a", "meeting-1", "183f0bf3a0982a127bdb8161e0c44eb696b3e75c-1718870400123"})
        EXPECT_EQ(laneFor(key, 8), laneFor(key, 8));
    std::set<std::size_t> used;
    for (int i = 0; i < 200; ++i) used.insert(laneFor("meeting-" + std::to_string(i), 8));
    EXPECT_EQ(used.size(), 8u);  // the keys spread over every lane
}

TEST(SerialLanes, ItemsOfOneKeyAreHandledInOrderWhileOthersRunAlongside) {
    std::mutex mutex;
    std::map<std::string, std::vector<int>> seen;
    std::map<std::size_t, std::set<std::string>> keys_of_lane;
    std::atomic<int> handled{0};
    std::atomic<int> in_flight{0};
    std::atomic<int> most_in_flight{0};
    std::mt19937 random(3);
    {
        SerialLanes<Tagged> lanes(4, 16, [&](std::size_t lane, Tagged& t, const std::stop_token&) {
            const int now = ++in_flight;
            for (int m = most_in_flight; now > m && !most_in_flight.compare_exchange_weak(m, now);) {
            }
            // Uneven work, so a lane that reordered would show it.
            std::this_thread::sleep_for(std::chrono::microseconds(t.sequence % 7 * 30));
            {
                std::lock_guard lock(mutex);
                seen[t.key].push_back(t.sequence);
                keys_of_lane[lane].insert(t.key);
            }
            --in_flight;
            ++handled;
        });
        std::stop_source never;
        std::vector<int> next(12, 0);
        for (int i = 0; i < 3000; ++i) {
            const int k = static_cast<int>(random() % 12);
            ASSERT_TRUE(
                lanes.push("key-" + std::to_string(k), {"key-" + std::to_string(k), next[k]++}, never.get_token()));
        }
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (handled < 3000 && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    ASSERT_EQ(handled, 3000);
    for (const auto& [key, sequence] : seen) {
        for (std::size_t i = 0; i < sequence.size(); ++i) ASSERT_EQ(sequence[i], static_cast<int>(i)) << key;
    }
    for (const auto& [lane, keys] : keys_of_lane)
        for (const auto& key : keys) EXPECT_EQ(laneFor(key, 4), lane) << key;
    EXPECT_GT(most_in_flight, 1);  // lanes work alongside each other
}

TEST(SerialLanes, AFullLaneMakesThePusherWaitAndStopReleasesIt) {
    std::atomic<bool> release{false};
    SerialLanes<int> lanes(1, 2, [&](std::size_t, int&, const std::stop_token& stop) {
        while (!release && !stop.stop_requested()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    });
    std::stop_source pusher;
    EXPECT_TRUE(lanes.push("k", 1, pusher.get_token()));  // being handled
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (lanes.pending() != 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
    EXPECT_TRUE(lanes.push("k", 2, pusher.get_token()));
    EXPECT_TRUE(lanes.push("k", 3, pusher.get_token()));
    std::atomic<bool> pushed{false};
    std::jthread blocked([&] { pushed = lanes.push("k", 4, pusher.get_token()); });
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    EXPECT_FALSE(pushed);
    pusher.request_stop();
    blocked.join();
    EXPECT_FALSE(pushed);
    lanes.stop();  // ends the item in hand (its worker sees the stop) and drops the rest
    EXPECT_EQ(lanes.pending(), 2u);
}

}  // namespace
}  // namespace b3s::agent::test
