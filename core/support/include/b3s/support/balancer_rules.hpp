#pragma once
// The eligibility rules every balancer shares, so all of them refuse the same backends.
// Part of the support library plugins link statically, not of the plugin ABI: fixing a rule
// here means rebuilding the plugins, never a new kAbiVersion. The predicates are inline: a
// balancer runs them for every candidate of every decision.

#include <b3s/plugin/balancer.hpp>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace b3s::support {

using plugin::BackendCandidate;
using plugin::PlacementRequest;

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
inline bool isUsable(const BackendCandidate& backend) noexcept {
    return backend.enabled && backend.healthy;
}

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
std::string noPlacementReason(std::span<const BackendCandidate> candidates, const PlacementRequest& request);

}  // namespace b3s::support
