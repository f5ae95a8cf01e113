// b3scaled as an operator runs it: migrate, start, probes over real HTTP, SIGTERM.
// Every test runs against both stores (embedded SQLite and a real PostgreSQL).

#include "b3scaled_process.hpp"
#include "pg_test_database.hpp"

#include <gtest/gtest.h>

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>

#include <csignal>

namespace b3s::test {
namespace {

enum class Connector { Sqlite, Postgres };

void PrintTo(Connector c, std::ostream* os) {
    *os << (c == Connector::Sqlite ? "sqlite" : "postgresql");
}

Poco::JSON::Object::Ptr parseJson(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

std::size_t countOf(const std::string& text, const std::string& needle) {
    std::size_t n = 0;
    for (auto pos = text.find(needle); pos != std::string::npos; pos = text.find(needle, pos + 1)) ++n;
    return n;
}

class ServerLifecycleTest : public ::testing::TestWithParam<Connector> {
protected:
    Env env() {
        Env e = baseEnv();
        e["B3SCALE_DB_URL"] = db_url_;
        return e;
    }
    void migrate() {
        B3scaledProcess m(env(), {"--migrate"});
        ASSERT_EQ(runToExit(m), 0) << m.stderrText();
    }
    std::unique_ptr<PgDatabase> pg_ = GetParam() == Connector::Postgres ? std::make_unique<PgDatabase>() : nullptr;
    std::string db_url_ = pg_ ? pg_->url() : "sqlite://" + (makeTempDir("sqlite") / "b3scale.db").string();
};

TEST_P(ServerLifecycleTest, MigratedServerAnswersProbesAndStopsCleanlyOnSigterm) {
    migrate();
    B3scaledProcess p(env());
    ASSERT_TRUE(p.waitReady()) << p.stderrText();

    auto root = p.get("/");
    ASSERT_EQ(root.status, 200);
    EXPECT_EQ(root.content_type, "application/json");
    auto root_json = parseJson(root.body);
    EXPECT_EQ(root_json->getValue<std::string>("name"), "b3scale");
    EXPECT_FALSE(root_json->getValue<std::string>("version").empty());

    auto health = p.get("/healthz");
    ASSERT_EQ(health.status, 200);
    EXPECT_EQ(parseJson(health.body)->getValue<std::string>("status"), "ok");

    auto ready = p.get("/readyz");
    ASSERT_EQ(ready.status, 200) << ready.body;
    auto ready_json = parseJson(ready.body);
    EXPECT_EQ(ready_json->getValue<std::string>("status"), "ready");
    auto checks = ready_json->getObject("checks");
    EXPECT_EQ(checks->getObject("store")->getValue<std::string>("connector"),
              GetParam() == Connector::Sqlite ? "sqlite" : "postgresql");
    EXPECT_TRUE(checks->getObject("schema")->getValue<bool>("ok"));
    EXPECT_EQ(checks->getObject("plugins")->getArray("loaded")->size(), 4u);
    EXPECT_TRUE(checks->getObject("cluster")->getValue<bool>("ok"));
    EXPECT_EQ(checks->getObject("cluster")->getValue<int>("frontends"), 0);

    auto metrics = p.get("/metrics");
    ASSERT_EQ(metrics.status, 200);
    EXPECT_NE(metrics.content_type.find("text/plain"), std::string::npos);
    EXPECT_NE(metrics.body.find("process_resident_memory_bytes"), std::string::npos);

    auto missing = p.get("/no/such/thing");
    EXPECT_EQ(missing.status, 404);
    EXPECT_EQ(parseJson(missing.body)->getValue<std::string>("error"), "not_found");
    auto wrong_method = httpRequest("DELETE", "127.0.0.1", p.port(), "/healthz");
    EXPECT_EQ(wrong_method.status, 405);

    p.signal(SIGTERM);
    auto code = p.wait(std::chrono::seconds(20));
    ASSERT_TRUE(code) << "b3scaled did not stop after SIGTERM\n" << p.stderrText();
    EXPECT_EQ(*code, 0) << p.stderrText();

    // Plugins are released after the HTTP server stopped, in reverse load order.
    const std::string log = p.stderrText();
    auto http_stopped = log.find("\"message\":\"http_stopped\"");
    ASSERT_NE(http_stopped, std::string::npos) << log;
    std::vector<std::string> loaded, released;
    for (const auto& line : p.stderrLines()) {
        auto kind_at = line.find("\"kind\":\"");
        if (kind_at == std::string::npos) continue;
        std::string kind = line.substr(kind_at + 8, line.find('"', kind_at + 8) - kind_at - 8);
        if (line.find("\"message\":\"plugin_loaded\"") != std::string::npos) loaded.push_back(kind);
        if (line.find("\"message\":\"plugin_released\"") != std::string::npos) {
            released.push_back(kind);
            EXPECT_GT(log.find(line), http_stopped) << "plugin released before the server stopped";
        }
    }
    ASSERT_FALSE(loaded.empty());
    std::vector<std::string> expected(loaded.rbegin(), loaded.rend());
    EXPECT_EQ(released, expected);
}

TEST_P(ServerLifecycleTest, RefusesToServeAnUnmigratedDatabaseAndSaysHowToMigrate) {
    B3scaledProcess p(env());
    EXPECT_EQ(runToExit(p), 78);
    const std::string log = p.stderrText();
    EXPECT_EQ(countOf(log, "\"level\":\"fatal\""), 1u) << log;
    EXPECT_NE(log.find("b3scaled --migrate"), std::string::npos) << log;
}

TEST_P(ServerLifecycleTest, MigrateIsIdempotent) {
    migrate();
    B3scaledProcess again(env(), {"--migrate"});
    ASSERT_EQ(runToExit(again), 0) << again.stderrText();
    EXPECT_NE(again.stderrText().find("\"applied\":\"0\""), std::string::npos) << again.stderrText();
}

TEST_P(ServerLifecycleTest, StartupLogNamesTheStoreAndWhetherSeveralInstancesMayShareIt) {
    B3scaledProcess p(env(), {"--check-config"});
    ASSERT_EQ(runToExit(p), 0) << p.stderrText();
    const std::string log = p.stderrText();
    if (GetParam() == Connector::Sqlite) {
        EXPECT_NE(log.find("\"connector\":\"sqlite\""), std::string::npos) << log;
        EXPECT_NE(log.find("several b3scaled instances need PostgreSQL"), std::string::npos) << log;
    } else {
        EXPECT_NE(log.find("\"connector\":\"postgresql\""), std::string::npos) << log;
        EXPECT_NE(log.find("\"several_instances\":\"true\""), std::string::npos) << log;
    }
}

INSTANTIATE_TEST_SUITE_P(BothStores, ServerLifecycleTest, ::testing::Values(Connector::Sqlite, Connector::Postgres),
                         [](const auto& info) { return info.param == Connector::Sqlite ? "Sqlite" : "Postgres"; });

}  // namespace
}  // namespace b3s::test
