#pragma once
// The Context a plugin factory receives: a view of exactly the variables it declared,
// a logger named after it, and the clock.

#include "log/logger.hpp"

#include <b3s/plugin/context.hpp>

#include <map>
#include <string>

namespace b3s::core::plugin {

/// Holds the declared keys only, defaults applied; anything else reads as unset.
class DeclaredConfigView final : public b3s::plugin::ConfigView {
public:
    explicit DeclaredConfigView(std::map<std::string, std::string, std::less<>> values)
        : values_(std::move(values)) {}
    std::optional<std::string> get(std::string_view key) const override {
        auto it = values_.find(key);
        if (it == values_.end() || it->second.empty()) return std::nullopt;
        return it->second;
    }

private:
    std::map<std::string, std::string, std::less<>> values_;
};

class PluginContext final : public b3s::plugin::Context {
public:
    PluginContext(DeclaredConfigView config, std::string logger_name, const b3s::plugin::Clock& clock)
        : config_(std::move(config)), logger_(std::move(logger_name)), clock_(clock) {}

    const b3s::plugin::ConfigView& config() const override { return config_; }
    b3s::plugin::Logger& logger() const override { return logger_; }
    const b3s::plugin::Clock& clock() const override { return clock_; }

private:
    DeclaredConfigView config_;
    mutable log::Logger logger_;
    const b3s::plugin::Clock& clock_;
};

}  // namespace b3s::core::plugin
