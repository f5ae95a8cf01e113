#pragma once
// GET / (name and version), GET /healthz (process up), GET /readyz (can serve BBB calls;
// the store, schema and view reported beside it) and GET /metrics (rendered by the metrics plugin).
//
// /metrics lists every tenant's meetings, so it can be closed: with B3SCALE_METRICS_TOKEN it
// answers 401 to any request without `Authorization: Bearer <token>` (compared in constant
// time, over SHA-256 digests so not even the length shows), and B3SCALE_METRICS_LISTEN gives it a
// listener of its own (http_front_part) instead of the main one.

#include "cluster/cluster_state.hpp"
#include "http/router.hpp"
#include "plugin/plugin_set.hpp"
#include "store/store.hpp"

#include <string>

namespace b3s::core::app {

/// Registers the probe routes. `store`, `cluster` and `plugins` must outlive the router's use.
void addProbeRoutes(http::Router& router, store::Store& store, const cluster::ClusterState& cluster,
                    const plugin::PluginSet& plugins);

/// Registers GET /metrics; a non-empty `token` is required as a bearer token. `plugins` must
/// outlive the router's use.
void addMetricsRoute(http::Router& router, const plugin::PluginSet& plugins, const std::string& token);

}  // namespace b3s::core::app
