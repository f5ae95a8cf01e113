#pragma once
// Metrics plugins render the metrics exposition that core serves on GET /metrics.

#include <b3s/plugin/context.hpp>

#include <memory>
#include <string>

namespace b3s::plugin {

/// A rendered exposition. `available` is false for the built-in no-op sink, which core
/// answers with 404 so a scraper learns that metrics are switched off.
struct MetricsPage {
    bool available = false;
    std::string content_type;  ///< e.g. "text/plain; version=0.0.4; charset=utf-8"
    std::string body;
};

/// Renders metrics.
/// Thread-safety: render() is called concurrently from request threads.
/// Lifetime: created once at start-up, destroyed after the HTTP server has drained.
class B3S_PLUGIN_API MetricsSink {
public:
    virtual ~MetricsSink() = default;
    /// Produces the current exposition. Must not throw.
    virtual MetricsPage render() = 0;
};

template <>
struct KindTraits<MetricsSink> {
    static constexpr const char* kKind = "metrics";
    static constexpr const char* kFactorySymbol = "b3s_create_metrics";
    /// May throw ConfigError. Never returns nullptr.
    using Factory = std::unique_ptr<MetricsSink>(const Context&);
};

}  // namespace b3s::plugin
