#include "plugin/guarded_plugins.hpp"

#include <cmath>
#include <limits>

namespace b3s::core::plugin {

namespace sdk = b3s::plugin;

GuardedBalancer::GuardedBalancer(std::shared_ptr<sdk::BalancerStrategy> inner, PluginGuard guard)
    : inner_(std::move(inner)), guard_(std::move(guard)) {}

sdk::Placement GuardedBalancer::choose(const sdk::PlacementRequest& request,
                                       std::span<const sdk::BackendCandidate> candidates) {
    try {
        return guard_.call("choose", [&] { return inner_->choose(request, candidates); });
    } catch (const PluginCallError& e) {
        return {std::nullopt, e.what()};
    }
}

double GuardedBalancer::load(const sdk::BackendCandidate& backend, std::int64_t now_us) const {
    constexpr double kUnknown = std::numeric_limits<double>::quiet_NaN();
    const double load = guard_.callOr("load", kUnknown, [&] { return inner_->load(backend, now_us); });
    return std::isfinite(load) && load >= 0 ? load : kUnknown;
}

GuardedAuthenticator::GuardedAuthenticator(std::shared_ptr<sdk::Authenticator> inner, PluginGuard guard)
    : inner_(std::move(inner)), guard_(std::move(guard)) {}

sdk::AccessDecision GuardedAuthenticator::authorize(std::string_view token, sdk::ApiAction action) const {
    return guard_.call("authorize", [&] { return inner_->authorize(token, action); });
}

GuardedRecordingsStore::GuardedRecordingsStore(std::shared_ptr<sdk::RecordingsStore> inner, PluginGuard guard)
    : inner_(std::move(inner)), guard_(std::move(guard)) {}

bool GuardedRecordingsStore::enabled() const {
    return guard_.callOr("enabled", false, [&] { return inner_->enabled(); });
}

std::vector<sdk::StorageProblem> GuardedRecordingsStore::check() const {
    try {
        return guard_.call("check", [&] { return inner_->check(); });
    } catch (const PluginCallError& e) {
        return {{"", e.what()}};
    }
}

namespace {
template <typename Call>
sdk::StorageResult storageCall(const PluginGuard& guard, std::string_view method, Call&& call) {
    try {
        return guard.call(method, std::forward<Call>(call));
    } catch (const PluginCallError& e) {
        return {sdk::StorageFailure::Io, e.what()};
    }
}
}  // namespace

std::vector<sdk::StoredFormat> GuardedRecordingsStore::listInbox(std::size_t limit) const {
    return guard_.callOr("listInbox", std::vector<sdk::StoredFormat>{}, [&] { return inner_->listInbox(limit); });
}

std::size_t GuardedRecordingsStore::scanStored(const std::function<void(const sdk::StoredFormat&)>& visit) const {
    // Not callOr: a failed scan must not look like an empty storage (a throw of the plugin's
    // or of `visit` reaches the caller as PluginCallError).
    return guard_.call("scanStored", [&] { return inner_->scanStored(visit); });
}

sdk::StorageResult GuardedRecordingsStore::importFormat(std::string_view record_id, std::string_view format,
                                                        bool published) {
    return storageCall(guard_, "importFormat", [&] { return inner_->importFormat(record_id, format, published); });
}

sdk::StorageResult GuardedRecordingsStore::quarantine(std::string_view record_id, std::string_view format,
                                                      std::string_view reason) {
    return storageCall(guard_, "quarantine", [&] { return inner_->quarantine(record_id, format, reason); });
}

sdk::StorageResult GuardedRecordingsStore::setPublished(std::string_view record_id, std::string_view format,
                                                        bool published) {
    return storageCall(guard_, "setPublished", [&] { return inner_->setPublished(record_id, format, published); });
}

sdk::StorageResult GuardedRecordingsStore::remove(std::string_view record_id, std::string_view format) {
    return storageCall(guard_, "remove", [&] { return inner_->remove(record_id, format); });
}

std::vector<sdk::Thumbnail> GuardedRecordingsStore::thumbnails(std::string_view record_id) const {
    return guard_.callOr("thumbnails", std::vector<sdk::Thumbnail>{}, [&] { return inner_->thumbnails(record_id); });
}

std::vector<sdk::TextTrack> GuardedRecordingsStore::listTextTracks(std::string_view record_id) const {
    return guard_.callOr("listTextTracks", std::vector<sdk::TextTrack>{},
                         [&] { return inner_->listTextTracks(record_id); });
}

sdk::StorageResult GuardedRecordingsStore::putTextTrack(std::string_view record_id, const sdk::TextTrack& track,
                                                        std::string_view content) {
    return storageCall(guard_, "putTextTrack", [&] { return inner_->putTextTrack(record_id, track, content); });
}

std::string GuardedRecordingsStore::playbackUrl(std::string_view link_or_path) const {
    return guard_.callOr("playbackUrl", std::string(link_or_path), [&] { return inner_->playbackUrl(link_or_path); });
}

// One family's handle: forwards to the plugin's handle of the same kind through the guard.
class GuardedMetricsSink::Handle final : public sdk::Counter, public sdk::Gauge, public sdk::Histogram {
public:
    Handle(const PluginGuard& guard, sdk::Counter* counter, sdk::Gauge* gauge, sdk::Histogram* histogram)
        : guard_(guard), counter_(counter), gauge_(gauge), histogram_(histogram) {}

