// The REST API through a real b3scaled: every route against every kind of token, the OpenAPI
// document against every route, tenancy on every frontend route, PATCH merging, validation,
// conflicts and unknown ids, the command queue ending meetings on a fake backend, and the node
// agent's endpoints.

#include "api_json.hpp"
#include "gateway_cluster.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include "bbb/meeting_id_codec.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <functional>
#include <set>
#include <sstream>
#include <thread>

namespace b3s::test {
namespace {

using Poco::JSON::Array;
using Poco::JSON::Object;
using std::chrono::milliseconds;
using support::JwtAlgorithm;

constexpr const char* kKey = "tenant";
constexpr const char* kSecret = "tenant-secret";

std::string token(const std::string& sub, const std::string& scope, JwtAlgorithm algorithm = JwtAlgorithm::Hs384,
                  const std::string& secret = kBaseJwtSecret, std::optional<std::int64_t> exp = std::nullopt) {
    return apiToken(sub, scope, exp, secret, algorithm);
}

using api_json::array;
using api_json::json;
using api_json::object;
using api_json::text;

std::string base64(const std::string& data) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);   // padded
    encoder.rdbuf()->setLineLength(0);  // one line

    encoder << data;
    encoder.close();
    return out.str();
}

class RestApiTest : public ::testing::Test {
protected:
    void SetUp() override {
        GatewayClusterOptions options;
        options.backends = 2;
        cluster_ = std::make_unique<GatewayCluster>(options);
        cluster_->start();
        admin_ = token("b3scalectl", "b3scale:admin");
    }
    HttpResult request(const std::string& method, const std::string& path, const std::string& bearer,
                       const std::string& body = "", const std::string& type = "application/json") {
        std::map<std::string, std::string> headers;
        if (!bearer.empty()) headers["Authorization"] = "Bearer " + bearer;
        return httpRequest(method, "127.0.0.1", cluster_->port(), path, body, body.empty() ? "" : type, headers);
    }
    HttpResult get(const std::string& path, const std::string& bearer) { return request("GET", path, bearer); }
    HttpResult post(const std::string& path, const std::string& bearer, const std::string& body) {
        return request("POST", path, bearer, body);
    }
    HttpResult patch(const std::string& path, const std::string& bearer, const std::string& body) {
        return request("PATCH", path, bearer, body);
    }
    std::string createFrontend(const std::string& key, const std::string& account = "") {
        const auto r = post("/api/v1/frontends", admin_,
                            R"({"bbb":{"key":")" + key + R"(","secret":"s-)" + key + R"("})" +
                                (account.empty() ? "" : R"(,"account_ref":")" + account + "\"") + "}");
        EXPECT_EQ(r.status, 200) << r.body;
        return text(object(r), "id");
    }
    std::string createBackend(std::size_t i, const std::string& bearer = "") {
        const auto r = post("/api/v1/backends", bearer.empty() ? admin_ : bearer,
                            R"({"bbb":{"host":")" + cluster_->backend(i).baseUrl() + R"(","secret":")" +
                                cluster_->backend(i).secret() + R"("}})");
        EXPECT_EQ(r.status, 200) << r.body;
        return text(object(r), "id");
    }

    std::unique_ptr<GatewayCluster> cluster_;
    std::string admin_;
};

// ---------------------------------------------------------------------------------------------
// Every route × every kind of token

struct RouteCall {
    std::string method;
    std::string path;
    std::string body;
};

