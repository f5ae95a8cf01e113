#pragma once
// The REST API under /api/v1 (JWT through the auth plugin) over the store and this
// instance's view.

#include "api/api_context.hpp"
#include "api/rest_api.hpp"
#include "app/cluster_view_part.hpp"
#include "app/part.hpp"
#include "app/recordings_part.hpp"
#include "app/telemetry_part.hpp"
#include "config/core_settings.hpp"
#include "plugin/plugin_set.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"

namespace b3s::core::app {

class ApiPart final : public Part {
public:
    ApiPart(const config::CoreSettings& settings, store::Store& store, plugin::PluginSet& plugins,
            ClusterViewPart& view, TelemetryPart& telemetry, RecordingsPart& recordings, const Clock& clock);
    std::string_view name() const override { return "api"; }

    const api::RestApi& restApi() const { return rest_api_; }

private:
    api::ApiContext context_;
    const api::RestApi rest_api_;
};

}  // namespace b3s::core::app
