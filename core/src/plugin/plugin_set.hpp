#pragma once
// The plugins of one b3scaled process: loaded in the order of CoreSettings::plugins, each
// behind its guard (guarded_plugins.hpp), and released in reverse order after everything that
// calls them has stopped.

#include "config/core_settings.hpp"
#include "plugin/guarded_plugins.hpp"
#include "plugin/plugin_loader.hpp"

#include <b3s/plugin/auth.hpp>
#include <b3s/plugin/balancer.hpp>
#include <b3s/plugin/metrics.hpp>
#include <b3s/plugin/recordings.hpp>

#include <memory>
#include <string>
#include <vector>

namespace b3s::core::plugin {

/// The guarded object of a loaded plugin (exposed for load tests).
std::shared_ptr<b3s::plugin::BalancerStrategy> guarded(LoadedPlugin<b3s::plugin::BalancerStrategy> loaded);
std::shared_ptr<b3s::plugin::Authenticator> guarded(LoadedPlugin<b3s::plugin::Authenticator> loaded);
std::shared_ptr<b3s::plugin::MetricsSink> guarded(LoadedPlugin<b3s::plugin::MetricsSink> loaded);
std::shared_ptr<b3s::plugin::RecordingsStore> guarded(LoadedPlugin<b3s::plugin::RecordingsStore> loaded);

class PluginSet {
public:
    /// Loads every selected plugin; kinds without a selection get the no-op object.
    /// Throws PluginLoadError with the operator's sentence on the first refusal (plugins
    /// loaded before it are released again, in reverse order).
    PluginSet(const config::CoreSettings& settings, const config::Environment& env, const Clock& clock);
    ~PluginSet();

    PluginSet(const PluginSet&) = delete;
    PluginSet& operator=(const PluginSet&) = delete;

    b3s::plugin::BalancerStrategy& balancer() const { return *balancer_; }
    b3s::plugin::Authenticator& auth() const { return *auth_; }
    b3s::plugin::MetricsSink& metrics() const { return *metrics_; }
    b3s::plugin::RecordingsStore& recordings() const { return *recordings_; }

    /// "kind/name" of every loaded plugin ("kind/none" for no-op ones), in load order.
    std::vector<std::string> describe() const;
    /// The name of the loaded plugin of `kind` ("none" for a no-op one).
    std::string nameOf(std::string_view kind) const;
    /// Every B3SCALE_* key the loaded plugins declared.
    const std::vector<std::string>& declaredKeys() const { return declared_keys_; }

    /// Releases every plugin in reverse load order, logging each. Idempotent.
    void release();

private:
    struct Entry {
        std::string kind;
        std::string name;
        std::string version;
        std::shared_ptr<void> keep_alive;  ///< the guarded object (owns the plugin and its library)
    };
    template <class Interface>
    void loadOne(const PluginLoader& loader, const config::PluginSelection& selection,
                 std::shared_ptr<Interface>& slot);

    std::shared_ptr<b3s::plugin::BalancerStrategy> balancer_;
    std::shared_ptr<b3s::plugin::Authenticator> auth_;
    std::shared_ptr<b3s::plugin::MetricsSink> metrics_;
    std::shared_ptr<b3s::plugin::RecordingsStore> recordings_;
    std::vector<Entry> entries_;
    std::vector<std::string> declared_keys_;
};

}  // namespace b3s::core::plugin
