#pragma once
// What a node agent lives among, for the integration tests: a real redis-server (BBB's redis),
// the fake BBB as the node's BBB (bbb-web.properties points at it), and a real b3scaled on an
// embedded store (SQLite) on a fixed loopback port, so it can be killed and started again
// where the agent expects it. The agent itself is started by the test (startAgent).

#include "agent_process.hpp"
#include "redis_server.hpp"

#include "b3scaled_process.hpp"
#include "fake_bbb/fake_bbb_server.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace b3s::agent::test {

/// The token subject of the agent under test (its backend's agent_ref).
inline const std::string kAgentRef = "node-under-test";

class AgentStack {
public:
    /// `redis_password`: BBB's redis asks for one (redisPassword in the properties).
    explicit AgentStack(const std::string& redis_password = {});
    ~AgentStack();

    // --- b3scaled ----------------------------------------------------------------------
    /// Starts b3scaled (again) on its port; fails the test when it does not get ready.
    void startB3scaled();
    /// SIGKILL, as a crash.
    void killB3scaled();
    int port() const noexcept { return port_; }
    std::string apiUrl() const { return "http://127.0.0.1:" + std::to_string(port_); }
    b3s::test::B3scaledProcess& b3scaled() { return *b3scaled_; }
    /// A REST call with a token (default: an operator's).
    b3s::test::HttpResult api(const std::string& method, const std::string& path, const std::string& body = "",
                              const std::string& token = b3s::test::adminToken());

    // --- the node -----------------------------------------------------------------------
    RedisServer& redis() { return *redis_; }
    b3s::test::bbb::FakeBbbServer& bbb() { return *bbb_; }
    const std::filesystem::path& properties() const noexcept { return properties_; }
    /// The node token (scope b3scale:node, sub kAgentRef) signed for this b3scaled.
    static std::string nodeToken();
    /// The agent's environment: b3scaled's URL, the node token, the properties, debug logs.
    std::map<std::string, std::string> agentEnv() const;
    std::unique_ptr<AgentProcess> startAgent(std::vector<std::string> args = {"-a"},
                                             std::map<std::string, std::string> extra = {}) const;

    // --- what a user sees through the REST API -------------------------------------------
    /// The backend whose host is the node's BBB, nullptr when b3scaled has none.
    Poco::JSON::Object::Ptr nodeBackend();
    /// Waits until the node's backend exists (true) or `within` passes.
    Poco::JSON::Object::Ptr waitForNodeBackend(std::chrono::milliseconds within = std::chrono::seconds(20));
    /// An operator enables the backend; waits until b3scaled's poll finds it ready.
    void enableNodeBackend();
    /// A tenant, through the REST API.
    void addFrontend(const std::string& key, const std::string& secret);
    /// A meeting as the node's BBB runs it.
    struct NodeMeeting {
        std::string meeting_id;   ///< the (encoded) meetingID b3scaled created it with
        std::string internal_id;  ///< BBB's internal meeting id, the events' id
    };
    /// `create` through b3scaled's BBB API as the tenant.
    NodeMeeting createMeeting(const std::string& key, const std::string& secret, const std::string& meeting_id);
    /// The attendees b3scaled holds for a meeting (internal id): their InternalUserIDs in order;
    /// nullopt when b3scaled does not know the meeting.
    std::optional<std::vector<std::string>> attendeesOf(const std::string& internal_meeting_id);
    /// The node backend's agent_heartbeat (µs since the epoch), 0 when unknown.
    std::int64_t heartbeatMicros();

private:
    std::filesystem::path dir_;
    std::unique_ptr<RedisServer> redis_;
    std::unique_ptr<b3s::test::bbb::FakeBbbServer> bbb_;
    std::filesystem::path properties_;
    b3s::test::Env env_;
    int port_ = 0;
    std::unique_ptr<b3s::test::B3scaledProcess> b3scaled_;
};

/// "2026-12-08T02:36:39.373212Z" → µs since the epoch; 0 when it is not such a time.
std::int64_t parseRfc3339Micros(const std::string& text);
/// Now, µs since the epoch.
std::int64_t nowMicros();

/// Polls `f` every 20 ms until it is true or `within` passes; returns its last value.
template <class F>
bool eventually(F&& f, std::chrono::milliseconds within) {
    const auto deadline = std::chrono::steady_clock::now() + within;
    while (std::chrono::steady_clock::now() < deadline) {
        if (f()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return f();
}

}  // namespace b3s::agent::test
