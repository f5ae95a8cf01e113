// FanOut: tasks run in parallel, a hanging one costs only itself, a failing one counts as
// unfinished, and what a late task writes is still alive when it finishes.

#include "cluster/fan_out.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <thread>

namespace b3s::test {
namespace {

using core::cluster::FanOut;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

TEST(FanOutTest, TasksRunInParallel) {
    FanOut fan_out(8);
    std::vector<std::function<void()>> tasks(8, [] { std::this_thread::sleep_for(100ms); });
    const auto started = Clock::now();
    const auto finished = fan_out.runAll(std::move(tasks), Clock::now() + 5s);
    EXPECT_EQ(finished, std::vector<bool>(8, true));
    EXPECT_LT(Clock::now() - started, 700ms) << "eight 100 ms tasks on eight workers, not one after another";
}

TEST(FanOutTest, AHangingTaskCostsOnlyItself) {
    FanOut fan_out(4);
    auto release = std::make_shared<std::atomic<bool>>(false);
    auto slots = std::make_shared<std::vector<int>>(3, 0);
    std::vector<std::function<void()>> tasks;
    tasks.push_back([slots] { (*slots)[0] = 1; });
    tasks.push_back([slots, release] {
        while (!*release) std::this_thread::sleep_for(5ms);
        (*slots)[1] = 2;  // after the caller gave up: the vector is still alive
    });
    tasks.push_back([] { throw std::runtime_error("backend said no"); });
    const auto started = Clock::now();
    const auto finished = fan_out.runAll(std::move(tasks), Clock::now() + 200ms);
    EXPECT_GE(Clock::now() - started, 190ms);
    EXPECT_LT(Clock::now() - started, 1s);
    EXPECT_EQ(finished, (std::vector<bool>{true, false, false}));
    EXPECT_EQ((*slots)[0], 1);
    *release = true;
    // The destructor lets the late task finish.
}

TEST(FanOutTest, MoreTasksThanWorkersAllRun) {
    FanOut fan_out(2);
    std::atomic<int> ran{0};
    std::vector<std::function<void()>> tasks(50, [&ran] { ++ran; });
    const auto finished = fan_out.runAll(std::move(tasks), Clock::now() + 5s);
    EXPECT_EQ(ran.load(), 50);
    EXPECT_EQ(std::count(finished.begin(), finished.end(), true), 50);
    EXPECT_TRUE(fan_out.runAll({}, Clock::now() + 1s).empty());
}

}  // namespace
}  // namespace b3s::test
