#include "agent_stack.hpp"

#include "gateway_cluster.hpp"
#include "temp_dir.hpp"

#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <csignal>
#include <ctime>
#include <fstream>
#include <regex>

namespace b3s::agent::test {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;

Poco::Dynamic::Var parse(const std::string& text) {
    try {
        Poco::JSON::Parser parser;
        return parser.parse(text);
    } catch (const Poco::Exception&) {
        return {};
    }
}

}  // namespace

std::int64_t nowMicros() {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::int64_t parseRfc3339Micros(const std::string& text) {
    static const std::regex kTime(R"((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z)");
    std::smatch m;
    if (!std::regex_match(text, m, kTime)) return 0;
    std::tm tm{};
    tm.tm_year = std::stoi(m[1]) - 1900;
    tm.tm_mon = std::stoi(m[2]) - 1;
    tm.tm_mday = std::stoi(m[3]);
    tm.tm_hour = std::stoi(m[4]);
    tm.tm_min = std::stoi(m[5]);
    tm.tm_sec = std::stoi(m[6]);
    std::int64_t micros = 0;
    if (m[7].matched) {
        std::string digits = m[7].str();
        digits.resize(6, '0');
        micros = std::stoll(digits);
    }
    return static_cast<std::int64_t>(timegm(&tm)) * 1'000'000 + micros;
}

AgentStack::AgentStack(const std::string& redis_password) : dir_(b3s::test::makeTempDir("agent-stack")) {
    redis_ = std::make_unique<RedisServer>(0, redis_password);
    bbb_ = std::make_unique<b3s::test::bbb::FakeBbbServer>("node-bbb-secret-0123456789");
    properties_ = dir_ / "bbb-web.properties";
    std::ofstream(properties_) << "# bbb-web.properties of the node under test\n"
                               << "server=" << bbb_->serverUrl() << "\n"
                               << "bigbluebutton.web.serverURL=${server}\n"
                               << "securitySalt=" << bbb_->secret() << "\n"
                               << "redisHost=127.0.0.1\n"
                               << "redisPort=" << redis_->port() << "\n"
                               << "redisPassword=" << redis_password << "\n";

    env_ = b3s::test::baseEnv();
    env_["B3SCALE_DB_URL"] = "sqlite://" + (dir_ / "b3scale.db").string();
    env_["B3SCALE_METRICS_PLUGIN"] = "none";
    env_["B3SCALE_POLL_INTERVAL"] = "1s";
    port_ = b3s::test::freePort();
    env_["B3SCALE_LISTEN_HTTP"] = "127.0.0.1:" + std::to_string(port_);
    env_["B3SCALE_API_URL"] = apiUrl();
    {
        b3s::test::B3scaledProcess migrate(env_, {"--migrate"});
        EXPECT_EQ(b3s::test::runToExit(migrate), 0) << migrate.stderrText();
    }
    startB3scaled();
}

AgentStack::~AgentStack() {
    if (b3scaled_ && b3scaled_->running()) {
        b3scaled_->signal(SIGTERM);
        b3scaled_->wait(std::chrono::seconds(15));
    }
}

void AgentStack::startB3scaled() {
    b3scaled_ = std::make_unique<b3s::test::B3scaledProcess>(env_);
    const auto ready = b3scaled_->waitReady();
    ASSERT_TRUE(ready) << b3scaled_->stderrText();
    ASSERT_EQ(*ready, port_);
}

void AgentStack::killB3scaled() {
    b3scaled_->signal(SIGKILL);
    b3scaled_->wait(std::chrono::seconds(10));
}

b3s::test::HttpResult AgentStack::api(const std::string& method, const std::string& path, const std::string& body,
                                      const std::string& token) {
    return b3s::test::httpRequest(method, "127.0.0.1", port_, path, body, body.empty() ? "" : "application/json",
                                  {{"Authorization", "Bearer " + token}});
}

std::string AgentStack::nodeToken() {
    return b3s::test::apiToken(kAgentRef, "b3scale:node");
}

std::map<std::string, std::string> AgentStack::agentEnv() const {
    return {{"B3SCALE_API_URL", apiUrl()},
            {"B3SCALE_API_ACCESS_TOKEN", nodeToken()},
            {"BBB_CONFIG", properties_.string()},
            {"B3SCALE_LOG_LEVEL", "debug"}};
}

std::unique_ptr<AgentProcess> AgentStack::startAgent(std::vector<std::string> args,
                                                     std::map<std::string, std::string> extra) const {
    auto env = agentEnv();
    for (auto& [k, v] : extra) env[k] = v;
    return std::make_unique<AgentProcess>(std::move(env), std::move(args));
}

Object::Ptr AgentStack::nodeBackend() {
    const auto r = api("GET", "/api/v1/backends");
    if (r.status != 200) return nullptr;
    const auto list = parse(r.body);
    if (list.type() != typeid(Array::Ptr)) return nullptr;
    for (const auto& item : *list.extract<Array::Ptr>()) {
        const auto b = item.extract<Object::Ptr>();
        if (b->getObject("bbb")->getValue<std::string>("host") == bbb_->baseUrl()) return b;
    }
    return nullptr;
}

Object::Ptr AgentStack::waitForNodeBackend(std::chrono::milliseconds within) {
    Object::Ptr b;
    eventually([&] { return (b = nodeBackend()) != nullptr; }, within);
    return b;
}

void AgentStack::enableNodeBackend() {
    const auto b = waitForNodeBackend();
    ASSERT_TRUE(b);
    const auto id = b->getValue<std::string>("id");
    const auto r = api("PATCH", "/api/v1/backends/" + id, R"({"admin_state":"ready"})");
    ASSERT_EQ(r.status, 200) << r.body;
    ASSERT_TRUE(eventually(
        [&] {
            const auto now = nodeBackend();
            return now && now->getValue<std::string>("node_state") == "ready";
        },
        std::chrono::seconds(15)))
        << b3scaled_->stderrText();
}

void AgentStack::addFrontend(const std::string& key, const std::string& secret) {
    const auto r = api("POST", "/api/v1/frontends", R"({"bbb":{"key":")" + key + R"(","secret":")" + secret + R"("}})");
    ASSERT_EQ(r.status, 200) << r.body;
}

AgentStack::NodeMeeting AgentStack::createMeeting(const std::string& key, const std::string& secret,
                                                  const std::string& meeting_id) {
    const auto before = bbb_->meetings().size();
    std::optional<b3s::test::HttpResult> r;
    // The change feed brings a new frontend to the gateway within moments.
    eventually(
        [&] {
            r = b3s::test::httpRequest(
                "GET", "127.0.0.1", port_,
                b3s::test::GatewayCluster::target(key, secret, "create",
                                                  "meetingID=" + meeting_id + "&name=Room+" + meeting_id));
            return b3s::test::answered(*r, "SUCCESS");
        },
        std::chrono::seconds(10));
    EXPECT_TRUE(b3s::test::answered(*r, "SUCCESS")) << r->status << " " << r->body;
    const auto meetings = bbb_->meetings();
    EXPECT_EQ(meetings.size(), before + 1);
    if (meetings.empty()) return {};
    return {meetings.back().meetingId, meetings.back().internalMeetingId};
}

std::optional<std::vector<std::string>> AgentStack::attendeesOf(const std::string& internal_meeting_id) {
    const auto r = api("GET", "/api/v1/meetings/internal:" + internal_meeting_id);
    if (r.status != 200) return std::nullopt;
    const auto doc = parse(r.body);
    if (doc.type() != typeid(Object::Ptr)) return std::nullopt;
    const auto meeting = doc.extract<Object::Ptr>()->getObject("meeting");
    std::vector<std::string> users;
    if (!meeting || !meeting->has("Attendees") || meeting->get("Attendees").type() != typeid(Array::Ptr)) return users;
    for (const auto& a : *meeting->getArray("Attendees"))
        users.push_back(a.extract<Object::Ptr>()->getValue<std::string>("InternalUserID"));
    return users;
}

std::int64_t AgentStack::heartbeatMicros() {
    const auto b = nodeBackend();
    return b ? parseRfc3339Micros(b->getValue<std::string>("agent_heartbeat")) : 0;
}

}  // namespace b3s::agent::test
