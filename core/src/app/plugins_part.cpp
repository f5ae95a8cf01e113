#include "app/plugins_part.hpp"

#include "log/logger.hpp"

namespace b3s::core::app {
namespace {

const log::Logger& pluginsLog() {
    static const log::Logger l("b3s.core.app");
    return l;
}

}  // namespace

PluginsPart::PluginsPart(const config::CoreSettings& settings, const config::Environment& env, const Clock& clock) {
    try {
        plugins_ = std::make_unique<plugin::PluginSet>(settings, env, clock);
    } catch (const plugin::PluginLoadError& e) {
        throw StartupError(kExitConfig, "plugin_refused", {{"error", e.what()}});
    }
    for (const auto& key : config::unclaimedKeys(env, plugins_->declaredKeys()))
        pluginsLog().warn("config_unknown_variable",
                          {{"variable", key}, {"hint", "no part of b3scaled reads it; check the spelling"}});
    for (const auto& problem : plugins_->recordings().check())
        pluginsLog().warn("recordings_path_unusable", {{"path", problem.path}, {"reason", problem.reason}});
}

}  // namespace b3s::core::app
