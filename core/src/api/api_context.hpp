#pragma once
// What the REST API's resources share. Built once in the server app; every reference
// outlives the API.

#include "api/field_rules.hpp"
#include "cluster/backend_loads.hpp"
#include "cluster/cluster_state.hpp"
#include "recordings/recording_library.hpp"
#include "store/store.hpp"

#include "util/clock.hpp"

#include <string>

namespace b3s::core::api {

struct ApiContext {
    store::Store& store;
    /// Writes are put into this instance's view at once (the others follow the change feed).
    cluster::ClusterState& cluster;
    const Clock& clock;
    /// Each backend's load as the balancer weighs it, shown as `load`.
    const cluster::BackendLoads& loads;
    /// The recording index and files, kept in step.
    recordings::RecordingLibrary& recordings;
    std::string database_name;  ///< for the status document, never a password
    /// The load factors node agents may set (B3SCALE_NODE_LOAD_FACTOR_MIN/MAX).
    NodeLoadFactorBounds node_load_factor;
};

}  // namespace b3s::core::api
