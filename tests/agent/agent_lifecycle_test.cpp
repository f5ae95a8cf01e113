// b3scaleagent end to end, start-up and stop: the real binary against a real b3scaled
// (embedded store), a real redis-server and the fake BBB as the node's BBB. What is checked
// is what an operator sees through the REST API and the agent's exit codes.
#include "agent_stack.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>

namespace b3s::agent::test {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

class AgentLifecycle : public ::testing::Test {
protected:
    /// SIGTERM; the agent must be gone within two seconds, with exit 0.
    static void stopCleanly(AgentProcess& agent) {
        const auto asked = std::chrono::steady_clock::now();
        agent.signal(SIGTERM);
        const auto code = agent.wait(seconds(2));
        ASSERT_TRUE(code) << "still running 2 s after SIGTERM\n" << agent.log();
        EXPECT_EQ(*code, 0) << agent.log();
        EXPECT_TRUE(agent.logged("agent_stopped")) << agent.log();
        const auto took = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - asked);
        RecordProperty("stop_ms", std::to_string(took.count()));
    }

    AgentStack stack_;
};

TEST_F(AgentLifecycle, RegistrationWithDashALandsInInitWithTheAgentsLoadFactor) {
    const auto agent = stack_.startAgent({"-a"}, {{"B3SCALE_LOAD_FACTOR", "2.5"}});
    const auto backend = stack_.waitForNodeBackend();
    ASSERT_TRUE(backend) << agent->log();
    EXPECT_EQ(backend->getValue<std::string>("admin_state"), "init");
    EXPECT_DOUBLE_EQ(backend->getValue<double>("load_factor"), 2.5);
    EXPECT_EQ(backend->getValue<std::string>("agent_ref"), kAgentRef);
    EXPECT_EQ(backend->getObject("bbb")->getValue<std::string>("secret"), stack_.bbb().secret());
    ASSERT_TRUE(agent->waitLogged("backend_registered")) << agent->log();
    ASSERT_TRUE(agent->waitLogged("heartbeat_started")) << agent->log();
    // Beats arrive every second.
    ASSERT_TRUE(eventually([&] { return nowMicros() - stack_.heartbeatMicros() < 2'000'000; }, seconds(5)))
        << agent->log();
    ASSERT_TRUE(agent->waitLogged("redis_connected")) << agent->log();
    // The heartbeat carries the seeded count and the host's figures (from the second beat on
    // for the rates).
    ASSERT_TRUE(eventually(
        [&] {
            const auto report = stack_.nodeBackend()->getObject("agent_report");
            return report && !report->get("attendees").isEmpty() && !report->getObject("host")->get("cpu").isEmpty() &&
                   !report->getObject("host")->get("network_rx_bytes_per_s").isEmpty();
        },
        seconds(5)))
        << agent->log();
    const auto report = stack_.nodeBackend()->getObject("agent_report");
    EXPECT_EQ(report->getValue<int>("meetings"), 0);
    EXPECT_EQ(report->getValue<int>("attendees"), 0);
    const auto memory = report->getObject("host")->getValue<double>("memory");
    EXPECT_GT(memory, 0.0);
    EXPECT_LE(memory, 1.0);
    stopCleanly(*agent);
    // Never the token or BBB's secret in the log.
    EXPECT_EQ(agent->log().find(AgentStack::nodeToken()), std::string::npos);
    EXPECT_EQ(agent->log().find(stack_.bbb().secret()), std::string::npos);
}

TEST_F(AgentLifecycle, HostFiguresSwitchedOffAreLeftOutOfTheHeartbeat) {
    const auto agent = stack_.startAgent({"-a"}, {{"B3SCALE_AGENT_HOST_FIGURES", "false"}});
    ASSERT_TRUE(eventually(
        [&] {
            const auto b = stack_.nodeBackend();
            return b && b->has("agent_report") && !b->get("agent_report").isEmpty() &&
                   !b->getObject("agent_report")->get("attendees").isEmpty();
        },
        seconds(10)))
        << agent->log();
    const auto host = stack_.nodeBackend()->getObject("agent_report")->getObject("host");
    for (const char* figure : {"cpu", "memory", "network_rx_bytes_per_s", "network_tx_bytes_per_s"})
        EXPECT_TRUE(host->get(figure).isEmpty()) << figure;
    stopCleanly(*agent);
}

