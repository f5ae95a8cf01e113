// The operator's ingress policy, tried the way a client or an attacker would, over raw HTTP
// against a real b3scaled: checksum algorithms it refuses (B3SCALE_BBB_CHECKSUM_ALGORITHMS).

#include "gateway_cluster.hpp"

#include "fake_bbb/sign_query.hpp"

#include <gtest/gtest.h>

namespace b3s::test {
namespace {

using bbb::ChecksumAlgorithm;

constexpr const char* kKey = "tenant";
constexpr const char* kSecret = "tenant-secret-for-ingress-policy-0123456789";

class GatewayIngressPolicyTest : public ::testing::Test {
protected:
    void start(Env env) {
        GatewayClusterOptions options;
        options.backends = 1;
        options.extra_env = std::move(env);
        cluster_ = std::make_unique<GatewayCluster>(options);
        cluster_->addFrontend(kKey, kSecret);
        cluster_->addAllBackends();
        cluster_->start();
        ASSERT_TRUE(cluster_->waitForView(1, 1)) << cluster_->b3scaled().stderrText();
    }
    // The request line a client sends, signed with `algorithm`.
    HttpResult signedGet(const std::string& call, const std::string& query, ChecksumAlgorithm algorithm) {
        return httpRequest("GET", "127.0.0.1", cluster_->port(),
                           "/bbb/" + std::string(kKey) + "/bigbluebutton/api/" + call + "?" +
                               bbb::signQuery(call, query, kSecret, algorithm));
    }

    std::unique_ptr<GatewayCluster> cluster_;
};

TEST_F(GatewayIngressPolicyTest, ARefusedChecksumAlgorithmIsAChecksumErrorWhateverTheCall) {
    start({{"B3SCALE_BBB_CHECKSUM_ALGORITHMS", "sha256,sha512"}});
    for (const std::string call : {"getMeetings", "create", "isMeetingRunning"}) {
        const std::string query = call == "getMeetings" ? "" : "meetingID=refused&name=Refused";
        for (const auto algorithm : {ChecksumAlgorithm::sha1, ChecksumAlgorithm::sha384}) {
            const auto r = signedGet(call, query, algorithm);
            EXPECT_TRUE(answered(r, "FAILED", "checksumError"))
                << call << " " << bbb::algorithmName(algorithm) << ": " << r.body;
        }
    }
    EXPECT_EQ(cluster_->backend(0).callCount("create"), 0u) << "nothing refused reached a backend";
    EXPECT_TRUE(answered(signedGet("getMeetings", "", ChecksumAlgorithm::sha256), "SUCCESS"));
    EXPECT_TRUE(answered(signedGet("create", "meetingID=allowed&name=A", ChecksumAlgorithm::sha512), "SUCCESS"));
    EXPECT_NE(cluster_->b3scaled().stderrText().find("algorithm_not_allowed"), std::string::npos) << "the log says why";
}

TEST_F(GatewayIngressPolicyTest, ByDefaultEveryAlgorithmBbbAcceptsIsAccepted) {
    start({});
    for (const auto algorithm :
         {ChecksumAlgorithm::sha1, ChecksumAlgorithm::sha256, ChecksumAlgorithm::sha384, ChecksumAlgorithm::sha512})
        EXPECT_TRUE(answered(signedGet("getMeetings", "", algorithm), "SUCCESS")) << bbb::algorithmName(algorithm);
}

}  // namespace
}  // namespace b3s::test
