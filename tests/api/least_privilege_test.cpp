// Least privilege on the REST API (issue 16), tried the way a hostile node agent and a hostile
// tenant would, with raw HTTP against a real b3scaled and fake BBB backends: a node registers a
// backend that takes no meeting until an operator enables it and may then change only its load
// factor (within bounds) and its secret; a tenant changes only what is its own; every change and
// every refusal leaves one audit line naming who, never a secret or a token.

#include "api_json.hpp"
#include "gateway_cluster.hpp"

#include "bbb/meeting_id_codec.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <thread>

namespace b3s::test {
namespace {

using Poco::JSON::Object;

// Secrets as an operator's tools make them (at least 32 bytes).
const std::string kFrontendSecret = "victim-frontend-secret-0123456789abcdef";
const std::string kTenantSecret = "tenant-rotated-secret-0123456789abcdefgh";  // 40 bytes
const std::string kNodeSecret = "node-rotated-bbb-secret-0123456789abcdef";

using api_json::object;
using api_json::text;

// A refusal as the API answers it: this status, JSON, naming `field` in its fields and message.
void expectRefused(const HttpResult& r, int status, const std::string& field) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_EQ(r.content_type.rfind("application/json", 0), 0u) << r.content_type;
    const auto o = object(r);
    ASSERT_TRUE(o && o->getObject("fields") && o->getObject("fields")->has(field)) << r.body;
    if (status == 403) {
        EXPECT_EQ(text(o, "error"), "forbidden") << r.body;
        EXPECT_NE(text(o, "message").find(field), std::string::npos) << r.body;
    }
}

// b3scaled's JSON log lines with this event.
std::vector<Object::Ptr> logLines(B3scaledProcess& process, const std::string& event) {
    std::vector<Object::Ptr> out;
    for (const auto& line : process.stderrLines()) {
        if (line.find("\"" + event + "\"") == std::string::npos) continue;
        try {
            Poco::JSON::Parser parser;
            const auto o = parser.parse(line).extract<Object::Ptr>();
            if (o && o->optValue<std::string>("message", "") == event) out.push_back(o);
        } catch (const Poco::Exception&) {
        }
    }
    return out;
}

// Whether some line of `lines` has every field of `want` with exactly that value.
bool hasLine(const std::vector<Object::Ptr>& lines, const std::map<std::string, std::string>& want) {
    return std::any_of(lines.begin(), lines.end(), [&](const Object::Ptr& o) {
        return std::all_of(want.begin(), want.end(), [&](const std::pair<const std::string, std::string>& kv) {
            return o->has(kv.first) && o->get(kv.first).convert<std::string>() == kv.second;
        });
    });
}

class LeastPrivilegeTest : public ::testing::TestWithParam<Connector> {
protected:
    void SetUp() override {
        GatewayClusterOptions options;
        options.backends = 3;
        options.connector = GetParam();
        cluster_ = std::make_unique<GatewayCluster>(options);
        cluster_->addBackend(0);  // the operator's, ready
        cluster_->addFrontend("victim", kFrontendSecret);
        cluster_->start();
        admin_ = adminToken();
    }
    HttpResult request(const std::string& method, const std::string& path, const std::string& bearer,
                       const std::string& body = "") {
        std::map<std::string, std::string> headers{{"Authorization", "Bearer " + bearer}};
        return httpRequest(method, "127.0.0.1", cluster_->port(), path, body, body.empty() ? "" : "application/json",
                           headers);
    }
    HttpResult registerBackend(const std::string& node, std::size_t fake, const std::string& extra = "") {
        return request("POST", "/api/v1/backends", node,
                       R"({"bbb":{"host":")" + cluster_->backend(fake).baseUrl() + R"(","secret":")" +
                           cluster_->backend(fake).secret() + "\"}" + extra + "}");
    }
    // Creates meetings of the victim frontend; how many each fake backend got.
    std::vector<std::size_t> createMeetings(const std::string& prefix, int count) {
        for (int i = 0; i < count; ++i) {
            const auto r = cluster_->call("victim", kFrontendSecret, "create",
                                          "meetingID=" + prefix + std::to_string(i) + "&name=Room");
            EXPECT_TRUE(answered(r, "SUCCESS")) << r.body;
        }
        std::vector<std::size_t> placed;
        for (std::size_t i = 0; i < cluster_->backendCount(); ++i)
            placed.push_back(cluster_->backend(i).meetings().size());
        return placed;
    }

    std::unique_ptr<GatewayCluster> cluster_;
    std::string admin_;
};

