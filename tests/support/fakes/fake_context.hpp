#pragma once
// The Context a plugin factory receives in unit tests: a map-backed config view, a
// recording logger and a manual clock, all owned here and all reachable for assertions.

#include "manual_clock.hpp"
#include "map_config_view.hpp"
#include "recording_logger.hpp"

#include <b3s/plugin/context.hpp>

#include <initializer_list>
#include <string>
#include <utility>

namespace b3s::test {

class FakeContext final : public plugin::Context {
public:
    FakeContext() = default;
    FakeContext(std::initializer_list<std::pair<const std::string, std::string>> values) : config_(values) {}

    // Mutable access for the test; the plugin only ever sees the const interfaces.
    MapConfigView& mapConfig() { return config_; }
    RecordingLogger& recordingLogger() { return logger_; }
    ManualClock& manualClock() { return clock_; }

    // b3s::plugin::Context
    const plugin::ConfigView& config() const override { return config_; }
    plugin::Logger& logger() const override { return logger_; }
    const plugin::Clock& clock() const override { return clock_; }

private:
    MapConfigView config_;
    mutable RecordingLogger logger_;
    ManualClock clock_;
};

}  // namespace b3s::test
