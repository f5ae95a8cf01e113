#pragma once
// GET / (name and version), GET /healthz (process up), GET /readyz (store reachable,
// schema current, plugins loaded) and GET /metrics (rendered by the metrics plugin).

#include "http/router.hpp"
#include "plugin/plugin_set.hpp"
#include "store/store.hpp"

namespace b3s::core::http {

/// Registers the probe routes. `store` and `plugins` must outlive the router's use.
void addProbeRoutes(Router& router, store::Store& store, const plugin::PluginSet& plugins);

}  // namespace b3s::core::http
