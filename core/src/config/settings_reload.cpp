#include "config/settings_reload.hpp"

#include <algorithm>
#include <set>

namespace b3s::core::config {

const std::vector<std::string>& reloadableKeys() {
    static const std::vector<std::string> keys = {"B3SCALE_ACCESS_LOG", "B3SCALE_LOG_FORMAT", "B3SCALE_LOG_LEVEL"};
    return keys;
}

ReloadPlan planReload(const std::map<std::string, std::string>& before,
                      const std::map<std::string, std::string>& after) {
    std::set<std::string> changed;
    for (const auto& [key, value] : after) {
        const auto old = before.find(key);
        if (old == before.end() || old->second != value) changed.insert(key);
    }
    for (const auto& [key, value] : before)
        if (!after.contains(key)) changed.insert(key);

    const auto& reloadable = reloadableKeys();
    ReloadPlan plan;
    std::map<std::string, std::string, std::less<>> values;
    for (const auto& key : changed) {
        if (std::find(reloadable.begin(), reloadable.end(), key) == reloadable.end()) {
            plan.restart_required.push_back(key);
            continue;
        }
        plan.apply.push_back(key);
        if (const auto it = after.find(key); it != after.end()) values.emplace(key, it->second);
    }
    plan.values = Environment(std::move(values));
    return plan;
}

}  // namespace b3s::core::config
