// The hot paths make no database round trip: with PostgreSQL frozen (SIGSTOP, so every
// query would hang), join, the index, isMeetingRunning and getMeetingInfo still answer at
// once from the in-memory view. The Go b3scale makes 12 SQL statements per join.

#include "gateway_cluster.hpp"
#include "pg_test_database.hpp"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace b3s::test
