#pragma once
// The cluster controller (polls with leases, health, reconciliation, failover marking) and
// the command runner (end_all_meetings), shared with every instance on the database. Polls
// feed this instance's attendance and poll figures.

#include "app/backend_links_part.hpp"
#include "app/cluster_view_part.hpp"
#include "app/metrics_part.hpp"
#include "app/part.hpp"
#include "app/telemetry_part.hpp"
#include "cluster/cluster_controller.hpp"
#include "cluster/command_runner.hpp"
#include "config/core_settings.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"

namespace b3s::core::app {

class ControllerPart final : public Part {
public:
    ControllerPart(const config::CoreSettings& settings, store::Store& store, ClusterViewPart& view,
                   BackendLinksPart& links, const MetricsPart& metrics, TelemetryPart& telemetry, const Clock& clock);
    std::string_view name() const override { return "controller"; }
    void start() override;
    /// Waits for the polls and the command in flight (each bounded by its timeouts).
    void stop() noexcept override;
    /// The scheduler's rounds (ClusterController::rounds), for the watchdog.
    std::uint64_t rounds() const noexcept { return controller_.rounds(); }

private:
    cluster::ClusterController controller_;
    cluster::CommandRunner commands_;
};

}  // namespace b3s::core::app
