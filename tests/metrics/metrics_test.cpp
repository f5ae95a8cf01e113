// Metrics and the access log through a real b3scaled with the prometheus plugin: the numbers
// move as scripted traffic says they must (create 3 meetings, join 5 attendees, kill a
// backend), the exposition passes `promtool check metrics`, every query of the Grafana
// dashboard names a metric b3scaled exports, and the access log has one line per request
// without secrets.

#include "gateway_cluster.hpp"

#include "bbb/meeting_id_codec.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

namespace b3s::test {
namespace {

using std::chrono::milliseconds;

constexpr const char* kKey = "tenant";
constexpr const char* kSecret = "tenant-secret";

bool eventually(const std::function<bool()>& condition, milliseconds timeout = milliseconds(8000)) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(milliseconds(50));
    }
    return condition();
}

// Sample lines of an exposition: "name{labels}" → value.
std::map<std::string, double> samples(const std::string& text) {
    std::map<std::string, double> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto space = line.rfind(' ');
        if (space == std::string::npos) continue;
        out[line.substr(0, space)] = std::stod(line.substr(space + 1));
    }
    return out;
}

// Sum of every series of `family` whose labels contain all of `must` (e.g. state="ready").
double sum(const std::map<std::string, double>& s, const std::string& family, std::vector<std::string> must = {}) {
    double total = 0;
    for (const auto& [series, value] : s) {
        if (series != family && !series.starts_with(family + "{")) continue;
        bool all = true;
        for (const auto& m : must) all = all && series.find(m) != std::string::npos;
        if (all) total += value;
    }
    return total;
}

// Metric family names announced by # TYPE lines.
std::set<std::string> families(const std::string& text) {
    std::set<std::string> out;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line))
        if (line.starts_with("# TYPE ")) out.insert(line.substr(7, line.find(' ', 7) - 7));
    return out;
}

Env metricsEnv() {
    return {{"B3SCALE_METRICS_PLUGIN", "prometheus"},
            {"B3SCALE_POLL_INTERVAL", "200ms"},
            {"B3SCALE_POLL_RETRY_INTERVAL", "100ms"},
            {"B3SCALE_POLL_TIMEOUT_MS", "300"},
            {"B3SCALE_BACKEND_CONNECT_TIMEOUT_MS", "300"}};
}

class MetricsTest : public ::testing::Test {
protected:
    void start(Env extra = metricsEnv()) {
        GatewayClusterOptions options;
        options.backends = 2;
        options.extra_env = std::move(extra);
        cluster_ = std::make_unique<GatewayCluster>(options);
        cluster_->addFrontend(kKey, kSecret);
        cluster_->addAllBackends();
        cluster_->start();
    }
    std::string scrape() {
        const auto r = cluster_->get("/metrics");
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
        return r.body;
    }
    std::unique_ptr<GatewayCluster> cluster_;
};

