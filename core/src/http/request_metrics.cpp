#include "http/request_metrics.hpp"

#include "log/log_sink.hpp"

#include <charconv>
#include <cstdint>
#include <random>

namespace b3s::core::http {
namespace {

// Cheap per-thread randomness for sampling (not for anything secret).
double uniform() noexcept {
    thread_local std::minstd_rand engine{std::random_device{}()};
    return std::uniform_real_distribution<double>(0.0, 1.0)(engine);
}

// Microseconds as milliseconds with three decimals ("1.234"), without printf's locale lookups.
std::string millis(std::int64_t us) {
    char text[32];
    const auto [end, ec] = std::to_chars(text, text + sizeof text, double(us) / 1000.0, std::chars_format::fixed, 3);
    return ec == std::errc{} ? std::string(text, end) : std::string("0");
}

}  // namespace

RequestMetrics::RequestMetrics(const metrics::CoreMetrics& metrics, config::AccessLogPolicy policy)
    : metrics_(metrics), policy_(PackedPolicy{policy.mode, static_cast<float>(policy.fraction)}) {}

void RequestMetrics::setPolicy(const config::AccessLogPolicy& policy) noexcept {
    policy_.store(PackedPolicy{policy.mode, static_cast<float>(policy.fraction)}, std::memory_order_relaxed);
}

config::AccessLogPolicy RequestMetrics::policy() const noexcept {
    const auto p = policy_.load(std::memory_order_relaxed);
    return {p.mode, p.fraction};
}

bool RequestMetrics::logs(int status) const noexcept {
    const auto policy = policy_.load(std::memory_order_relaxed);
    switch (policy.mode) {
        case config::AccessLogPolicy::Mode::All: return true;
        case config::AccessLogPolicy::Mode::Errors: return status >= 400;
        case config::AccessLogPolicy::Mode::Off: return false;
        case config::AccessLogPolicy::Mode::Sample: return status >= 500 || uniform() < policy.fraction;
    }
    return true;
}

void RequestMetrics::observe(const RequestRecord& record) noexcept {
    try {
        const auto& trace = *record.trace;
        const auto status = std::to_string(record.status);
        metrics_.http_requests.inc({trace.route, record.method, status});
        metrics_.http_duration.observe({trace.route, status}, double(record.latency.count()) / 1e6);
        if (!logs(record.status)) return;
        // Server errors go out at once, the other lines in batches (log_sink.hpp).
        auto& sink = log::LogSink::instance();
        const bool failed = record.status >= 500;
        const auto level = failed ? log::LogLevel::Warn : log::LogLevel::Info;
        if (!sink.enabled(level)) return;
        const std::string latency_ms = millis(record.latency.count());
        const log::LogField fields[] = {
            {"client", trace.client},   {"method", record.method},    {"route", trace.route},    {"status", status},
            {"latency_ms", latency_ms}, {"frontend", trace.frontend}, {"backend", trace.backend}};
        if (failed)
            sink.write(level, "b3s.core.access", "request", fields);
        else
            sink.writeDeferred(level, "b3s.core.access", "request", fields);
    } catch (const std::exception&) {
        // Only allocation can fail here; a lost count must never take down the request thread.
    }
}

}  // namespace b3s::core::http
