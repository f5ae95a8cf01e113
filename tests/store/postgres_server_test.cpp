// PostgreSQL going away under a running store: each test runs a cluster of its own
// (tests/support/scripts/pg-up.sh into a temporary directory) so it can restart or stop it.

#include "store/sql_store.hpp"
#include "store/store.hpp"
#include "store_test_support.hpp"

#include <gtest/gtest.h>

#include <barrier>
#include <chrono>
#include <future>
#include <thread>

namespace b3s::test {
namespace {

using store::StoreError;
using namespace std::chrono_literals;

class PostgresServer : public ::testing::Test {
protected:
    void SetUp() override {
        try {
            cluster_ = std::make_unique<PgCluster>();
        } catch (const std::exception& e) {
            FAIL() << "cannot start a private PostgreSQL cluster: " << e.what();
        }
    }

    std::unique_ptr<store::Store> open(int pool_size, int connect_timeout_s = 2) {
        auto options = optionsFor(cluster_->url());
        options.pool_size = pool_size;
        options.connect_timeout_s = connect_timeout_s;
        return store::openStore(options, clock_);
    }

    // Opens `n` sessions at once and leaves them idle in the pool.
    static void fillPool(store::SqlStore& s, int n) {
        std::barrier all_held(n);
        std::vector<std::future<void>> holders;
        for (int i = 0; i < n; ++i)
            holders.push_back(
                std::async(std::launch::async, [&] { s.withConnection([&] { all_held.arrive_and_wait(); }); }));
        for (auto& h : holders) h.get();
    }

    ManualCoreClock clock_;
    std::unique_ptr<PgCluster> cluster_;
};

TEST_F(PostgresServer, PooledSessionsSurviveAServerRestart) {
    auto s = open(4);
    auto& sql = dynamic_cast<store::SqlStore&>(*s);
    s->migrate();
    fillPool(sql, 4);
    ASSERT_EQ(sql.poolStats().idle, 4);
    ASSERT_EQ(sql.poolStats().open, 4);

    cluster_->control("restart");

    // Every call succeeds without any reconnect by the caller: the first one finds its
    // session dead, the pool drops all four and the call is repeated on a new session.
    std::string id;
    ASSERT_NO_THROW(id = s->insertBackend([] {
                              store::Backend b;
                              b.host = "after-restart.example";
                              b.secret = "x";
                              return b;
                          }())
                             .id);
    EXPECT_LE(sql.poolStats().open, 1) << "sessions from before the restart were kept";
    for (int i = 0; i < 6; ++i) {
        ASSERT_NO_THROW(s->ping()) << "call " << i;
        ASSERT_NO_THROW(EXPECT_TRUE(s->findBackend(id))) << "call " << i;
    }

    // Again with the pool full and every caller concurrent.
    fillPool(sql, 4);
    cluster_->control("restart");
    std::barrier start(4);
    std::vector<std::future<std::size_t>> callers;
    for (int i = 0; i < 4; ++i) {
        callers.push_back(std::async(std::launch::async, [&] {
            start.arrive_and_wait();
            return s->listBackends().size();
        }));
    }
    for (auto& c : callers) EXPECT_EQ(c.get(), 1u);
}

TEST_F(PostgresServer, StoppedServerIsUnavailableQuicklyAndComesBack) {
    auto s = open(2, 2);
    s->migrate();
    s->ping();

    cluster_->control("stop");
    for (int i = 0; i < 2; ++i) {
        const auto started = std::chrono::steady_clock::now();
        try {
            s->ping();
            ADD_FAILURE() << "ping succeeded against a stopped server";
        } catch (const StoreError& e) {
            EXPECT_EQ(e.kind(), StoreError::Kind::Unavailable) << e.what();
        }
        EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
    }

    cluster_->control("start");
    EXPECT_NO_THROW(s->ping());
    EXPECT_TRUE(s->schemaStatus().upToDate());
}

// Uses the fixture cluster: nothing is stopped here.
TEST(PostgresAuth, WrongPasswordIsUnavailableAndNotShown) {
    std::string url;
    try {
        url = fixturePostgresUrl();
    } catch (const std::exception& e) {
        FAIL() << e.what();
    }
    const auto colon = url.find(':', url.find("://") + 3);
    const auto at = url.find('@');
    url.replace(colon + 1, at - colon - 1, "WrongHunter22");
    ManualCoreClock clock;
    auto s = store::openStore(optionsFor(url), clock);
    try {
        s->ping();
        FAIL() << "ping succeeded with a wrong password";
    } catch (const StoreError& e) {
        EXPECT_EQ(e.kind(), StoreError::Kind::Unavailable) << e.what();
        EXPECT_EQ(std::string(e.what()).find("WrongHunter22"), std::string::npos) << e.what();
        EXPECT_NE(std::string(e.what()).find("password authentication failed"), std::string::npos) << e.what();
    }
    EXPECT_EQ(s->describe().find("WrongHunter22"), std::string::npos);
}

}  // namespace
}  // namespace b3s::test