TEST_P(LeastPrivilegeTest, NodeRegisteredBackendTakesNoMeetingUntilAnOperatorEnablesIt) {
    const auto node = apiToken("node-evil", "b3scale:node");
    // It asks for `ready` and a load factor that would make it everyone's first choice.
    expectRefused(registerBackend(node, 1, R"(,"admin_state":"ready")"), 403, "admin_state");
    expectRefused(registerBackend(node, 1, R"(,"load_factor":0.01)"), 400, "load_factor");
    const auto registered = registerBackend(node, 1, R"(,"load_factor":0.5,"settings":{"tags":["fast"]})");
    ASSERT_EQ(registered.status, 200) << registered.body;
    const auto mine = text(object(registered), "id");
    EXPECT_EQ(text(object(registered), "admin_state"), "init");
    EXPECT_EQ(text(object(registered), "agent_ref"), "node-evil");
    EXPECT_EQ(text(object(registered), "load_factor"), "0.5");
    ASSERT_EQ(request("POST", "/api/v1/agent/heartbeat", node).status, 200);  // alive, as an agent is

    // One backend per node: a second registration is a 409, whatever its host.
    const auto second = registerBackend(node, 2);
    EXPECT_EQ(second.status, 409) << second.body;
    EXPECT_EQ(text(object(second), "error"), "conflict");

    // Twelve new meetings of another tenant: none on the node's backend.
    auto placed = createMeetings("before-", 12);
    EXPECT_EQ(placed[1], 0u);
    EXPECT_EQ(placed[0], 12u);

    // The operator enables it: from now on it takes meetings (the emptiest backend).
    const auto enabled = request("PATCH", "/api/v1/backends/" + mine, admin_, R"({"admin_state":"ready"})");
    ASSERT_EQ(enabled.status, 200) << enabled.body;
    placed = createMeetings("after-", 3);
    EXPECT_GT(placed[1], 0u) << "an enabled backend takes meetings";
}

