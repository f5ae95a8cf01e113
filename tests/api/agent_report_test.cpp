// What a node agent's heartbeat reports, through a real b3scaled on PostgreSQL with fake
// backends: its attendee count stands in for polls while the heartbeat is fresh (and the
// backend is polled less), its host figures steer least_load, bad reports are refused whole,
// and an agent adopts a backend an operator added by hand only by proving its secret.

#include "api_json.hpp"
#include "gateway_cluster.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <thread>

namespace b3s::test {
namespace {

using api_json::object;
using api_json::text;
using std::chrono::milliseconds;
using Clock = std::chrono::steady_clock;

constexpr const char* kKey = "tenant";
constexpr const char* kSecret = "tenant-secret";

class AgentReportTest : public ::testing::Test {
protected:
    void SetUp() override {
        GatewayClusterOptions options;
        options.backends = 2;
        // Polls every 200 ms, so a poll that is not deferred shows within the test's seconds.
        options.extra_env = {{"B3SCALE_POLL_INTERVAL", "200ms"},
                             {"B3SCALE_AGENT_HEARTBEAT_TIMEOUT", "2s"},
                             {"B3SCALE_AGENT_POLL_INTERVAL", "30s"},
                             {"B3SCALE_METRICS_PLUGIN", "prometheus"}};
        cluster_ = std::make_unique<GatewayCluster>(options);
        cluster_->addFrontend(kKey, kSecret);
        for (std::size_t i = 0; i < 2; ++i) {
            auto b = cluster_->addBackend(i);
            b.agent_ref = "node-" + std::to_string(i);
            ids_[i] = cluster_->store().updateBackend(b)->id;
        }
        cluster_->start();
        admin_ = apiToken("b3scalectl", "b3scale:admin");
    }

    HttpResult request(const std::string& method, const std::string& path, const std::string& bearer,
                       const std::string& body = "") {
        return httpRequest(method, "127.0.0.1", cluster_->port(), path, body, body.empty() ? "" : "application/json",
                           {{"Authorization", "Bearer " + bearer}});
    }
    HttpResult beat(std::size_t node, const std::string& body) {
        return request("POST", "/api/v1/agent/heartbeat", apiToken("node-" + std::to_string(node), "b3scale:node"),
                       body);
    }
    Poco::JSON::Object::Ptr backend(std::size_t i) {
        return object(request("GET", "/api/v1/backends/" + ids_[i], admin_));
    }
    // Heartbeats of `body` from node `node` every 200 ms for `duration`.
    void keepBeating(std::size_t node, const std::string& body, milliseconds duration) {
        for (const auto end = Clock::now() + duration; Clock::now() < end;) {
            ASSERT_EQ(beat(node, body).status, 200);
            std::this_thread::sleep_for(milliseconds(200));
        }
    }

    std::unique_ptr<GatewayCluster> cluster_;
    std::map<std::size_t, std::string> ids_;
    std::string admin_;
};

TEST_F(AgentReportTest, AFreshAgentsCountStandsInForPollsUntilItFallsSilent) {
    auto& fake = cluster_->backend(0);
    // Without an agent report the backend is polled every 200 ms.
    fake.resetCounters();
    std::this_thread::sleep_for(milliseconds(1000));
    EXPECT_GE(fake.callCount("getMeetings"), 3u) << "the baseline: polls at their interval";

    ASSERT_EQ(beat(0, R"({"meetings":2,"attendees":400,"host":{"cpu":0.25,"memory":0.5}})").status, 200);
    const auto shown = backend(0);
    ASSERT_TRUE(shown);
    EXPECT_EQ(text(shown, "agent_report.attendees"), "400");
    EXPECT_EQ(text(shown, "agent_report.host.cpu"), "0.25");
    EXPECT_EQ(text(shown, "load"), "400") << "least_load weighs the agent's 400 attendees";
    const auto metrics = cluster_->get("/metrics");
    const auto cpu_line = metrics.body.find("\nb3scale_backend_agent_cpu_ratio{");
    ASSERT_NE(cpu_line, std::string::npos) << "the host figures are exported";
    EXPECT_EQ(metrics.body.substr(metrics.body.find('}', cpu_line) + 1, 6), " 0.25\n");

    fake.resetCounters();
    keepBeating(0, R"({"attendees":400})", milliseconds(2000));
    EXPECT_LE(fake.callCount("getMeetings"), 1u) << "a live agent's backend is polled every 30 s, not every 200 ms";
    EXPECT_GE(cluster_->backend(1).callCount("getMeetings"), 5u) << "its neighbour without reports is not";
    EXPECT_EQ(text(backend(0), "load"), "400");

    // The agent falls silent: after the heartbeat timeout (2 s) the backend is polled at once,
    // and the poll's measurement (nobody on the fake) replaces the agent's count.
    fake.resetCounters();
    EXPECT_TRUE(fake.waitForCall("getMeetings", milliseconds(5000)));
    const bool measured = std::invoke([&] {
        for (const auto end = Clock::now() + milliseconds(3000); Clock::now() < end;) {
            if (text(backend(0), "load") == "0") return true;
            std::this_thread::sleep_for(milliseconds(100));
        }
        return false;
    });
    EXPECT_TRUE(measured) << "load still " << text(backend(0), "load");
}

TEST_F(AgentReportTest, LeastLoadKeepsNewMeetingsOffANodeWhoseCpuIsSaturated) {
    // Node 0 is idle by attendees but its CPU is saturated; node 1 has an agent and a cool CPU.
    // Without the figures least_load would alternate (fewer meetings first).
    const std::string hot = R"({"attendees":0,"host":{"cpu":0.98,"memory":0.4}})";
    const std::string cool = R"({"attendees":0,"host":{"cpu":0.2,"memory":0.4}})";
    for (int room = 0; room < 4; ++room) {
        ASSERT_EQ(beat(0, hot).status, 200);
        ASSERT_EQ(beat(1, cool).status, 200);
        const auto r = cluster_->call(kKey, kSecret, "create", "meetingID=room-" + std::to_string(room) + "&name=Room");
        ASSERT_TRUE(answered(r, "SUCCESS")) << r.body;
    }
    EXPECT_EQ(cluster_->backend(0).callCount("create"), 0u);
    EXPECT_EQ(cluster_->backend(1).callCount("create"), 4u);

    // Once node 0's figures are older than 10 s they no longer count; here node 0 simply
    // reports a cool CPU and gets the next meeting (it has fewer meetings).
    ASSERT_EQ(beat(0, cool).status, 200);
    ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "create", "meetingID=room-4&name=Room"), "SUCCESS"));
    EXPECT_EQ(cluster_->backend(0).callCount("create"), 1u);
}

