#pragma once
// Built-in stand-ins for the optional kinds, so core never asks "is there a plugin?".

#include <b3s/plugin/metrics.hpp>
#include <b3s/plugin/recordings.hpp>

namespace b3s::core::plugin {

class NoopMetricsSink final : public b3s::plugin::MetricsSink {
public:
    b3s::plugin::MetricsPage render() override { return {}; }
    b3s::plugin::Counter& counter(const b3s::plugin::MetricSpec&) override { return handles_; }
    b3s::plugin::Gauge& gauge(const b3s::plugin::MetricSpec&) override { return handles_; }
    b3s::plugin::Histogram& histogram(const b3s::plugin::MetricSpec&) override { return handles_; }
    void addSource(const b3s::plugin::MetricsSource&) override {}
    void removeSource(const b3s::plugin::MetricsSource&) override {}

private:
    b3s::plugin::NullMetricHandles handles_;
};

class NoopRecordingsStore final : public b3s::plugin::RecordingsStore {
public:
    bool enabled() const override { return false; }
    std::vector<b3s::plugin::StorageProblem> check() const override { return {}; }
};

}  // namespace b3s::core::plugin
