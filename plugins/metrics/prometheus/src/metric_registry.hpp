#pragma once
// The counters, gauges and histograms handed out through the SDK, and the sources asked at
// each scrape: keeps their series and writes them as exposition text. Families are created at
// their first request and live as long as the registry; a spec that is not valid (a bad
// name, a label name twice, buckets not ascending) gets a handle that drops everything.

#include "text_exposition.hpp"

#include <b3s/plugin/context.hpp>
#include <b3s/plugin/metrics.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace b3s::metrics::prometheus {

class MetricRegistry {
public:
    /// `logger` must outlive the registry.
    explicit MetricRegistry(plugin::Logger& logger);
    ~MetricRegistry();
    MetricRegistry(const MetricRegistry&) = delete;
    MetricRegistry& operator=(const MetricRegistry&) = delete;

    plugin::Counter& counter(const plugin::MetricSpec& spec);
    plugin::Gauge& gauge(const plugin::MetricSpec& spec);
    plugin::Histogram& histogram(const plugin::MetricSpec& spec);
    void addSource(const plugin::MetricsSource& source);
    void removeSource(const plugin::MetricsSource& source);

    /// Writes every family of the handles (by name), then the sources' families (a name
    /// already written is left out and logged once). Thread-safe.
    void render(TextExposition& out) const;

    class Family;  ///< one family and its series; defined in the .cpp

private:
    enum class Kind { Counter, Gauge, Histogram };
    Family* family(const plugin::MetricSpec& spec, Kind kind);

    plugin::Logger& logger_;
    mutable std::mutex mutex_;
    std::map<std::string, std::unique_ptr<Family>> families_;
    std::vector<std::unique_ptr<Family>> rejected_;  ///< handles that drop everything
    std::vector<const plugin::MetricsSource*> sources_;
};

}  // namespace b3s::metrics::prometheus
