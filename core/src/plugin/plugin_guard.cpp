#include "plugin/plugin_guard.hpp"

#include "log/logger.hpp"

namespace b3s::core::plugin {
namespace {

const log::Logger& guardLog() {
    static const log::Logger l("b3s.core.plugin");
    return l;
}

}  // namespace

PluginCallError::PluginCallError(const std::string& kind, const std::string& name, std::string_view method)
    : std::runtime_error("the " + kind + " plugin '" + name + "' failed in " + std::string(method)) {}

PluginGuard::PluginGuard(std::string kind, std::string name, bool thread_safe)
    : kind_(std::move(kind)), name_(std::move(name)) {
    if (!thread_safe) serial_ = std::make_unique<std::recursive_mutex>();
}

void PluginGuard::failed(std::string_view method, std::string_view error) const {
    guardLog().error("plugin_call_failed", {{"kind", kind_}, {"name", name_}, {"method", method}, {"error", error}});
    throw PluginCallError(kind_, name_, method);
}

}  // namespace b3s::core::plugin
