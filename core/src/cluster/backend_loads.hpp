#pragma once
// The load of each backend as the loaded balancer weighs it (BalancerStrategy::load()), over
// the same candidates a placement sees. What operators are shown — b3scale_backend_load, the
// REST API's `load`, b3scalectl's LOAD column — is thus the figure the balancer decides by,
// whichever balancer it is.

#include "cluster/attendance.hpp"
#include "cluster/cluster_state.hpp"
#include "util/clock.hpp"

#include <b3s/plugin/balancer.hpp>

#include <string>
#include <unordered_map>

namespace b3s::core::cluster {

class BackendLoads {
public:
    /// Every reference must outlive this object.
    BackendLoads(const ClusterState& cluster, const Attendance& attendance,
                 const b3s::plugin::BalancerStrategy& balancer, const Clock& clock);

    /// backend id → load now, for every backend of `snapshot`; NaN where the balancer could
    /// not say. O(backends + recent placements) and one balancer call per backend.
    std::unordered_map<std::string, double> of(const ClusterSnapshot& snapshot) const;
    /// The same for the current snapshot.
    std::unordered_map<std::string, double> now() const;

private:
    const ClusterState& cluster_;
    const Attendance& attendance_;
    const b3s::plugin::BalancerStrategy& balancer_;
    const Clock& clock_;
};

}  // namespace b3s::core::cluster
