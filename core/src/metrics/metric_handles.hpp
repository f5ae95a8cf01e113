#pragma once
// Core's metric handles. Core counts through these; each forwards to the handle the metrics
// plugin gave for its family (the no-op sink's when metrics are off), so the SDK's handle
// interface is touched here and in core_metrics.cpp only.

#include <b3s/plugin/metrics.hpp>

#include <string>
#include <vector>

namespace b3s::core::metrics {

/// Label values in the order of the family's labels.
using Labels = std::vector<std::string>;

class Counter {
public:
    explicit Counter(b3s::plugin::Counter& handle) : handle_(&handle) {}
    void inc(const Labels& labels, double by = 1) const { handle_->inc(labels, by); }

private:
    b3s::plugin::Counter* handle_;
};

class Gauge {
public:
    explicit Gauge(b3s::plugin::Gauge& handle) : handle_(&handle) {}
    void set(const Labels& labels, double value) const { handle_->set(labels, value); }

private:
    b3s::plugin::Gauge* handle_;
};

class Histogram {
public:
    explicit Histogram(b3s::plugin::Histogram& handle) : handle_(&handle) {}
    void observe(const Labels& labels, double value) const { handle_->observe(labels, value); }

private:
    b3s::plugin::Histogram* handle_;
};

}  // namespace b3s::core::metrics
