#pragma once
// A Logger that keeps every event in memory so tests can assert on what a plugin logged
// (and, just as important, that no secret ever reached a log line).

#include <b3s/plugin/context.hpp>

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace b3s::test {

struct LoggedEvent {
    plugin::LogLevel level;
    std::string event;
    std::vector<std::pair<std::string, std::string>> fields;

    /// The value of a field, or nullopt when the event has no such field.
    std::optional<std::string> field(std::string_view key) const;
};

class RecordingLogger final : public plugin::Logger {
public:
    /// Events below `threshold` are dropped and enabled() says so, like a real logger.
    explicit RecordingLogger(plugin::LogLevel threshold = plugin::LogLevel::Trace) : threshold_(threshold) {}

    void setThreshold(plugin::LogLevel threshold);

    /// A copy, so tests can inspect it while a plugin keeps logging on other threads.
    std::vector<LoggedEvent> events() const;
    std::size_t count(std::string_view event) const;
    /// The first event with this key, if any.
    std::optional<LoggedEvent> find(std::string_view event) const;
    /// Whether any event key or field value contains `text` (e.g. to prove a secret is absent).
    bool mentions(std::string_view text) const;
    void clear();

    // b3s::plugin::Logger
    bool enabled(plugin::LogLevel level) const override;
    void log(plugin::LogLevel level, std::string_view event, std::initializer_list<plugin::LogField> fields) override;

private:
    mutable std::mutex mutex_;
    plugin::LogLevel threshold_;
    std::vector<LoggedEvent> events_;
};

}  // namespace b3s::test