TEST_F(AgentLifecycle, ARestartPatchesAChangedLoadFactorAndBbbsNewSecret) {
    {
        const auto agent = stack_.startAgent({"-a"}, {{"B3SCALE_LOAD_FACTOR", "1.5"}});
        ASSERT_TRUE(agent->waitLogged("backend_registered")) << agent->log();
        stopCleanly(*agent);
    }
    EXPECT_DOUBLE_EQ(stack_.nodeBackend()->getValue<double>("load_factor"), 1.5);

    // b3scale sent these under the key "backend", which changed nothing.
    {
        const auto agent = stack_.startAgent({}, {{"B3SCALE_LOAD_FACTOR", "3"}});
        ASSERT_TRUE(agent->waitLogged("backend_updated")) << agent->log();
        EXPECT_NE(agent->log().find("\"fields\":\"load_factor\""), std::string::npos) << agent->log();
        stopCleanly(*agent);
    }
    EXPECT_DOUBLE_EQ(stack_.nodeBackend()->getValue<double>("load_factor"), 3.0);

    // BBB's secret rotated (bbb-conf --setsecret): the node tells b3scaled.
    std::ofstream(stack_.properties(), std::ios::app) << "securitySalt=rotated-secret-0123456789abcdef\n";
    {
        const auto agent = stack_.startAgent({}, {{"B3SCALE_LOAD_FACTOR", "3"}});
        ASSERT_TRUE(agent->waitLogged("backend_updated")) << agent->log();
        EXPECT_NE(agent->log().find("\"fields\":\"load_factor,bbb.secret\""), std::string::npos) << agent->log();
        EXPECT_EQ(agent->log().find("rotated-secret"), std::string::npos);
        stopCleanly(*agent);
    }
    const auto backend = stack_.nodeBackend();
    EXPECT_EQ(backend->getObject("bbb")->getValue<std::string>("secret"), "rotated-secret-0123456789abcdef");
    EXPECT_EQ(backend->getValue<std::string>("admin_state"), "init");
}

TEST_F(AgentLifecycle, ALoadFactorOutsideTheNodeBoundsExits78) {
    const auto agent = stack_.startAgent({"-a"}, {{"B3SCALE_LOAD_FACTOR", "50"}});
    const auto code = agent->wait(seconds(15));
    ASSERT_TRUE(code) << agent->log();
    EXPECT_EQ(*code, 78) << agent->log();
    EXPECT_TRUE(agent->logged("load_factor_refused")) << agent->log();
    EXPECT_FALSE(stack_.nodeBackend());
}

TEST_F(AgentLifecycle, WithoutABackendAndWithoutDashAItExits69NamingDashA) {
    const auto agent = stack_.startAgent({});
    const auto code = agent->wait(seconds(15));
    ASSERT_TRUE(code) << agent->log();
    EXPECT_EQ(*code, 69) << agent->log();
    EXPECT_TRUE(agent->logged("backend_not_registered")) << agent->log();
    EXPECT_NE(agent->log().find("-a (--register)"), std::string::npos) << agent->log();
    EXPECT_FALSE(stack_.nodeBackend());
}

TEST_F(AgentLifecycle, ATokenB3scaledDoesNotAcceptExits69) {
    // Signed for another b3scaled.
    auto agent = stack_.startAgent(
        {"-a"}, {{"B3SCALE_API_ACCESS_TOKEN",
                  b3s::test::apiToken(kAgentRef, "b3scale:node", std::nullopt, "another-master-secret-0123456789")}});
    auto code = agent->wait(seconds(15));
    ASSERT_TRUE(code) << agent->log();
    EXPECT_EQ(*code, 69) << agent->log();
    EXPECT_TRUE(agent->logged("b3scaled_refused")) << agent->log();
    EXPECT_NE(agent->log().find("\"status\":\"401\""), std::string::npos) << agent->log();

    // An operator's token is no node token.
    agent = stack_.startAgent({"-a"}, {{"B3SCALE_API_ACCESS_TOKEN", b3s::test::adminToken()}});
    code = agent->wait(seconds(15));
    ASSERT_TRUE(code) << agent->log();
    EXPECT_EQ(*code, 69) << agent->log();
    EXPECT_NE(agent->log().find("\"status\":\"403\""), std::string::npos) << agent->log();
    EXPECT_FALSE(stack_.nodeBackend());
}

