#pragma once
// The process-wide destination of log events: one line per event on stderr, either a
// JSON object (b3scale's "structured" format, the default) or human-readable text.

#include <b3s/plugin/context.hpp>

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace b3s::core::log {

using b3s::plugin::LogField;
using b3s::plugin::LogLevel;

enum class LogFormat { Structured, Plain };

/// Accepts b3scale's names (trace, debug, info, warn, error, fatal, panic) and numbers
/// (-1 … 5), case-insensitive; nullopt for anything else.
std::optional<LogLevel> parseLogLevel(std::string_view text) noexcept;
/// "structured" (JSON lines) or "plain"; nullopt for anything else.
std::optional<LogFormat> parseLogFormat(std::string_view text) noexcept;
const char* levelName(LogLevel level) noexcept;

class LogSink {
public:
    /// The sink every Logger writes to. Starts as structured/info on stderr.
    static LogSink& instance();

    void configure(LogFormat format, LogLevel minimum);
    /// Redirects output (tests); nullptr restores stderr.
    void redirect(std::FILE* out);

    bool enabled(LogLevel level) const noexcept {
        return static_cast<int>(level) >= minimum_.load(std::memory_order_relaxed);
    }
    void write(LogLevel level, std::string_view logger, std::string_view event,
               std::initializer_list<LogField> fields);
    /// For lines written per request (the access log): kept in a buffer that goes out when it
    /// holds kDeferredBytes, before any other line (order is kept), and at flushDeferred(),
    /// which the server calls every 100 ms and at shutdown. One write(2) per request was an
    /// eighth of a join's CPU time.
    void writeDeferred(LogLevel level, std::string_view logger, std::string_view event,
                       std::initializer_list<LogField> fields);
    void flushDeferred();
    static constexpr std::size_t kDeferredBytes = 16 * 1024;

    /// Formats one line without writing it (exposed for tests).
    std::string format(LogLevel level, std::string_view logger, std::string_view event,
                       std::initializer_list<LogField> fields, std::int64_t now_us) const;

private:
    LogSink() = default;

    std::atomic<int> minimum_{static_cast<int>(LogLevel::Info)};
    std::atomic<LogFormat> format_{LogFormat::Structured};
    void writeOut(const std::string& text);  ///< write_mutex_ held
    void writeOutDeferred();                 ///< write_mutex_ held; empties deferred_

    std::mutex write_mutex_;
    std::FILE* out_ = nullptr;
    std::string deferred_;  ///< lines of writeDeferred() not written yet
};

}  // namespace b3s::core::log
