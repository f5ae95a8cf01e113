#include "app/api_part.hpp"

namespace b3s::core::app {

ApiPart::ApiPart(store::Store& store, plugin::PluginSet& plugins, ClusterViewPart& view, TelemetryPart& telemetry,
                 RecordingsPart& recordings, const Clock& clock)
    : context_{store, view.state(), clock, telemetry.backendLoads(), recordings.library(), store.describe()},
      rest_api_(context_, plugins.auth()) {}

}  // namespace b3s::core::app
