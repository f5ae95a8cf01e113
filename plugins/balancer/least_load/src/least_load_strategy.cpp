#include "least_load_strategy.hpp"

#include <b3s/support/balancer_rules.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

namespace b3s::balancer::least_load {
namespace {

std::string formatLoad(double load) {
    char buffer[32];
    auto [end, ec] = std::to_chars(buffer, buffer + sizeof buffer, load);
    return ec == std::errc{} ? std::string(buffer, end) : std::string("?");
}

// Strict order: lower load, then fewer meetings, then smaller id, so the same snapshot
// always yields the same backend whatever order core listed the candidates in.
bool lighter(const plugin::BackendCandidate& a, double loadA, const plugin::BackendCandidate& b, double loadB) {
    if (loadA != loadB) return loadA < loadB;
    if (a.meetings != b.meetings) return a.meetings < b.meetings;
    return a.id < b.id;
}

}  // namespace

double loadOf(const plugin::BackendCandidate& backend) noexcept {
    if (!std::isfinite(backend.load_factor) || backend.load_factor < 0.0)
        return std::numeric_limits<double>::infinity();
    double stress = std::max(kMeetingWeight * backend.meetings, static_cast<double>(backend.attendees));
    return backend.load_factor * stress;
}

plugin::Placement LeastLoadStrategy::choose(const plugin::PlacementRequest& request,
                                            std::span<const plugin::BackendCandidate> candidates) {
    if (candidates.empty()) return {std::nullopt, support::noPlacementReason(candidates, request)};

    std::optional<std::size_t> best;
    double bestLoad = 0.0;
    for (const std::size_t i : support::eligibleCandidates(request, candidates)) {
        const auto& backend = candidates[i];
        double load = loadOf(backend);
        if (!best || lighter(backend, load, candidates[*best], bestLoad)) {
            best = i;
            bestLoad = load;
        }
    }

    if (!best) return {std::nullopt, support::noPlacementReason(candidates, request)};
    return {best, "backend " + candidates[*best].id + " has the lowest load (" + formatLoad(bestLoad) + ")"};
}

double LeastLoadStrategy::load(const plugin::BackendCandidate& backend, std::int64_t) const {
    return loadOf(backend);
}

std::unique_ptr<plugin::BalancerStrategy> create(const plugin::Context& context) {
    context.logger().info("strategy_ready", {{"rule", "load_factor * max(15 * meetings, attendees)"}});
    return std::make_unique<LeastLoadStrategy>();
}

}  // namespace b3s::balancer::least_load