TEST_F(MetricsTest, NumbersMoveWithScriptedTraffic) {
    start();
    for (const auto* id : {"m1", "m2", "m3"})
        ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "create", std::string("meetingID=") + id + "&name=Meeting"),
                             "SUCCESS"));
    for (int i = 0; i < 5; ++i) {
        const auto r = cluster_->call(kKey, kSecret, "join",
                                      "meetingID=m" + std::to_string(i % 3 + 1) + "&fullName=User" + std::to_string(i) +
                                          "&role=VIEWER&redirect=false");
        ASSERT_TRUE(answered(r, "SUCCESS")) << r.body;
    }
    // One attendee of m1 shares video.
    const auto m1 = core::bbb::encodeMeetingId(kKey, "m1");
    std::size_t holder = cluster_->backend(0).meeting(m1) ? 0 : 1;
    cluster_->backend(holder).setAttendees(m1, 2, 0, 0, 1);
    EXPECT_TRUE(answered(cluster_->call(kKey, "wrong-secret", "getMeetings"), "FAILED", "checksumError"));

    std::map<std::string, double> s;
    ASSERT_TRUE(eventually([&] {
        s = samples(scrape());
        return sum(s, "b3scale_frontend_attendees", {"frontend=\"tenant\""}) == 5 &&
               sum(s, "b3scale_meeting_attendees", {"type=\"video\""}) == 1;
    })) << scrape();
    EXPECT_EQ(sum(s, "b3scale_frontend_meetings", {"frontend=\"tenant\""}), 3);
    EXPECT_EQ(sum(s, "b3scale_backend_meetings"), 3);
    EXPECT_EQ(sum(s, "b3scale_meeting_attendees"), 5) << "video attendees counted (b3scale left them out)";
    EXPECT_EQ(sum(s, "b3scale_meeting_attendees", {"meeting=\"" + m1 + "\"", "type=\"audio\""}), 1);
    EXPECT_EQ(sum(s, "b3scale_backend_health", {"state=\"ready\""}), 2);
    EXPECT_EQ(sum(s, "b3scale_backend_admin_state", {"state=\"ready\""}), 2);
    EXPECT_EQ(sum(s, "b3scale_placements_total", {"strategy=\"least_load\"", "outcome=\"placed\""}), 3);
    EXPECT_EQ(sum(s, "b3scale_http_requests_total", {"route=\"bbb:create\"", "status=\"200\""}), 3);
    EXPECT_EQ(sum(s, "b3scale_http_requests_total", {"route=\"bbb:join\""}), 5);
    EXPECT_EQ(sum(s, "b3scale_http_request_duration_seconds_count", {"route=\"bbb:join\""}), 5);
    EXPECT_EQ(sum(s, "b3scale_checksum_failures_total", {"frontend=\"tenant\""}), 1);
    EXPECT_GE(sum(s, "b3scale_backend_polls_total", {"outcome=\"success\""}), 2);
    EXPECT_GE(sum(s, "b3scale_db_query_duration_seconds_count"), 1);
    EXPECT_GT(sum(s, "process_resident_memory_bytes"), 0);
    EXPECT_GT(sum(s, "b3scale_db_pool_connections", {"state=\"idle\""}), 0);
    // Running meetings (someone joined) have a duration; it is a gauge of seconds now.
    EXPECT_NE(scrape().find("# TYPE b3scale_meeting_durations gauge"), std::string::npos);
    EXPECT_GE(sum(s, "b3scale_meeting_durations", {"meeting=\"" + m1 + "\""}), 0);

    // A backend dies: offline within the thresholds, its meetings count as lost, and the next
    // join of one re-creates it elsewhere.
    cluster_->backend(holder).takeDown();
    ASSERT_TRUE(eventually([&] {
        s = samples(scrape());
        return sum(s, "b3scale_backend_health", {"state=\"offline\""}) == 1;
    }));
    EXPECT_GE(sum(s, "b3scale_lost_meetings"), 1);
    EXPECT_GE(sum(s, "b3scale_backend_polls_total", {"outcome=\"failure\""}), 3);
    EXPECT_EQ(cluster_->call(kKey, kSecret, "join", "meetingID=m1&fullName=Back&role=VIEWER").status, 302);
    s = samples(scrape());
    EXPECT_EQ(sum(s, "b3scale_failovers_total", {"outcome=\"recreated\""}), 1);
    EXPECT_EQ(sum(s, "b3scale_backend_health", {"state=\"ready\""}), 1);
}

TEST_F(MetricsTest, ExpositionPassesPromtool) {
    start();
    ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "create", "meetingID=p1&name=Promtool"), "SUCCESS"));
    ASSERT_EQ(cluster_->call(kKey, kSecret, "join", "meetingID=p1&fullName=Ada&role=VIEWER").status, 302);
    // A label value that needs escaping.
    cluster_->addFrontend("quote\"back\\slash", "s");
    ASSERT_TRUE(cluster_->waitForView(2, 2));
    const auto text = scrape();
    ASSERT_NE(text.find("frontend=\"quote\\\"back\\\\slash\""), std::string::npos) << text;
    const auto file = makeTempDir("promtool") / "metrics.txt";
    std::ofstream(file) << text;
    const std::string command = "promtool check metrics < " + file.string() + " 2>&1";
    FILE* pipe = ::popen(command.c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string output;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe)) output += buffer;
    const int status = ::pclose(pipe);
    ASSERT_NE(WEXITSTATUS(status), 127) << "promtool is missing: install Debian's prometheus package "
                                           "(scripts/install-deps.sh does)";
    EXPECT_EQ(WEXITSTATUS(status), 0) << output << "\n" << text;
}

