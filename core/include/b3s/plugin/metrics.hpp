#pragma once
// Metrics plugins keep the counters, gauges and histograms core and the other plugins count
// through, ask the registered sources for the figures of the moment at each scrape, and
// render the exposition core serves on GET /metrics. With no metrics plugin, core uses a
// no-op sink whose handles do nothing; nothing else changes.

#include <b3s/plugin/context.hpp>

#include <memory>
#include <string>
#include <vector>

namespace b3s::plugin {

/// A rendered exposition. `available` is false for the built-in no-op sink, which core
/// answers with 404 so a scraper learns that metrics are switched off.
struct MetricsPage {
    bool available = false;
    std::string content_type;  ///< e.g. "text/plain; version=0.0.4; charset=utf-8"
    std::string body;
};

/// One metric family: its name ([a-zA-Z_:][a-zA-Z0-9_:]*), one line of help, the names of its
/// labels ([a-zA-Z_][a-zA-Z0-9_]*), and for histograms the upper bounds of the buckets
/// (ascending; +Inf is implied).
struct MetricSpec {
    std::string name;
    std::string help;
    std::vector<std::string> labels;
    std::vector<double> buckets;
};

/// Label values, one per label of the family, in its order. Values are escaped by the sink;
/// callers keep cardinality bounded (never raw URLs or ids outside per-meeting families).
using LabelValues = std::vector<std::string>;

/// Handles returned by the sink. Thread-safety: every method may be called concurrently.
/// Lifetime: owned by the sink, valid until it is destroyed (after the HTTP server has
/// drained and every background thread has stopped).
class B3S_PLUGIN_API Counter {
public:
    virtual ~Counter() = default;
    /// Adds `by` (>= 0) to the series of `labels`. A wrong number of labels is ignored.
    virtual void inc(const LabelValues& labels, double by = 1) = 0;
};

class B3S_PLUGIN_API Gauge {
public:
    virtual ~Gauge() = default;
    virtual void set(const LabelValues& labels, double value) = 0;
};

class B3S_PLUGIN_API Histogram {
public:
    virtual ~Histogram() = default;
    virtual void observe(const LabelValues& labels, double value) = 0;
};

/// Handles that drop everything: what a sink hands out when metrics are off.
class NullMetricHandles final : public Counter, public Gauge, public Histogram {
public:
    void inc(const LabelValues&, double) override {}
    void set(const LabelValues&, double) override {}
    void observe(const LabelValues&, double) override {}
};

/// Figures of the moment, gathered at each scrape from a source (below) as plain data.
struct CollectedSample {
    LabelValues labels;
    double value = 0;
};
struct CollectedFamily {
    MetricSpec spec;       ///< buckets unused
    bool counter = false;  ///< gauge otherwise
    std::vector<CollectedSample> samples;
};

/// Something that knows figures of the moment (cluster state, pools): asked at every scrape.
/// Thread-safety: collect() may be called concurrently. Must not throw.
class B3S_PLUGIN_API MetricsSource {
public:
    virtual ~MetricsSource() = default;
    virtual void collect(std::vector<CollectedFamily>& out) const = 0;
};

/// Keeps and renders metrics.
/// Thread-safety: every method may be called concurrently.
/// Lifetime: created once at start-up, destroyed after the HTTP server has drained.
class B3S_PLUGIN_API MetricsSink {
public:
    virtual ~MetricsSink() = default;
    /// Produces the current exposition: the handles' series, then every source's families.
    /// Must not throw.
    virtual MetricsPage render() = 0;

    /// The family of `spec`, created at the first call; later calls with the same name return
    /// the same handle. Never throws; a spec that is not valid gets a handle that drops
    /// everything (and the sink logs it once).
    virtual Counter& counter(const MetricSpec& spec) = 0;
    virtual Gauge& gauge(const MetricSpec& spec) = 0;
    virtual Histogram& histogram(const MetricSpec& spec) = 0;

    /// `source` is asked at every render until removed; it must outlive its registration.
    virtual void addSource(const MetricsSource& source) = 0;
    virtual void removeSource(const MetricsSource& source) = 0;
};

template <>
struct KindTraits<MetricsSink> {
    static constexpr const char* kKind = "metrics";
    static constexpr const char* kFactorySymbol = "b3s_create_metrics";
    /// May throw ConfigError. Never returns nullptr.
    using Factory = std::unique_ptr<MetricsSink>(const Context&);
};

}  // namespace b3s::plugin
