// The gateway's pure rules: Scalelite's server-tag syntax, the size hint, the default
// presentation body, which parameters are callbacks and how they are rewritten, callback
// tokens, and the decoding of tenant-encoded ids in backend answers.

#include <b3s/support/hmac_jwt.hpp>
#include "bbb/meeting_id_codec.hpp"
#include "bbb/xml_tree.hpp"
#include "callbacks/callback_token.hpp"
#include "gateway/answer_rewrite.hpp"
#include "gateway/callback_params.hpp"
#include "gateway/create_call.hpp"

#include <Poco/JSON/Array.h>

#include <gtest/gtest.h>

namespace b3s::core::gateway {
namespace {

constexpr std::string_view kSecret = "gateway-rules-secret";
constexpr std::int64_t kNow = 1'800'000'000;

TEST(ServerTagTest, ScaleliteSyntax) {
    struct Case {
        int line;
        std::string value;
        std::vector<std::string> tags;
        bool required;
    };
    for (const auto& c :
         {Case{__LINE__, "", {}, false}, Case{__LINE__, "gpu", {"gpu"}, false}, Case{__LINE__, "gpu!", {"gpu"}, true},
          Case{__LINE__, "gpu;sip", {"gpu", "sip"}, false}, Case{__LINE__, " gpu ; sip ;;!", {"gpu", "sip"}, true},
          Case{__LINE__, "none;gpu!", {"none", "gpu"}, true}, Case{__LINE__, "!", {}, false},
          Case{__LINE__, ";;", {}, false}}) {
        SCOPED_TRACE(c.line);
        const auto parsed = parseServerTag(c.value);
        EXPECT_EQ(parsed.tags, c.tags);
        EXPECT_EQ(parsed.required, c.required);
    }
}

TEST(SizeHintTest, OnlyPlausibleWholeNumbers) {
    EXPECT_EQ(parseSizeHint("40"), 40);
    EXPECT_EQ(parseSizeHint("100000"), 100000);
    for (const auto* bad : {"", "0", "-3", "100001", "40 ", "4e2", "abc", "99999999999999999999"})
        EXPECT_EQ(parseSizeHint(bad), 0) << bad;
}

TEST(DefaultPresentationTest, DocumentWithUrlAndItsFileName) {
    EXPECT_EQ(defaultPresentationBody("https://cdn.example.org/slides/welcome.pdf?v=2&x=\"1\""),
              "<modules><module name=\"presentation\"><document url=\"https://cdn.example.org/slides/welcome.pdf?v=2"
              "&amp;x=&quot;1&quot;\" filename=\"welcome.pdf?v=2&amp;x=&quot;1&quot;\"/></module></modules>");
}

TEST(CallbackParamsTest, WhichParametersAreCallbacks) {
    for (const auto* name : {"meetingEndedURL", "meta_endCallbackUrl", "meta_endcallbackurl", "meta_ENDCALLBACKURL",
                             "meta_bbb-recording-ready-url", "meta_BBB-Recording-Ready-Url",
                             "meta_bn-recording-ready-url", "meta_canvas-recording-ready-url"})
        EXPECT_TRUE(isCallbackParam(name)) << name;
    for (const auto* name : {"meetingendedurl", "meta_endCallbackUrlx", "endCallbackUrl", "logoutURL", "meta_", ""})
        EXPECT_FALSE(isCallbackParam(name)) << name;
}

TEST(CallbackParamsTest, CallbacksAreReplacedByProxyUrlsCarryingTheOriginal) {
    bbb::ParamList params;
    params.set("meetingID", "m");
    params.set("meta_endCallbackUrl", "https://lms.example.org/ended?id=7");
    params.set("meetingEndedURL", "");
    params.set("logoutURL", "https://lms.example.org/bye");
    EXPECT_EQ(rewriteCallbackParams(params, {"f-id", {}, "b-id", "enc"}, "https://b3s.example.org", kSecret, kNow, 60),
              1);
    EXPECT_EQ(*params.get("meetingEndedURL"), "") << "an empty callback stays empty";
    EXPECT_EQ(*params.get("logoutURL"), "https://lms.example.org/bye");
    const std::string proxy(*params.get("meta_endCallbackUrl"));
    const std::string prefix = "https://b3s.example.org/api/v1/callbacks/proxy/";
    ASSERT_EQ(proxy.rfind(prefix, 0), 0u) << proxy;
    const auto check = callbacks::verifyCallbackToken(proxy.substr(prefix.size()), kSecret, kNow + 59, 60);
    ASSERT_TRUE(check.target) << check.reason;
    EXPECT_EQ(check.target->url, "https://lms.example.org/ended?id=7");
    EXPECT_EQ(check.target->frontend_id, "f-id");
    EXPECT_EQ(check.target->backend_id, "b-id");
    EXPECT_EQ(check.target->meeting_id, "enc");
    EXPECT_FALSE(callbacks::verifyCallbackToken(proxy.substr(prefix.size()), kSecret, kNow + 60, 60).target)
        << "expired at iat + ttl";
    EXPECT_FALSE(callbacks::verifyCallbackToken(proxy.substr(prefix.size()), "other-secret", kNow, 60).target);
}

// What the Go b3scale issued: HS384, aud as an array, no exp.
TEST(CallbackTokenTest, GoB3scaleTokensLiveForTheLifetimeAfterIat) {
    auto token = [](std::int64_t iat, const char* scope, bool aud_array) {
        Poco::JSON::Object claims;
        claims.set("sub", "f-id");
        if (aud_array) {
            Poco::JSON::Array::Ptr aud = new Poco::JSON::Array;
            aud->add("https://lms.example.org/cb");
            claims.set("aud", aud);
        } else {
            claims.set("aud", "https://lms.example.org/cb");
        }
        claims.set("scope", scope);
        claims.set("jti", "abc");
        claims.set("iat", iat);
        return support::signJwt(claims, kSecret, support::JwtAlgorithm::Hs384);
    };
    auto ok = callbacks::verifyCallbackToken(token(kNow, "b3scale:callback", true), kSecret, kNow + 10, 3600);
    ASSERT_TRUE(ok.target) << ok.reason;
    EXPECT_EQ(ok.target->url, "https://lms.example.org/cb");
    EXPECT_TRUE(ok.target->backend_id.empty());
    EXPECT_TRUE(callbacks::verifyCallbackToken(token(kNow, "b3scale:callback", false), kSecret, kNow, 3600).target);
    EXPECT_FALSE(
        callbacks::verifyCallbackToken(token(kNow - 3600, "b3scale:callback", true), kSecret, kNow, 3600).target);
    EXPECT_FALSE(
        callbacks::verifyCallbackToken(token(kNow, "b3scale b3scale:admin", true), kSecret, kNow, 3600).target);
}

TEST(AnswerRewriteTest, EncodedIdsAreDecodedWhereverTheyAppear) {
    const auto enc = bbb::encodeMeetingId("tenant", "room & <1>");
    const auto parent = bbb::encodeMeetingId("tenant", "parent");
    auto tree = bbb::parseXml(
        "<response><returncode>SUCCESS</returncode><meetingID>" + enc +
        "</meetingID>"
        "<internalMeetingID>abc-1</internalMeetingID><breakout><parentMeetingID>" +
        parent +
        "</parentMeetingID></breakout><meetings><meeting><meetingID>plain-id</meetingID></meeting></meetings>"
        "<meeting_id>" +
        enc + "</meeting_id><metadata><meetingid>" + enc + "</meetingid></metadata></response>");
    ASSERT_TRUE(tree);
    decodeMeetingIds(*tree);
    EXPECT_EQ(tree->childText("meetingID"), "room & <1>");
    EXPECT_EQ(tree->childText("meeting_id"), "room & <1>");
    EXPECT_EQ(tree->child("breakout")->childText("parentMeetingID"), "parent");
    EXPECT_EQ(tree->child("meetings")->child("meeting")->childText("meetingID"), "plain-id") << "not encoded: kept";
    EXPECT_EQ(tree->childText("internalMeetingID"), "abc-1");
    EXPECT_EQ(tree->child("metadata")->childText("meetingid"), enc) << "metadata is the frontend's own, untouched";
    const auto answer = xmlAnswer(*tree);
    EXPECT_EQ(answer.status, 200);
    EXPECT_NE(answer.body.find("<meetingID>room &amp; &lt;1&gt;</meetingID>"), std::string::npos) << answer.body;
}

}  // namespace
}  // namespace b3s::core::gateway