TEST_F(RestApiTest, EveryRouteAgainstEveryKindOfToken) {
    const auto own_frontend = createFrontend("own", "acct-1");
    const auto other_frontend = createFrontend("other", "acct-2");
    const auto node_backend = createBackend(0, token("node-1", "b3scale:node"));
    const auto backend = createBackend(1);
    const auto command =
        text(object(post("/api/v1/commands", admin_,
                         R"({"action":"end_all_meetings","params":{"BackendID":")" + backend + "\"}}")),
             "id");
    const std::vector<RouteCall> calls = {
        {"GET", "/api/v1", ""},
        {"GET", "/api/v1/status", ""},
        {"GET", "/api/v1/frontends", ""},
        {"POST", "/api/v1/frontends", R"({"bbb":{"key":"new-one","secret":"x"}})"},
        {"GET", "/api/v1/frontends/" + own_frontend, ""},
        {"PATCH", "/api/v1/frontends/" + own_frontend, R"({"active":true})"},
        {"DELETE", "/api/v1/frontends/" + other_frontend, ""},
        {"GET", "/api/v1/backends", ""},
        {"POST", "/api/v1/backends", R"({"bbb":{"host":"https://new.example/bigbluebutton/api/","secret":"x"}})"},
        {"GET", "/api/v1/backends/" + node_backend, ""},
        {"PATCH", "/api/v1/backends/" + node_backend, R"({"load_factor":2})"},
        {"DELETE", "/api/v1/backends/" + backend, ""},
        {"GET", "/api/v1/meetings", ""},
        {"GET", "/api/v1/meetings/unknown-meeting", ""},
        {"PATCH", "/api/v1/meetings/unknown-meeting", R"({"meeting":{}})"},
        {"DELETE", "/api/v1/meetings/unknown-meeting", ""},
        {"GET", "/api/v1/commands", ""},
        {"POST", "/api/v1/commands", R"({"action":"end_all_meetings","params":{"BackendID":")" + node_backend + "\"}}"},
        {"GET", "/api/v1/commands/" + command, ""},
        {"GET", "/api/v1/agent/backend", ""},
        {"POST", "/api/v1/agent/heartbeat", ""},
        // An unknown action answers at once (a known one waits up to 15 s for its meeting).
        {"POST", "/api/v1/agent/rpc",
         R"({"action":"meeting_explode","payload":")" + base64(R"({"internal_meeting_id":"nope"})") + "\"}"},
        {"POST", "/api/v1/ctrl/migrate", ""},
        {"GET", "/api/v1/callbacks?state=dead", ""},
        {"POST", "/api/v1/callbacks/00000000-0000-4000-8000-000000000000/retry", ""},
    };
    ASSERT_EQ(calls.size(), 25u) << "one call per route of the table";

    const auto now = std::time(nullptr);
    const std::string kForger = "not-the-secret-0123456789abcdefghij";
    struct Token {
        std::string name;
        std::string value;
        // Which calls (by index) it may make; others are 403. Empty set + unauthenticated = 401.
        bool authenticated;
        std::set<std::size_t> allowed;
    };
    std::set<std::size_t> all;
    for (std::size_t i = 0; i < calls.size(); ++i) all.insert(i);
    std::set<std::size_t> admin_calls = all;
    for (std::size_t i : {19u, 20u, 21u}) admin_calls.erase(i);  // agent/*: a node's own
    const std::vector<Token> tokens = {
        {"admin", admin_, true, admin_calls},
        {"tenant", token("acct-1", "b3scale"), true, {0, 1, 2, 4, 5}},
        {"node", token("node-1", "b3scale:node"), true, {0, 1, 8, 9, 10, 13, 14, 15, 19, 20, 21}},
        {"no scope", token("x", ""), true, {0, 1}},
        {"none", "", false, {}},
        {"expired", token("b3scalectl", "b3scale:admin", JwtAlgorithm::Hs384, kBaseJwtSecret, now - 3600), false, {}},
        {"forged", token("b3scalectl", "b3scale:admin", JwtAlgorithm::Hs384, kForger), false, {}},
        {"wrong algorithm", token("b3scalectl", "b3scale:admin", JwtAlgorithm::Hs256), false, {}},
        {"garbage", "not.a.token", false, {}},
    };
    for (const auto& t : tokens) {
        for (std::size_t i = 0; i < calls.size(); ++i) {
            // Destructive calls last, and only once: the admin's own run deletes things.
            if (t.name == "admin" && (i == 6 || i == 11)) continue;
            const auto& c = calls[i];
            SCOPED_TRACE(t.name + ": " + c.method + " " + c.path);
            const auto r = request(c.method, c.path, t.value, c.body);
            ASSERT_NE(r.status, 0) << "no answer";
            EXPECT_EQ(r.content_type.rfind("application/json", 0), 0u) << r.content_type;
            if (!t.authenticated) {
                EXPECT_EQ(r.status, 401) << r.body;
                const auto message = text(object(r), "message");
                EXPECT_TRUE(message.starts_with("missing or malformed jwt") ||
                            message.starts_with("invalid or expired jwt"))
                    << message;
            } else if (!t.allowed.contains(i)) {
                EXPECT_EQ(r.status, 403) << r.body;
                EXPECT_NE(text(object(r), "message").find("scope required"), std::string::npos) << r.body;
            } else {
                EXPECT_NE(r.status, 401) << r.body;
                EXPECT_NE(r.status, 403) << r.body;
                EXPECT_LT(r.status, 500) << r.body;
            }
        }
    }
    // Finally the destructive ones as the operator.
    EXPECT_EQ(request("DELETE", "/api/v1/frontends/" + other_frontend, admin_).status, 200);
    EXPECT_EQ(request("DELETE", "/api/v1/backends/" + backend, admin_).status, 200);
}

