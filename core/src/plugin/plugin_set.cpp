#include "plugin/plugin_set.hpp"

#include "log/logger.hpp"
#include "plugin/noop_plugins.hpp"

namespace b3s::core::plugin {
namespace {

const log::Logger& logger() {
    static const log::Logger l("b3s.core.plugin");
    return l;
}

template <class Interface>
PluginGuard guardOf(const LoadedPlugin<Interface>& loaded) {
    return PluginGuard(loaded.kind, loaded.name, loaded.thread_safe);
}

}  // namespace

std::shared_ptr<b3s::plugin::BalancerStrategy> guarded(LoadedPlugin<b3s::plugin::BalancerStrategy> loaded) {
    return std::make_shared<GuardedBalancer>(loaded.object, guardOf(loaded));
}
std::shared_ptr<b3s::plugin::Authenticator> guarded(LoadedPlugin<b3s::plugin::Authenticator> loaded) {
    return std::make_shared<GuardedAuthenticator>(loaded.object, guardOf(loaded));
}
std::shared_ptr<b3s::plugin::MetricsSink> guarded(LoadedPlugin<b3s::plugin::MetricsSink> loaded) {
    return std::make_shared<GuardedMetricsSink>(loaded.object, guardOf(loaded));
}
std::shared_ptr<b3s::plugin::RecordingsStore> guarded(LoadedPlugin<b3s::plugin::RecordingsStore> loaded) {
    return std::make_shared<GuardedRecordingsStore>(loaded.object, guardOf(loaded));
}

template <class Interface>
void PluginSet::loadOne(const PluginLoader& loader, const config::PluginSelection& selection,
                        std::shared_ptr<Interface>& slot) {
    if (selection.name.empty()) {
        entries_.push_back({selection.kind, "none", "", nullptr});
        logger().info("plugin_disabled", {{"kind", selection.kind}, {"variable", selection.variable}});
        return;
    }
    auto loaded = loader.load<Interface>(selection.name);
    declared_keys_.insert(declared_keys_.end(), loaded.declared_keys.begin(), loaded.declared_keys.end());
    logger().info("plugin_loaded", {{"kind", loaded.kind},
                                    {"name", loaded.name},
                                    {"version", loaded.version},
                                    {"abi", std::to_string(b3s::plugin::kAbiVersion)},
                                    {"thread_safe", loaded.thread_safe ? "true" : "false"},
                                    {"path", loaded.path.string()}});
    if (!loaded.thread_safe)
        logger().warn("plugin_serialized", {{"kind", loaded.kind},
                                            {"name", loaded.name},
                                            {"note",
                                             "the plugin is not thread-safe: b3scaled calls it one call "
                                             "at a time"}});
    entries_.push_back({loaded.kind, loaded.name, loaded.version, nullptr});
    slot = guarded(std::move(loaded));
    entries_.back().keep_alive = slot;
}

PluginSet::PluginSet(const config::CoreSettings& settings, const config::Environment& env, const Clock& clock) {
    PluginLoader loader(settings.plugin_dir, env, clock);
    try {
        for (const auto& selection : settings.plugins) {
            if (selection.kind == "balancer")
                loadOne(loader, selection, balancer_);
            else if (selection.kind == "auth")
                loadOne(loader, selection, auth_);
            else if (selection.kind == "metrics")
                loadOne(loader, selection, metrics_);
            else if (selection.kind == "recordings")
                loadOne(loader, selection, recordings_);
        }
    } catch (...) {
        release();
        throw;
    }
    // Core's own no-op objects go through a guard too, so every call site is the same.
    if (!metrics_)
        metrics_ = std::make_shared<GuardedMetricsSink>(std::make_shared<NoopMetricsSink>(),
                                                        PluginGuard("metrics", "none", true));
    if (!recordings_)
        recordings_ = std::make_shared<GuardedRecordingsStore>(std::make_shared<NoopRecordingsStore>(),
                                                               PluginGuard("recordings", "none", true));
    if (!balancer_ || !auth_) throw PluginLoadError("internal error: a balancer and an auth plugin are required");
}

PluginSet::~PluginSet() {
    release();
}

std::vector<std::string> PluginSet::describe() const {
    std::vector<std::string> out;
    for (const auto& e : entries_) out.push_back(e.kind + "/" + e.name);
    return out;
}

std::string PluginSet::nameOf(std::string_view kind) const {
    for (const auto& e : entries_)
        if (e.kind == kind) return e.name;
    return "none";
}

void PluginSet::release() {
    balancer_.reset();
    auth_.reset();
    metrics_.reset();
    recordings_.reset();
    while (!entries_.empty()) {
        Entry entry = std::move(entries_.back());
        entries_.pop_back();
        if (!entry.keep_alive) continue;
        entry.keep_alive.reset();
        logger().info("plugin_released", {{"kind", entry.kind}, {"name", entry.name}});
    }
}

}  // namespace b3s::core::plugin
