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

/// No recordings plugin: nothing stored, every file operation NotFound, links unchanged.
class NoopRecordingsStore final : public b3s::plugin::RecordingsStore {
public:
    bool enabled() const override { return false; }
    std::vector<b3s::plugin::StorageProblem> check() const override { return {}; }
    std::vector<b3s::plugin::StoredFormat> listInbox(std::size_t) const override { return {}; }
    std::size_t scanStored(const std::function<void(const b3s::plugin::StoredFormat&)>&) const override { return 0; }
    b3s::plugin::StorageResult importFormat(std::string_view, std::string_view, bool) override { return missing(); }
    b3s::plugin::StorageResult quarantine(std::string_view, std::string_view, std::string_view) override {
        return missing();
    }
    b3s::plugin::StorageResult setPublished(std::string_view, std::string_view, bool) override { return missing(); }
    b3s::plugin::StorageResult remove(std::string_view, std::string_view) override { return {}; }
    std::vector<b3s::plugin::Thumbnail> thumbnails(std::string_view) const override { return {}; }
    std::vector<b3s::plugin::TextTrack> listTextTracks(std::string_view) const override { return {}; }
    b3s::plugin::StorageResult putTextTrack(std::string_view, const b3s::plugin::TextTrack&,
                                            std::string_view) override {
        return {b3s::plugin::StorageFailure::Unsupported, "No recordings plugin is loaded."};
    }
    std::string playbackUrl(std::string_view link_or_path) const override { return std::string(link_or_path); }

private:
    static b3s::plugin::StorageResult missing() {
        return {b3s::plugin::StorageFailure::NotFound, "No recordings plugin is loaded."};
    }
};

}  // namespace b3s::core::plugin