TEST_F(RestApiTest, OpenApiDocumentDescribesEveryRouteAndEveryAnswerIsDocumented) {
    const auto doc = object(get("/api/v1/openapi.json", ""));
    ASSERT_TRUE(doc) << "served without a token";
    EXPECT_EQ(text(doc, "openapi"), "3.0.3");
    const auto paths = doc->getObject("paths");
    ASSERT_TRUE(paths);
    const auto frontend = createFrontend("doc-fe");
    const auto backend = createBackend(0);
    const auto node = token("node-doc", "b3scale:node");
    createBackend(1, node);
    int operations = 0;
    for (const auto& [path, item_var] : *paths) {
        const auto item = item_var.extract<Object::Ptr>();
        for (const auto& [method, op_var] : *item) {
            ++operations;
            const auto op = op_var.extract<Object::Ptr>();
            std::string target = "/api/v1" + (path == "/" ? std::string() : path);
            const auto id_at = target.find("{id}");
            if (id_at != std::string::npos) {
                const std::string id = path.starts_with("/frontends")  ? frontend
                                       : path.starts_with("/backends") ? backend
                                                                       : "00000000-0000-4000-8000-000000000000";
                target.replace(id_at, 4, id);
            }
            std::string upper = method;
            for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            const auto bearer = path.starts_with("/agent") ? node : admin_;
            std::string body;
            if (op->has("requestBody")) body = "{}";
            if (upper == "DELETE") continue;  // answered above; here nothing is deleted
            const auto r = request(upper, target, bearer, body);
            SCOPED_TRACE(upper + " " + target + " -> " + std::to_string(r.status) + " " + r.body);
            EXPECT_TRUE(op->getObject("responses")->has(std::to_string(r.status))) << "undocumented status";
            EXPECT_FALSE(text(op, "summary").empty());
        }
    }
    EXPECT_EQ(operations, 30) << "every route of the table, and no other";
}

// ---------------------------------------------------------------------------------------------
// Tenancy

TEST_F(RestApiTest, TenantReachesOnlyItsOwnFrontendsOnEveryRoute) {
    const auto mine = createFrontend("mine", "acct-1");
    const auto theirs = createFrontend("theirs", "acct-2");
    createFrontend("nobodys");
    const auto tenant = token("acct-1", "b3scale");

    const auto list = array(get("/api/v1/frontends", tenant));
    ASSERT_TRUE(list);
    ASSERT_EQ(list->size(), 1u);
    const auto listed = list->getObject(0);
    EXPECT_EQ(text(listed, "bbb.key"), "mine");
    EXPECT_EQ(text(listed, "bbb.secret"), "(absent)") << "no secrets in a tenant's list";
    EXPECT_EQ(array(get("/api/v1/frontends?account_ref=acct-2", tenant))->size(), 0u) << "filters only narrow";

    const auto shown = object(get("/api/v1/frontends/" + mine, tenant));
    EXPECT_EQ(text(shown, "bbb.secret"), "s-mine") << "its own secret, to configure its frontend";
    // Another tenant's frontend is exactly as unknown as a missing one.
    for (const auto& [method, body] :
         std::vector<std::pair<std::string, std::string>>{{"GET", ""}, {"PATCH", R"({"active":false})"}}) {
        const auto r = request(method, "/api/v1/frontends/" + theirs, tenant, body);
        EXPECT_EQ(r.status, 404) << method << " " << r.body;
        const auto missing = request(method, "/api/v1/frontends/00000000-0000-4000-8000-000000000000", tenant, body);
        EXPECT_EQ(missing.status, 404);
        EXPECT_EQ(missing.body, r.body);
    }
    EXPECT_EQ(request("DELETE", "/api/v1/frontends/" + theirs, tenant).status, 403);
    EXPECT_EQ(post("/api/v1/frontends", tenant, R"({"bbb":{"key":"sneaky","secret":"x"}})").status, 403);
    EXPECT_EQ(text(object(get("/api/v1/frontends/" + theirs, admin_)), "active"), "true") << "untouched";

    // A tenant may change its frontend, never its owner (least_privilege_test.cpp has the rest).
    EXPECT_EQ(patch("/api/v1/frontends/" + mine, tenant, R"({"account_ref":"acct-2"})").status, 403);
    const auto changed = patch("/api/v1/frontends/" + mine, tenant,
                               R"({"active":false,"bbb":{"secret":"rotated-by-the-tenant-0123456789abcdef"}})");
    ASSERT_EQ(changed.status, 200) << changed.body;
    EXPECT_EQ(text(object(changed), "account_ref"), "acct-1");
    EXPECT_EQ(text(object(changed), "active"), "false");
    EXPECT_EQ(text(object(changed), "bbb.secret"), "rotated-by-the-tenant-0123456789abcdef");
    // A tenant token without a subject owns nothing.
    EXPECT_EQ(array(get("/api/v1/frontends", token("", "b3scale")))->size(), 0u);
}

