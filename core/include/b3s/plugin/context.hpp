#pragma once
// What core hands a plugin factory: the plugin's own configuration, a logger and a clock.
// Nothing else of core (no database, no HTTP server) is reachable from a plugin.

#include <b3s/plugin/abi.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace b3s::plugin {

/// Read-only view of the B3SCALE_* variables a plugin declared, defaults applied.
/// Thread-safety: immutable; may be read from any thread.
/// Lifetime: valid for the lifetime of every object the factory creates.
class B3S_PLUGIN_API ConfigView {
public:
    virtual ~ConfigView() = default;
    /// The value of a declared key, or nullopt when unset and without default. Asking for
    /// a key the plugin did not declare returns nullopt too (least privilege).
    virtual std::optional<std::string> get(std::string_view key) const = 0;

    std::string getOr(std::string_view key, std::string fallback) const {
        auto v = get(key);
        return v ? *v : std::move(fallback);
    }
};

/// Severity, ordered as b3scale's B3SCALE_LOG_LEVEL numbers (trace -1 ... panic 5).
enum class LogLevel : int { Trace = -1, Debug = 0, Info = 1, Warn = 2, Error = 3, Fatal = 4, Panic = 5 };

/// One structured field of a log event. Never put a secret in a field.
struct LogField {
    std::string_view key;
    std::string_view value;
};

/// Structured logger named b3s.plugin.<kind>.<name>.
/// Thread-safety: may be called concurrently from any thread.
/// Lifetime: valid for the lifetime of every object the factory creates.
class B3S_PLUGIN_API Logger {
public:
    virtual ~Logger() = default;
    /// Whether events of this level are written at all (skip building costly fields).
    virtual bool enabled(LogLevel level) const = 0;
    /// Writes one event: a stable snake_case key (e.g. "paths_checked") plus fields.
    virtual void log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) = 0;

    void info(std::string_view event, std::initializer_list<LogField> fields = {}) {
        log(LogLevel::Info, event, fields);
    }
    void warn(std::string_view event, std::initializer_list<LogField> fields = {}) {
        log(LogLevel::Warn, event, fields);
    }
    void error(std::string_view event, std::initializer_list<LogField> fields = {}) {
        log(LogLevel::Error, event, fields);
    }
    void debug(std::string_view event, std::initializer_list<LogField> fields = {}) {
        log(LogLevel::Debug, event, fields);
    }
};

/// Wall-clock time, injected so tests are deterministic.
/// Thread-safety: may be called concurrently. Lifetime: as Logger.
class B3S_PLUGIN_API Clock {
public:
    virtual ~Clock() = default;
    /// Microseconds since the Unix epoch, UTC.
    virtual std::int64_t nowMicros() const = 0;
};

/// Everything a factory receives. Passed by const reference; the referenced objects
/// outlive the plugin objects the factory returns, so plugins may keep references.
class B3S_PLUGIN_API Context {
public:
    virtual ~Context() = default;
    virtual const ConfigView& config() const = 0;
    virtual Logger& logger() const = 0;
    virtual const Clock& clock() const = 0;
};

}  // namespace b3s::plugin
