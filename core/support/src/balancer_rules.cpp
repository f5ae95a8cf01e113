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