// ---------------------------------------------------------------------------------------------
// PATCH, validation, conflicts

TEST_F(RestApiTest, PatchMergesObjectsReplacesArraysAndEmptyParametersDisappear) {
    const auto id = createFrontend("merge");
    auto r =
        patch("/api/v1/frontends/" + id, admin_,
              R"({"settings":{"required_tags":["a","b"],"create_default_params":{"welcome":"Hi","record":"true"}}})");
    ASSERT_EQ(r.status, 200) << r.body;
    r = patch("/api/v1/frontends/" + id, admin_, R"({"settings":{"create_default_params":{"welcome":"Hello"}}})");
    auto o = object(r);
    EXPECT_EQ(text(o, "settings.create_default_params.welcome"), "Hello");
    EXPECT_EQ(text(o, "settings.create_default_params.record"), "true") << "other keys survive";
    EXPECT_EQ(o->getObject("settings")->getArray("required_tags")->size(), 2u) << "untouched";
    r = patch("/api/v1/frontends/" + id, admin_,
              R"({"settings":{"required_tags":["c"],"create_default_params":{"welcome":""}}})");
    o = object(r);
    EXPECT_EQ(o->getObject("settings")->getArray("required_tags")->size(), 1u) << "arrays are replaced";
    EXPECT_EQ(text(o, "settings.create_default_params.welcome"), "(absent)") << "\"\" removes a parameter";
    EXPECT_EQ(text(o, "settings.create_default_params.record"), "true");
    r = patch("/api/v1/frontends/" + id, admin_, R"({"settings":{"required_tags":null},"bbb":{"key":"renamed"}})");
    o = object(r);
    EXPECT_EQ(text(o, "settings.required_tags"), "null") << "null clears";
    EXPECT_EQ(text(o, "bbb.key"), "renamed");
    EXPECT_EQ(text(o, "bbb.secret"), "s-merge") << "absent keys keep their value";
    // The gateway follows at once: the renamed key works, the settings apply.
    EXPECT_TRUE(answered(cluster_->call("renamed", "s-merge", "getMeetings"), "SUCCESS"));
}

