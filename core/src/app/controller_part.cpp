#include "app/controller_part.hpp"

#include <string>
#include <unordered_map>

namespace b3s::core::app {
namespace {

cluster::ControllerOptions controllerOptions(const config::CoreSettings& s, const BackendLinksPart& links,
                                             const MetricsPart& metrics) {
    cluster::ControllerOptions o;
    o.interval = s.poll_interval;
    o.retry_interval = s.poll_retry_interval;
    o.poll_deadline = links.pollDeadline();
    o.health = {s.poll_fail_count, s.poll_recover_count};
    o.workers = s.cmd_worker_pool_size;
    o.lost_meeting_retention = s.lost_meeting_retention;
    o.meeting_end_retention = s.callback_grace;
    o.agent_silence = s.agent_heartbeat_timeout;
    o.agent_poll_interval = s.agent_poll_interval;
    o.metrics = &metrics.coreMetrics();
    return o;
}

}  // namespace

ControllerPart::ControllerPart(const config::CoreSettings& settings, store::Store& store, ClusterViewPart& view,
                               BackendLinksPart& links, const MetricsPart& metrics, TelemetryPart& telemetry,
                               const Clock& clock)
    : controller_(view.state(), store, links.polls(), view.pollRequests(), clock,
                  controllerOptions(settings, links, metrics)),
      commands_(store, view.state(), links.calls(), clock) {
    controller_.addListener(
        [&figures = telemetry.pollFigures()](const store::Backend& backend, const cluster::PollResult& poll) {
            figures.observe(backend.id, poll);
        });
    controller_.addListener(
        [&attendance = view.attendance()](const store::Backend& backend, const cluster::PollResult& poll) {
            std::unordered_map<std::string, int> participants;
            for (const auto& m : poll.meetings) participants[m.meeting_id] = m.attendees();
            attendance.measured(backend.id, poll.asked_at_us, std::move(participants));
        });
}

void ControllerPart::start() {
    controller_.start();
    commands_.start();
}

void ControllerPart::stop() noexcept {
    commands_.stop();
    controller_.stop();
}

}  // namespace b3s::core::app
