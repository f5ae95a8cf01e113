#pragma once
// The Context a plugin factory receives: a view of exactly the variables it declared,
// a logger named after it, and the clock. Core's own logger and clock are adapted to the
// SDK's interfaces here, at the boundary, so neither is part of the plugin ABI.

#include "log/logger.hpp"
#include "util/clock.hpp"

#include <b3s/plugin/context.hpp>

#include <map>
#include <string>

namespace b3s::core::plugin {

/// Holds the declared keys only, defaults applied; anything else reads as unset.
class DeclaredConfigView final : public b3s::plugin::ConfigView {
public:
    explicit DeclaredConfigView(std::map<std::string, std::string, std::less<>> values) : values_(std::move(values)) {}
    std::optional<std::string> get(std::string_view key) const override {
        auto it = values_.find(key);
        if (it == values_.end() || it->second.empty()) return std::nullopt;
        return it->second;
    }

private:
    std::map<std::string, std::string, std::less<>> values_;
};

/// The SDK's logger on top of core's.
class PluginLogger final : public b3s::plugin::Logger {
public:
    explicit PluginLogger(std::string name) : logger_(std::move(name)) {}
    bool enabled(b3s::plugin::LogLevel level) const override { return logger_.enabled(toCore(level)); }
    void log(b3s::plugin::LogLevel level, std::string_view event,
             std::initializer_list<b3s::plugin::LogField> fields) override;

    static log::LogLevel toCore(b3s::plugin::LogLevel level) noexcept {
        return static_cast<log::LogLevel>(static_cast<int>(level));  // same numbers, b3scale's
    }

private:
    log::Logger logger_;
};

/// The SDK's clock on top of core's.
class PluginClock final : public b3s::plugin::Clock {
public:
    explicit PluginClock(const core::Clock& clock) : clock_(clock) {}
    std::int64_t nowMicros() const override { return clock_.nowMicros(); }

private:
    const core::Clock& clock_;
};

class PluginContext final : public b3s::plugin::Context {
public:
    PluginContext(DeclaredConfigView config, std::string logger_name, const Clock& clock)
        : config_(std::move(config)), logger_(std::move(logger_name)), clock_(clock) {}

    const b3s::plugin::ConfigView& config() const override { return config_; }
    b3s::plugin::Logger& logger() const override { return logger_; }
    const b3s::plugin::Clock& clock() const override { return clock_; }

private:
    DeclaredConfigView config_;
    mutable PluginLogger logger_;
    PluginClock clock_;
};

}  // namespace b3s::core::plugin