TEST_F(RestApiTest, EveryFieldIsValidatedWithTheValidationErrorShape) {
    struct Case {
        std::string path;
        std::string body;
        std::string field;
    };
    const std::vector<Case> cases = {
        {"/api/v1/backends", R"({"bbb":{"host":"node1","secret":""}})", "bbb.host"},
        {"/api/v1/backends", R"({"bbb":{"host":"node1","secret":""}})", "bbb.secret"},
        {"/api/v1/backends", R"({})", "bbb"},
        {"/api/v1/backends", R"({"bbb":{"host":"https://","secret":"s"}})", "bbb.host"},
        {"/api/v1/backends", R"({"bbb":{"host":"https://a.example/api/","secret":"s"},"load_factor":-1})",
         "load_factor"},
        {"/api/v1/backends", R"({"bbb":{"host":"https://a.example/api/","secret":"s"},"load_factor":"2"})",
         "load_factor"},
        {"/api/v1/backends", R"({"bbb":{"host":"https://a.example/api/","secret":"s"},"admin_state":"up"})",
         "admin_state"},
        {"/api/v1/backends", R"({"bbb":{"host":"https://a.example/api/","secret":"s"},"settings":{"tags":"x"}})",
         "settings.tags"},
        {"/api/v1/backends", R"({"bbb":{"host":42,"secret":"s"}})", "bbb.host"},
        {"/api/v1/frontends", R"({"bbb":{"key":" ","secret":"s"}})", "bbb.key"},
        {"/api/v1/frontends", R"({"bbb":{"key":"a/b","secret":"s"}})", "bbb.key"},
        {"/api/v1/frontends", R"({"bbb":{"key":"k","secret":""}})", "bbb.secret"},
        {"/api/v1/frontends", R"({"bbb":{"key":"k","secret":"s"},"active":"yes"})", "active"},
        {"/api/v1/frontends", R"({"bbb":{"key":"k","secret":"s"},"settings":{"attendees_limit":{"limit":"many"}}})",
         "settings"},
        {"/api/v1/frontends", R"({"bbb":{"key":"k","secret":"s"},"settings":{"no_such_setting":1}})", "settings"},
        {"/api/v1/commands", R"({"action":"rm -rf","params":{}})", "action"},
        {"/api/v1/commands",
         R"({"action":"end_all_meetings","params":{"BackendID":"00000000-0000-4000-8000-000000000000"}})",
         "params.BackendID"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.body);
        const auto r = post(c.path, admin_, c.body);
        EXPECT_EQ(r.status, 400) << r.body;
        const auto o = object(r);
        EXPECT_EQ(text(o, "error"), "validation_error") << r.body;
        EXPECT_EQ(text(o, "message"), "validation failed with input");
        ASSERT_TRUE(o && o->getObject("fields") && o->getObject("fields")->has(c.field)) << r.body;
    }
    EXPECT_TRUE(array(get("/api/v1/backends", admin_))->size() == 0) << "nothing half-written";
    EXPECT_TRUE(array(get("/api/v1/frontends", admin_))->size() == 0);
    // b3scale's example, both problems in one answer.
    const auto both = object(post("/api/v1/backends", admin_, R"({"bbb":{"host":"node1","secret":""}})"));
    EXPECT_EQ(both->getObject("fields")->getArray("bbb.host")->getElement<std::string>(0),
              "should start with http(s)://");
    EXPECT_EQ(both->getObject("fields")->getArray("bbb.secret")->getElement<std::string>(0), "this field is required");
}

TEST_F(RestApiTest, BadRequestsGetJsonErrorsNeverAFiveHundred) {
    const auto id = createFrontend("bad");
    struct Case {
        std::string method;
        std::string path;
        std::string body;
        std::string type;
        int status;
    };
    const std::vector<Case> cases = {
        {"POST", "/api/v1/frontends", "{not json", "application/json", 400},
        {"POST", "/api/v1/frontends", "[1,2]", "application/json", 400},
        {"POST", "/api/v1/frontends", "key=x", "application/x-www-form-urlencoded", 415},
        {"POST", "/api/v1/frontends", "", "", 400},
        {"PATCH", "/api/v1/frontends/" + id, "", "", 400},
        {"GET", "/api/v1/frontends/not-a-uuid", "", "", 404},
        {"GET", "/api/v1/nothing-here", "", "", 404},
        {"PUT", "/api/v1/frontends/" + id, "{}", "application/json", 405},
        {"DELETE", "/api/v1/frontends", "", "", 405},
        {"POST", "/api/v1/frontends", std::string(2 << 20, ' '), "application/json", 413},
        {"GET", "/api/v1/frontends?key=%zz", "", "", 400},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.method + " " + c.path + " " + c.body.substr(0, 20));
        const auto r = request(c.method, c.path, admin_, c.body, c.type);
        EXPECT_EQ(r.status, c.status) << r.body;
        EXPECT_FALSE(text(object(r), "error").empty()) << r.body;
        EXPECT_FALSE(text(object(r), "message").empty()) << r.body;
    }
    EXPECT_EQ(text(object(get("/api/v1/frontends/" + id, admin_)), "bbb.key"), "bad") << "still serving";
}

TEST_F(RestApiTest, DuplicatesAreConflictsAndUnknownIdsNotFound) {
    createFrontend("twice");
    auto r = post("/api/v1/frontends", admin_, R"({"bbb":{"key":"twice","secret":"x"}})");
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(text(object(r), "message"), "a frontend with this key exists already");
    const auto b = createBackend(0);
    r = post("/api/v1/backends", admin_,
             R"({"bbb":{"host":")" + cluster_->backend(0).baseUrl() + R"(","secret":"x"}})");
    EXPECT_EQ(r.status, 409) << r.body;
    // A PATCH renaming onto a taken key is a conflict too, and changes nothing.
    const auto other = createFrontend("other");
    r = patch("/api/v1/frontends/" + other, admin_, R"({"bbb":{"key":"twice"}})");
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_EQ(text(object(get("/api/v1/frontends/" + other, admin_)), "bbb.key"), "other");
    for (const auto* path : {"/api/v1/frontends/", "/api/v1/backends/", "/api/v1/commands/", "/api/v1/meetings/"}) {
        for (const auto* method : {"GET", "PATCH", "DELETE"}) {
            if (std::string(path) == "/api/v1/commands/" && std::string(method) != "GET") continue;
            const auto x = request(method, std::string(path) + "00000000-0000-4000-8000-000000000000", admin_,
                                   std::string(method) == "PATCH" ? R"({"meeting":{}})" : "");
            EXPECT_EQ(x.status, 404) << method << " " << path << " " << x.body;
        }
    }
    EXPECT_EQ(text(object(get("/api/v1/backends/" + b, admin_)), "admin_state"), "ready");
}

// ---------------------------------------------------------------------------------------------
// Backends, meetings, commands as an operator uses them

