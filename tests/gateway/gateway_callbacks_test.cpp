// The callback proxy through a real b3scaled: callback URLs never reach a backend as they
// are, the backend's end callbacks reach the frontend with its own meeting id, the
// recording-ready JWT is verified with the backend's secret and re-signed with the
// frontend's, and tokens that are tampered with or expired are refused.

#include "frontend_receiver.hpp"
#include "gateway_cluster.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include "bbb/meeting_id_codec.hpp"
#include "bbb/query_string.hpp"
#include "fake_bbb/sign_query.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <gtest/gtest.h>

#include <ctime>

namespace b3s::test {
namespace {

using core::bbb::encodeMeetingId;
using support::JwtAlgorithm;
using test::bbb::formEncode;

constexpr const char* kKey = "tenant";
constexpr const char* kSecret = "tenant-secret";

class GatewayCallbacksTest : public ::testing::Test {
protected:
    void SetUp() override {
        GatewayClusterOptions options;
        options.backends = 1;
        options.callback_allow = {receiver_.allowEntry()};  // loopback is refused by default
        cluster_ = std::make_unique<GatewayCluster>(options);
        frontend_ = cluster_->addFrontend(kKey, kSecret);
        cluster_->addAllBackends();
        cluster_->start();
    }
    std::string proxyPrefix() const {
        return "http://127.0.0.1:" + std::to_string(cluster_->port()) + "/api/v1/callbacks/proxy/";
    }
    // The path of a proxy URL on b3scaled.
    std::string pathOf(const std::string& url) const { return url.substr(url.find("/api/v1/")); }
    std::string createWith(const std::string& id, const std::string& extra) {
        auto r = cluster_->call(kKey, kSecret, "create", "meetingID=" + id + "&name=Cb" + extra);
        EXPECT_TRUE(answered(r, "SUCCESS")) << r.body;
        return encodeMeetingId(kKey, id);
    }

    FrontendReceiver receiver_;  // the frontend's callback endpoint
    std::unique_ptr<GatewayCluster> cluster_;
    core::store::Frontend frontend_;
};

TEST_F(GatewayCallbacksTest, EndCallbacksReachTheFrontendWithItsOwnMeetingId) {
    auto& receiver = receiver_;
    const auto encoded = createWith("m1", "&meta_endCallbackUrl=" + formEncode(receiver.url("/ended?room=7")) +
                                              "&meetingEndedURL=" + formEncode(receiver.url("/gone")));
    const auto meeting = cluster_->backend(0).meeting(encoded);
    ASSERT_TRUE(meeting);
    // The backend only ever sees b3scale's proxy.
    EXPECT_EQ(meeting->metadata.at("endcallbackurl").rfind(proxyPrefix(), 0), 0u)
        << meeting->metadata.at("endcallbackurl");
    EXPECT_EQ(meeting->meetingEndedUrl.rfind(proxyPrefix(), 0), 0u) << meeting->meetingEndedUrl;
    for (const auto& [name, value] : meeting->createParams)
        EXPECT_EQ(value.find(receiver.url("")), std::string::npos) << name << " leaks the frontend's URL";

    ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "end", "meetingID=m1"), "SUCCESS"));
    ASSERT_TRUE(receiver.waitFor(2)) << cluster_->b3scaled().stderrText();
    std::set<std::string> targets;
    for (const auto& r : receiver.requests()) {
        EXPECT_EQ(r.method, "GET");
        targets.insert(r.target);
    }
    EXPECT_EQ(targets, (std::set<std::string>{"/ended?meetingID=m1&recordingmarks=false&room=7", "/gone"}));
}

