#pragma once
// A named logger (b3s.core.http, b3s.plugin.balancer.least_load, …) writing to the
// process-wide LogSink. Cheap to construct; keep one per module.

#include "log/log_sink.hpp"

#include <initializer_list>
#include <string>

namespace b3s::core::log {

class Logger final {
public:
    explicit Logger(std::string name) : name_(std::move(name)) {}

    bool enabled(LogLevel level) const { return LogSink::instance().enabled(level); }
    void log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) const {
        auto& sink = LogSink::instance();
        if (sink.enabled(level)) sink.write(level, name_, event, fields);
    }
    void debug(std::string_view event, std::initializer_list<LogField> fields = {}) const {
        log(LogLevel::Debug, event, fields);
    }
    void info(std::string_view event, std::initializer_list<LogField> fields = {}) const {
        log(LogLevel::Info, event, fields);
    }
    void warn(std::string_view event, std::initializer_list<LogField> fields = {}) const {
        log(LogLevel::Warn, event, fields);
    }
    void error(std::string_view event, std::initializer_list<LogField> fields = {}) const {
        log(LogLevel::Error, event, fields);
    }
    void fatal(std::string_view event, std::initializer_list<LogField> fields = {}) const {
        log(LogLevel::Fatal, event, fields);
    }

    const std::string& name() const noexcept { return name_; }

private:
    std::string name_;
};

}  // namespace b3s::core::log