TEST_P(LeastPrivilegeTest, NodeChangesOnlyItsLoadFactorWithinBoundsAndItsSecret) {
    const auto node = apiToken("node-evil", "b3scale:node");
    const auto registered = registerBackend(node, 1);
    ASSERT_EQ(registered.status, 200) << registered.body;
    const auto mine = text(object(registered), "id");
    ASSERT_EQ(request("PATCH", "/api/v1/backends/" + mine, admin_, R"({"admin_state":"ready"})").status, 200);
    const auto before = object(request("GET", "/api/v1/backends/" + mine, admin_));

    const auto patch = [&](const std::string& body) {
        return request("PATCH", "/api/v1/backends/" + mine, node, body);
    };
    expectRefused(patch(R"({"bbb":{"host":")" + cluster_->backend(2).baseUrl() + R"("}})"), 403, "bbb.host");
    expectRefused(patch(R"({"admin_state":"stopped"})"), 403, "admin_state");
    expectRefused(patch(R"({"settings":{"tags":["all-tenants"]}})"), 403, "settings.tags");
    expectRefused(patch(R"({"agent_ref":"someone-else"})"), 403, "agent_ref");
    // A refused field refuses the whole request, the allowed field in it included.
    expectRefused(patch(R"({"load_factor":2,"bbb":{"host":"https://evil.example/bigbluebutton/api/"}})"), 403,
                  "bbb.host");
    const auto low = patch(R"({"load_factor":0})");
    expectRefused(low, 400, "load_factor");
    EXPECT_NE(low.body.find("from 0.5 to 10"), std::string::npos) << "the range is in the answer: " << low.body;
    expectRefused(patch(R"({"load_factor":10.5})"), 400, "load_factor");

    auto after = object(request("GET", "/api/v1/backends/" + mine, admin_));
    for (const auto* field : {"bbb.host", "bbb.secret", "admin_state", "settings.tags", "agent_ref", "load_factor"})
        EXPECT_EQ(text(after, field), text(before, field)) << field << " changed by a refused request";

    const auto ok = patch(R"({"load_factor":0.5,"bbb":{"secret":")" + kNodeSecret + R"("}})");
    ASSERT_EQ(ok.status, 200) << ok.body;
    after = object(request("GET", "/api/v1/backends/" + mine, admin_));
    EXPECT_EQ(text(after, "load_factor"), "0.5");
    EXPECT_EQ(text(after, "bbb.secret"), kNodeSecret);
    EXPECT_EQ(text(after, "bbb.host"), text(before, "bbb.host"));
    // b3scale's agent PATCHes {"backend": …, "load_factor": …}: the unknown key changes nothing.
    EXPECT_EQ(patch(R"({"backend":{"bbb":{"host":"x"}},"load_factor":1})").status, 200);

    // Another node's backend is as unknown as a missing one, for reading and for writing.
    const auto other_node = apiToken("node-2", "b3scale:node");
    const auto theirs = text(object(registerBackend(other_node, 2)), "id");
    ASSERT_FALSE(theirs.empty());
    EXPECT_EQ(request("PATCH", "/api/v1/backends/" + theirs, node, R"({"load_factor":1})").status, 404);
    EXPECT_EQ(request("GET", "/api/v1/backends/" + theirs, node).status, 404);
    EXPECT_EQ(text(object(request("GET", "/api/v1/backends/" + theirs, admin_)), "load_factor"), "1");
    // The operator is bounded by validation only.
    EXPECT_EQ(request("PATCH", "/api/v1/backends/" + mine, admin_, R"({"load_factor":0.1})").status, 200);

    // The audit trail: who changed what, who was refused and why; no secret, no token.
    auto& process = cluster_->b3scaled();
    const auto changes = logLines(process, "api_change");
    EXPECT_TRUE(hasLine(changes, {{"subject", "node-evil"},
                                  {"caller", "node"},
                                  {"action", "backends.update"},
                                  {"resource", mine},
                                  {"fields", "bbb.secret,load_factor"}}));
    EXPECT_TRUE(hasLine(changes, {{"subject", "node-evil"}, {"caller", "node"}, {"action", "backends.create"}}));
    EXPECT_TRUE(hasLine(changes, {{"caller", "operator"}, {"action", "backends.update"}, {"fields", "admin_state"}}));
    const auto refusals = logLines(process, "api_change_refused");
    EXPECT_TRUE(hasLine(refusals, {{"subject", "node-evil"},
                                   {"caller", "node"},
                                   {"action", "backends.update"},
                                   {"resource", mine},
                                   {"status", "403"},
                                   {"fields", "bbb.host"}}));
    EXPECT_TRUE(hasLine(refusals, {{"subject", "node-evil"}, {"status", "404"}, {"resource", theirs}}));
    const auto log = process.stderrText();
    EXPECT_EQ(log.find(kNodeSecret), std::string::npos);
    EXPECT_EQ(log.find(cluster_->backend(1).secret()), std::string::npos);
    EXPECT_EQ(log.find(node), std::string::npos);
}

TEST_P(LeastPrivilegeTest, TenantChangesOnlyWhatIsItsOwn) {
    const auto created =
        request("POST", "/api/v1/frontends", admin_,
                R"({"bbb":{"key":"acme","secret":"operator-set-secret-0123456789abcdef"},"account_ref":"acct-1",)"
                R"("settings":{"attendees_limit":{"limit":5},"required_tags":["premium"],)"
                R"("create_override_params":{"maxParticipants":"20"}}})");
    ASSERT_EQ(created.status, 200) << created.body;
    const auto id = text(object(created), "id");
    const auto path = "/api/v1/frontends/" + id;
    const auto tenant = apiToken("acct-1", "b3scale");
    const auto patch = [&](const std::string& body) { return request("PATCH", path, tenant, body); };

    // The operator disables it; the tenant cannot switch it back on.
    const auto disabled = request("PATCH", path, admin_, R"({"active":false})");
    ASSERT_EQ(disabled.status, 200) << disabled.body;
    EXPECT_EQ(text(object(disabled), "deactivated_by"), "operator");
    expectRefused(patch(R"({"active":true})"), 403, "active");
    // Limits, the key, the owner, the backends it may use: the operator's.
    expectRefused(patch(R"({"settings":{"attendees_limit":null}})"), 403, "settings.attendees_limit");
    expectRefused(patch(R"({"settings":{"attendees_limit":{"limit":500}}})"), 403, "settings.attendees_limit.limit");
    expectRefused(patch(R"({"settings":{"required_tags":null}})"), 403, "settings.required_tags");
    expectRefused(patch(R"({"settings":{"create_override_params":{"maxParticipants":""}}})"), 403,
                  "settings.create_override_params.maxParticipants");
    expectRefused(patch(R"({"bbb":{"key":"acme-2"}})"), 403, "bbb.key");
    expectRefused(patch(R"({"account_ref":"acct-2"})"), 403, "account_ref");
    expectRefused(patch(R"({"deactivated_by":"tenant"})"), 403, "deactivated_by");
    const auto short_secret = patch(R"({"bbb":{"secret":"tiny-secret"}})");
    expectRefused(short_secret, 403, "bbb.secret");
    EXPECT_NE(short_secret.body.find("at least 32"), std::string::npos) << short_secret.body;

    auto shown = object(request("GET", path, admin_));
    EXPECT_EQ(text(shown, "active"), "false");
    EXPECT_EQ(text(shown, "bbb.key"), "acme");
    EXPECT_EQ(text(shown, "bbb.secret"), "operator-set-secret-0123456789abcdef");
    EXPECT_EQ(text(shown, "account_ref"), "acct-1");
    EXPECT_EQ(text(shown, "settings.attendees_limit.limit"), "5");
    EXPECT_EQ(text(shown, "settings.required_tags"), R"(["premium"])");
    EXPECT_EQ(text(shown, "settings.create_override_params.maxParticipants"), "20");
    EXPECT_EQ(text(shown, "deactivated_by"), "operator");

    // What is its own: its secret (long enough), its defaults, and sending back what it read.
    const auto rotated = patch(R"({"bbb":{"secret":")" + kTenantSecret +
                               R"("},"settings":{"create_default_params":{"welcome":"Hello"}}})");
    ASSERT_EQ(rotated.status, 200) << rotated.body;
    EXPECT_EQ(text(object(rotated), "bbb.secret"), kTenantSecret);
    EXPECT_EQ(patch(request("GET", path, tenant).body).status, 200);

    // The operator switches it on again; the tenant may switch it off and on itself.
    ASSERT_EQ(request("PATCH", path, admin_, R"({"active":true})").status, 200);
    auto r = patch(R"({"active":false})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(text(object(r), "deactivated_by"), "tenant");
    EXPECT_TRUE(answered(cluster_->call("acme", kTenantSecret, "getMeetings"), "FAILED")) << "switched off";
    r = patch(R"({"active":true})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(text(object(r), "active"), "true");
    EXPECT_EQ(text(object(r), "deactivated_by"), "null");
    EXPECT_TRUE(answered(cluster_->call("acme", kTenantSecret, "getMeetings"), "SUCCESS"));
    // A tenant's deactivation the operator confirms becomes the operator's.
    ASSERT_EQ(patch(R"({"active":false})").status, 200);
    ASSERT_EQ(request("PATCH", path, admin_, R"({"active":false})").status, 200);
    expectRefused(patch(R"({"active":true})"), 403, "active");

    // The operator keeps every power, short secrets (pasted from BBB) included.
    const auto operator_patch =
        request("PATCH", path, admin_,
                R"({"active":true,"bbb":{"key":"acme-2","secret":"0123abcd"},"settings":{"attendees_limit":null}})");
    ASSERT_EQ(operator_patch.status, 200) << operator_patch.body;
    EXPECT_EQ(text(object(operator_patch), "settings.attendees_limit"), "null");

    auto& process = cluster_->b3scaled();
    const auto changes = logLines(process, "api_change");
    EXPECT_TRUE(hasLine(changes, {{"subject", "acct-1"},
                                  {"caller", "tenant"},
                                  {"action", "frontends.update"},
                                  {"resource", id},
                                  {"fields", "bbb.secret,settings.create_default_params.welcome"}}));
    EXPECT_TRUE(hasLine(changes, {{"caller", "operator"}, {"action", "frontends.create"}, {"resource", id}}));
    const auto refusals = logLines(process, "api_change_refused");
    EXPECT_TRUE(hasLine(
        refusals,
        {{"subject", "acct-1"}, {"caller", "tenant"}, {"status", "403"}, {"fields", "settings.attendees_limit"}}));
    EXPECT_TRUE(hasLine(refusals, {{"subject", "acct-1"}, {"fields", "bbb.secret"}}));
    const auto log = process.stderrText();
    for (const auto& secret : {kTenantSecret, std::string("operator-set-secret-0123456789abcdef"),
                               std::string("tiny-secret"), tenant, admin_})
        EXPECT_EQ(log.find(secret), std::string::npos) << "logged: " << secret.substr(0, 12);
}

TEST_P(LeastPrivilegeTest, RefusedTokensAreAuditedAsAnonymousOrByWhatTheyAre) {
    const auto forged = std::string("eyJhbGciOiJIUzM4NCJ9.eyJzdWIiOiJtYWxsb3J5Iiwic2NvcGUiOiJiM3NjYWxlOmFkbWluIn0.x");
    EXPECT_EQ(request("DELETE", "/api/v1/backends/00000000-0000-4000-8000-000000000000", forged).status, 401);
    EXPECT_EQ(request("POST", "/api/v1/frontends", apiToken("node-evil", "b3scale:node"),
                      R"({"bbb":{"key":"mine","secret":"x"}})")
                  .status,
              403);
    const auto refusals = logLines(cluster_->b3scaled(), "api_change_refused");
    EXPECT_TRUE(hasLine(refusals, {{"subject", ""}, {"caller", "anonymous"}, {"status", "401"}}));
    EXPECT_TRUE(hasLine(
        refusals, {{"subject", "node-evil"}, {"caller", "node"}, {"action", "frontends.create"}, {"status", "403"}}));
    EXPECT_EQ(cluster_->b3scaled().stderrText().find("mallory"), std::string::npos) << "a rejected token names nobody";
}

INSTANTIATE_TEST_SUITE_P(Connectors, LeastPrivilegeTest, ::testing::Values(Connector::Postgres, Connector::Sqlite),
                         [](const auto& info) { return info.param == Connector::Sqlite ? "Sqlite" : "Postgres"; });

}  // namespace
}  // namespace b3s::test
