// The handles core counts through and the sources asked at each scrape, as exposition text.

#include "metric_registry.hpp"

#include <fake_context.hpp>

#include <gtest/gtest.h>

#include <thread>

namespace b3s::metrics::prometheus {
namespace {

std::string rendered(const MetricRegistry& r) {
    TextExposition out;
    r.render(out);
    return out.release();
}

class MetricRegistryTest : public ::testing::Test {
protected:
    test::FakeContext context_;
    MetricRegistry registry_{context_.logger()};
};

TEST_F(MetricRegistryTest, CountersAndGaugesRenderEverySeriesWithEscapedLabels) {
    auto& requests = registry_.counter({"b3scale_http_requests_total", "HTTP requests.", {"route", "status"}, {}});
    requests.inc({"bbb:join", "302"});
    requests.inc({"bbb:join", "302"}, 2);
    requests.inc({"api:\"quoted\"\\back\nline", "200"});
    requests.inc({"too", "many", "labels"});  // ignored
    requests.inc({"bbb:join", "302"}, -5);    // counters never go down
    auto& up = registry_.gauge({"b3scale_up", "Whether it is up.", {}, {}});
    up.set({}, 1);
    EXPECT_EQ(rendered(registry_),
              "# HELP b3scale_http_requests_total HTTP requests.\n"
              "# TYPE b3scale_http_requests_total counter\n"
              "b3scale_http_requests_total{route=\"api:\\\"quoted\\\"\\\\back\\nline\",status=\"200\"} 1\n"
              "b3scale_http_requests_total{route=\"bbb:join\",status=\"302\"} 3\n"
              "# HELP b3scale_up Whether it is up.\n"
              "# TYPE b3scale_up gauge\n"
              "b3scale_up 1\n");
}

TEST_F(MetricRegistryTest, HistogramBucketsAreCumulativeWithSumAndCount) {
    auto& h = registry_.histogram({"b3scale_latency_seconds", "Latency.", {"route"}, {0.01, 0.1, 1}});
    for (const double v : {0.005, 0.05, 0.05, 2.0}) h.observe({"r"}, v);
    EXPECT_EQ(rendered(registry_),
              "# HELP b3scale_latency_seconds Latency.\n"
              "# TYPE b3scale_latency_seconds histogram\n"
              "b3scale_latency_seconds_bucket{route=\"r\",le=\"0.01\"} 1\n"
              "b3scale_latency_seconds_bucket{route=\"r\",le=\"0.1\"} 3\n"
              "b3scale_latency_seconds_bucket{route=\"r\",le=\"1\"} 3\n"
              "b3scale_latency_seconds_bucket{route=\"r\",le=\"+Inf\"} 4\n"
              "b3scale_latency_seconds_sum{route=\"r\"} 2.105\n"
              "b3scale_latency_seconds_count{route=\"r\"} 4\n");
}

TEST_F(MetricRegistryTest, SameSpecSameHandleAndBadSpecsDropEverythingButSayWhy) {
    const plugin::MetricSpec spec{"b3scale_things_total", "Things.", {"kind"}, {}};
    EXPECT_EQ(&registry_.counter(spec), &registry_.counter(spec));
    auto& clash = registry_.gauge({"b3scale_things_total", "Things.", {"kind"}, {}});
    clash.set({"x"}, 7);
    registry_.counter({"0bad name", "Bad.", {}, {}}).inc({});
    registry_.counter({"b3scale_dup", "Dup.", {"a", "a"}, {}}).inc({"x", "y"});
    registry_.histogram({"b3scale_h", "H.", {"le"}, {1}}).observe({"x"}, 1);
    registry_.histogram({"b3scale_h2", "H.", {}, {2, 1}}).observe({}, 1);
    const auto text = rendered(registry_);
    EXPECT_EQ(text.find("7"), std::string::npos) << text;
    EXPECT_EQ(text.find("bad"), std::string::npos);
    EXPECT_EQ(text.find("b3scale_dup"), std::string::npos);
    EXPECT_EQ(text.find("b3scale_h"), std::string::npos);
    EXPECT_EQ(context_.recordingLogger().count("metric_rejected"), 5u);
}

class FixedSource final : public plugin::MetricsSource {
public:
    void collect(std::vector<plugin::CollectedFamily>& out) const override {
        plugin::CollectedFamily f;
        f.spec = {"b3scale_backend_meetings", "Meetings per backend.", {"backend"}, {}};
        f.samples = {{{"https://a.example/bigbluebutton/api/"}, 3}, {{"b"}, 0}};
        out.push_back(f);
        plugin::CollectedFamily taken;  // a name the handles already use: left out
        taken.spec = {"b3scale_up", "Again.", {}, {}};
        taken.samples = {{{}, 9}};
        out.push_back(taken);
    }
};

TEST_F(MetricRegistryTest, SourcesAreAskedAtEachRenderUntilRemoved) {
    registry_.gauge({"b3scale_up", "Up.", {}, {}}).set({}, 1);
    FixedSource source;
    registry_.addSource(source);
    auto text = rendered(registry_);
    EXPECT_NE(text.find("# TYPE b3scale_backend_meetings gauge\n"
                        "b3scale_backend_meetings{backend=\"https://a.example/bigbluebutton/api/\"} 3\n"
                        "b3scale_backend_meetings{backend=\"b\"} 0\n"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find("b3scale_up 9"), std::string::npos);
    registry_.removeSource(source);
    EXPECT_EQ(rendered(registry_).find("b3scale_backend_meetings"), std::string::npos);
}

TEST_F(MetricRegistryTest, CountsConcurrentlyWithoutLosingAny) {
    auto& c = registry_.counter({"b3scale_n_total", "N.", {"t"}, {}});
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 10'000; ++i) c.inc({"x"});
        });
    for (auto& t : threads) t.join();
    EXPECT_NE(rendered(registry_).find("b3scale_n_total{t=\"x\"} 40000\n"), std::string::npos);
}

}  // namespace
}  // namespace b3s::metrics::prometheus
