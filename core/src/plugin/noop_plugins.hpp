#pragma once
// Built-in stand-ins for the optional kinds, so core never asks "is there a plugin?".

#include <b3s/plugin/metrics.hpp>
#include <b3s/plugin/recordings.hpp>

namespace b3s::core::plugin {

class NoopMetricsSink final : public b3s::plugin::MetricsSink {
public:
    b3s::plugin::MetricsPage render() override { return {}; }
};

class NoopRecordingsStore final : public b3s::plugin::RecordingsStore {
public:
    bool enabled() const override { return false; }
    std::vector<b3s::plugin::StorageProblem> check() const override { return {}; }
};

}  // namespace b3s::core::plugin
