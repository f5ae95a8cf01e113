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
#include <string_view>
#include <vector>

namespace b3s::plugin {

/// A meeting placed on a backend a short while ago, as the balancer snapshot lists it.
struct RecentPlacement {
    std::int64_t at_us = 0;  ///< when it was placed (epoch microseconds)
    int size_hint = 0;       ///< the attendees its frontend announced, 0 when unknown
};

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
    /// Meetings recently placed on it (oldest first), from every b3scaled instance: their
    /// attendees may not have joined yet, so a burst of creates should not all pick the
    /// same, seemingly empty backend. Core lists the placements of the last hour at most.
    std::vector<RecentPlacement> recent_placements;
};

/// What the new meeting asks for.
struct PlacementRequest {
    std::string frontend_key;                ///< tenant the meeting belongs to
    std::string meeting_id;                  ///< the meeting id as the backend will see it
    std::vector<std::string> required_tags;  ///< every one must be carried by the backend
    /// Scalelite's per-request `meta_server-tag`: the backend should carry one of these tags
    /// (`none` stands for a backend without tags). Empty: no preference.
    std::vector<std::string> server_tags;
    /// The `!` suffix of `meta_server-tag`: only a backend carrying one of `server_tags` will do.
    bool server_tags_required = false;
    int size_hint = 0;        ///< expected attendees (`meta_bbb-meeting-size-hint`), 0 when unknown
    std::int64_t now_us = 0;  ///< the decision's time (epoch microseconds)
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
    /// Picks one of `candidates`. Must pick one of eligibleCandidates(request, candidates)
    /// (below) and nothing else, or none with a reason when that list is empty; must not
    /// throw. The span is valid for this call only.
    virtual Placement choose(const PlacementRequest& request,
                             std::span<const BackendCandidate> candidates) = 0;
};

/// The eligibility rules every strategy shares, so all of them refuse the same backends.

/// A candidate must carry every required tag. An empty required tag matches every backend,
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

/// Scalelite's server-tag match: the backend carries `tag`; `none` matches a backend without tags.
inline bool carriesServerTag(const BackendCandidate& backend, std::string_view tag) noexcept {
    if (tag == "none") return backend.tags.empty();
    for (const auto& t : backend.tags)
        if (t == tag) return true;
    return false;
}

inline bool carriesAnyServerTag(const BackendCandidate& backend, const std::vector<std::string>& tags) noexcept {
    for (const auto& tag : tags)
        if (carriesServerTag(backend, tag)) return true;
    return false;
}

/// The candidates a strategy may choose from, as indices into `candidates` (in order):
/// usable ones carrying every required tag; of those, when the request names server tags,
/// the ones carrying one of them. Without a match a preferred (not required) server tag
/// falls back to all usable candidates with the required tags; a required one leaves none.
/// (Scalelite falls back to untagged servers only; with b3scale's tags, which often name a
/// BBB version every server has, falling back to all is what an operator expects.)
inline std::vector<std::size_t> eligibleCandidates(const PlacementRequest& request,
                                                   std::span<const BackendCandidate> candidates) {
    std::vector<std::size_t> eligible;
    std::vector<std::size_t> tagged;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const auto& c = candidates[i];
        if (!isUsable(c) || !carriesAllTags(c, request.required_tags)) continue;
        eligible.push_back(i);
        if (!request.server_tags.empty() && carriesAnyServerTag(c, request.server_tags)) tagged.push_back(i);
    }
    if (request.server_tags.empty()) return eligible;
    if (!tagged.empty() || request.server_tags_required) return tagged;
    return eligible;
}

/// The operator's sentence when eligibleCandidates() is empty; call it only in that case.
/// Names the filter that emptied the list.
inline std::string noPlacementReason(std::span<const BackendCandidate> candidates, const PlacementRequest& request) {
    auto joined = [](const std::vector<std::string>& list, const char* separator) {
        std::string out;
        for (const auto& item : list) {
            if (item.empty()) continue;
            if (!out.empty()) out += separator;
            out += item;
        }
        return out;
    };
    if (candidates.empty()) return "no backend is registered";
    bool any_usable = false;
    bool any_tagged = false;
    for (const auto& c : candidates) {
        any_usable = any_usable || isUsable(c);
        any_tagged = any_tagged || (isUsable(c) && carriesAllTags(c, request.required_tags));
    }
    if (!any_usable) return "no backend is enabled and healthy";
    if (!any_tagged) return "no enabled and healthy backend carries the tags " + joined(request.required_tags, ", ");
    return "no enabled and healthy backend carries one of the required server tags " +
           joined(request.server_tags, ";");
}

template <>
struct KindTraits<BalancerStrategy> {
    static constexpr const char* kKind = "balancer";
    static constexpr const char* kFactorySymbol = "b3s_create_balancer";
    /// May throw ConfigError. Never returns nullptr.
    using Factory = std::unique_ptr<BalancerStrategy>(const Context&);
};

}  // namespace b3s::plugin
