#include "least_load_strategy.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>
#include <optional>
#include <string>

namespace b3s::balancer::least_load {
namespace {

bool carriesAll(const plugin::BackendCandidate& backend, const std::vector<std::string>& required) {
    return std::all_of(required.begin(), required.end(), [&](const std::string& tag) {
        // An empty required tag matches every backend, as in b3scale: it comes from an
        // empty entry in a frontend's tag list, not from an operator's intent.
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
    if (candidates.empty()) return {std::nullopt, "no backend is registered"};

    std::optional<std::size_t> best;
    double bestLoad = 0.0;
    bool anyUsable = false;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const auto& backend = candidates[i];
        if (!backend.enabled || !backend.healthy) continue;
        anyUsable = true;
        if (!carriesAll(backend, request.required_tags)) continue;
        double load = loadOf(backend);
        if (!best || lighter(backend, load, candidates[*best], bestLoad)) {
            best = i;
            bestLoad = load;
        }
    }

    if (!anyUsable) return {std::nullopt, "no backend is enabled and healthy"};
    if (!best)
        return {std::nullopt, "no enabled and healthy backend carries the tags " + joinTags(request.required_tags)};
    return {best, "backend " + candidates[*best].id + " has the lowest load (" + formatLoad(bestLoad) + ")"};
}

std::unique_ptr<plugin::BalancerStrategy> create(const plugin::Context& context) {
    context.logger().info("strategy_ready", {{"rule", "load_factor * max(15 * meetings, attendees)"}});
    return std::make_unique<LeastLoadStrategy>();
}

}  // namespace b3s::balancer::least_load