TEST_F(RestApiTest, BackendAddedThroughTheApiServesMeetingsAndShowsItsHealth) {
    const auto backend = createBackend(0);
    const auto frontend = createFrontend(kKey);
    ASSERT_EQ(patch("/api/v1/frontends/" + frontend, admin_, R"({"bbb":{"secret":"tenant-secret"}})").status, 200);
    ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "create", "meetingID=api-room&name=Api"), "SUCCESS"));
    const auto shown = [&] { return object(get("/api/v1/backends/" + backend, admin_)); };
    ASSERT_TRUE(std::invoke([&] {
        for (int i = 0; i < 100; ++i) {
            if (text(shown(), "node_state") == "ready") return true;
            std::this_thread::sleep_for(milliseconds(50));
        }
        return false;
    })) << "polled without any agent";
    const auto o = shown();
    EXPECT_NE(text(o, "synced_at"), "0001-01-01T00:00:00Z");
    EXPECT_EQ(text(o, "agent_heartbeat"), "0001-01-01T00:00:00Z");
    EXPECT_EQ(text(o, "bbb.host"), cluster_->backend(0).baseUrl());

    // Cluster-wide meeting list, with the frontend's own id.
    const auto meetings = array(get("/api/v1/meetings", admin_));
    ASSERT_TRUE(meetings);
    ASSERT_EQ(meetings->size(), 1u);
    const auto m = meetings->getObject(0);
    EXPECT_EQ(text(m, "meeting_id"), "api-room");
    EXPECT_EQ(text(m, "frontend_key"), kKey);
    EXPECT_EQ(text(m, "backend_id"), backend);
    EXPECT_EQ(array(get("/api/v1/meetings?backend_host=" + cluster_->backend(0).baseUrl(), admin_))->size(), 1u);
    EXPECT_EQ(array(get("/api/v1/meetings?frontend_key=tenant", admin_))->size(), 1u);
    EXPECT_EQ(get("/api/v1/meetings?frontend_key=nobody", admin_).status, 404);
    EXPECT_EQ(text(object(get("/api/v1/meetings/internal:" + text(m, "internal_id"), admin_)), "id"), text(m, "id"));

    // Drain through the API: new meetings are refused (one backend), the running one stays.
    ASSERT_EQ(patch("/api/v1/backends/" + backend, admin_, R"({"admin_state":"stopped"})").status, 200);
    EXPECT_TRUE(answered(cluster_->call(kKey, kSecret, "create", "meetingID=refused&name=No"), "FAILED"));
    EXPECT_EQ(cluster_->call(kKey, kSecret, "join", "meetingID=api-room&fullName=A&role=VIEWER").status, 302);
}

TEST_F(RestApiTest, EndAllMeetingsCommandEndsThemOnTheBackend) {
    const auto backend = createBackend(0);
    const auto frontend = createFrontend(kKey);
    ASSERT_EQ(patch("/api/v1/frontends/" + frontend, admin_, R"({"bbb":{"secret":"tenant-secret"}})").status, 200);
    for (const auto* id : {"one", "two"}) {
        const auto created = cluster_->call(kKey, kSecret, "create", std::string("meetingID=") + id + "&name=Room");
        ASSERT_TRUE(answered(created, "SUCCESS")) << created.body;
    }
    ASSERT_EQ(cluster_->backend(0).meetings().size(), 2u);
    const auto queued =
        post("/api/v1/commands", admin_, R"({"action":"end_all_meetings","params":{"backendid":")" + backend + "\"}}");
    ASSERT_EQ(queued.status, 202) << queued.body;
    EXPECT_EQ(text(object(queued), "state"), "requested");
    EXPECT_EQ(text(object(queued), "params.BackendID"), backend);
    const auto id = text(object(queued), "id");
    Object::Ptr done;
    for (int i = 0; i < 100; ++i) {
        done = object(get("/api/v1/commands/" + id, admin_));
        if (text(done, "state") == "success" || text(done, "state") == "error") break;
        std::this_thread::sleep_for(milliseconds(50));
    }
    EXPECT_EQ(text(done, "state"), "success") << text(done, "result");
    EXPECT_EQ(text(done, "result"), "true");
    EXPECT_NE(text(done, "stopped_at"), "null");
    EXPECT_TRUE(cluster_->backend(0).meetings().empty());
    EXPECT_EQ(cluster_->backend(0).callCount("end"), 2u);
    EXPECT_EQ(array(get("/api/v1/meetings", admin_))->size(), 0u)
        << get("/api/v1/meetings", admin_).body << cluster_->b3scaled().stderrText();
    EXPECT_GE(array(get("/api/v1/commands", admin_))->size(), 1u);
}