TEST_F(AgentReportTest, AReportOutOfBoundsIsRefusedWholeAndTheLastOneStays) {
    ASSERT_EQ(beat(0, R"({"attendees":12,"host":{"cpu":0.5}})").status, 200);
    for (const std::string bad :
         {R"({"attendees":-1})", R"({"attendees":12,"host":{"cpu":1.5}})", R"({"attendees":"12"})", R"({"host":3})",
          R"({"meetings":100001})", R"({"host":{"network_rx_bytes_per_s":-5}})", R"({"attendees":2.5})"}) {
        const auto r = beat(0, bad);
        EXPECT_EQ(r.status, 400) << bad << ": " << r.body;
        EXPECT_EQ(text(object(r), "error"), "validation_error") << r.body;
    }
    EXPECT_EQ(text(backend(0), "agent_report.attendees"), "12");
    EXPECT_EQ(text(backend(0), "agent_report.host.cpu"), "0.5");
    // b3scale's agent sends no body: alive, nothing reported, and the polls decide again.
    ASSERT_EQ(beat(0, "").status, 200);
    EXPECT_TRUE(backend(0)->isNull("agent_report"));
}

TEST_F(AgentReportTest, AnAgentAdoptsAHandAddedBackendOnlyWithItsSecret) {
    // An operator adds a server by hand (ready at once); its node agent registers later.
    const auto hand = [&](const std::string& host) {
        return request("POST", "/api/v1/backends", admin_,
                       R"({"bbb":{"host":")" + host + R"(","secret":"operator-typed-secret"},"admin_state":"ready"})");
    };
    const auto added = hand("http://127.0.0.1:9/bigbluebutton/api/");
    ASSERT_EQ(added.status, 200) << added.body;
    const auto id = text(object(added), "id");
    const auto registration = [&](const std::string& node, const std::string& secret) {
        return request("POST", "/api/v1/backends", apiToken(node, "b3scale:node"),
                       R"({"bbb":{"host":"http://127.0.0.1:9/bigbluebutton/api/","secret":")" + secret +
                           R"("},"load_factor":1.5,"admin_state":"init"})");
    };
    auto r = registration("node-new", "guessed-secret");
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_NE(r.body.find("another secret"), std::string::npos) << r.body;
    EXPECT_TRUE(object(request("GET", "/api/v1/backends/" + id, admin_))->isNull("agent_ref"));

    r = registration("node-new", "operator-typed-secret");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(text(object(r), "id"), id) << "the same backend, not a second one";
    EXPECT_EQ(text(object(r), "agent_ref"), "node-new");
    EXPECT_EQ(text(object(r), "admin_state"), "ready") << "the operator's decision stands";
    EXPECT_EQ(text(object(r), "load_factor"), "1.5");
    EXPECT_EQ(text(object(request("GET", "/api/v1/agent/backend", apiToken("node-new", "b3scale:node"))), "id"), id);

    // Another node that knows the secret too cannot take it over.
    r = registration("node-other", "operator-typed-secret");
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_NE(r.body.find("another node agent"), std::string::npos) << r.body;
}

}  // namespace
}  // namespace b3s::test
