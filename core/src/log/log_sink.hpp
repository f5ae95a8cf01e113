#pragma once
// The process-wide destination of log events: one line per event on stderr, either a
// JSON object (b3scale's "structured" format, the default) or human-readable text. When
// stderr is the journal, each line starts with its syslog priority ("<6>"), which journald
// takes off and keeps as the entry's priority.

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace b3s::core::log {

/// Severity, ordered as b3scale's B3SCALE_LOG_LEVEL numbers (trace -1 … panic 5).
enum class LogLevel : int { Trace = -1, Debug = 0, Info = 1, Warn = 2, Error = 3, Fatal = 4, Panic = 5 };

/// One structured field of an event. Never a secret.
struct LogField {
    std::string_view key;
    std::string_view value;
};

enum class LogFormat { Structured, Plain };

/// Accepts b3scale's names (trace, debug, info, warn, error, fatal, panic) and numbers
/// (-1 … 5), case-insensitive; nullopt for anything else.
std::optional<LogLevel> parseLogLevel(std::string_view text) noexcept;
/// "structured" (JSON lines) or "plain"; nullopt for anything else.
std::optional<LogFormat> parseLogFormat(std::string_view text) noexcept;
const char* levelName(LogLevel level) noexcept;
/// The syslog priority journald files a line of `level` under (trace/debug 7 … panic 0).
int syslogPriority(LogLevel level) noexcept;

class LogSink {
public:
    /// The sink every Logger writes to. Starts as structured/info on stderr.
    static LogSink& instance();

    /// Any thread, at any time (SIGHUP changes both while requests log).
    void configure(LogFormat format, LogLevel minimum);
    LogFormat currentFormat() const noexcept { return format_.load(); }
    LogLevel currentLevel() const noexcept { return static_cast<LogLevel>(minimum_.load()); }
    /// Starts every line with "<priority>" (stderr is the journal) or not.
    void setPriorityPrefix(bool on) noexcept { priority_prefix_.store(on); }
    /// Redirects output (tests); nullptr restores stderr.
    void redirect(std::FILE* out);

    bool enabled(LogLevel level) const noexcept {
        return static_cast<int>(level) >= minimum_.load(std::memory_order_relaxed);
    }
    void write(LogLevel level, std::string_view logger, std::string_view event, std::span<const LogField> fields);
    void write(LogLevel level, std::string_view logger, std::string_view event,
               std::initializer_list<LogField> fields) {
        write(level, logger, event, std::span<const LogField>(fields.begin(), fields.size()));
    }
    /// For lines written per request (the access log): kept in a buffer that goes out when it
    /// holds kDeferredBytes, before any other line (order is kept), and at flushDeferred(),
    /// which the server calls every 100 ms and at shutdown. One write(2) per request was an
    /// eighth of a join's CPU time.
    void writeDeferred(LogLevel level, std::string_view logger, std::string_view event,
                       std::span<const LogField> fields);
    void writeDeferred(LogLevel level, std::string_view logger, std::string_view event,
                       std::initializer_list<LogField> fields) {
        writeDeferred(level, logger, event, std::span<const LogField>(fields.begin(), fields.size()));
    }
    void flushDeferred();
    static constexpr std::size_t kDeferredBytes = 16 * 1024;

    /// Formats one line without writing it (exposed for tests).
    std::string format(LogLevel level, std::string_view logger, std::string_view event,
                       std::span<const LogField> fields, std::int64_t now_us) const;
    std::string format(LogLevel level, std::string_view logger, std::string_view event,
                       std::initializer_list<LogField> fields, std::int64_t now_us) const {
        return format(level, logger, event, std::span<const LogField>(fields.begin(), fields.size()), now_us);
    }

private:
    LogSink() = default;

    std::atomic<int> minimum_{static_cast<int>(LogLevel::Info)};
    std::atomic<LogFormat> format_{LogFormat::Structured};
    std::atomic<bool> priority_prefix_{false};
    void writeOut(const std::string& text);  ///< write_mutex_ held
    void writeOutDeferred();                 ///< write_mutex_ held; empties deferred_

    std::mutex write_mutex_;
    std::FILE* out_ = nullptr;
    std::string deferred_;  ///< lines of writeDeferred() not written yet
};

}  // namespace b3s::core::log
