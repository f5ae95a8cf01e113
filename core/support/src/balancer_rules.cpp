#include <b3s/support/balancer_rules.hpp>

namespace b3s::support {
namespace {

std::string joined(const std::vector<std::string>& list, const char* separator) {
    std::string out;
    for (const auto& item : list) {
        if (item.empty()) continue;
        if (!out.empty()) out += separator;
        out += item;
    }
    return out;
}

}  // namespace

bool carriesAllTags(const BackendCandidate& backend, const std::vector<std::string>& required) noexcept {
    for (const auto& tag : required) {
        if (tag.empty()) continue;
        bool found = false;
        for (const auto& t : backend.tags) found = found || t == tag;
        if (!found) return false;
    }
    return true;
}

bool isUsable(const BackendCandidate& backend) noexcept {
    return backend.enabled && backend.healthy;
}

bool carriesServerTag(const BackendCandidate& backend, std::string_view tag) noexcept {
    if (tag == "none") return backend.tags.empty();
    for (const auto& t : backend.tags)
        if (t == tag) return true;
    return false;
}

bool carriesAnyServerTag(const BackendCandidate& backend, const std::vector<std::string>& tags) noexcept {
    for (const auto& tag : tags)
        if (carriesServerTag(backend, tag)) return true;
    return false;
}

std::vector<std::size_t> eligibleCandidates(const PlacementRequest& request,
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

std::string noPlacementReason(std::span<const BackendCandidate> candidates, const PlacementRequest& request) {
    if (candidates.empty()) return "no backend is registered";
    bool any_usable = false;
    bool any_tagged = false;
    for (const auto& c : candidates) {
        any_usable = any_usable || isUsable(c);
        any_tagged = any_tagged || (isUsable(c) && carriesAllTags(c, request.required_tags));
    }
    if (!any_usable) return "no backend is enabled and healthy";
    if (!any_tagged) return "no enabled and healthy backend carries the tags " + joined(request.required_tags, ", ");
    return "no enabled and healthy backend carries one of the required server tags " + joined(request.server_tags, ";");
}

}  // namespace b3s::support
