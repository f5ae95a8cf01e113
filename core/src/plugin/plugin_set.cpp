#include "plugin/plugin_set.hpp"

#include "log/logger.hpp"
#include "plugin/noop_plugins.hpp"

namespace b3s::core::plugin {
namespace {
log::Logger& logger() {
    static log::Logger l("b3s.core.plugin");
    return l;
}
}  // namespace

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
    slot = loaded.object;
    entries_.push_back({loaded.kind, loaded.name, loaded.version, loaded.object});
    logger().info("plugin_loaded", {{"kind", loaded.kind},
                                    {"name", loaded.name},
                                    {"version", loaded.version},
                                    {"abi", std::to_string(b3s::plugin::kAbiVersion)},
                                    {"path", loaded.path.string()}});
}

PluginSet::PluginSet(const config::CoreSettings& settings, const config::Environment& env,
                     const b3s::plugin::Clock& clock) {
    PluginLoader loader(settings.plugin_dir, env, clock);
    try {
        for (const auto& selection : settings.plugins) {
            if (selection.kind == "balancer") loadOne(loader, selection, balancer_);
            else if (selection.kind == "auth") loadOne(loader, selection, auth_);
            else if (selection.kind == "metrics") loadOne(loader, selection, metrics_);
            else if (selection.kind == "recordings") loadOne(loader, selection, recordings_);
        }
    } catch (...) {
        release();
        throw;
    }
    if (!metrics_) metrics_ = std::make_shared<NoopMetricsSink>();
    if (!recordings_) recordings_ = std::make_shared<NoopRecordingsStore>();
    if (!balancer_ || !auth_)
        throw PluginLoadError("internal error: a balancer and an auth plugin are required");
}

PluginSet::~PluginSet() { release(); }

std::vector<std::string> PluginSet::describe() const {
    std::vector<std::string> out;
    for (const auto& e : entries_) out.push_back(e.kind + "/" + e.name);
    return out;
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

