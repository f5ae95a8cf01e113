#include "metric_registry.hpp"

#include <algorithm>
#include <cmath>
#include <set>

namespace b3s::metrics::prometheus {

using plugin::LabelValues;
using plugin::MetricSpec;

class MetricRegistry::Family final : public plugin::Counter, public plugin::Gauge, public plugin::Histogram {
public:
    Family(MetricSpec spec, Kind kind, bool valid) : spec_(std::move(spec)), kind_(kind), valid_(valid) {}

    const MetricSpec& spec() const { return spec_; }
    Kind kind() const { return kind_; }

    void inc(const LabelValues& labels, double by) override {
        if (!accepts(labels) || !(by >= 0)) return;
        std::lock_guard lock(mutex_);
        values_[labels] += by;
    }
    void set(const LabelValues& labels, double value) override {
        if (!accepts(labels)) return;
        std::lock_guard lock(mutex_);
        values_[labels] = value;
    }
    void observe(const LabelValues& labels, double value) override {
        if (!accepts(labels) || std::isnan(value)) return;
        std::lock_guard lock(mutex_);
        auto& h = histograms_[labels];
        if (h.buckets.empty()) h.buckets.assign(spec_.buckets.size(), 0);
        for (std::size_t i = 0; i < spec_.buckets.size(); ++i)
            if (value <= spec_.buckets[i]) ++h.buckets[i];
        h.sum += value;
        ++h.count;
    }

    void render(TextExposition& out) const {
        std::lock_guard lock(mutex_);
        const auto& name = spec_.name;
        switch (kind_) {
            case Kind::Counter:
            case Kind::Gauge:
                out.header(name, spec_.help, kind_ == Kind::Counter ? "counter" : "gauge");
                for (const auto& [labels, value] : values_) out.sample(name, spec_.labels, labels, formatValue(value));
                break;
            case Kind::Histogram:
                out.header(name, spec_.help, "histogram");
                for (const auto& [labels, h] : histograms_) {
                    for (std::size_t i = 0; i < spec_.buckets.size(); ++i)
                        out.sample(name + "_bucket", spec_.labels, labels, std::to_string(h.buckets[i]), "le",
                                   formatValue(spec_.buckets[i]));
                    out.sample(name + "_bucket", spec_.labels, labels, std::to_string(h.count), "le", "+Inf");
                    out.sample(name + "_sum", spec_.labels, labels, formatValue(h.sum));
                    out.sample(name + "_count", spec_.labels, labels, std::to_string(h.count));
                }
                break;
        }
    }

private:
    bool accepts(const LabelValues& labels) const { return valid_ && labels.size() == spec_.labels.size(); }

    struct HistogramSeries {
        std::vector<std::uint64_t> buckets;  ///< per bound: observations <= it (cumulative by construction)
        double sum = 0;
        std::uint64_t count = 0;
    };
    const MetricSpec spec_;
    const Kind kind_;
    const bool valid_;
    mutable std::mutex mutex_;
    std::map<LabelValues, double> values_;
    std::map<LabelValues, HistogramSeries> histograms_;
};

namespace {

std::string whyInvalid(const MetricSpec& spec, bool histogram) {
    if (!validName(spec.name)) return "the name is not a valid metric name";
    std::set<std::string> seen;
    for (const auto& l : spec.labels) {
        if (!validName(l, true)) return "label '" + l + "' is not a valid label name";
        if (!seen.insert(l).second) return "label '" + l + "' appears twice";
        if (histogram && l == "le") return "a histogram cannot have the label 'le'";
    }
    if (histogram) {
        for (std::size_t i = 0; i < spec.buckets.size(); ++i)
            if (!std::isfinite(spec.buckets[i]) || (i > 0 && spec.buckets[i] <= spec.buckets[i - 1]))
                return "buckets must be finite and ascending";
    }
    return {};
}

}  // namespace

MetricRegistry::MetricRegistry(plugin::Logger& logger) : logger_(logger) {}
MetricRegistry::~MetricRegistry() = default;

MetricRegistry::Family* MetricRegistry::family(const MetricSpec& spec, Kind kind) {
    std::lock_guard lock(mutex_);
    auto reject = [&](const std::string& why) {
        logger_.error("metric_rejected", {{"metric", spec.name}, {"reason", why}});
        rejected_.push_back(std::make_unique<Family>(spec, kind, false));
        return rejected_.back().get();
    };
    if (const auto it = families_.find(spec.name); it != families_.end()) {
        const auto& existing = it->second->spec();
        if (it->second->kind() != kind || existing.labels != spec.labels || existing.buckets != spec.buckets)
            return reject("registered before with another type, labels or buckets");
        return it->second.get();
    }
    if (const auto why = whyInvalid(spec, kind == Kind::Histogram); !why.empty()) return reject(why);
    auto [it, inserted] = families_.emplace(spec.name, std::make_unique<Family>(spec, kind, true));
    return it->second.get();
}

plugin::Counter& MetricRegistry::counter(const MetricSpec& spec) {
    return *family(spec, Kind::Counter);
}
plugin::Gauge& MetricRegistry::gauge(const MetricSpec& spec) {
    return *family(spec, Kind::Gauge);
}
plugin::Histogram& MetricRegistry::histogram(const MetricSpec& spec) {
    return *family(spec, Kind::Histogram);
}

void MetricRegistry::addSource(const plugin::MetricsSource& source) {
    std::lock_guard lock(mutex_);
    sources_.push_back(&source);
}

void MetricRegistry::removeSource(const plugin::MetricsSource& source) {
    std::lock_guard lock(mutex_);
    std::erase(sources_, &source);
}

void MetricRegistry::render(TextExposition& out) const {
    std::vector<const Family*> families;
    std::vector<const plugin::MetricsSource*> sources;
    {
        std::lock_guard lock(mutex_);
        for (const auto& [name, f] : families_) families.push_back(f.get());
        sources = sources_;
    }
    std::set<std::string> written;
    for (const auto* f : families) {
        f->render(out);
        written.insert(f->spec().name);
    }
    for (const auto* source : sources) {
        std::vector<plugin::CollectedFamily> collected;
        source->collect(collected);
        for (const auto& c : collected) {
            if (whyInvalid(c.spec, false).size() > 0 || !written.insert(c.spec.name).second) continue;
            out.header(c.spec.name, c.spec.help, c.counter ? "counter" : "gauge");
            for (const auto& s : c.samples)
                if (s.labels.size() == c.spec.labels.size())
                    out.sample(c.spec.name, c.spec.labels, s.labels, formatValue(s.value));
        }
    }
}

}  // namespace b3s::metrics::prometheus
