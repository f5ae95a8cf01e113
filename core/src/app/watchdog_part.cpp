#include "app/watchdog_part.hpp"

#include "log/logger.hpp"
#include "util/stall_watch.hpp"

#include <algorithm>
#include <string>

namespace b3s::core::app {
namespace {

constexpr std::chrono::minutes kControllerStallLimit{20};

const log::Logger& watchdogLog() {
    static const log::Logger l("b3s.core.app");
    return l;
}

}  // namespace

WatchdogPart::WatchdogPart(const config::CoreSettings& settings, const os::ServiceNotifier& notifier,
                           const HttpFrontPart& front, const ControllerPart& controller)
    : notifier_(notifier), front_(front), controller_(controller) {
    if (const auto interval = notifier.watchdogInterval()) limit_ = stallLimit(settings, *interval);
}

std::chrono::seconds WatchdogPart::stallLimit(const config::CoreSettings& settings,
                                              std::chrono::microseconds interval) {
    using std::chrono::seconds;
    // A thread may hold a connection for its idle wait, a slow request head and a slow backend
    // call; twice that, and never less than two minutes or two watchdog intervals.
    const auto request =
        seconds(settings.http_idle_timeout_s + settings.http_read_header_timeout_s + settings.http_request_timeout_s);
    const auto twice_interval = std::chrono::ceil<seconds>(2 * interval);
    return std::max({seconds(120), twice_interval, 2 * request});
}

void WatchdogPart::start() {
    const auto interval = notifier_.watchdogInterval();
    if (!interval) return;
    watchdogLog().info("watchdog_enabled", {{"interval_ms", std::to_string(interval->count() / 1000)},
                                            {"stall_limit_s", std::to_string(limit_.count())}});
    notifier_.watchdog();
    thread_ = std::jthread([this](const std::stop_token& stop) { run(stop); });
}

void WatchdogPart::stop() noexcept {
    if (!thread_.joinable()) return;
    thread_.request_stop();
    wake_.notify_all();
    thread_.join();
}

void WatchdogPart::run(const std::stop_token& stop) {
    const auto period = *notifier_.watchdogInterval() / 2;
    StallWatch accepting(limit_);
    StallWatch serving(limit_);
    // A database call of the controller may block until the kernel gives up on a silent
    // PostgreSQL connection (about 15 minutes of TCP retransmissions); that is an outage the
    // controller rides out, not a wedge, and a restart could not reach the database either.
    StallWatch controlling(std::max<StallWatch::Clock::duration>(limit_, kControllerStallLimit));
    const char* stalled_part = nullptr;
    std::unique_lock lock(mutex_);
    while (!stop.stop_requested()) {
        wake_.wait_for(lock, stop, period, [] { return false; });
        if (stop.stop_requested()) break;
        const auto now = StallWatch::Clock::now();
        const auto http = front_.progress();
        const char* stalled = nullptr;
        // Sample all three every time, so each watch sees every sample.
        const bool accept_stalled = accepting.stalled(http.accepted, http.accept_waiting, now);
        const bool serve_stalled = serving.stalled(http.served, http.serve_waiting, now);
        const bool control_stalled = controlling.stalled(controller_.rounds(), true, now);
        if (accept_stalled)
            stalled = "http_accept";
        else if (serve_stalled)
            stalled = "http_threads";
        else if (control_stalled)
            stalled = "controller";
        if (stalled == nullptr) {
            if (stalled_part != nullptr) watchdogLog().info("watchdog_recovered", {{"part", stalled_part}});
            stalled_part = nullptr;
            notifier_.watchdog();
            continue;
        }
        // No ping: systemd kills and restarts the service once WatchdogSec passes without one.
        if (stalled_part == nullptr)
            watchdogLog().error("watchdog_stalled",
                                {{"part", stalled}, {"stall_limit_s", std::to_string(limit_.count())}});
        stalled_part = stalled;
    }
}

}  // namespace b3s::core::app
