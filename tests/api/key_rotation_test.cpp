// Rotating the master secret B3SCALE_API_JWT_SECRET with real b3scaled processes on one
// database: an instance started on master A hands out callback URLs, REST tokens and
// retry-join links; it is replaced by one on master B. With B3SCALE_API_JWT_SECRET_PREVIOUS=A
// everything A's keys signed is still accepted (the running meeting's end callback reaches the
// frontend), without it all of it is refused; the previous master's keys stay one per purpose;
// and what the new instance issues is signed with B's keys only.

#include "frontend_receiver.hpp"
#include "gateway_cluster.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/purpose_keys.hpp>
#include "bbb/meeting_id_codec.hpp"
#include "callbacks/callback_token.hpp"
#include "fake_bbb/sign_query.hpp"
#include "gateway/retry_join_link.hpp"

#include <gtest/gtest.h>

#include <ctime>
#include <string>
#include <vector>

namespace b3s::test {
namespace {

using core::bbb::encodeMeetingId;
using support::KeyPurpose;
using test::bbb::formEncode;

constexpr const char* kKey = "tenant";
constexpr const char* kSecret = "tenant-secret-of-the-key-rotation-test-0123";
constexpr std::string_view kProxyPath = "/api/v1/callbacks/proxy/";
// The master after the rotation; the one before is the cluster's kBaseJwtSecret.
const std::string kNewMaster = "the-new-master-secret-after-the-rotation-0123456789";

std::int64_t now() {
    return static_cast<std::int64_t>(std::time(nullptr));
}

class KeyRotationTest : public ::testing::Test {
protected:
    void SetUp() override {
        GatewayClusterOptions options;
        options.backends = 1;
        options.callback_allow = {"127.0.0.1"};  // the receiver listens on loopback
        cluster_ = std::make_unique<GatewayCluster>(options);
        frontend_ = cluster_->addFrontend(kKey, kSecret);
        cluster_->addAllBackends();
        cluster_->start();
    }

    // Through the instance on the old master: a meeting whose backend holds an end-callback URL.
    std::string createWithEndCallback(const std::string& id, const std::string& url,
                                      const B3scaledProcess* process = nullptr) {
        const auto r =
            cluster_->call(kKey, kSecret, "create",
                           "meetingID=" + id + "&name=Rotation&meta_endCallbackUrl=" + formEncode(url), process);
        EXPECT_TRUE(answered(r, "SUCCESS")) << r.body;
        const auto meeting = cluster_->backend(0).meeting(encodeMeetingId(kKey, id));
        EXPECT_TRUE(meeting) << id;
        if (!meeting) return {};
        const std::string proxy = meeting->metadata.at("endcallbackurl");
        return proxy.substr(proxy.find(kProxyPath) + kProxyPath.size());
    }
    // What the backend does when the meeting ends: calls the URL it holds.
    static HttpResult endCallback(const B3scaledProcess& p, const std::string& token, const std::string& id) {
        return p.get(std::string(kProxyPath) + token + "?meetingID=" + formEncode(encodeMeetingId(kKey, id)));
    }
    static HttpResult rest(const B3scaledProcess& p, const std::string& bearer) {
        return httpRequest("GET", "127.0.0.1", p.port(), "/api/v1/frontends", "", "",
                           {{"Authorization", "Bearer " + bearer}});
    }
    static HttpResult retryPage(const B3scaledProcess& p, const std::string& blob) {
        return p.get(std::string(core::gateway::kRetryJoinPathPrefix) + blob);
    }
    // A callback token bound to meeting `id` exactly as b3scaled binds them, signed with `key`.
    std::string callbackTokenSignedWith(const std::string& key, const std::string& id, const std::string& url) {
        const auto encoded = encodeMeetingId(kKey, id);
        const auto row = cluster_->store().findMeeting(frontend_.id, encoded);
        EXPECT_TRUE(row) << id;
        core::callbacks::CallbackTarget target;
        target.frontend_id = frontend_.id;
        target.url = url;
        target.backend_id = cluster_->store().listBackends().front().id;
        target.meeting_id = encoded;
        target.kind = core::callbacks::CallbackKind::MeetingEnded;
        target.meeting_since_us = row ? row->created_at : 1;
        return core::callbacks::issueCallbackToken(target, key, now(), 3600);
    }
    std::unique_ptr<B3scaledProcess> restartWith(Env env) {
        cluster_->stop();
        auto p = cluster_->startAnother(std::move(env));
        EXPECT_TRUE(p && p->running());
        return p;
    }

