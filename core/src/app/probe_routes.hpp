#pragma once
// GET / (name and version), GET /healthz (process up), GET /readyz (store reachable,
// schema current, in-memory cluster view not stale, plugins loaded) and GET /metrics (rendered by the metrics plugin).

#include "cluster/cluster_state.hpp"
#include "http/router.hpp"
#include "plugin/plugin_set.hpp"
#include "store/store.hpp"

namespace b3s::core::app {

/// Registers the probe routes. `store`, `cluster` and `plugins` must outlive the router's use.
void addProbeRoutes(http::Router& router, store::Store& store, const cluster::ClusterState& cluster,
                    const plugin::PluginSet& plugins);

}  // namespace b3s::core::app