TEST_F(RestApiTest, ForceDeletedBackendsMeetingsAreRecreatedElsewhere) {
    const auto first = createBackend(0);
    const auto frontend = createFrontend(kKey);
    ASSERT_EQ(patch("/api/v1/frontends/" + frontend, admin_, R"({"bbb":{"secret":"tenant-secret"}})").status, 200);
    ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "create", "meetingID=moved&name=Room"), "SUCCESS"));
    createBackend(1);
    const auto deleted = request("DELETE", "/api/v1/backends/" + first + "?force=yes", admin_);
    ASSERT_EQ(deleted.status, 200) << deleted.body;
    EXPECT_EQ(text(object(deleted), "admin_state"), "destroyed");
    EXPECT_EQ(get("/api/v1/backends/" + first, admin_).status, 404);
    const auto j = cluster_->call(kKey, kSecret, "join", "meetingID=moved&fullName=A&role=VIEWER");
    ASSERT_EQ(j.status, 302) << j.body;
    EXPECT_EQ(j.location.rfind(cluster_->backend(1).baseUrl(), 0), 0u);
    // Without force: decommissioned, still there.
    const auto second = array(get("/api/v1/backends", admin_))->getObject(0)->getValue<std::string>("id");
    const auto decommissioned = request("DELETE", "/api/v1/backends/" + second, admin_);
    EXPECT_EQ(text(object(decommissioned), "admin_state"), "decommissioned");
}

// ---------------------------------------------------------------------------------------------
// The node agent

TEST_F(RestApiTest, NodeAgentRegistersBeatsAndReportsMeetingEvents) {
    const auto node = token("bbb-node-1", "b3scale:node");
    EXPECT_EQ(get("/api/v1/agent/backend", node).status, 404) << "nothing registered yet";
    const auto registered = post("/api/v1/backends", node,
                                 R"({"bbb":{"host":")" + cluster_->backend(0).baseUrl() + R"(","secret":")" +
                                     cluster_->backend(0).secret() + R"("},"admin_state":"init"})");
    ASSERT_EQ(registered.status, 200) << registered.body;
    const auto backend = text(object(registered), "id");
    EXPECT_EQ(text(object(registered), "agent_ref"), "bbb-node-1");
    EXPECT_EQ(text(object(registered), "admin_state"), "init") << "waits for an operator";
    EXPECT_EQ(text(object(get("/api/v1/agent/backend", node)), "id"), backend);
    EXPECT_EQ(post("/api/v1/backends", node, registered.body).status, 409) << "one backend per agent";
    // Another node cannot see or change it.
    const auto stranger = token("bbb-node-2", "b3scale:node");
    EXPECT_EQ(get("/api/v1/backends/" + backend, stranger).status, 404);
    EXPECT_EQ(patch("/api/v1/backends/" + backend, stranger, R"({"load_factor":9})").status, 404);
    EXPECT_EQ(post("/api/v1/agent/heartbeat", stranger, "").status, 404);

    const auto beat = post("/api/v1/agent/heartbeat", node, "");
    ASSERT_EQ(beat.status, 200) << beat.body;
    EXPECT_EQ(text(object(beat), "backend_id"), backend);
    EXPECT_NE(text(object(get("/api/v1/backends/" + backend, admin_)), "agent_heartbeat"), "0001-01-01T00:00:00Z");

    // The operator enables it; a meeting is created; the agent reports who joined.
    ASSERT_EQ(patch("/api/v1/backends/" + backend, admin_, R"({"admin_state":"ready"})").status, 200);
    const auto frontend = createFrontend(kKey);
    ASSERT_EQ(patch("/api/v1/frontends/" + frontend, admin_, R"({"bbb":{"secret":"tenant-secret"}})").status, 200);
    ASSERT_TRUE(std::invoke([&] {
        for (int i = 0; i < 100; ++i) {
            if (answered(cluster_->call(kKey, kSecret, "create", "meetingID=agent-room&name=Agent+room"), "SUCCESS"))
                return true;
            std::this_thread::sleep_for(milliseconds(50));
        }
        return false;
    }));
    const auto internal =
        cluster_->backend(0).meeting(core::bbb::encodeMeetingId(kKey, "agent-room"))->internalMeetingId;
    const auto rpc = [&](const std::string& action, const std::string& params) {
        return post("/api/v1/agent/rpc", node, R"({"action":")" + action + R"(","payload":")" + base64(params) + "\"}");
    };
    auto r = rpc("meeting_set_running", R"({"internal_meeting_id":")" + internal + R"(","running":true})");
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(text(object(r), "status"), "ok") << r.body;
    r = rpc("meeting_add_attendee", R"({"internal_meeting_id":")" + internal +
                                        R"(","attendee":{"UserID":"u1","InternalUserID":"w_1","FullName":"Ada"}})");
    EXPECT_EQ(text(object(r), "status"), "ok") << r.body;
    auto shown = object(get("/api/v1/meetings/internal:" + internal, node));
    ASSERT_TRUE(shown);
    EXPECT_EQ(text(shown, "meeting.Running"), "true");
    EXPECT_EQ(shown->getObject("meeting")->getArray("Attendees")->size(), 1u);
    r = rpc("meeting_remove_attendee", R"({"internal_meeting_id":")" + internal + R"(","internal_user_id":"w_1"})");
    EXPECT_EQ(text(object(r), "status"), "ok");
    shown = object(get("/api/v1/meetings/internal:" + internal, node));
    EXPECT_EQ(shown->getObject("meeting")->getArray("Attendees")->size(), 0u);
    // Unknown actions and broken envelopes, in the agent protocol's own shape.
    r = rpc("meeting_explode", R"({"internal_meeting_id":"x"})");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(text(object(r), "status"), "error");
    r = post("/api/v1/agent/rpc", node, R"({"action":"meeting_set_running","payload":{"not":"base64"}})");
    EXPECT_EQ(r.status, 400);
    EXPECT_EQ(text(object(r), "status"), "error");
    // A node token without a backend reaches no meeting.
    EXPECT_EQ(get("/api/v1/meetings/internal:" + internal, stranger).status, 403);
}