TEST_F(AgentLifecycle, MissingPropertiesExit78) {
    const auto agent = stack_.startAgent({"-a"}, {{"BBB_CONFIG", "/nonexistent/bbb-web.properties"}});
    const auto code = agent->wait(seconds(10));
    ASSERT_TRUE(code) << agent->log();
    EXPECT_EQ(*code, 78) << agent->log();
    EXPECT_TRUE(agent->logged("bbb_config_unreadable")) << agent->log();
}

TEST_F(AgentLifecycle, AnUnreachableB3scaledIsWaitedForNotExitedOnAndSigtermStillStops) {
    stack_.killB3scaled();
    const auto agent = stack_.startAgent({"-a"});
    ASSERT_TRUE(agent->waitLogged("b3scaled_unreachable")) << agent->log();
    std::this_thread::sleep_for(seconds(1));
    ASSERT_TRUE(agent->running()) << agent->log();
    stack_.startB3scaled();
    ASSERT_TRUE(agent->waitLogged("backend_registered", seconds(20))) << agent->log();
    stopCleanly(*agent);
}

TEST_F(AgentLifecycle, SigtermDuringStartUpStopsAtOnce) {
    stack_.killB3scaled();
    const auto agent = stack_.startAgent({"-a"});
    ASSERT_TRUE(agent->waitLogged("b3scaled_unreachable")) << agent->log();
    stopCleanly(*agent);
}

// An operator added this server by hand before the agent came (b3scale quirk §14.13): with
// another secret the agent says so and keeps asking; once the secrets match it adopts it.
TEST_F(AgentLifecycle, AnOperatorsBackendOfThisHostIsReportedThenAdoptedWhenTheSecretMatches) {
    auto r = stack_.api("POST", "/api/v1/backends",
                        R"({"bbb":{"host":")" + stack_.bbb().baseUrl() +
                            R"(","secret":"an-old-secret-0123456789"},"admin_state":"ready"})");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto id = stack_.nodeBackend()->getValue<std::string>("id");
    const auto agent = stack_.startAgent({"-a"}, {{"B3SCALE_LOAD_FACTOR", "2"}});
    ASSERT_TRUE(agent->waitLogged("backend_host_taken")) << agent->log();
    EXPECT_TRUE(agent->running());
    r = stack_.api("PATCH", "/api/v1/backends/" + id, R"({"bbb":{"secret":")" + stack_.bbb().secret() + R"("}})");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_TRUE(agent->waitLogged("backend_registered", seconds(20))) << agent->log();
    const auto backend = stack_.nodeBackend();
    EXPECT_EQ(backend->getValue<std::string>("id"), id);
    EXPECT_EQ(backend->getValue<std::string>("agent_ref"), kAgentRef);
    EXPECT_EQ(backend->getValue<std::string>("admin_state"), "ready");  // the operator's decision stays
    EXPECT_DOUBLE_EQ(backend->getValue<double>("load_factor"), 2.0);
    stopCleanly(*agent);
}

// BBB's redis with requirepass: the agent authenticates with redisPassword; a wrong one is
// logged and retried, never fatal.
TEST(AgentRedisPassword, TheAgentAuthenticatesAndAWrongPasswordIsRetriedNotFatal) {
    AgentStack stack("redis-pass-0123456789");
    auto agent = stack.startAgent({"-a"});
    ASSERT_TRUE(agent->waitLogged("redis_connected")) << agent->log();
    ASSERT_TRUE(agent->waitLogged("meetings_seeded")) << agent->log();
    EXPECT_EQ(stack.redis().patternSubscriptions(), 1);
    EXPECT_EQ(agent->log().find("redis-pass-0123456789"), std::string::npos);
    agent->signal(SIGTERM);
    EXPECT_EQ(agent->wait(seconds(2)), 0) << agent->log();

    std::ofstream(stack.properties(), std::ios::app) << "redisPassword=not-the-password\n";
    agent = stack.startAgent({});
    ASSERT_TRUE(agent->waitLogged("redis_unreachable")) << agent->log();
    EXPECT_NE(agent->log().find("redis refused redisPassword"), std::string::npos) << agent->log();
    EXPECT_EQ(agent->log().find("not-the-password"), std::string::npos);
    // The heartbeat goes on without redis.
    const auto since = nowMicros();
    EXPECT_TRUE(eventually([&] { return stack.heartbeatMicros() > since; }, seconds(3))) << agent->log();
    EXPECT_TRUE(agent->running());
    agent->signal(SIGTERM);
    EXPECT_EQ(agent->wait(seconds(2)), 0) << agent->log();
}

}  // namespace
}  // namespace b3s::agent::test
