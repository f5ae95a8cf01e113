// The gateway's pure rules: Scalelite's server-tag syntax, the size hint, the default
// presentation body, which parameters are callbacks and how they are rewritten, callback
// tokens, and the decoding of tenant-encoded ids in backend answers.

#include "bbb/meeting_id_codec.hpp"
#include "bbb/xml_tree.hpp"
#include "callbacks/callback_token.hpp"
#include "gateway/answer_rewrite.hpp"
#include "gateway/callback_params.hpp"
#include "gateway/create_call.hpp"

#include <gtest/gtest.h>

namespace b3s::core::gateway {
namespace {

constexpr std::string_view kKey = "gateway-rules-callback-key-0123456789ab";
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

TEST(CallbackParamsTest, CallbacksAreReplacedByProxyUrlsBoundToTheirMeetingAndKind) {
    bbb::ParamList params;
    params.set("meetingID", "m");
    params.set("meta_endCallbackUrl", "https://lms.example.org/ended?id=7");
    params.set("meta_BBB-recording-ready-url", "https://lms.example.org/ready");
    params.set("meetingEndedURL", "");
    params.set("logoutURL", "https://lms.example.org/bye");
    callbacks::CallbackTarget target;
    target.frontend_id = "f-id";
    target.backend_id = "b-id";
    target.meeting_id = "enc";
    target.meeting_since_us = 42;
    EXPECT_EQ(rewriteCallbackParams(params, target, "https://b3s.example.org", kKey, kNow, 60), 2);
    EXPECT_EQ(*params.get("meetingEndedURL"), "") << "an empty callback stays empty";
    EXPECT_EQ(*params.get("logoutURL"), "https://lms.example.org/bye");
    const std::string prefix = "https://b3s.example.org/api/v1/callbacks/proxy/";
    auto tokenOf = [&](const char* name) {
        const std::string proxy(*params.get(name));
        EXPECT_EQ(proxy.rfind(prefix, 0), 0u) << proxy;
        return proxy.substr(prefix.size());
    };
    const auto ended = callbacks::verifyCallbackToken(tokenOf("meta_endCallbackUrl"), kKey, kNow + 59);
    ASSERT_TRUE(ended.target) << ended.reason;
    EXPECT_EQ(ended.target->url, "https://lms.example.org/ended?id=7");
    EXPECT_EQ(ended.target->frontend_id, "f-id");
    EXPECT_EQ(ended.target->backend_id, "b-id");
    EXPECT_EQ(ended.target->meeting_id, "enc");
    EXPECT_EQ(ended.target->meeting_since_us, 42);
    EXPECT_EQ(ended.target->kind, callbacks::CallbackKind::MeetingEnded);
    const auto ready = callbacks::verifyCallbackToken(tokenOf("meta_BBB-recording-ready-url"), kKey, kNow);
    ASSERT_TRUE(ready.target) << ready.reason;
    EXPECT_EQ(ready.target->kind, callbacks::CallbackKind::RecordingReady);
    EXPECT_EQ(ready.target->url, "https://lms.example.org/ready");
    EXPECT_FALSE(callbacks::verifyCallbackToken(tokenOf("meta_endCallbackUrl"), kKey, kNow + 60).target)
        << "expired at iat + ttl";
    EXPECT_FALSE(callbacks::verifyCallbackToken(tokenOf("meta_endCallbackUrl"), "other-key", kNow).target);
}

TEST(CallbackParamsTest, OnlyAbsoluteHttpUrlsCanBeCallbacks) {
    for (const auto* url : {"https://lms.example.org/e?x=1&y=%20", "http://10.0.0.1:8080/cb", "HTTPS://LMS.example/x"})
        EXPECT_TRUE(isCallbackUrl(url)) << url;
    for (const auto* url : {"", "lms.example.org/e", "/e", "ftp://lms.example.org/e", "file:///etc/passwd",
                            "javascript:alert(1)", "https://", "https:///path", "https://lms.example.org/a b",
                            "https://lms.example.org/\x01", "https://lms.example.org/\xc3\xa4", "http://[::1"})
        EXPECT_FALSE(isCallbackUrl(url)) << url;
    EXPECT_FALSE(isCallbackUrl("https://lms.example.org/" + std::string(4096, 'a')));

    bbb::ParamList params;
    params.set("meta_endCallbackUrl", "https://lms.example.org/e");
    params.set("meetingEndedURL", "");
    params.set("logoutURL", "not checked here");
    const callbacks::CallbackUrlPolicy policy;  // the default refusals
    EXPECT_EQ(invalidCallbackParam(params, policy), std::nullopt);
    params.set("meta_bbb-recording-ready-url", "gopher://lms.example.org/r");
    EXPECT_EQ(invalidCallbackParam(params, policy)->param, "meta_bbb-recording-ready-url");
}

TEST(CallbackParamsTest, ACallbackToAnAddressThePolicyRefusesIsRefusedAtCreate) {
    const callbacks::CallbackUrlPolicy policy;
    for (const auto* url : {"http://127.0.0.1:8080/internal-admin", "http://169.254.169.254/latest/meta-data",
                            "http://10.1.2.3/cb", "http://[::ffff:127.0.0.1]/cb", "http://[fe80::1]/cb"}) {
        bbb::ParamList params;
        params.set("meetingEndedURL", url);
        const auto bad = invalidCallbackParam(params, policy);
        ASSERT_TRUE(bad) << url;
        EXPECT_EQ(bad->param, "meetingEndedURL");
        EXPECT_FALSE(bad->reason.empty());
    }
    // A name is judged when connecting (on what it resolves to then); an allowed address passes.
    bbb::ParamList named;
    named.set("meetingEndedURL", "http://hooks.internal.example/cb");
    EXPECT_FALSE(invalidCallbackParam(named, policy));
    std::string error;
    const auto rules = config::parseAddressRules("10.1.2.3", error);
    ASSERT_TRUE(rules) << error;
    const callbacks::CallbackUrlPolicy allowing(*rules, {});
    bbb::ParamList allowed;
    allowed.set("meetingEndedURL", "http://10.1.2.3/cb");
    EXPECT_FALSE(invalidCallbackParam(allowed, allowing));
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