    std::unique_ptr<GatewayCluster> cluster_;
    core::store::Frontend frontend_;
};

TEST_F(KeyRotationTest, WhatTheOldMasterSignedIsAcceptedOnlyWhileItIsThePreviousSecret) {
    FrontendReceiver receiver;
    // Issued by the instance on master A: what the backend, an operator and a browser hold.
    const auto callback = createWithEndCallback("running", receiver.url("/ended"));
    ASSERT_FALSE(callback.empty());
    const auto old_rest = apiToken("b3scalectl", "b3scale:admin", now() + 3600);
    const std::string join = "/bbb/" + std::string(kKey) + "/bigbluebutton/api/join?meetingID=running&fullName=Ann";
    const auto old_link = core::gateway::makeRetryJoinBlob(join, kBaseJwtSecret, now(), 600);
    ASSERT_EQ(retryPage(cluster_->b3scaled(), old_link).status, 200) << "the link opens before the rotation";

    {
        SCOPED_TRACE("master B without a previous secret");
        const auto b = restartWith({{"B3SCALE_API_JWT_SECRET", kNewMaster}});
        const auto refused = endCallback(*b, callback, "running");
        EXPECT_EQ(refused.status, 401) << refused.body;
        EXPECT_EQ(rest(*b, old_rest).status, 401);
        EXPECT_EQ(retryPage(*b, old_link).status, 404);
        // What these refusals are measured against: B's own tokens open.
        EXPECT_EQ(rest(*b, apiToken("b3scalectl", "b3scale:admin", now() + 3600, kNewMaster)).status, 200);
        EXPECT_FALSE(receiver.waitFor(1, std::chrono::seconds(1))) << "nothing was delivered";
        b->signal(SIGTERM);
        b->wait();
    }

    SCOPED_TRACE("master B with B3SCALE_API_JWT_SECRET_PREVIOUS=A");
    const auto b =
        restartWith({{"B3SCALE_API_JWT_SECRET", kNewMaster}, {"B3SCALE_API_JWT_SECRET_PREVIOUS", kBaseJwtSecret}});
    const auto accepted = endCallback(*b, callback, "running");
    EXPECT_EQ(accepted.status, 200) << accepted.body;
    ASSERT_TRUE(receiver.waitFor(1)) << b->stderrText();
    EXPECT_EQ(receiver.requests().front().target, "/ended?meetingID=running");
    const auto listed = rest(*b, old_rest);
    EXPECT_EQ(listed.status, 200) << listed.body;
    EXPECT_NE(listed.body.find(frontend_.id), std::string::npos) << listed.body;
    const auto page = retryPage(*b, old_link);
    EXPECT_EQ(page.status, 200) << page.body;
    EXPECT_NE(page.body.find("fullName=Ann"), std::string::npos) << page.body;

    // Everything new is signed with B's keys only.
    const auto fresh = createWithEndCallback("after", receiver.url("/after"), b.get());
    ASSERT_FALSE(fresh.empty());
    EXPECT_TRUE(support::verifyJwt(fresh, support::derivePurposeKey(kNewMaster, KeyPurpose::CallbackToken),
                                   {support::JwtAlgorithm::Hs384}, now())
                    .valid());
    EXPECT_FALSE(support::verifyJwt(fresh, support::derivePurposeKey(kBaseJwtSecret, KeyPurpose::CallbackToken),
                                    {support::JwtAlgorithm::Hs384}, now())
                     .valid());

    const auto log = b->stderrText();
    EXPECT_EQ(log.find(kBaseJwtSecret), std::string::npos) << "neither master is logged";
    EXPECT_EQ(log.find(kNewMaster), std::string::npos);
    EXPECT_EQ(log.find(callback), std::string::npos) << "nor a token";
    EXPECT_NE(log.find("\"jwt_secret_previous_accepted\""), std::string::npos) << "the operator is reminded";
}

// The previous master's keys are one per purpose like the current one's: a token made with its
// key for one purpose opens nothing of another.
TEST_F(KeyRotationTest, ThePreviousMastersKeysStayOnePerPurpose) {
    FrontendReceiver receiver;
    const std::string url = receiver.url("/ended");
    ASSERT_FALSE(createWithEndCallback("m1", url).empty());
    const auto b =
        restartWith({{"B3SCALE_API_JWT_SECRET", kNewMaster}, {"B3SCALE_API_JWT_SECRET_PREVIOUS", kBaseJwtSecret}});
    const std::string& a = kBaseJwtSecret;

    for (const auto& [what, key] : std::vector<std::pair<std::string, std::string>>{
             {"the previous master itself", a},
             {"its admin-token key", support::derivePurposeKey(a, KeyPurpose::AdminToken)},
             {"its retry-join key", support::derivePurposeKey(a, KeyPurpose::RetryJoinLink)},
             {"its recording-link key", support::derivePurposeKey(a, KeyPurpose::RecordingLink)},
             {"its recording-cookie key", support::derivePurposeKey(a, KeyPurpose::RecordingCookie)}}) {
        SCOPED_TRACE(what);
        EXPECT_EQ(endCallback(*b, callbackTokenSignedWith(key, "m1", url), "m1").status, 401) << "as a callback token";
    }
    for (const auto& [what, key] : std::vector<std::pair<std::string, std::string>>{
             {"the previous master itself", a},
             {"its callback-token key", support::derivePurposeKey(a, KeyPurpose::CallbackToken)},
             {"its retry-join key", support::derivePurposeKey(a, KeyPurpose::RetryJoinLink)},
             {"its recording-link key", support::derivePurposeKey(a, KeyPurpose::RecordingLink)}}) {
        SCOPED_TRACE(what);
        EXPECT_EQ(rest(*b, apiTokenSignedWith(key, "b3scalectl", "b3scale:admin", now() + 600)).status, 401)
            << "as a REST token";
    }
    const std::string join = "/bbb/" + std::string(kKey) + "/bigbluebutton/api/join?meetingID=m1&fullName=Eve";
    const std::string genuine = core::gateway::makeRetryJoinBlob(join, a, now(), 600);
    const std::string payload = genuine.substr(0, genuine.find('.'));
    for (const auto& [what, key] : std::vector<std::pair<std::string, std::string>>{
             {"the previous master itself", a},
             {"its admin-token key", support::derivePurposeKey(a, KeyPurpose::AdminToken)},
             {"its callback-token key", support::derivePurposeKey(a, KeyPurpose::CallbackToken)}}) {
        SCOPED_TRACE(what);
        const std::string forged =
            payload + "." + support::base64UrlEncode(support::hmac(support::JwtAlgorithm::Hs256, key, payload));
        EXPECT_EQ(retryPage(*b, forged).status, 404) << "as a retry-join link";
    }
    EXPECT_FALSE(receiver.waitFor(1, std::chrono::seconds(1))) << "nothing forged is delivered";

    // The recipes above are b3scaled's: with the right key each opens.
    EXPECT_EQ(retryPage(*b, genuine).status, 200);
    EXPECT_EQ(rest(*b, apiToken("b3scalectl", "b3scale:admin", now() + 600, a)).status, 200);
    EXPECT_EQ(endCallback(
                  *b, callbackTokenSignedWith(support::derivePurposeKey(a, KeyPurpose::CallbackToken), "m1", url), "m1")
                  .status,
              200);
    ASSERT_TRUE(receiver.waitFor(1)) << b->stderrText();
}

}  // namespace
}  // namespace b3s::test
