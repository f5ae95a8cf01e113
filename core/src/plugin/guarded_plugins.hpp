#pragma once
// The plugin objects core calls: each SDK interface wrapped by its plugin's guard
// (plugin_guard.hpp), so no plugin call in core is unguarded and a plugin that is not
// thread-safe is called one call at a time. Each wrapper owns the loaded object, which owns
// its library: the wrapper dies first, then the object, then the code (plugin_loader.hpp).

#include "plugin/plugin_guard.hpp"

#include <b3s/plugin/auth.hpp>
#include <b3s/plugin/balancer.hpp>
#include <b3s/plugin/metrics.hpp>
#include <b3s/plugin/recordings.hpp>

#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace b3s::core::plugin {

class GuardedBalancer final : public b3s::plugin::BalancerStrategy {
public:
    GuardedBalancer(std::shared_ptr<b3s::plugin::BalancerStrategy> inner, PluginGuard guard);
    /// A throw is no placement, with a reason naming the plugin.
    b3s::plugin::Placement choose(const b3s::plugin::PlacementRequest& request,
                                  std::span<const b3s::plugin::BackendCandidate> candidates) override;
    /// A throw, a negative or a non-finite answer is NaN: callers show "unknown".
    double load(const b3s::plugin::BackendCandidate& backend, std::int64_t now_us) const override;

private:
    std::shared_ptr<b3s::plugin::BalancerStrategy> inner_;
    PluginGuard guard_;
};

class GuardedAuthenticator final : public b3s::plugin::Authenticator {
public:
    GuardedAuthenticator(std::shared_ptr<b3s::plugin::Authenticator> inner, PluginGuard guard);
    /// A throw is a PluginCallError (the REST API answers 500 "plugin_failed"), never an
    /// allowed request.
    b3s::plugin::AccessDecision authorize(std::string_view token, b3s::plugin::ApiAction action) const override;

private:
    std::shared_ptr<b3s::plugin::Authenticator> inner_;
    PluginGuard guard_;
};

class GuardedRecordingsStore final : public b3s::plugin::RecordingsStore {
public:
    GuardedRecordingsStore(std::shared_ptr<b3s::plugin::RecordingsStore> inner, PluginGuard guard);
    bool enabled() const override;
    /// A throw is one problem naming the plugin.
    std::vector<b3s::plugin::StorageProblem> check() const override;
    // A throw in a file operation is a failed StorageResult (Io) naming the plugin; in a
    // listing, an empty one; in playbackUrl, the link unchanged.
    std::vector<b3s::plugin::StoredFormat> listInbox(std::size_t limit) const override;
    std::size_t scanStored(const std::function<void(const b3s::plugin::StoredFormat&)>& visit) const override;
    b3s::plugin::StorageResult importFormat(std::string_view record_id, std::string_view format,
                                            bool published) override;
    b3s::plugin::StorageResult quarantine(std::string_view record_id, std::string_view format,
                                          std::string_view reason) override;
    b3s::plugin::StorageResult setPublished(std::string_view record_id, std::string_view format,
                                            bool published) override;
    b3s::plugin::StorageResult remove(std::string_view record_id, std::string_view format) override;
    std::vector<b3s::plugin::Thumbnail> thumbnails(std::string_view record_id) const override;
    std::vector<b3s::plugin::TextTrack> listTextTracks(std::string_view record_id) const override;
    b3s::plugin::StorageResult putTextTrack(std::string_view record_id, const b3s::plugin::TextTrack& track,
                                            std::string_view content) override;
    std::string playbackUrl(std::string_view link_or_path) const override;

private:
    std::shared_ptr<b3s::plugin::RecordingsStore> inner_;
    PluginGuard guard_;
};

/// The sink and every handle it gives out. A handle that throws loses that count (logged),
/// never the request that counted.
class GuardedMetricsSink final : public b3s::plugin::MetricsSink {
public:
    GuardedMetricsSink(std::shared_ptr<b3s::plugin::MetricsSink> inner, PluginGuard guard);
    ~GuardedMetricsSink() override;
    /// A throw is a PluginCallError (GET /metrics answers 500 "plugin_failed").
    b3s::plugin::MetricsPage render() override;
    b3s::plugin::Counter& counter(const b3s::plugin::MetricSpec& spec) override;
    b3s::plugin::Gauge& gauge(const b3s::plugin::MetricSpec& spec) override;
    b3s::plugin::Histogram& histogram(const b3s::plugin::MetricSpec& spec) override;
    void addSource(const b3s::plugin::MetricsSource& source) override;
    void removeSource(const b3s::plugin::MetricsSource& source) override;

private:
    class Handle;

    Handle& handleFor(const std::string& family, b3s::plugin::Counter* counter, b3s::plugin::Gauge* gauge,
                      b3s::plugin::Histogram* histogram);

    std::shared_ptr<b3s::plugin::MetricsSink> inner_;
    PluginGuard guard_;
    std::mutex handles_mutex_;
    std::map<std::string, std::unique_ptr<Handle>> handles_;  ///< by family name; stable addresses
};

}  // namespace b3s::core::plugin