TEST_F(MetricsTest, EveryDashboardQueryNamesAnExportedMetric) {
    start();
    ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "create", "meetingID=g1&name=Grafana"), "SUCCESS"));
    const auto exported = families(scrape());
    std::ifstream in(std::string(B3S_SOURCE_DIR) + "/etc/grafana/b3scale.json");
    ASSERT_TRUE(in) << "etc/grafana/b3scale.json is missing";
    std::stringstream text;
    text << in.rdbuf();
    Poco::JSON::Parser parser;
    Poco::JSON::Object::Ptr dashboard;
    ASSERT_NO_THROW(dashboard = parser.parse(text.str()).extract<Poco::JSON::Object::Ptr>()) << "not valid JSON";
    ASSERT_TRUE(dashboard->has("panels"));
    std::vector<std::string> exprs;
    std::function<void(const Poco::Dynamic::Var&)> walk = [&](const Poco::Dynamic::Var& v) {
        if (v.type() == typeid(Poco::JSON::Object::Ptr)) {
            const auto o = v.extract<Poco::JSON::Object::Ptr>();
            for (const auto& [k, child] : *o) {
                if (k == "expr" && child.isString()) exprs.push_back(child.extract<std::string>());
                walk(child);
            }
        } else if (v.type() == typeid(Poco::JSON::Array::Ptr)) {
            for (const auto& child : *v.extract<Poco::JSON::Array::Ptr>()) walk(child);
        }
    };
    walk(dashboard);
    ASSERT_GE(exprs.size(), 10u) << "cluster, backend and frontend panels";
    const std::regex name(R"(\b(b3scale_[a-z_]+|process_[a-z_]+)\b)");
    std::set<std::string> used;
    for (const auto& expr : exprs) {
        for (std::sregex_iterator it(expr.begin(), expr.end(), name), end; it != end; ++it) {
            std::string metric = (*it)[1];
            // A histogram's series are the family's name with a suffix.
            for (const auto* suffix : {"_bucket", "_sum", "_count"})
                if (!exported.contains(metric) && metric.ends_with(suffix))
                    metric = metric.substr(0, metric.size() - std::string(suffix).size());
            used.insert(metric);
            EXPECT_TRUE(exported.contains(metric)) << metric << " in: " << expr;
        }
    }
    for (const auto* needed : {"b3scale_backend_health", "b3scale_frontend_meetings", "b3scale_meeting_attendees",
                               "b3scale_http_request_duration_seconds"})
        EXPECT_TRUE(used.contains(needed)) << needed << " is on no panel";
}

TEST_F(MetricsTest, PerMeetingFamiliesCanBeSwitchedOff) {
    auto env = metricsEnv();
    env["B3SCALE_PER_MEETING_METRICS"] = "false";
    start(env);
    ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "create", "meetingID=big&name=Large+cluster"), "SUCCESS"));
    const auto text = scrape();
    EXPECT_EQ(text.find("meeting=\""), std::string::npos) << "no per-meeting series";
    EXPECT_EQ(sum(samples(text), "b3scale_frontend_meetings", {"frontend=\"tenant\""}), 1);
}

TEST_F(MetricsTest, AccessLogHasOneLinePerRequestWithoutSecretsAndCanBeSwitched) {
    start();
    ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "create", "meetingID=logged&name=Logged"), "SUCCESS"));
    ASSERT_EQ(cluster_->call(kKey, kSecret, "join", "meetingID=logged&fullName=Ada&role=VIEWER").status, 302);
    std::vector<std::string> lines;
    ASSERT_TRUE(eventually([&] {
        lines.clear();
        for (const auto& l : cluster_->b3scaled().stderrLines())
            if (l.find("\"b3s.core.access\"") != std::string::npos && l.find("\"bbb:") != std::string::npos)
                lines.push_back(l);
        return lines.size() >= 2;
    }));
    const auto& join = lines.back();
    for (const auto* field : {"\"method\":\"GET\"", "\"route\":\"bbb:join\"", "\"status\":\"302\"",
                              "\"latency_ms\":", "\"frontend\":\"tenant\"", "\"backend\":\"127.0.0.1:"})
        EXPECT_NE(join.find(field), std::string::npos) << field << " in " << join;
    for (const auto& l : lines) {
        EXPECT_EQ(l.find("checksum"), std::string::npos) << l;
        EXPECT_EQ(l.find(kSecret), std::string::npos) << l;
        EXPECT_EQ(l.find("meetingID"), std::string::npos) << l;
    }
    cluster_->stop();

    auto env = metricsEnv();
    env["B3SCALE_ACCESS_LOG"] = "errors";
    start(env);
    cluster_->get("/healthz");
    cluster_->get("/no-such-page");
    // Access lines go out in batches, in order: once the 404 is there, so would the 200 be.
    std::vector<std::string> access;
    ASSERT_TRUE(eventually([&] {
        access.clear();
        for (const auto& l : cluster_->b3scaled().stderrLines())
            if (l.find("\"b3s.core.access\"") != std::string::npos) access.push_back(l);
        return !access.empty();
    }));
    ASSERT_EQ(access.size(), 1u) << "only the error";
    EXPECT_NE(access[0].find("\"status\":\"404\""), std::string::npos) << access[0];
}

