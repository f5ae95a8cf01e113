// The hot paths make no database round trip: with PostgreSQL frozen (SIGSTOP, so every
// query would hang), join, the index, isMeetingRunning and getMeetingInfo still answer at
// once from the in-memory view. The Go b3scale makes 12 SQL statements per join. A join for a
// meeting the view lacks asks the store (another instance may have created it a moment ago);
// with the store gone it says "try again", never "no such meeting".

#include "gateway_cluster.hpp"
#include "pg_test_database.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

namespace b3s::test {
namespace {

constexpr const char* kKey = "tenant";
constexpr const char* kSecret = "tenant-secret";

TEST(GatewayHotPathTest, JoinIndexAndMeetingQueriesAnswerWhileTheDatabaseIsFrozen) {
    PgCluster pg;  // declared first: outlives the cluster's database on it
    GatewayClusterOptions options;
    options.pg_cluster_url = pg.url();
    options.backends = 2;
    GatewayCluster cluster(options);
    cluster.addFrontend(kKey, kSecret);
    cluster.addAllBackends();
    cluster.start();
    ASSERT_TRUE(answered(cluster.call(kKey, kSecret, "create", "meetingID=hot&name=Hot"), "SUCCESS"));

    pg.freeze();
    const auto started = std::chrono::steady_clock::now();
    for (int i = 0; i < 50; ++i) {
        auto join =
            cluster.call(kKey, kSecret, "join", "meetingID=hot&fullName=U" + std::to_string(i) + "&role=VIEWER");
        ASSERT_EQ(join.status, 302) << join.body;
    }
    EXPECT_TRUE(answered(cluster.get("/bbb/" + std::string(kKey) + "/bigbluebutton/api"), "SUCCESS"));
    EXPECT_TRUE(answered(cluster.call(kKey, kSecret, "isMeetingRunning", "meetingID=hot"), "SUCCESS"));
    EXPECT_TRUE(answered(cluster.call(kKey, kSecret, "isMeetingRunning", "meetingID=unknown"), "SUCCESS"));
    EXPECT_TRUE(answered(cluster.call(kKey, kSecret, "getMeetingInfo", "meetingID=hot"), "SUCCESS"));
    EXPECT_TRUE(answered(cluster.call(kKey, kSecret, "getMeetings"), "SUCCESS"));
    const auto took = std::chrono::steady_clock::now() - started;
    pg.thaw();
    // Any database query would have hung until the thaw (and then some): well under a second.
    EXPECT_LT(took, std::chrono::seconds(3));
}

TEST(GatewayHotPathTest, AJoinTheViewCannotPlaceWhileTheDatabaseIsDownSaysTryAgainNotNotFound) {
    PgCluster pg;
    GatewayClusterOptions options;
    options.pg_cluster_url = pg.url();
    options.backends = 1;
    GatewayCluster cluster(options);
    cluster.addFrontend(kKey, kSecret);
    cluster.addAllBackends();
    cluster.start();
    ASSERT_TRUE(answered(cluster.call(kKey, kSecret, "create", "meetingID=known&name=Known"), "SUCCESS"));

    pg.stop();
    // Maybe created through another instance just before the database went away: unknown.
    EXPECT_TRUE(answered(cluster.call(kKey, kSecret, "join", "meetingID=elsewhere&fullName=U&redirect=false"), "FAILED",
                         "serverUnavailable"));
    const auto browser = cluster.call(kKey, kSecret, "join", "meetingID=elsewhere&fullName=U");
    EXPECT_EQ(browser.status, 302) << browser.body;
    EXPECT_EQ(browser.location.rfind("/b3s/retry-join/", 0), 0u) << browser.location;
    // A meeting the view has is joined as ever.
    const auto known = cluster.call(kKey, kSecret, "join", "meetingID=known&fullName=U");
    EXPECT_EQ(known.status, 302);
    EXPECT_NE(known.location.find("/bigbluebutton/api/join?"), std::string::npos) << known.location;

    pg.start();
    // The store answers again, and says the meeting does not exist.
    bool not_found = false;
    for (int i = 0; i < 50 && !not_found; ++i) {
        not_found = answered(cluster.call(kKey, kSecret, "join", "meetingID=elsewhere&fullName=U&redirect=false"),
                             "FAILED", "invalidMeetingIdentifier");
        if (!not_found) std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
    EXPECT_TRUE(not_found) << "no invalidMeetingIdentifier within 10 s of PostgreSQL's return";
}

}  // namespace
}  // namespace b3s::test
