#include "least_load_strategy.hpp"

#include <b3s/plugin/errors.hpp>
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

double parseCpuLimit(const plugin::ConfigView& config) {
    const std::string text(config.getOr(kCpuLimitKey, kDefaultCpuLimit));
    double limit = 0;
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
    if (text.empty() || ec != std::errc{} || end != text.data() + text.size() || !(limit >= 0.05 && limit <= 1.0))
        throw plugin::ConfigError(kCpuLimitKey,
                                  "must be a share of the CPU from 0.05 to 1 (1 turns the limit off), "
                                  "e.g. 0.9; got '" +
                                      text + "'");
    return limit;
}

bool runsHot(const plugin::BackendCandidate& backend, double limit) noexcept {
    return limit < 1.0 && backend.host_figures && backend.host_figures->cpu > limit;
}

double loadOf(const plugin::BackendCandidate& backend) noexcept {
    if (!std::isfinite(backend.load_factor) || backend.load_factor < 0.0)
        return std::numeric_limits<double>::infinity();
    double stress = std::max(kMeetingWeight * backend.meetings, static_cast<double>(backend.attendees));
    return backend.load_factor * stress;
}

plugin::Placement LeastLoadStrategy::choose(const plugin::PlacementRequest& request,
                                            std::span<const plugin::BackendCandidate> candidates) {
    if (candidates.empty()) return {std::nullopt, support::noPlacementReason(candidates, request)};

    // The lightest of the backends below the CPU limit, else of all: a busy CPU is a reason
    // to look elsewhere, never to refuse a meeting.
    std::optional<std::size_t> best;
    double bestLoad = 0.0;
    bool bestHot = false;
    int hot = 0;
    for (const std::size_t i : support::eligibleCandidates(request, candidates)) {
        const auto& backend = candidates[i];
        const double load = loadOf(backend);
        const bool isHot = runsHot(backend, cpu_limit_);
        hot += isHot ? 1 : 0;
        if (!best || (bestHot && !isHot) || (bestHot == isHot && lighter(backend, load, candidates[*best], bestLoad))) {
            best = i;
            bestLoad = load;
            bestHot = isHot;
        }
    }

    if (!best) return {std::nullopt, support::noPlacementReason(candidates, request)};
    std::string reason = "backend " + candidates[*best].id + " has the lowest load (" + formatLoad(bestLoad) + ")";
    if (bestHot)
        reason += "; every eligible backend reports its CPU above " + formatLoad(cpu_limit_);
    else if (hot > 0)
        reason += " of those with their CPU at most " + formatLoad(cpu_limit_) + " (" + std::to_string(hot) +
                  " busier skipped)";
    return {best, std::move(reason)};
}

double LeastLoadStrategy::load(const plugin::BackendCandidate& backend, std::int64_t) const {
    return loadOf(backend);
}

std::unique_ptr<plugin::BalancerStrategy> create(const plugin::Context& context) {
    const double cpu_limit = parseCpuLimit(context.config());
    context.logger().info("strategy_ready", {{"rule", "load_factor * max(15 * meetings, attendees)"},
                                             {"cpu_limit", formatLoad(cpu_limit)}});
    return std::make_unique<LeastLoadStrategy>(cpu_limit);
}

}  // namespace b3s::balancer::least_load
