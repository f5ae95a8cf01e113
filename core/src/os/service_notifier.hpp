#pragma once
// Tells systemd what b3scaled is doing (sd_notify(3) from libsystemd): ready to serve,
// reloading, stopping, and the watchdog's "still alive". Without NOTIFY_SOCKET (not started by
// systemd with Type=notify) every call does nothing, so the same binary runs anywhere.
//
// Thread-safety: every method may be called from any thread.

#include <chrono>
#include <optional>
#include <string_view>

namespace b3s::core::os {

class ServiceNotifier {
public:
    /// Reads the watchdog interval systemd asks for (WATCHDOG_USEC/WATCHDOG_PID), once.
    ServiceNotifier();

    /// READY=1 with a STATUS= line for `systemctl status`.
    void ready(std::string_view status) const;
    /// RELOADING=1 (with MONOTONIC_USEC, which newer systemd asks for); ready() ends it.
    void reloading() const;
    /// STOPPING=1: the graceful stop has begun.
    void stopping() const;
    /// WATCHDOG=1: the serving machinery is alive.
    void watchdog() const;

    /// The interval within which systemd expects watchdog(); nullopt when it expects none.
    std::optional<std::chrono::microseconds> watchdogInterval() const { return watchdog_; }

private:
    void notify(const char* text) const;

    std::optional<std::chrono::microseconds> watchdog_;
};

}  // namespace b3s::core::os