// /metrics names every tenant's meetings: with B3SCALE_METRICS_TOKEN only the bearer of the
// token reads it. Tried as a scraper without it would: no header, other schemes, near misses,
// the token where it does not belong.
TEST_F(MetricsTest, WithATokenMetricsAnswer401ToEveryoneWithoutIt) {
    const std::string token = "metrics-token-0123456789abcdef0123456789";
    auto env = metricsEnv();
    env["B3SCALE_METRICS_TOKEN"] = token;
    start(env);
    ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "create", "meetingID=secret-room&name=Secret"), "SUCCESS"));
    const auto get = [&](const std::map<std::string, std::string>& headers, const std::string& path = "/metrics") {
        return httpRequest("GET", "127.0.0.1", cluster_->port(), path, "", "", headers);
    };
    std::string wrong_last = token;
    wrong_last.back() = wrong_last.back() == 'f' ? 'e' : 'f';
    const std::vector<std::map<std::string, std::string>> refused = {
        {},
        {{"Authorization", "Bearer "}},
        {{"Authorization", "Bearer " + wrong_last}},
        {{"Authorization", "Bearer " + token.substr(0, token.size() - 1)}},
        {{"Authorization", "Bearer " + token + "x"}},
        {{"Authorization", "Bearer  " + token}},
        {{"Authorization", "Basic " + token}},
        {{"Authorization", token}},
        {{"X-Metrics-Token", token}},
    };
    for (const auto& headers : refused) {
        const auto r = get(headers);
        EXPECT_EQ(r.status, 401) << (headers.empty() ? "(none)" : headers.begin()->second);
        EXPECT_EQ(r.body.find("secret-room"), std::string::npos);
        EXPECT_EQ(r.body.find("b3scale_"), std::string::npos) << r.body;
    }
    EXPECT_EQ(get({}, "/metrics?token=" + token).status, 401);
    const auto ok = get({{"Authorization", "Bearer " + token}});
    EXPECT_EQ(ok.status, 200);
    EXPECT_NE(ok.body.find("b3scale_frontend_meetings"), std::string::npos);
    EXPECT_EQ(get({{"Authorization", "bearer " + token}}).status, 200) << "the scheme is case-insensitive";
    EXPECT_EQ(cluster_->get("/healthz").status, 200) << "the probes stay open";
    EXPECT_EQ(cluster_->b3scaled().stderrText().find(token), std::string::npos) << "the token is never logged";
}

// B3SCALE_METRICS_LISTEN: /metrics on an address of its own (one only Prometheus reaches), and
// nowhere else; that listener serves nothing but /metrics.
TEST_F(MetricsTest, OnItsOwnListenerMetricsLeaveTheMainOne) {
    const int metrics_port = freePort();
    auto env = metricsEnv();
    env["B3SCALE_METRICS_LISTEN"] = "127.0.0.1:" + std::to_string(metrics_port);
    start(env);
    ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "create", "meetingID=room&name=Room"), "SUCCESS"));
    EXPECT_EQ(cluster_->get("/metrics").status, 404) << "not on the main listener";
    const auto r = httpRequest("GET", "127.0.0.1", metrics_port, "/metrics");
    EXPECT_EQ(r.status, 200);
    EXPECT_NE(r.body.find("b3scale_frontend_meetings"), std::string::npos);
    EXPECT_EQ(httpRequest("GET", "127.0.0.1", metrics_port, "/healthz").status, 404);
    EXPECT_EQ(httpRequest("GET", "127.0.0.1", metrics_port, "/api/v1/frontends").status, 404);
    EXPECT_EQ(httpRequest("GET", "127.0.0.1", metrics_port, "/bbb/tenant/bigbluebutton/api/getMeetings").status, 404);
    EXPECT_NE(cluster_->b3scaled().stderrText().find("\"metrics_listen\":\"127.0.0.1:" + std::to_string(metrics_port)),
              std::string::npos);
}

}  // namespace
}  // namespace b3s::test
