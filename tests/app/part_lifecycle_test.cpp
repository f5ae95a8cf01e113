// b3scaled is a stack of parts (core/src/app/part.hpp). Under load, SIGTERM stops them in the
// reverse of their start order and the process exits 0; a failure at any point of start-up
// exits with its own code after stopping exactly the parts started before it, in reverse. In
// the sanitizer build (scripts/test.sh --sanitize) b3scaled runs with ASan and UBSan, so a part
// used after its owner was released aborts it with a report: every test here refuses one.

#include "b3scaled_process.hpp"
#include "gateway_cluster.hpp"
#include "pg_test_database.hpp"
#include "util/system_clock.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <ctime>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

namespace b3s::test {
namespace {

using namespace std::chrono_literals;

// Every part, in start order (server_app.cpp).
const std::vector<std::string> kParts = {"store",      "plugins",       "metrics",    "cluster_view",
                                         "telemetry",  "backend_links", "recordings", "gateway",
                                         "controller", "api",           "http_front", "watchdog"};

// "+name" for each part_started, "-name" for each part_stopped, in log order.
std::vector<std::string> partEvents(const B3scaledProcess& p) {
    std::vector<std::string> events;
    for (const auto& line : p.stderrLines()) {
        const bool started = line.find(R"("message":"part_started")") != std::string::npos;
        const bool stopped = line.find(R"("message":"part_stopped")") != std::string::npos;
        if (!started && !stopped) continue;
        const auto at = line.find(R"("part":")");
        if (at == std::string::npos) continue;
        const auto begin = at + 8;
        events.push_back((started ? "+" : "-") + line.substr(begin, line.find('"', begin) - begin));
    }
    return events;
}

// The events of a start that got through `started` and then stopped them all in reverse.
std::vector<std::string> startedThenStoppedInReverse(std::size_t started) {
    std::vector<std::string> events;
    for (std::size_t i = 0; i < started; ++i) events.push_back("+" + kParts[i]);
    for (std::size_t i = started; i > 0; --i) events.push_back("-" + kParts[i - 1]);
    return events;
}

void expectNoSanitizerReport(const std::string& log) {
    for (const char* report : {"AddressSanitizer", "LeakSanitizer", "runtime error:", "heap-use-after-free"})
        EXPECT_EQ(log.find(report), std::string::npos) << report << " in:\n" << log;
}

std::vector<std::string> fatalLines(const B3scaledProcess& p) {
    std::vector<std::string> fatal;
    for (const auto& line : p.stderrLines())
        if (line.find(R"("level":"fatal")") != std::string::npos) fatal.push_back(line);
    return fatal;
}

TEST(PartLifecycle, SigtermUnderLoadStopsEveryPartInReverseAndExitsZero) {
    GatewayClusterOptions options;
    options.backends = 2;
    options.extra_env["B3SCALE_SHUTDOWN_GRACE"] = "5";
    options.extra_env["B3SCALE_METRICS_PLUGIN"] = "prometheus";
    options.extra_env["B3SCALE_POLL_INTERVAL"] = "200ms";  // polls, leases and reconciliation in flight too
    GatewayCluster cluster(options);
    cluster.addFrontend("load", "load-secret");
    cluster.addAllBackends();
    cluster.start();
    const int port = cluster.port();
    const std::string admin = adminToken();

    // Every kind of work at once: placements and joins (store writes, backend calls, the
    // balancer), fan-outs, scrapes (metrics plugin, balancer loads), the REST API (auth plugin).
    std::atomic<bool> stop{false};
    std::atomic<int> answered{0};
    std::vector<std::thread> clients;
    for (int t = 0; t < 6; ++t)
        clients.emplace_back([&, t] {
            for (int i = 0; !stop; ++i) {
                const std::string id = "m-" + std::to_string(t) + "-" + std::to_string(i % 20);
                HttpResult r;
                switch ((t + i) % 5) {
                    case 0: r = cluster.call("load", "load-secret", "create", "meetingID=" + id + "&name=x"); break;
                    case 1:
                        r = cluster.call("load", "load-secret", "join",
                                         "meetingID=" + id + "&fullName=Ada&role=MODERATOR&redirect=false");
                        break;
                    case 2: r = cluster.call("load", "load-secret", "getMeetings"); break;
                    case 3: r = httpRequest("GET", "127.0.0.1", port, "/metrics", 2s); break;
                    default:
                        r = httpRequest("GET", "127.0.0.1", port, "/api/v1/backends", "", "",
                                        {{"Authorization", "Bearer " + admin}}, 2s);
                }
                if (r.status != 0) ++answered;
            }
        });
    // Until every kind has been answered a good many times, then stop in the middle of it.
    const auto deadline = std::chrono::steady_clock::now() + 20s;
    while (answered < 1000 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(20ms);
    auto& b3scaled = cluster.b3scaled();
    b3scaled.signal(SIGTERM);
    const auto code = b3scaled.wait(30s);
    stop = true;
    for (auto& c : clients) c.join();

    EXPECT_GE(answered.load(), 1000) << "the load was not real";
    ASSERT_TRUE(code.has_value()) << "b3scaled did not stop:\n" << b3scaled.stderrText();
    EXPECT_EQ(*code, 0) << b3scaled.stderrText();
    EXPECT_EQ(partEvents(b3scaled), startedThenStoppedInReverse(kParts.size()));
    const auto log = b3scaled.stderrText();
    expectNoSanitizerReport(log);
    for (const char* failure : {R"("message":"handler_failed")", R"("message":"plugin_call_failed")"})
        EXPECT_EQ(log.find(failure), std::string::npos) << failure;
    EXPECT_NE(log.find(R"("message":"stopped")"), std::string::npos);
}

// A start-up that fails at one point: how to provoke it, and what must be seen.
struct StartFailure {
    const char* name;
    int exit_code;
    const char* event;    // the one fatal line
    std::size_t started;  // parts started (and then stopped in reverse) before the failure
};

void PrintTo(const StartFailure& f, std::ostream* os) {
    *os << f.name;
}

class StartFailureTest : public ::testing::TestWithParam<StartFailure> {
protected:
    // A migrated SQLite store with one backend whose row cannot be read back when `corrupt`.
    std::string sqliteStore(bool corrupt) {
        const auto path = makeTempDir("sqlite") / "b3scale.db";
        const std::string url = "sqlite://" + path.string();
        Env env = baseEnv();
        env["B3SCALE_DB_URL"] = url;
        B3scaledProcess migrate(env, {"--migrate"});
        EXPECT_EQ(runToExit(migrate), 0) << migrate.stderrText();
        if (corrupt) {
            core::SystemClock clock;
            core::store::StoreOptions options;
            options.url = url;
            {
                auto store = core::store::openStore(options, clock);
                core::store::Backend b;
                b.host = "https://bbb.example.org/bigbluebutton/api/";
                b.secret = "s";
                store->insertBackend(b);
            }
            sqlite3* db = nullptr;
            EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
            // Past the schema's CHECK, as a hand edit or another tool's bug would.
            EXPECT_EQ(sqlite3_exec(db,
                                   "PRAGMA ignore_check_constraints = ON; "
                                   "UPDATE backends SET admin_state = 'vanished'",
                                   nullptr, nullptr, nullptr),
                      SQLITE_OK);
            sqlite3_close(db);
        }
        return url;
    }
};

TEST_P(StartFailureTest, ExitsWithItsCodeAfterStoppingWhatStartedInReverse) {
    const auto& f = GetParam();
    const std::string name = f.name;
    Env env = baseEnv();
    std::unique_ptr<Poco::Net::ServerSocket> taken;
    if (name == "config") {
        env["B3SCALE_DB_URL"] = sqliteStore(false);
        env["B3SCALE_POLL_INTERVAL"] = "often";
    } else if (name == "store") {
        // Its folder cannot be made: a file is in the way.
        const auto file = makeTempDir("sqlite") / "a-file";
        std::ofstream(file) << "not a folder\n";
        env["B3SCALE_DB_URL"] = "sqlite://" + (file / "b3scale.db").string();
    } else if (name == "plugin") {
        env["B3SCALE_DB_URL"] = sqliteStore(false);
        env["B3SCALE_BALANCER_PLUGIN"] = "no_such_balancer";
    } else if (name == "schema") {
        env["B3SCALE_DB_URL"] = "sqlite://" + (makeTempDir("sqlite") / "fresh.db").string();
    } else if (name == "database") {
        env["B3SCALE_DB_URL"] = "postgres://b3s:pw@127.0.0.1:1/b3scale";
        env["B3SCALE_DB_CONNECT_TIMEOUT"] = "2";
    } else if (name == "cluster_view") {
        env["B3SCALE_DB_URL"] = sqliteStore(true);
    } else if (name == "listen") {
        env["B3SCALE_DB_URL"] = sqliteStore(false);
        taken = std::make_unique<Poco::Net::ServerSocket>(Poco::Net::SocketAddress("127.0.0.1", 0));
        env["B3SCALE_LISTEN_HTTP"] = "127.0.0.1:" + std::to_string(taken->address().port());
    }
    B3scaledProcess p(env);
    EXPECT_EQ(runToExit(p), f.exit_code) << p.stderrText();
    const auto fatal = fatalLines(p);
    ASSERT_EQ(fatal.size(), 1u) << p.stderrText();
    EXPECT_NE(fatal[0].find(std::string(R"("message":")") + f.event + "\""), std::string::npos) << fatal[0];
    EXPECT_EQ(partEvents(p), startedThenStoppedInReverse(f.started)) << p.stderrText();
    EXPECT_EQ(p.stderrText().find(R"("message":"ready")"), std::string::npos);
    expectNoSanitizerReport(p.stderrText());
}

INSTANTIATE_TEST_SUITE_P(EveryPointOfStartUp, StartFailureTest,
                         ::testing::Values(StartFailure{"config", 78, "config_invalid", 0},
                                           StartFailure{"store", 78, "store_invalid", 0},
                                           StartFailure{"plugin", 78, "plugin_refused", 1},
                                           StartFailure{"schema", 78, "schema_outdated", 2},
                                           StartFailure{"database", 69, "store_unavailable", 2},
                                           StartFailure{"cluster_view", 78, "cluster_state_failed", 3},
                                           StartFailure{"listen", 78, "listen_failed", 10}),
                         [](const auto& info) { return std::string(info.param.name); });

}  // namespace
}  // namespace b3s::test
