// Which key opens the REST API, through a real b3scaled and raw HTTP: only tokens signed with
// the admin-token key derived from B3SCALE_API_JWT_SECRET. A callback token a backend saw, a
// token signed with the master secret itself (as the Go b3scalectl signs them) or with another
// purpose's key, and an expired operator token are all 401; a retry-join link signed with the
// admin key does not open the retry page.

#include "gateway_cluster.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/purpose_keys.hpp>
#include "bbb/meeting_id_codec.hpp"
#include "callbacks/callback_token.hpp"
#include "fake_bbb/sign_query.hpp"
#include "gateway/retry_join_link.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <map>
#include <string>
#include <vector>

namespace b3s::test {
namespace {

using support::KeyPurpose;

constexpr const char* kKey = "tenant";
constexpr const char* kSecret = "tenant-secret-for-the-token-keys-test";

class TokenKeysTest : public ::testing::Test {
protected:
    void SetUp() override {
        GatewayClusterOptions options;
        options.backends = 1;
        cluster_ = std::make_unique<GatewayCluster>(options);
        frontend_ = cluster_->addFrontend(kKey, kSecret);
        cluster_->addAllBackends();
        cluster_->start();
    }
    HttpResult get(const std::string& path, const std::string& bearer) const {
        return httpRequest("GET", "127.0.0.1", cluster_->port(), path, "", "", {{"Authorization", "Bearer " + bearer}});
    }
    static std::int64_t now() { return static_cast<std::int64_t>(std::time(nullptr)); }

    std::unique_ptr<GatewayCluster> cluster_;
    core::store::Frontend frontend_;
};

TEST_F(TokenKeysTest, OnlyTokensSignedWithTheAdminKeyOpenTheApi) {
    // What a hostile backend holds: the callback token b3scaled put into a create it forwarded.
    const auto created = cluster_->call(
        kKey, kSecret, "create",
        "meetingID=m1&name=Keys&meta_endCallbackUrl=" + bbb::formEncode("https://frontend.example/ended"));
    ASSERT_TRUE(answered(created, "SUCCESS")) << created.body;
    const auto meeting = cluster_->backend(0).meeting(core::bbb::encodeMeetingId(kKey, "m1"));
    ASSERT_TRUE(meeting);
    const std::string proxy_url = meeting->metadata.at("endcallbackurl");
    const std::string seen_by_backend = proxy_url.substr(proxy_url.rfind('/') + 1);
    ASSERT_GT(seen_by_backend.size(), 20u) << proxy_url;

    core::callbacks::CallbackTarget target;
    target.frontend_id = frontend_.id;
    target.url = "https://frontend.example/ended";
    const std::string master = kBaseJwtSecret;
    const std::vector<std::pair<std::string, std::string>> refused = {
        {"the callback token a backend saw", seen_by_backend},
        {"a callback token as b3scaled issues them",
         core::callbacks::issueCallbackToken(target, support::derivePurposeKey(master, KeyPurpose::CallbackToken),
                                             now(), 3600)},
        {"a callback token signed with the master (Go b3scale)",
         core::callbacks::issueCallbackToken(target, master, now(), 3600)},
        {"scope b3scale:callback, signed with the master", apiTokenSignedWith(master, "x", "b3scale:callback")},
        {"an operator token signed with the master (Go b3scalectl)",
         apiTokenSignedWith(master, "b3scalectl", "b3scale:admin")},
        {"an operator token signed with the callback key",
         apiTokenSignedWith(support::derivePurposeKey(master, KeyPurpose::CallbackToken), "b3scalectl",
                            "b3scale:admin")},
        {"an operator token signed with the recording-link key",
         apiTokenSignedWith(support::derivePurposeKey(master, KeyPurpose::RecordingLink), "b3scalectl", "b3scale:admin",
                            now() + 600, support::JwtAlgorithm::Hs384)},
        {"an operator token expired an hour ago", apiToken("b3scalectl", "b3scale:admin", now() - 3600)},
        {"an operator token of another master",
         apiToken("b3scalectl", "b3scale:admin", std::nullopt, master + "-but-another-one")},
    };
    for (const auto& [what, token] : refused) {
        for (const std::string path : {"/api/v1/status", "/api/v1/frontends"}) {
            SCOPED_TRACE(what + " at " + path);
            const auto r = get(path, token);
            EXPECT_EQ(r.status, 401) << r.body;
            EXPECT_EQ(r.body.find(frontend_.id), std::string::npos) << r.body;
        }
    }
    // The same requests with a genuine operator token, expiring or not, are answered.
    for (const auto& token : {apiToken("b3scalectl", "b3scale:admin", now() + 3600), adminToken()}) {
        EXPECT_EQ(get("/api/v1/status", token).status, 200);
        const auto list = get("/api/v1/frontends", token);
        EXPECT_EQ(list.status, 200) << list.body;
        EXPECT_NE(list.body.find(frontend_.id), std::string::npos) << list.body;
    }
    EXPECT_EQ(cluster_->b3scaled().stderrText().find(seen_by_backend), std::string::npos) << "tokens are not logged";
}

TEST_F(TokenKeysTest, ARetryJoinLinkSignedWithTheAdminKeyDoesNotOpen) {
    const std::string join = "/bbb/" + std::string(kKey) + "/bigbluebutton/api/join?meetingID=m1&fullName=Eve";
    const std::string genuine = core::gateway::makeRetryJoinBlob(join, kBaseJwtSecret, now(), 60);
    const auto ok = cluster_->get(std::string(core::gateway::kRetryJoinPathPrefix) + genuine);
    ASSERT_EQ(ok.status, 200) << "a link b3scaled signs opens: " << ok.body;

    // The same payload re-signed with other keys of the same master.
    const std::string payload = genuine.substr(0, genuine.find('.'));
    for (const auto& [what, key] : std::vector<std::pair<std::string, std::string>>{
             {"the admin-token key", support::derivePurposeKey(kBaseJwtSecret, KeyPurpose::AdminToken)},
             {"the callback-token key", support::derivePurposeKey(kBaseJwtSecret, KeyPurpose::CallbackToken)},
             {"the master itself", kBaseJwtSecret}}) {
        SCOPED_TRACE(what);
        const std::string forged =
            payload + "." + support::base64UrlEncode(support::hmac(support::JwtAlgorithm::Hs256, key, payload));
        const auto r = cluster_->get(std::string(core::gateway::kRetryJoinPathPrefix) + forged);
        EXPECT_EQ(r.status, 404) << r.body;
        EXPECT_EQ(r.body.find("fullName=Eve"), std::string::npos) << r.body;
    }
}

}  // namespace
}  // namespace b3s::test
