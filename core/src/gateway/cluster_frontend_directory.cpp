#include "gateway/cluster_frontend_directory.hpp"

#include "log/logger.hpp"

namespace b3s::core::gateway {

std::shared_ptr<const FrontendEntry> ClusterFrontendDirectory::findByKey(std::string_view key) const {
    auto frontend = state_.frontendByKey(key);
    if (!frontend) return nullptr;
    std::lock_guard lock(mutex_);
    auto it = parsed_.find(frontend->id);
    // Every update bumps the version, so an entry of the same version is still exact.
    if (it != parsed_.end() && it->second.first == frontend->version) return it->second.second;

    auto result = parseFrontendSettings(frontend->settings_json);
    std::shared_ptr<const FrontendEntry> entry;
    if (result.settings) {
        entry = std::make_shared<const FrontendEntry>(FrontendEntry{*frontend, std::move(*result.settings)});
    } else {
        static log::Logger logger("b3s.core.gateway");
        logger.error("frontend_settings_invalid", {{"frontend", frontend->key}, {"error", result.error}});
    }
    parsed_[frontend->id] = {frontend->version, entry};
    return entry;
}

}  // namespace b3s::core::gateway
