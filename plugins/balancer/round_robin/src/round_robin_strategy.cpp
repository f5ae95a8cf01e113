#include "round_robin_strategy.hpp"

#include <b3s/support/balancer_rules.hpp>

#include <algorithm>
#include <new>
#include <optional>
#include <string>
#include <vector>

namespace b3s::balancer::round_robin {
namespace {}  // namespace

plugin::Placement RoundRobinStrategy::choose(const plugin::PlacementRequest& request,
                                             std::span<const plugin::BackendCandidate> candidates) {
    try {
        return decide(request, candidates);
    } catch (const std::bad_alloc&) {
        // The index list and the reason are the only allocations. This reason fits
        // std::string's small buffer, so returning it cannot throw again.
        return {std::nullopt, "out of memory"};
    }
}

plugin::Placement RoundRobinStrategy::decide(const plugin::PlacementRequest& request,
                                             std::span<const plugin::BackendCandidate> candidates) {
    if (candidates.empty()) return {std::nullopt, support::noPlacementReason(candidates, request)};

    std::vector<std::size_t> eligible = support::eligibleCandidates(request, candidates);
    if (eligible.empty()) return {std::nullopt, support::noPlacementReason(candidates, request)};

    // Id order, not list order: core's query has no ORDER BY, and the rotation must not
    // depend on how the database happened to return the rows. The index breaks ties between
    // duplicate ids (core never sends them) so the order stays strict.
    auto byId = [&](std::size_t a, std::size_t b) {
        const auto& x = candidates[a].id;
        const auto& y = candidates[b].id;
        return x != y ? x < y : a < b;
    };
    // Taking the turn only now means a refusal does not skip a backend. Relaxed is enough:
    // the counter orders nothing but itself.
    const std::uint64_t turn = next_.fetch_add(1, std::memory_order_relaxed);
    const std::size_t rank = static_cast<std::size_t>(turn % eligible.size());
    // Selecting the rank-th id is linear; sorting all of them would be O(n log n) per create.
    std::nth_element(eligible.begin(), eligible.begin() + static_cast<std::ptrdiff_t>(rank), eligible.end(), byId);
    const std::size_t chosen = eligible[rank];
    return {chosen, "backend " + candidates[chosen].id + " is next in rotation (" + std::to_string(rank + 1) + " of " +
                        std::to_string(eligible.size()) + " eligible, by id)"};
}

double RoundRobinStrategy::load(const plugin::BackendCandidate& backend, std::int64_t) const {
    return static_cast<double>(backend.meetings);
}

std::unique_ptr<plugin::BalancerStrategy> create(const plugin::Context& context) {
    context.logger().info("strategy_ready", {{"rule", "next eligible backend in id order"}});
    return std::make_unique<RoundRobinStrategy>();
}

}  // namespace b3s::balancer::round_robin
