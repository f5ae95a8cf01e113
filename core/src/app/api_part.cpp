#include "app/api_part.hpp"

namespace b3s::core::app {

ApiPart::ApiPart(const config::CoreSettings& settings, store::Store& store, plugin::PluginSet& plugins,
                 ClusterViewPart& view, TelemetryPart& telemetry, RecordingsPart& recordings, const Clock& clock)
    : context_{store,
               view.state(),
               clock,
               telemetry.backendLoads(),
               recordings.library(),
               store.describe(),
               {settings.node_load_factor_min, settings.node_load_factor_max}},
      rest_api_(context_, plugins.auth()) {}

}  // namespace b3s::core::app