// An operator binds a backend to a node agent (as the import from b3scale does with b3scale's
// agent_ref): the agent with a token for that ref then finds it and beats for it.
TEST_F(RestApiTest, OperatorBindsABackendToANodeAgentWhichThenFindsIt) {
    const auto hostOf = [&](std::size_t i) { return cluster_->backend(i).baseUrl(); };
    const auto body = [&](std::size_t i, const std::string& agent_ref) {
        return R"({"bbb":{"host":")" + hostOf(i) + R"(","secret":")" + cluster_->backend(i).secret() +
               R"("},"agent_ref":)" + agent_ref + "}";
    };
    auto r = post("/api/v1/backends", admin_, body(0, "\"" + std::string(65, 'n') + "\""));
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_NE(r.body.find("agent_ref"), std::string::npos) << r.body;
    EXPECT_EQ(post("/api/v1/backends", admin_, body(0, "42")).status, 400);

    r = post("/api/v1/backends", admin_, body(0, R"("node-imported")"));
    ASSERT_EQ(r.status, 200) << r.body;
    const auto backend = text(object(r), "id");
    EXPECT_EQ(text(object(r), "agent_ref"), "node-imported");
    const auto node = token("node-imported", "b3scale:node");
    EXPECT_EQ(text(object(get("/api/v1/agent/backend", node)), "id"), backend);
    EXPECT_EQ(post("/api/v1/agent/heartbeat", node, "").status, 200);
    EXPECT_EQ(post("/api/v1/backends", node, body(1, "null")).status, 409) << "the node has its backend already";

    // One agent, one backend: binding a second one to the same ref is a conflict.
    r = post("/api/v1/backends", admin_, body(1, R"("node-imported")"));
    EXPECT_EQ(r.status, 409) << r.body;

    // The operator unbinds it: the agent no longer finds it.
    r = patch("/api/v1/backends/" + backend, admin_, R"({"agent_ref":null})");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(object(r)->isNull("agent_ref"));
    EXPECT_EQ(get("/api/v1/agent/backend", node).status, 404);
}

TEST_F(RestApiTest, StatusTellsWhoAsksAndMigrateReportsTheSchema) {
    const auto status = object(get("/api/v1", admin_));
    EXPECT_EQ(text(status, "api"), "v1");
    EXPECT_EQ(text(status, "account_ref"), "b3scalectl");
    EXPECT_EQ(text(status, "is_admin"), "true");
    EXPECT_EQ(text(status, "database.available"), "true");
    EXPECT_EQ(text(status, "database.migrated"), "true");
    EXPECT_EQ(text(status, "database.pending_migrations"), "0");
    EXPECT_EQ(text(status, "database.migration.description"), "agent report");
    EXPECT_EQ(text(object(get("/api/v1/status", token("acct", "b3scale"))), "is_admin"), "false");
    const auto migrated = post("/api/v1/ctrl/migrate", admin_, "");
    EXPECT_EQ(migrated.status, 200) << migrated.body;
    EXPECT_EQ(text(object(migrated), "migrated"), "true");
    // The secret never shows up in what b3scaled logs.
    EXPECT_EQ(cluster_->b3scaled().stderrText().find(kBaseJwtSecret), std::string::npos);
    EXPECT_EQ(cluster_->b3scaled().stderrText().find(admin_), std::string::npos);
}

}  // namespace
}  // namespace b3s::test
