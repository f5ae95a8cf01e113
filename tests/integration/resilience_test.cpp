// PostgreSQL going away and coming back under a running b3scaled.

#include "b3scaled_process.hpp"
#include "pg_test_database.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

namespace b3s::test {
namespace {

bool eventually(const std::function<bool()>& condition, std::chrono::seconds timeout) {
    auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return condition();
}

TEST(ResilienceTest, ReadinessFollowsAPostgresRestartWithoutRestartingB3scaled) {
    PrivateCluster pg;
    Env env = baseEnv();
    env["B3SCALE_DB_URL"] = pg.url();
    env["B3SCALE_DB_CONNECT_TIMEOUT"] = "2";
    env["B3SCALE_DB_POOL_SIZE"] = "4";
    {
        B3scaledProcess m(env, {"--migrate"});
        ASSERT_EQ(runToExit(m), 0) << m.stderrText();
    }
    B3scaledProcess p(env);
    ASSERT_TRUE(p.waitReady()) << p.stderrText();
    ASSERT_EQ(p.get("/readyz").status, 200);

    pg.stop();
    auto down = p.get("/readyz");
    EXPECT_EQ(down.status, 503) << down.body;
    EXPECT_NE(down.body.find("\"not_ready\""), std::string::npos) << down.body;
    EXPECT_EQ(p.get("/healthz").status, 200) << "the process itself stays healthy";

    pg.start();
    EXPECT_TRUE(eventually([&] { return p.get("/readyz").status == 200; }, std::chrono::seconds(15)))
        << p.stderrText();

    // A restart (every pooled connection dies at once) is survived as well.
    pg.restart();
    EXPECT_TRUE(eventually([&] { return p.get("/readyz").status == 200; }, std::chrono::seconds(15)))
        << p.stderrText();
    EXPECT_TRUE(p.running());
}

}  // namespace
}  // namespace b3s::test
