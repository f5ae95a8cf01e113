#pragma once
// A named logger (b3s.core.http, b3s.plugin.balancer.least_load, …) writing to the
// process-wide LogSink. Cheap to construct; keep one per module.

#include "log/log_sink.hpp"

#include <string>

namespace b3s::core::log {

class Logger final : public b3s::plugin::Logger {
public:
    explicit Logger(std::string name) : name_(std::move(name)) {}

    bool enabled(LogLevel level) const override { return LogSink::instance().enabled(level); }
    void log(LogLevel level, std::string_view event, std::initializer_list<LogField> fields) override {
        auto& sink = LogSink::instance();
        if (sink.enabled(level)) sink.write(level, name_, event, fields);
    }
    void fatal(std::string_view event, std::initializer_list<LogField> fields = {}) {
        log(LogLevel::Fatal, event, fields);
    }

    const std::string& name() const noexcept { return name_; }

private:
    std::string name_;
};

}  // namespace b3s::core::log
