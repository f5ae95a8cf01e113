// The BBB API door of a real b3scaled: tenants come from the database, are served from
// memory, and changes made by another instance reach it through the change feed.

#include "b3scaled_process.hpp"
#include "pg_test_database.hpp"

#include "fake_bbb/sign_query.hpp"
#include "store/store.hpp"
#include "util/system_clock.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace b3s::test {
namespace {

using bbb::signQuery;

enum class Connector { Sqlite, Postgres };
void PrintTo(Connector c, std::ostream* os) {
    *os << (c == Connector::Sqlite ? "sqlite" : "postgresql");
}

bool failedWith(const HttpResult& r, const std::string& key) {
    return r.status == 200 && r.body.find("<returncode>FAILED</returncode>") != std::string::npos &&
           r.body.find("<messageKey>" + key + "</messageKey>") != std::string::npos;
}

class GatewayIngressTest : public ::testing::TestWithParam<Connector> {
protected:
    void SetUp() override {
        if (GetParam() == Connector::Postgres) pg_ = std::make_unique<PgDatabase>();
        db_url_ = pg_ ? pg_->url() : "sqlite://" + (makeTempDir("sqlite") / "b3scale.db").string();
        env_ = baseEnv();
        env_["B3SCALE_DB_URL"] = db_url_;
        B3scaledProcess m(env_, {"--migrate"});
        ASSERT_EQ(runToExit(m), 0) << m.stderrText();
    }
    /// Another writer of the same database (the SQLite one only while b3scaled is not running).
    std::unique_ptr<core::store::Store> openStore() {
        core::store::StoreOptions options;
        options.url = db_url_;
        options.pool_size = 2;
        return core::store::openStore(options, clock_);
    }
    core::store::Frontend addFrontend(core::store::Store& store, const std::string& key, const std::string& secret) {
        core::store::Frontend f;
        f.key = key;
        f.secret = secret;
        return store.insertFrontend(f);
    }
    std::string uri(const std::string& key, const std::string& call, const std::string& secret) {
        return "/bbb/" + key + "/bigbluebutton/api/" + call + "?" + signQuery(call, "meetingID=m1", secret);
    }

    core::SystemClock clock_;
    std::unique_ptr<PgDatabase> pg_;
    std::string db_url_;
    Env env_;
};

TEST_P(GatewayIngressTest, TenantsFromTheDatabaseAreCheckedWithTheirOwnSecret) {
    {
        auto store = openStore();
        addFrontend(*store, "tenant1", "secret-one");
    }
    B3scaledProcess p(env_);
    ASSERT_TRUE(p.waitReady()) << p.stderrText();
    EXPECT_NE(p.stderrText().find("\"frontends\":\"1\""), std::string::npos) << p.stderrText();

    auto index = p.get("/bbb/tenant1/bigbluebutton/api");
    EXPECT_NE(index.body.find("<returncode>SUCCESS</returncode><version>2.0</version>"), std::string::npos);

    EXPECT_TRUE(failedWith(p.get(uri("tenant1", "frobnicate", "not-the-secret")), "checksumError"));
    EXPECT_TRUE(failedWith(p.get(uri("nobody", "frobnicate", "secret-one")), "checksumError"));
    // The right secret passes the checksum; the call itself is not one b3scale knows.
    EXPECT_TRUE(failedWith(p.get(uri("tenant1", "frobnicate", "secret-one")), "unsupportedRequest"));
    auto bad =
        p.get("/bbb/tenant1/bigbluebutton/api/frobnicate?" + signQuery("frobnicate", "meetingID=%zz", "secret-one"));
    EXPECT_TRUE(failedWith(bad, "validationError")) << bad.body;
    // A query far past the 16 KiB POCO can read still gets a BBB answer, not the HTTP layer's 400.
    std::string huge = "/bbb/tenant1/bigbluebutton/api/create?";
    while (huge.size() < 1024 * 1024) huge += "a=1&";
    auto refused = p.get(huge);
    EXPECT_TRUE(failedWith(refused, "validationError")) << refused.status << " " << refused.body;
}

// Two instances on one PostgreSQL: a frontend another instance adds, disables or deletes is
// seen by this one without a restart.
TEST_P(GatewayIngressTest, AnotherInstancesFrontendChangesArriveWithoutRestart) {
    if (GetParam() == Connector::Sqlite) GTEST_SKIP() << "one instance only on SQLite (refused by design)";
    B3scaledProcess p(env_);
    ASSERT_TRUE(p.waitReady()) << p.stderrText();
    auto other = openStore();

    auto eventually = [&](const std::string& key, const std::string& secret, const std::string& messageKey) {
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (std::chrono::steady_clock::now() < deadline) {
            if (failedWith(p.get(uri(key, "frobnicate", secret)), messageKey)) return true;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
        return false;
    };
    EXPECT_TRUE(failedWith(p.get(uri("late", "frobnicate", "late-secret")), "checksumError"));
    auto f = addFrontend(*other, "late", "late-secret");
    EXPECT_TRUE(eventually("late", "late-secret", "unsupportedRequest")) << p.stderrText();

    f.active = false;
    auto updated = other->updateFrontend(f);
    ASSERT_TRUE(updated);
    EXPECT_TRUE(eventually("late", "late-secret", "checksumError"));

    updated->active = true;
    updated->secret = "rotated";
    ASSERT_TRUE(other->updateFrontend(*updated));
    EXPECT_TRUE(eventually("late", "rotated", "unsupportedRequest"));
    EXPECT_TRUE(failedWith(p.get(uri("late", "frobnicate", "late-secret")), "checksumError"));

    ASSERT_TRUE(other->deleteFrontend(updated->id));
    EXPECT_TRUE(eventually("late", "rotated", "checksumError"));
}

INSTANTIATE_TEST_SUITE_P(BothStores, GatewayIngressTest, ::testing::Values(Connector::Sqlite, Connector::Postgres),
                         [](const auto& info) { return info.param == Connector::Sqlite ? "Sqlite" : "Postgres"; });

}  // namespace
}  // namespace b3s::test
