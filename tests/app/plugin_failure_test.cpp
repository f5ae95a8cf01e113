// A plugin that throws at run time (the SDK forbids it; a bug does it anyway) inside a real
// b3scaled: every request still gets an answer in its protocol's shape, the log names the
// plugin, its kind and the method, and the server goes on serving and stops cleanly.

#include "b3scaled_process.hpp"
#include "gateway_cluster.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Parser.h>

#include <gtest/gtest.h>

#include <csignal>
#include <ctime>
#include <filesystem>
#include <string>

namespace b3s::test {
namespace {

namespace fs = std::filesystem;

// The build's plugins plus the misbehaving fixtures, in one folder b3scaled loads from.
fs::path pluginDirWithFixtures() {
    const fs::path dir = makeTempDir("plugins");
    for (const auto& entry : fs::directory_iterator(pluginDir()))
        fs::create_symlink(entry.path(), dir / entry.path().filename());
    for (const char* file : {"libb3s_balancer_throwing_calls.so", "libb3s_auth_throwing.so"})
        fs::create_symlink(fixturePluginDir() / file, dir / file);
    return dir;
}

HttpResult apiGet(int port, const std::string& path) {
    return httpRequest("GET", "127.0.0.1", port, path, "", "", {{"Authorization", "Bearer " + adminToken()}});
}

TEST(PluginFailure, AThrowingBalancerIsABbbFailureNamedInTheLogAndTheServerGoesOn) {
    GatewayClusterOptions options;
    options.extra_env["B3SCALE_PLUGIN_DIR"] = pluginDirWithFixtures().string();
    options.extra_env["B3SCALE_BALANCER_PLUGIN"] = "throwing_calls";
    options.extra_env["B3SCALE_METRICS_PLUGIN"] = "prometheus";
    GatewayCluster cluster(options);
    cluster.addFrontend("t", "t-secret");
    cluster.addAllBackends();
    cluster.start();

    for (int i = 0; i < 3; ++i) {
        const auto r = cluster.call("t", "t-secret", "create", "meetingID=m" + std::to_string(i) + "&name=x");
        EXPECT_TRUE(answered(r, "FAILED", "internalError")) << r.body;
    }
    // The load the balancer cannot give is shown as unknown: null in the API, no sample in metrics.
    const auto backends = apiGet(cluster.port(), "/api/v1/backends");
    ASSERT_EQ(backends.status, 200) << backends.body;
    const auto list = Poco::JSON::Parser().parse(backends.body).extract<Poco::JSON::Array::Ptr>();
    ASSERT_EQ(list->size(), cluster.backendCount());
    for (std::size_t i = 0; i < list->size(); ++i) {
        const auto backend = list->getObject(static_cast<unsigned>(i));
        ASSERT_TRUE(backend->has("load"));
        EXPECT_TRUE(backend->isNull("load"));
    }
    const auto metrics = cluster.get("/metrics");
    ASSERT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.body.find("b3scale_backend_meetings{"), std::string::npos);
    EXPECT_EQ(metrics.body.find("b3scale_backend_load{"), std::string::npos);
    EXPECT_EQ(cluster.get("/healthz").status, 200);

    auto& b3scaled = cluster.b3scaled();
    const auto log = b3scaled.stderrText();
    EXPECT_NE(log.find(R"("message":"plugin_call_failed","kind":"balancer","name":"throwing_calls","method":"choose",)"
                       R"("error":"choose exploded")"),
              std::string::npos)
        << log;
    EXPECT_NE(log.find(R"("kind":"balancer","name":"throwing_calls","method":"load")"), std::string::npos);
    b3scaled.signal(SIGTERM);
    EXPECT_EQ(b3scaled.wait(), 0) << b3scaled.stderrText();
}

TEST(PluginFailure, AThrowingAuthPluginIsA500PluginFailedNeverAnAllowedRequest) {
    GatewayClusterOptions options;
    options.extra_env["B3SCALE_PLUGIN_DIR"] = pluginDirWithFixtures().string();
    options.extra_env["B3SCALE_AUTH_PLUGIN"] = "throwing";
    GatewayCluster cluster(options);
    cluster.addFrontend("t", "t-secret");
    cluster.start();

    for (const char* path : {"/api/v1/backends", "/api/v1/frontends", "/api/v1/status"}) {
        const auto r = apiGet(cluster.port(), path);
        EXPECT_EQ(r.status, 500) << path << " " << r.body;
        const auto body = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Object::Ptr>();
        EXPECT_EQ(body->getValue<std::string>("error"), "plugin_failed") << r.body;
        EXPECT_EQ(body->getValue<std::string>("message"), "the auth plugin 'throwing' failed in authorize");
        EXPECT_EQ(r.body.find("authorize exploded"), std::string::npos) << "the plugin's own error stays in the log";
    }
    // The BBB API does not ask the auth plugin: tenants keep working.
    EXPECT_TRUE(answered(cluster.call("t", "t-secret", "getMeetings"), "SUCCESS"));

    auto& b3scaled = cluster.b3scaled();
    EXPECT_NE(b3scaled.stderrText().find(R"("kind":"auth","name":"throwing","method":"authorize",)"
                                         R"("error":"authorize exploded")"),
              std::string::npos);
    b3scaled.signal(SIGTERM);
    EXPECT_EQ(b3scaled.wait(), 0) << b3scaled.stderrText();
}

}  // namespace
}  // namespace b3s::test
