#include "log/log_sink.hpp"

#include "util/system_clock.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <ctime>
#include <limits>

namespace b3s::core::log {
namespace {

struct LevelNames {
    LogLevel level;
    const char* name;
    const char* plain;
    const char* priority;  ///< syslog's: debug 7, info 6, warning 4, err 3, crit 2, emerg 0
};
constexpr std::array<LevelNames, 7> kLevels{{
    {LogLevel::Trace, "trace", "TRC", "<7>"},
    {LogLevel::Debug, "debug", "DBG", "<7>"},
    {LogLevel::Info, "info", "INF", "<6>"},
    {LogLevel::Warn, "warn", "WRN", "<4>"},
    {LogLevel::Error, "error", "ERR", "<3>"},
    {LogLevel::Fatal, "fatal", "FTL", "<2>"},
    {LogLevel::Panic, "panic", "PNC", "<0>"},
}};

const LevelNames& namesOf(LogLevel level) noexcept {
    for (const auto& l : kLevels)
        if (l.level == level) return l;
    return kLevels[2];
}

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return std::tolower(c); });
    return out;
}

void appendJsonString(std::string& out, std::string_view s) {
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            default:
                if (c < 0x20)
                    out += fmt::format("\\u{:04x}", c);
                else
                    out += static_cast<char>(c);
        }
    }
    out += '"';
}

// Plain values are quoted only when a reader could not tell where they end.
void appendPlainValue(std::string& out, std::string_view s) {
    bool needs_quotes = s.empty() || s.find_first_of(" \t\n\r\"=") != std::string_view::npos;
    if (!needs_quotes) {
        out += s;
        return;
    }
    appendJsonString(out, s);
}

// "2026-12-04T23:05:53.123456Z". The part up to the seconds is formatted once per second and
// thread: gmtime_r takes glibc's time-zone lock, which every request thread contended for
// when each request wrote an access-log line.
std::string isoTime(std::int64_t us) {
    thread_local std::int64_t cached_secs = std::numeric_limits<std::int64_t>::min();
    thread_local std::string cached_prefix;
    us = std::max<std::int64_t>(us, 0);
    const std::int64_t secs = us / 1'000'000;
    if (secs != cached_secs) {
        const auto t = static_cast<std::time_t>(secs);
        std::tm tm{};
        gmtime_r(&t, &tm);
        cached_prefix = fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                                    tm.tm_hour, tm.tm_min, tm.tm_sec);
        cached_secs = secs;
    }
    std::string text;
    text.reserve(cached_prefix.size() + 8);
    text += cached_prefix;
    text += '.';
    auto fraction = static_cast<int>(us % 1'000'000);
    char digits[6];
    for (int i = 5; i >= 0; --i, fraction /= 10) digits[i] = static_cast<char>('0' + fraction % 10);
    text.append(digits, sizeof digits);
    text += 'Z';
    return text;
}

}  // namespace

std::optional<LogLevel> parseLogLevel(std::string_view text) noexcept {
    std::string t = lower(text);
    for (const auto& l : kLevels) {
        if (t == l.name || t == std::to_string(static_cast<int>(l.level))) return l.level;
    }
    if (t == "warning") return LogLevel::Warn;
    return std::nullopt;
}

std::optional<LogFormat> parseLogFormat(std::string_view text) noexcept {
    std::string t = lower(text);
    if (t == "structured" || t == "json") return LogFormat::Structured;
    if (t == "plain" || t == "text") return LogFormat::Plain;
    return std::nullopt;
}

const char* levelName(LogLevel level) noexcept {
    return namesOf(level).name;
}

int syslogPriority(LogLevel level) noexcept {
    return namesOf(level).priority[1] - '0';
}

LogSink& LogSink::instance() {
    static LogSink sink;
    return sink;
}

void LogSink::configure(LogFormat format, LogLevel minimum) {
    format_.store(format);
    minimum_.store(static_cast<int>(minimum));
}

void LogSink::redirect(std::FILE* out) {
    std::lock_guard lock(write_mutex_);
    if (!deferred_.empty()) writeOutDeferred();
    out_ = out;
}

std::string LogSink::format(LogLevel level, std::string_view logger, std::string_view event,
                            std::span<const LogField> fields, std::int64_t now_us) const {
    std::string line;
    line.reserve(128);
    if (priority_prefix_.load(std::memory_order_relaxed)) line += namesOf(level).priority;
    if (format_.load() == LogFormat::Structured) {
        line += "{\"level\":";
        appendJsonString(line, levelName(level));
        line += ",\"time\":";
        appendJsonString(line, isoTime(now_us));
        line += ",\"logger\":";
        appendJsonString(line, logger);
        line += ",\"message\":";
        appendJsonString(line, event);
        for (const auto& f : fields) {
            line += ',';
            appendJsonString(line, f.key);
            line += ':';
            appendJsonString(line, f.value);
        }
        line += "}\n";
        return line;
    }
    line += isoTime(now_us);
    for (const auto& l : kLevels)
        if (l.level == level) line += fmt::format(" {} ", l.plain);
    line += logger;
    line += ' ';
    line += event;
    for (const auto& f : fields) {
        line += ' ';
        line += f.key;
        line += '=';
        appendPlainValue(line, f.value);
    }
    line += '\n';
    return line;
}

void LogSink::write(LogLevel level, std::string_view logger, std::string_view event, std::span<const LogField> fields) {
    static const SystemClock clock;
    std::string line = format(level, logger, event, fields, clock.nowMicros());
    std::lock_guard lock(write_mutex_);
    if (!deferred_.empty()) {
        deferred_ += line;
        writeOutDeferred();
        return;
    }
    writeOut(line);
}

void LogSink::writeDeferred(LogLevel level, std::string_view logger, std::string_view event,
                            std::span<const LogField> fields) {
    if (!enabled(level)) return;
    static const SystemClock clock;
    std::string line = format(level, logger, event, fields, clock.nowMicros());
    std::lock_guard lock(write_mutex_);
    deferred_ += line;
    if (deferred_.size() >= kDeferredBytes) writeOutDeferred();
}

void LogSink::flushDeferred() {
    std::lock_guard lock(write_mutex_);
    if (!deferred_.empty()) writeOutDeferred();
}

void LogSink::writeOutDeferred() {
    writeOut(deferred_);
    deferred_.clear();  // keeps its capacity: the next batch grows without reallocating
}

void LogSink::writeOut(const std::string& text) {
    std::FILE* out = out_ ? out_ : stderr;
    std::fwrite(text.data(), 1, text.size(), out);
    std::fflush(out);
}

}  // namespace b3s::core::log