TEST_F(GatewayCallbacksTest, RecordingReadyIsVerifiedAndReSignedForTheFrontend) {
    auto& receiver = receiver_;
    const auto encoded = createWith("rec", "&meta_bbb-recording-ready-url=" + formEncode(receiver.url("/ready")));
    const auto proxy = cluster_->backend(0).meeting(encoded)->metadata.at("bbb-recording-ready-url");
    ASSERT_EQ(proxy.rfind(proxyPrefix(), 0), 0u) << proxy;

    // What BBB's post_publish script sends: HS256 with the backend's secret.
    auto post = [&](const std::string& signing_secret, bool json = false) {
        Poco::JSON::Object claims;
        claims.set("meeting_id", encoded);
        claims.set("record_id", "rec-1");
        const auto jwt = support::signJwt(claims, signing_secret, JwtAlgorithm::Hs256);
        if (json)
            return httpRequest("POST", "127.0.0.1", cluster_->port(), pathOf(proxy),
                               "{\"signed_parameters\":\"" + jwt + "\"}", "application/json");
        return httpRequest("POST", "127.0.0.1", cluster_->port(), pathOf(proxy), "signed_parameters=" + formEncode(jwt),
                           "application/x-www-form-urlencoded");
    };
    auto answer = post(cluster_->backend(0).secret());
    EXPECT_EQ(answer.status, 200) << answer.body;
    ASSERT_TRUE(receiver.waitFor(1));
    const auto got = receiver.requests().front();
    EXPECT_EQ(got.method, "POST");
    EXPECT_EQ(got.target, "/ready");
    EXPECT_EQ(got.content_type, "application/x-www-form-urlencoded");
    auto form = core::bbb::parseFormBody(got.body, got.body.size() + 1, {});
    ASSERT_TRUE(form.ok());
    const auto token = form.query.params.get("signed_parameters");
    ASSERT_TRUE(token);
    const auto check = support::verifyJwt(*token, kSecret, {JwtAlgorithm::Hs256}, std::time(nullptr));
    ASSERT_TRUE(check.valid()) << check.reason;
    EXPECT_EQ(check.claims->getValue<std::string>("meeting_id"), "rec");
    EXPECT_EQ(check.claims->getValue<std::string>("record_id"), "rec-1");

    // A frontend that fails gets the callback again (the first retry after 2 s); its 410
    // ("gone") stops the retries.
    receiver.answerWith(500);
    EXPECT_EQ(post(cluster_->backend(0).secret(), true).status, 200);
    ASSERT_TRUE(receiver.waitFor(2));
    receiver.answerWith(410);
    ASSERT_TRUE(receiver.waitFor(3, std::chrono::seconds(5)));
    EXPECT_FALSE(receiver.waitFor(4, std::chrono::seconds(5))) << "a 410 must stop the retries";
    const auto dead = cluster_->store().listCallbacks({"dead"}, 10);
    ASSERT_EQ(dead.size(), 1u);
    EXPECT_EQ(dead.front().last_error, "gone: the frontend answered 410");
    // A JWT not signed by the meeting's backend never reaches the frontend.
    const auto before = receiver.requests().size();
    EXPECT_EQ(post("not-the-backend-secret").status, 401);
    EXPECT_EQ(post(kSecret).status, 401);
    EXPECT_EQ(receiver.requests().size(), before);
}

TEST_F(GatewayCallbacksTest, TamperedExpiredAndForeignTokensAreRefused) {
    auto& receiver = receiver_;
    const auto encoded = createWith("t1", "&meta_endCallbackUrl=" + formEncode(receiver.url("/ended")));
    const auto proxy = cluster_->backend(0).meeting(encoded)->metadata.at("endcallbackurl");
    std::string tampered = pathOf(proxy);
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    auto r = cluster_->get(tampered);
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.content_type.find("application/json"), std::string::npos);

    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    auto token = [&](std::int64_t iat, std::optional<std::int64_t> exp, const std::string& scope) {
        Poco::JSON::Object claims;
        claims.set("sub", frontend_.id);
        Poco::JSON::Array::Ptr aud = new Poco::JSON::Array;
        aud->add(receiver.url("/forged"));
        claims.set("aud", aud);
        claims.set("scope", scope);
        claims.set("iat", iat);
        if (exp) claims.set("exp", *exp);
        return "/api/v1/callbacks/proxy/" + support::signJwt(claims, kBaseJwtSecret, JwtAlgorithm::Hs384);
    };
    EXPECT_EQ(cluster_->get(token(now - 100, now - 10, "b3scale:callback")).status, 401) << "expired";
    EXPECT_EQ(cluster_->get(token(now, now + 60, "b3scale")).status, 401) << "not a callback token";
    // Tokens of the Go b3scale carry no exp: accepted while younger than the lifetime.
    EXPECT_EQ(cluster_->get(token(now, std::nullopt, "b3scale:callback")).status, 200);
    EXPECT_EQ(cluster_->get(token(now - 15 * 24 * 3600, std::nullopt, "b3scale:callback")).status, 401);
    ASSERT_TRUE(receiver.waitFor(1));
    EXPECT_EQ(receiver.requests().size(), 1u);
    EXPECT_EQ(receiver.requests().front().target, "/forged");
    // Never logged: the token, the secrets.
    const auto log = cluster_->b3scaled().stderrText();
    EXPECT_EQ(log.find(kBaseJwtSecret), std::string::npos);
    EXPECT_EQ(log.find(proxy.substr(proxy.rfind('/') + 1)), std::string::npos);
}

}  // namespace
}  // namespace b3s::test
