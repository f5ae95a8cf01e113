#pragma once
// The systemd watchdog (WatchdogSec= in the unit): WATCHDOG=1 every half interval while the
// serving machinery moves — the HTTP listener accepts, its threads take up and finish
// requests, the controller's scheduler goes round. Each is judged by util/stall_watch.hpp:
// stalled only when work waited and nothing moved for the stall limit (far above any request
// timeout; for the controller, above a database call blocked by a silent network), so a busy
// or degraded server keeps pinging and only a wedged one is killed. Without a
// watchdog interval (not under systemd, or no WatchdogSec=) no thread is started.

#include "app/controller_part.hpp"
#include "app/http_front_part.hpp"
#include "app/part.hpp"
#include "config/core_settings.hpp"
#include "os/service_notifier.hpp"

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace b3s::core::app {

class WatchdogPart final : public Part {
public:
    /// Every reference must outlive the part (the parts it watches start before it).
    WatchdogPart(const config::CoreSettings& settings, const os::ServiceNotifier& notifier, const HttpFrontPart& front,
                 const ControllerPart& controller);
    std::string_view name() const override { return "watchdog"; }
    void start() override;
    void stop() noexcept override;

    /// How long waiting work may see no progress before the pings stop.
    static std::chrono::seconds stallLimit(const config::CoreSettings& settings, std::chrono::microseconds interval);

private:
    void run(const std::stop_token& stop);

    const os::ServiceNotifier& notifier_;
    const HttpFrontPart& front_;
    const ControllerPart& controller_;
    std::chrono::seconds limit_{0};
    std::mutex mutex_;
    std::condition_variable_any wake_;
    std::jthread thread_;
};

}  // namespace b3s::core::app
