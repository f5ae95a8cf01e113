// Callback-proxy URLs as a tenant must see them: the frontend's own URL in their place,
// wherever they appear in a backend's answer; an unreadable token shown as nothing; every
// other value untouched.

#include "bbb/callback_proxy_url.hpp"
#include <b3s/support/hmac_jwt.hpp>
#include "bbb/xml_tree.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <gtest/gtest.h>

namespace b3s::core::bbb {
namespace {

std::string proxyUrl(const std::string& original) {
    Poco::JSON::Object claims;
    Poco::JSON::Array::Ptr aud = new Poco::JSON::Array;
    aud->add(original);
    claims.set("aud", aud);
    claims.set("sub", "f");
    return "https://b3s.example.org/api/v1/callbacks/proxy/" +
           support::signJwt(claims, "callback-proxy-url-test-key-0123456789", support::JwtAlgorithm::Hs384);
}

TEST(CallbackProxyUrlTest, AProxyUrlStandsForTheOriginal) {
    EXPECT_EQ(originalCallbackUrl(proxyUrl("https://lms.example.org/e?a=1&b=2")), "https://lms.example.org/e?a=1&b=2");
    EXPECT_EQ(originalCallbackUrl("HTTPS://b3s.example.org/api/v1/callbacks/proxy/not-a-token"), "")
        << "a token that cannot be read is shown as nothing";
    EXPECT_EQ(originalCallbackUrl("https://b3s.example.org/api/v1/callbacks/proxy/"), "");
    for (const auto* other : {"https://lms.example.org/e", "/api/v1/callbacks/proxy/x", "true", "",
                              "see https://b3s.example.org/api/v1/callbacks/proxy/x"})
        EXPECT_FALSE(originalCallbackUrl(other)) << other;
}

TEST(CallbackProxyUrlTest, EveryProxyUrlInAnAnswerIsReplaced) {
    auto tree =
        parseXml("<response><meetings><meeting><metadata><endcallbackurl>" + proxyUrl("https://lms.example.org/end") +
                 "</endcallbackurl><bbb-recording-ready-url>" + proxyUrl("https://lms.example.org/rec") +
                 "</bbb-recording-ready-url><bbb-origin>Greenlight</bbb-origin></metadata></meeting>"
                 "</meetings></response>");
    ASSERT_TRUE(tree);
    EXPECT_EQ(revealCallbackUrls(*tree), 2);
    const auto text = toXml(*tree);
    ASSERT_TRUE(text);
    EXPECT_EQ(text->find("/api/v1/callbacks/proxy/"), std::string::npos) << *text;
    const auto* metadata = tree->child("meetings")->child("meeting")->child("metadata");
    EXPECT_EQ(metadata->childText("endcallbackurl"), "https://lms.example.org/end");
    EXPECT_EQ(metadata->childText("bbb-recording-ready-url"), "https://lms.example.org/rec");
    EXPECT_EQ(metadata->childText("bbb-origin"), "Greenlight");
}

}  // namespace
}  // namespace b3s::core::bbb
