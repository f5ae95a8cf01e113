#include "heartbeat_loop.hpp"

#include "agent_log.hpp"
#include "interruptible_wait.hpp"
#include "log_throttle.hpp"

#include <Poco/JSON/Object.h>

#include <sstream>

namespace b3s::agent {

std::string heartbeatBody(const std::optional<MeetingCounts>& counts, const HostFigures& host) {
    if (!counts && host.empty()) return {};
    Poco::JSON::Object body(Poco::JSON_PRESERVE_KEY_ORDER);
    if (counts) {
        body.set("meetings", counts->meetings);
        body.set("attendees", counts->attendees);
    }
    if (!host.empty()) {
        Poco::JSON::Object::Ptr h = new Poco::JSON::Object(Poco::JSON_PRESERVE_KEY_ORDER);
        if (host.cpu) h->set("cpu", *host.cpu);
        if (host.memory) h->set("memory", *host.memory);
        if (host.network_rx_bytes_per_s) h->set("network_rx_bytes_per_s", *host.network_rx_bytes_per_s);
        if (host.network_tx_bytes_per_s) h->set("network_tx_bytes_per_s", *host.network_tx_bytes_per_s);
        body.set("host", h);
    }
    std::ostringstream out;
    body.stringify(out);
    return out.str();
}

HeartbeatLoop::HeartbeatLoop(std::unique_ptr<B3scaledApi> api, CountsSource counts,
                             std::unique_ptr<HostFigureSampler> host_figures, std::chrono::milliseconds interval)
    : api_(std::move(api)), counts_(std::move(counts)), host_figures_(std::move(host_figures)), interval_(interval) {}

HeartbeatLoop::~HeartbeatLoop() {
    stop();
}

void HeartbeatLoop::start() {
    thread_ = std::jthread([this](std::stop_token stop) { run(stop); });
}

void HeartbeatLoop::stop() {
    if (!thread_.joinable()) return;
    thread_.request_stop();
    api_->interrupt();
    thread_.join();
}

bool HeartbeatLoop::beat() {
    const auto body = heartbeatBody(counts_(), host_figures_ ? host_figures_->sample() : HostFigures{});
    auto reply = api_->send("POST", "/agent/heartbeat", body);
    if (reply.status == 400 && !body.empty()) {
        static LogThrottle refused_log;
        if (const auto suppressed = refused_log.allow())
            heartbeatLog().warn("heartbeat_report_refused",
                                {{"error", errorText(reply)}, {"suppressed", std::to_string(*suppressed)}});
        reply = api_->send("POST", "/agent/heartbeat");
    }
    if (reply.status == 200) return true;
    throw HttpUnreachable("POST /api/v1/agent/heartbeat: HTTP " + std::to_string(reply.status) + " " +
                          errorText(reply));
}

void HeartbeatLoop::run(std::stop_token stop) {
    Backoff backoff({std::chrono::milliseconds(500), std::chrono::milliseconds(5000), 0.2});
    LogThrottle failure_log;
    int failures = 0;
    std::optional<std::chrono::steady_clock::time_point> failing_since;
    heartbeatLog().info("heartbeat_started", {{"interval_ms", std::to_string(interval_.count())}});
    auto next = std::chrono::steady_clock::now();
    while (!stop.stop_requested()) {
        const auto started = std::chrono::steady_clock::now();
        try {
            beat();
            if (failures > 0) {
                const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(started - *failing_since);
                heartbeatLog().info("heartbeat_restored",
                                    {{"failures", std::to_string(failures)}, {"after_ms", std::to_string(ms.count())}});
            }
            failures = 0;
            failing_since.reset();
            backoff.reset();
            failure_log.reset();
            heartbeatLog().debug("heartbeat_sent");
            next = std::max(next + interval_, started);
            waitUntil(stop, next);
        } catch (const HttpUnreachable& e) {
            if (stop.stop_requested()) break;
            if (failures++ == 0) failing_since = started;
            const auto delay = backoff.next();
            if (const auto suppressed = failure_log.allow())
                heartbeatLog().warn("heartbeat_failed", {{"error", e.what()},
                                                         {"failures", std::to_string(failures)},
                                                         {"retry_in_ms", std::to_string(delay.count())},
                                                         {"suppressed", std::to_string(*suppressed)}});
            waitFor(stop, delay);
            next = std::chrono::steady_clock::now();
        }
    }
}

}  // namespace b3s::agent
