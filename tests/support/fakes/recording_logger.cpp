#include "recording_logger.hpp"

namespace b3s::test {

std::optional<std::string> LoggedEvent::field(std::string_view key) const {
    for (const auto& [k, v] : fields)
        if (k == key) return v;
    return std::nullopt;
}

void RecordingLogger::setThreshold(plugin::LogLevel threshold) {
    std::lock_guard lock(mutex_);
    threshold_ = threshold;
}

std::vector<LoggedEvent> RecordingLogger::events() const {
    std::lock_guard lock(mutex_);
    return events_;
}

std::size_t RecordingLogger::count(std::string_view event) const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& e : events_)
        if (e.event == event) ++n;
    return n;
}

std::optional<LoggedEvent> RecordingLogger::find(std::string_view event) const {
    std::lock_guard lock(mutex_);
    for (const auto& e : events_)
        if (e.event == event) return e;
    return std::nullopt;
}

bool RecordingLogger::mentions(std::string_view text) const {
    std::lock_guard lock(mutex_);
    for (const auto& e : events_) {
        if (e.event.find(text) != std::string::npos) return true;
        for (const auto& [k, v] : e.fields)
            if (k.find(text) != std::string::npos || v.find(text) != std::string::npos) return true;
    }
    return false;
}

void RecordingLogger::clear() {
    std::lock_guard lock(mutex_);
    events_.clear();
}

bool RecordingLogger::enabled(plugin::LogLevel level) const {
    std::lock_guard lock(mutex_);
    return static_cast<int>(level) >= static_cast<int>(threshold_);
}

void RecordingLogger::log(plugin::LogLevel level, std::string_view event,
                          std::initializer_list<plugin::LogField> fields) {
    LoggedEvent entry{level, std::string(event), {}};
    entry.fields.reserve(fields.size());
    for (const auto& f : fields) entry.fields.emplace_back(std::string(f.key), std::string(f.value));
    std::lock_guard lock(mutex_);
    if (static_cast<int>(level) < static_cast<int>(threshold_)) return;
    events_.push_back(std::move(entry));
}

}  // namespace b3s::test
