#pragma once
// Balancer plugins decide on which backend a new meeting is created. Core gathers the
// snapshot and the request; the strategy only chooses.

#include <b3s/plugin/context.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace b3s::plugin {

/// One backend as core sees it at the moment of the decision.
struct BackendCandidate {
    std::string id;                 ///< backend id (uuid)
    std::string host;               ///< BBB API base URL, for logs
    std::vector<std::string> tags;  ///< the backend's tags
    double load_factor = 1.0;       ///< operator weight, finite and >= 0
    int meetings = 0;               ///< meetings running on it
    int attendees = 0;              ///< participants + listeners + video on it
    bool enabled = true;            ///< admin state allows new meetings
    bool healthy = true;            ///< last observation says it answers
    /// When meetings were recently placed on it (epoch microseconds, newest last), from
    /// every b3scaled instance: their attendees may not have joined yet, so a burst of
    /// creates should not all pick the same, seemingly empty backend.
    std::vector<std::int64_t> recent_placements_us;
};

/// What the new meeting asks for.
struct PlacementRequest {
    std::string frontend_key;                ///< tenant the meeting belongs to
    std::string meeting_id;                  ///< the meeting id as the backend will see it
    std::vector<std::string> required_tags;  ///< every one must be carried by the backend
    int size_hint = 0;                       ///< expected attendees, 0 when unknown
    std::int64_t now_us = 0;                 ///< the decision's time (epoch microseconds)
};

/// The strategy's answer. `index` points into the candidate span; nullopt means no
/// candidate is acceptable and `reason` says why in one sentence an operator understands.
struct Placement {
    std::optional<std::size_t> index;
    std::string reason;
};

/// Chooses a backend for a new meeting.
/// Thread-safety: choose() is called concurrently from request threads.
/// Lifetime: created once at start-up, destroyed after the HTTP server has drained.
class B3S_PLUGIN_API BalancerStrategy {
public:
    virtual ~BalancerStrategy() = default;
    /// Picks one of `candidates`. Must never pick a candidate that is not enabled and
    /// healthy or lacks a required tag; must not throw. The span is valid for this call only.
    virtual Placement choose(const PlacementRequest& request,
                             std::span<const BackendCandidate> candidates) = 0;
};

/// The eligibility rule every strategy shares, so all of them refuse the same backends:
/// a candidate must carry every required tag. An empty required tag matches every backend,
/// as in b3scale: it comes from an empty entry in a frontend's tag list, not from intent.
inline bool carriesAllTags(const BackendCandidate& backend, const std::vector<std::string>& required) noexcept {
    for (const auto& tag : required) {
        if (tag.empty()) continue;
        bool found = false;
        for (const auto& t : backend.tags) found = found || t == tag;
        if (!found) return false;
    }
    return true;
}

/// Admin state and health both allow new meetings.
inline bool isUsable(const BackendCandidate& backend) noexcept { return backend.enabled && backend.healthy; }

/// The operator's sentence when no candidate is usable and carries the required tags;
/// call it only in that case. Names the filter that emptied the list.
inline std::string noPlacementReason(std::span<const BackendCandidate> candidates, const PlacementRequest& request) {
    if (candidates.empty()) return "no backend is registered";
    bool any_usable = false;
    for (const auto& c : candidates) any_usable = any_usable || isUsable(c);
    if (!any_usable) return "no backend is enabled and healthy";
    std::string tags;
    for (const auto& tag : request.required_tags) {
        if (tag.empty()) continue;
        if (!tags.empty()) tags += ", ";
        tags += tag;
    }
    return "no enabled and healthy backend carries the tags " + tags;
}

template <>
struct KindTraits<BalancerStrategy> {
    static constexpr const char* kKind = "balancer";
    static constexpr const char* kFactorySymbol = "b3s_create_balancer";
    /// May throw ConfigError. Never returns nullptr.
    using Factory = std::unique_ptr<BalancerStrategy>(const Context&);
};

}  // namespace b3s::plugin
