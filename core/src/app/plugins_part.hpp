#pragma once
// The plugins, loaded and checked when built (B3SCALE_<KIND>_PLUGIN, B3SCALE_PLUGIN_DIR) and
// released, in reverse load order, when destroyed — after every part that calls them.

#include "app/part.hpp"
#include "config/core_settings.hpp"
#include "config/environment.hpp"
#include "plugin/plugin_set.hpp"
#include "util/clock.hpp"

#include <memory>

namespace b3s::core::app {

class PluginsPart final : public Part {
public:
    /// Throws StartupError (plugin_refused) with the loader's sentence.
    PluginsPart(const config::CoreSettings& settings, const config::Environment& env, const Clock& clock);
    std::string_view name() const override { return "plugins"; }

    plugin::PluginSet& plugins() const { return *plugins_; }

private:
    std::unique_ptr<plugin::PluginSet> plugins_;
};

}  // namespace b3s::core::app
