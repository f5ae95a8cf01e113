// The operator's ingress policy, tried the way a client or an attacker would, over raw HTTP
// against a real b3scaled: checksum algorithms it refuses (B3SCALE_BBB_CHECKSUM_ALGORITHMS) and
// parameters in form bodies, which no checksum covers (B3SCALE_BBB_ACCEPT_FORM_BODIES).

#include "gateway_cluster.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "fake_bbb/sign_query.hpp"

#include <gtest/gtest.h>

namespace b3s::test {
namespace {

using bbb::ChecksumAlgorithm;

constexpr const char* kKey = "tenant";
constexpr const char* kSecret = "tenant-secret-for-ingress-policy-0123456789";
constexpr const char* kFormType = "application/x-www-form-urlencoded";
constexpr const char* kSlides =
    R"(<modules><module name="presentation"><document url="https://example.org/a.pdf" filename="a.pdf"/></module></modules>)";

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

    // A POST of a frontend's signed URL (or one captured from it) with a body.
    HttpResult signedPost(const std::string& call, const std::string& query, const std::string& body,
                          const std::string& type) {
        return httpRequest("POST", "127.0.0.1", cluster_->port(),
                           "/bbb/" + std::string(kKey) + "/bigbluebutton/api/" + call + "?" +
                               bbb::signQuery(call, query, kSecret, ChecksumAlgorithm::sha256),
                           body, type);
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
    EXPECT_TRUE(answered(signedGet("create", "meetingID=allowed&name=Allowed", ChecksumAlgorithm::sha512), "SUCCESS"));
    EXPECT_NE(cluster_->b3scaled().stderrText().find("algorithm_not_allowed"), std::string::npos) << "the log says why";
}

// Form-body parameters are kept with the meeting for its re-creation: at most 64 KiB of them,
// a clear FAILED above, and slides (an XML body) are never kept, whatever their size.
TEST_F(GatewayIngressPolicyTest, CreateParametersKeptForRecreationAreBounded) {
    start({});
    const auto big =
        signedPost("create", "meetingID=big&name=Big", "welcome=" + std::string(70 * 1024, 'w'), kFormType);
    EXPECT_TRUE(answered(big, "FAILED", "validationError")) << big.body;
    EXPECT_NE(big.body.find("64 KiB"), std::string::npos) << big.body;
    EXPECT_EQ(cluster_->backend(0).callCount("create"), 0u) << "nothing was created";
    // (Within what a backend takes in its request line: b3scaled forwards the parameters there.)
    const auto fits =
        signedPost("create", "meetingID=fits&name=Fits", "welcome=" + std::string(10 * 1024, 'w'), kFormType);
    EXPECT_TRUE(answered(fits, "SUCCESS")) << fits.body;
    const std::string slides = "<modules><module name=\"presentation\"><document name=\"a.pdf\">" +
                               std::string(200 * 1024, 'A') + "</document></module></modules>";
    EXPECT_TRUE(answered(signedPost("create", "meetingID=slides&name=Slides", slides, "application/xml"), "SUCCESS"))
        << "a large presentation is forwarded, not kept";
}

TEST_F(GatewayIngressPolicyTest, ByDefaultEveryAlgorithmBbbAcceptsIsAccepted) {
    start({});
    for (const auto algorithm :
         {ChecksumAlgorithm::sha1, ChecksumAlgorithm::sha256, ChecksumAlgorithm::sha384, ChecksumAlgorithm::sha512})
        EXPECT_TRUE(answered(signedGet("getMeetings", "", algorithm), "SUCCESS")) << bbb::algorithmName(algorithm);
}

// A signed URL seen somewhere (a log, a proxy) replayed with parameters of the attacker's own in
// the body: bbb-web's rule would take them, unchecked. With form bodies refused, nothing of it
// reaches a backend.
TEST_F(GatewayIngressPolicyTest, RefusedFormBodiesCannotSmuggleParametersPastTheChecksum) {
    start({{"B3SCALE_BBB_ACCEPT_FORM_BODIES", "false"}});
    auto& backend = cluster_->backend(0);
    auto r = signedPost("create", "meetingID=room", "name=Hijacked&moderatorPW=attacker", kFormType);
    EXPECT_TRUE(answered(r, "FAILED", "unsupportedContentType")) << r.body;
    EXPECT_NE(r.body.find("checksum does not cover"), std::string::npos) << r.body;
    r = signedPost("create", "", "meetingID=room&name=All+In+The+Body", kFormType);
    EXPECT_TRUE(answered(r, "FAILED", "unsupportedContentType")) << r.body;
    r = signedPost("getMeetings", "", "meetingID=x", "application/x-www-form-urlencoded; charset=UTF-8");
    EXPECT_TRUE(answered(r, "FAILED", "unsupportedContentType")) << "any call: " << r.body;
    EXPECT_EQ(backend.callCount("create"), 0u);
    EXPECT_FALSE(backend.meeting(core::bbb::encodeMeetingId(kKey, "room")));

    // What carries no parameters still works: an empty form body, XML slides, insertDocument.
    EXPECT_TRUE(answered(signedPost("getMeetings", "", "", kFormType), "SUCCESS"));
    r = signedPost("create", "meetingID=room&name=Room", kSlides, "application/xml");
    ASSERT_TRUE(answered(r, "SUCCESS")) << r.body;
    const auto meeting = backend.meeting(core::bbb::encodeMeetingId(kKey, "room"));
    ASSERT_TRUE(meeting);
    EXPECT_EQ(meeting->name, "Room");
    EXPECT_EQ(meeting->presentations.size(), 1u);
    r = signedPost("insertDocument", "meetingID=room", kSlides, "application/xml");
    EXPECT_TRUE(answered(r, "SUCCESS")) << r.body;
}

TEST_F(GatewayIngressPolicyTest, ByDefaultFormBodiesAreTakenAsBbbWebTakesThem) {
    start({});
    const auto r = signedPost("create", "meetingID=form", "name=From+The+Body", kFormType);
    ASSERT_TRUE(answered(r, "SUCCESS")) << r.body;
    EXPECT_EQ(cluster_->backend(0).meeting(core::bbb::encodeMeetingId(kKey, "form"))->name, "From The Body");
}

}  // namespace
}  // namespace b3s::test
