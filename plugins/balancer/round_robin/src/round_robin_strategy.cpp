#include "round_robin_strategy.hpp"

#include <algorithm>
#include <new>
#include <optional>
#include <string>
#include <vector>

namespace b3s::balancer::round_robin {
namespace {

bool carriesAll(const plugin::BackendCandidate& backend, const std::vector<std::string>& required) {
    return std::all_of(required.begin(), required.end(), [&](const std::string& tag) {
        // An empty required tag matches every backend, as in b3scale and least_load: it comes
        // from an empty entry in a frontend's tag list, not from an operator's intent.
        return tag.empty() || std::find(backend.tags.begin(), backend.tags.end(), tag) != backend.tags.end();
    });
}

std::string joinTags(const std::vector<std::string>& tags) {
    std::string out;
    for (const auto& tag : tags) {
        if (tag.empty()) continue;
        if (!out.empty()) out += ", ";
        out += tag;
    }
    return out;
}

}  // namespace

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
    if (candidates.empty()) return {std::nullopt, "no backend is registered"};

    std::vector<std::size_t> eligible;
    eligible.reserve(candidates.size());
    bool anyUsable = false;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const auto& backend = candidates[i];
        if (!backend.enabled || !backend.healthy) continue;
        anyUsable = true;
        if (carriesAll(backend, request.required_tags)) eligible.push_back(i);
    }
    if (!anyUsable) return {std::nullopt, "no backend is enabled and healthy"};
    if (eligible.empty())
        return {std::nullopt, "no enabled and healthy backend carries the tags " + joinTags(request.required_tags)};

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

std::unique_ptr<plugin::BalancerStrategy> create(const plugin::Context& context) {
    context.logger().info("strategy_ready", {{"rule", "next eligible backend in id order"}});
    return std::make_unique<RoundRobinStrategy>();
}

}  // namespace b3s::balancer::round_robin