    void inc(const sdk::LabelValues& labels, double by) override {
        if (counter_) guard_.callLogged("Counter::inc", [&] { counter_->inc(labels, by); });
    }
    void set(const sdk::LabelValues& labels, double value) override {
        if (gauge_) guard_.callLogged("Gauge::set", [&] { gauge_->set(labels, value); });
    }
    void observe(const sdk::LabelValues& labels, double value) override {
        if (histogram_) guard_.callLogged("Histogram::observe", [&] { histogram_->observe(labels, value); });
    }

private:
    const PluginGuard& guard_;
    sdk::Counter* counter_;
    sdk::Gauge* gauge_;
    sdk::Histogram* histogram_;
};

GuardedMetricsSink::GuardedMetricsSink(std::shared_ptr<sdk::MetricsSink> inner, PluginGuard guard)
    : inner_(std::move(inner)), guard_(std::move(guard)) {}

GuardedMetricsSink::~GuardedMetricsSink() = default;

sdk::MetricsPage GuardedMetricsSink::render() {
    return guard_.call("render", [&] { return inner_->render(); });
}

GuardedMetricsSink::Handle& GuardedMetricsSink::handleFor(const std::string& family, sdk::Counter* counter,
                                                          sdk::Gauge* gauge, sdk::Histogram* histogram) {
    std::lock_guard lock(handles_mutex_);
    auto& slot = handles_[family];
    // The plugin returns the same handle for the same name; a second kind under one name gets
    // the plugin's answer for that kind, as without the guard.
    if (!slot) slot = std::make_unique<Handle>(guard_, counter, gauge, histogram);
    return *slot;
}

sdk::Counter& GuardedMetricsSink::counter(const sdk::MetricSpec& spec) {
    auto* handle = guard_.call("counter", [&] { return &inner_->counter(spec); });
    return handleFor("counter:" + spec.name, handle, nullptr, nullptr);
}

sdk::Gauge& GuardedMetricsSink::gauge(const sdk::MetricSpec& spec) {
    auto* handle = guard_.call("gauge", [&] { return &inner_->gauge(spec); });
    return handleFor("gauge:" + spec.name, nullptr, handle, nullptr);
}

sdk::Histogram& GuardedMetricsSink::histogram(const sdk::MetricSpec& spec) {
    auto* handle = guard_.call("histogram", [&] { return &inner_->histogram(spec); });
    return handleFor("histogram:" + spec.name, nullptr, nullptr, handle);
}

void GuardedMetricsSink::addSource(const sdk::MetricsSource& source) {
    guard_.call("addSource", [&] { inner_->addSource(source); });
}

void GuardedMetricsSink::removeSource(const sdk::MetricsSource& source) {
    guard_.call("removeSource", [&] { inner_->removeSource(source); });
}

}  // namespace b3s::core::plugin
