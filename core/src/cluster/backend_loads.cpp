#include "cluster/backend_loads.hpp"

#include "cluster/placement_candidates.hpp"

namespace b3s::core::cluster {

BackendLoads::BackendLoads(const ClusterState& cluster, const Attendance& attendance,
                           const b3s::plugin::BalancerStrategy& balancer, const Clock& clock)
    : cluster_(cluster), attendance_(attendance), balancer_(balancer), clock_(clock) {}

std::unordered_map<std::string, double> BackendLoads::of(const ClusterSnapshot& snapshot) const {
    const auto now_us = clock_.nowMicros();
    std::unordered_map<std::string, double> loads;
    const auto candidates = placementCandidates(snapshot, attendance_, now_us);
    loads.reserve(candidates.size());
    for (const auto& c : candidates) loads.emplace(c.id, balancer_.load(c, now_us));
    return loads;
}

std::unordered_map<std::string, double> BackendLoads::now() const {
    return of(*cluster_.snapshot());
}

}  // namespace b3s::core::cluster
