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

// /readyz stays 200 while PostgreSQL is away (joins are served from memory, and every
// instance shares the database: a load balancer must not take them all out at once); its
// "store" field follows the database.
TEST(ResilienceTest, ReadinessStaysReadyAndReportsTheStoreThroughAPostgresRestart) {
    PgCluster pg;
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

    const auto storeOk = [&] {
        const auto r = p.get("/readyz");
        return r.status == 200 && r.body.find("\"store\":\"ok\"") != std::string::npos;
    };
    ASSERT_TRUE(storeOk()) << p.get("/readyz").body;

    pg.stop();
    auto down = p.get("/readyz");
    EXPECT_EQ(down.status, 200) << down.body;
    EXPECT_NE(down.body.find("\"status\":\"ready\""), std::string::npos) << down.body;
    EXPECT_NE(down.body.find("\"store\":\"unavailable\""), std::string::npos) << down.body;
    EXPECT_EQ(p.get("/healthz").status, 200) << "the process itself stays healthy";

    pg.start();
    EXPECT_TRUE(eventually(storeOk, std::chrono::seconds(15))) << p.stderrText();

    // A restart (every pooled connection dies at once) is survived as well.
    pg.restart();
    EXPECT_TRUE(eventually(storeOk, std::chrono::seconds(15))) << p.stderrText();
    EXPECT_TRUE(p.running());
}

// SIGTERM while a request waits on a hung database: b3scaled stops accepting but lets the
// request finish before it exits.
TEST(ResilienceTest, SigtermLetsAnInFlightRequestFinishBeforeExiting) {
    PgCluster pg;
    Env env = baseEnv();
    env["B3SCALE_DB_URL"] = pg.url();
    env["B3SCALE_SHUTDOWN_GRACE"] = "20";
    {
        B3scaledProcess m(env, {"--migrate"});
        ASSERT_EQ(runToExit(m), 0) << m.stderrText();
    }
    B3scaledProcess p(env);
    ASSERT_TRUE(p.waitReady()) << p.stderrText();
    ASSERT_EQ(p.get("/readyz").status, 200);

    pg.freeze();
    HttpResult in_flight;
    std::thread client([&] { in_flight = p.get("/readyz", std::chrono::seconds(30)); });
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    p.signal(SIGTERM);
    std::this_thread::sleep_for(std::chrono::milliseconds(1000));
    bool still_running = p.running();
    auto refused = httpRequest("GET", "127.0.0.1", p.port(), "/healthz", std::chrono::seconds(2));
    pg.thaw();
    client.join();

    EXPECT_TRUE(still_running) << "b3scaled exited with a request in flight";
    EXPECT_EQ(refused.status, 0) << "a new connection was accepted after SIGTERM";
    EXPECT_EQ(in_flight.status, 200) << in_flight.body;
    auto code = p.wait(std::chrono::seconds(20));
    ASSERT_TRUE(code) << p.stderrText();
    EXPECT_EQ(*code, 0) << p.stderrText();
    EXPECT_NE(p.stderrText().find("\"drained\":\"true\""), std::string::npos) << p.stderrText();
}

}  // namespace
}  // namespace b3s::test
