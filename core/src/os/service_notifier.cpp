#include "os/service_notifier.hpp"

#include "log/logger.hpp"

#include <fmt/format.h>

#include <systemd/sd-daemon.h>

#include <atomic>
#include <cstdint>
#include <cstring>
#include <ctime>
#include <string>

namespace b3s::core::os {
namespace {

log::Logger& osLog() {
    static log::Logger l("b3s.core.os");
    return l;
}

}  // namespace

ServiceNotifier::ServiceNotifier() {
    std::uint64_t usec = 0;
    // 0: keep WATCHDOG_USEC in the environment (nothing of ours execs children that would inherit it).
    if (sd_watchdog_enabled(0, &usec) > 0 && usec > 0) watchdog_ = std::chrono::microseconds(usec);
}

void ServiceNotifier::notify(const char* text) const {
    // A failed notification must never stop the server; systemd notices on its own (start
    // timeout, watchdog) when it misses the ones that matter.
    // Logged once: a socket that refuses one ping refuses the next, every half watchdog interval.
    static std::atomic<bool> warned{false};
    const int rc = sd_notify(0, text);
    if (rc < 0 && !warned.exchange(true)) osLog().warn("sd_notify_failed", {{"error", std::strerror(-rc)}});
}

void ServiceNotifier::ready(std::string_view status) const {
    notify(fmt::format("READY=1\nSTATUS={}", status).c_str());
}

void ServiceNotifier::reloading() const {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    const auto usec =
        static_cast<std::uint64_t>(now.tv_sec) * 1'000'000 + static_cast<std::uint64_t>(now.tv_nsec) / 1000;
    notify(fmt::format("RELOADING=1\nSTATUS=reloading\nMONOTONIC_USEC={}", usec).c_str());
}

void ServiceNotifier::stopping() const {
    notify("STOPPING=1\nSTATUS=stopping");
}

void ServiceNotifier::watchdog() const {
    notify("WATCHDOG=1");
}

}  // namespace b3s::core::os
