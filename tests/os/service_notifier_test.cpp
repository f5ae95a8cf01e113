#include "os/service_notifier.hpp"

#include "notify_socket.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include <unistd.h>

namespace b3s::core::os {
namespace {

using namespace std::chrono_literals;

class ServiceNotifierTest : public ::testing::Test {
protected:
    void TearDown() override {
        ::unsetenv("NOTIFY_SOCKET");
        ::unsetenv("WATCHDOG_USEC");
        ::unsetenv("WATCHDOG_PID");
    }
};

TEST_F(ServiceNotifierTest, TellsTheNotifySocketEachStateFromThisProcess) {
    test::NotifySocket socket;
    ::setenv("NOTIFY_SOCKET", socket.path().c_str(), 1);
    const ServiceNotifier notifier;
    notifier.ready("serving on 127.0.0.1:8042");
    auto ready = socket.receive(5s);
    ASSERT_TRUE(ready);
    EXPECT_TRUE(ready->has("READY=1")) << ready->text;
    EXPECT_TRUE(ready->has("STATUS=serving on 127.0.0.1:8042")) << ready->text;
    EXPECT_EQ(ready->pid, ::getpid());

    notifier.reloading();
    auto reloading = socket.receive(5s);
    ASSERT_TRUE(reloading);
    EXPECT_TRUE(reloading->has("RELOADING=1")) << reloading->text;
    EXPECT_NE(reloading->text.find("MONOTONIC_USEC="), std::string::npos) << reloading->text;

    notifier.watchdog();
    auto ping = socket.receive(5s);
    ASSERT_TRUE(ping);
    EXPECT_EQ(ping->text, "WATCHDOG=1");

    notifier.stopping();
    auto stopping = socket.receive(5s);
    ASSERT_TRUE(stopping);
    EXPECT_TRUE(stopping->has("STOPPING=1")) << stopping->text;
}

TEST_F(ServiceNotifierTest, WithoutANotifySocketNothingIsSentAndNothingFails) {
    test::NotifySocket socket;  // exists, but nobody names it
    ::unsetenv("NOTIFY_SOCKET");
    const ServiceNotifier notifier;
    notifier.ready("serving");
    notifier.watchdog();
    notifier.stopping();
    EXPECT_FALSE(socket.receive(200ms));
    EXPECT_FALSE(notifier.watchdogInterval());
}

TEST_F(ServiceNotifierTest, TheWatchdogIntervalIsSystemdsAndOnlyForTheNamedProcess) {
    ::setenv("WATCHDOG_USEC", "30000000", 1);
    EXPECT_EQ(ServiceNotifier().watchdogInterval(), std::chrono::microseconds(30'000'000));
    ::setenv("WATCHDOG_PID", std::to_string(::getpid()).c_str(), 1);
    EXPECT_EQ(ServiceNotifier().watchdogInterval(), std::chrono::microseconds(30'000'000));
    // Meant for another process (e.g. inherited by a child): not ours to ping.
    ::setenv("WATCHDOG_PID", std::to_string(::getpid() + 1).c_str(), 1);
    EXPECT_FALSE(ServiceNotifier().watchdogInterval());
    ::unsetenv("WATCHDOG_PID");
    ::setenv("WATCHDOG_USEC", "0", 1);
    EXPECT_FALSE(ServiceNotifier().watchdogInterval());
}

}  // namespace
}  // namespace b3s::core::os
