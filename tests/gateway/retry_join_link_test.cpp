#include "gateway/retry_join_link.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/purpose_keys.hpp>

#include <gtest/gtest.h>

#include <vector>

namespace b3s::core::gateway {
namespace {

using support::KeyPurpose;

constexpr std::string_view kSecret = "b3scale-jwt-secret-for-retry-join-tests";
constexpr std::string_view kOtherSecret = "some-other-secret-0123456789abcdefgh";
constexpr std::int64_t kNow = 1'700'000'000;
constexpr std::string_view kJoin = "/bbb/frontend1/api/join?meetingID=m%201&fullName=Ann%20B&checksum=0123abcd";

// A blob over any JSON we like, signed with `key` (default: the retry-join key, as
// makeRetryJoinBlob() signs).
std::string signedBlob(std::string_view json, std::string_view secret = kSecret,
                       KeyPurpose purpose = KeyPurpose::RetryJoinLink) {
    const std::string key = support::derivePurposeKey(secret, purpose);
    const std::string payload = support::base64UrlEncode(json);
    return payload + "." + support::base64UrlEncode(support::hmac(support::JwtAlgorithm::Hs256, key, payload));
}

TEST(RetryJoinLinkTest, RoundTripsTheJoinUrl) {
    const std::string blob = makeRetryJoinBlob(kJoin, kSecret, kNow, 60);
    for (const char c : blob) {
        EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                    c == '_' || c == '.')
            << c;
    }
    EXPECT_EQ(openRetryJoinBlob(blob, kSecret, kNow), std::optional<std::string>(kJoin));
    EXPECT_EQ(openRetryJoinBlob(blob, kSecret, kNow + 59), std::optional<std::string>(kJoin));

    const auto json = support::base64UrlDecode(blob.substr(0, blob.find('.')));
    ASSERT_TRUE(json);
    EXPECT_NE(json->find(R"("mth":"GET")"), std::string::npos) << *json;
    EXPECT_NE(json->find(R"("exp":1700000060)"), std::string::npos) << *json;
}

TEST(RetryJoinLinkTest, KeepsUnusualButHarmlessUrlsIntact) {
    const std::vector<std::string> urls = {"/bbb/", "/bbb/f/api/join?fullName=J%C3%BCrgen&x=\"quoted\"&y=<b>",
                                           "/bbb/f/api/join?name=Jürgen\\path",
                                           std::string("/bbb/") + std::string(4000, 'q')};
    for (const std::string& url : urls) {
        SCOPED_TRACE(url.substr(0, 60));
        EXPECT_EQ(openRetryJoinBlob(makeRetryJoinBlob(url, kSecret, kNow, 5), kSecret, kNow),
                  std::optional<std::string>(url));
    }
}

// Computed once with Python's hmac/hashlib/base64/json (secret
// "retry-fixture-secret-0123456789abcdef", key = HMAC-SHA256(secret, "b3scale key v1
// retry-join-link")), so the format and the key derivation are pinned by something other than this
// implementation.
TEST(RetryJoinLinkTest, OpensABlobMadeByAnIndependentImplementation) {
    constexpr std::string_view kFixtureSecret = "retry-fixture-secret-0123456789abcdef";
    const std::string blob =
        "eyJtdGgiOiJHRVQiLCJ1cmwiOiIvYmJiL2Zyb250ZW5kMS9hcGkvam9pbj9tZWV0aW5nSUQ9bSUyMDEmZnVsbE5hbWU9QW5uJmNoZWNrc3"
        "VtPWFiYyIsImV4cCI6MTcwMDAwMDA2MH0.kE2-8MhV_5kH1nE0l5XqLep3E56MiT58ew5irpx8Jng";
    EXPECT_EQ(openRetryJoinBlob(blob, kFixtureSecret, kNow),
              std::optional<std::string>("/bbb/frontend1/api/join?meetingID=m%201&fullName=Ann&checksum=abc"));
    EXPECT_FALSE(openRetryJoinBlob(blob, kFixtureSecret, 1'700'000'060));
}

TEST(RetryJoinLinkTest, ExpiredBlobsDoNotOpen) {
    const std::string blob = makeRetryJoinBlob(kJoin, kSecret, kNow, 60);
    EXPECT_FALSE(openRetryJoinBlob(blob, kSecret, kNow + 60));
    EXPECT_FALSE(openRetryJoinBlob(blob, kSecret, kNow + 3600));
    EXPECT_FALSE(openRetryJoinBlob(makeRetryJoinBlob(kJoin, kSecret, kNow, 0), kSecret, kNow));
    EXPECT_FALSE(openRetryJoinBlob(makeRetryJoinBlob(kJoin, kSecret, kNow, -10), kSecret, kNow));
}

TEST(RetryJoinLinkTest, TamperedBlobsDoNotOpen) {
    const std::string blob = makeRetryJoinBlob(kJoin, kSecret, kNow, 60);
    const std::size_t dot = blob.find('.');

    for (const std::size_t at : {std::size_t{0}, dot / 2, dot - 2}) {
        std::string payload_changed = blob;
        payload_changed[at] = payload_changed[at] == 'A' ? 'B' : 'A';
        EXPECT_FALSE(openRetryJoinBlob(payload_changed, kSecret, kNow)) << at;
    }
    std::string signature_changed = blob;
    signature_changed[dot + 1] = signature_changed[dot + 1] == 'A' ? 'B' : 'A';
    EXPECT_FALSE(openRetryJoinBlob(signature_changed, kSecret, kNow));
    EXPECT_FALSE(openRetryJoinBlob(blob.substr(0, dot + 1), kSecret, kNow));
    EXPECT_FALSE(openRetryJoinBlob(blob.substr(0, blob.size() - 3), kSecret, kNow));

    // A later expiry spliced onto the old signature.
    const std::string longer = makeRetryJoinBlob(kJoin, kSecret, kNow, 999999);
    EXPECT_FALSE(openRetryJoinBlob(longer.substr(0, longer.find('.')) + blob.substr(dot), kSecret, kNow));
}

TEST(RetryJoinLinkTest, BlobsFromAnotherSecretDoNotOpen) {
    const std::string blob = makeRetryJoinBlob(kJoin, kOtherSecret, kNow, 60);
    EXPECT_FALSE(openRetryJoinBlob(blob, kSecret, kNow));
    EXPECT_TRUE(openRetryJoinBlob(blob, kOtherSecret, kNow));
    // Signed with the raw JWT secret instead of the derived key.
    const std::string payload = blob.substr(0, blob.find('.'));
    const std::string raw_signed =
        payload + "." + support::base64UrlEncode(support::hmac(support::JwtAlgorithm::Hs256, kSecret, payload));
    EXPECT_FALSE(openRetryJoinBlob(raw_signed, kSecret, kNow));
    // Signed with the key of another purpose (an admin token's, a callback token's, ...) or with
    // the label this link used before the keys were one per purpose.
    const std::string json = R"({"mth":"GET","url":"/bbb/x","exp":1700000060})";
    ASSERT_TRUE(openRetryJoinBlob(signedBlob(json), kSecret, kNow)) << "the retry-join key opens";
    for (const auto purpose :
         {KeyPurpose::AdminToken, KeyPurpose::CallbackToken, KeyPurpose::RecordingLink, KeyPurpose::RecordingCookie}) {
        SCOPED_TRACE(std::string(support::toString(purpose)));
        EXPECT_FALSE(openRetryJoinBlob(signedBlob(json, kSecret, purpose), kSecret, kNow));
    }
    const std::string old_key = support::hmac(support::JwtAlgorithm::Hs256, kSecret, "b3scale retry-join");
    const std::string old_payload = support::base64UrlEncode(json);
    EXPECT_FALSE(openRetryJoinBlob(
        old_payload + "." + support::base64UrlEncode(support::hmac(support::JwtAlgorithm::Hs256, old_key, old_payload)),
        kSecret, kNow));
    // An empty secret opens nothing, not even its own blobs.
    EXPECT_FALSE(openRetryJoinBlob(makeRetryJoinBlob(kJoin, "", kNow, 60), "", kNow));
}

// A rotation: a link the previous master signed (a browser waiting on the page while the
// instances restart) still opens while it is configured; its other purposes' keys do not.
TEST(RetryJoinLinkTest, LinksOfThePreviousSecretOpenWhileItIsConfigured) {
    const std::string blob = makeRetryJoinBlob(kJoin, kOtherSecret, kNow, 60);
    EXPECT_EQ(openRetryJoinBlob(blob, kSecret, kNow, kOtherSecret), std::optional<std::string>(kJoin));
    EXPECT_FALSE(openRetryJoinBlob(blob, kSecret, kNow)) << "no previous secret configured";
    EXPECT_FALSE(openRetryJoinBlob(blob, kSecret, kNow + 60, kOtherSecret)) << "its own expiry still holds";
    EXPECT_TRUE(openRetryJoinBlob(makeRetryJoinBlob(kJoin, kSecret, kNow, 60), kSecret, kNow, kOtherSecret));
    const std::string json = R"({"mth":"GET","url":"/bbb/x","exp":1700000060})";
    for (const auto purpose :
         {KeyPurpose::AdminToken, KeyPurpose::CallbackToken, KeyPurpose::RecordingLink, KeyPurpose::RecordingCookie}) {
        SCOPED_TRACE(std::string(support::toString(purpose)));
        EXPECT_FALSE(openRetryJoinBlob(signedBlob(json, kOtherSecret, purpose), kSecret, kNow, kOtherSecret));
    }
}

TEST(RetryJoinLinkTest, OnlyJoinUrlsOfThisGatewayOpen) {
    const std::vector<std::string> urls = {"https://evil.example/",
                                           "//evil.example/x",
                                           "/\\evil.example/x",
                                           "bbb/x",
                                           "/bbb",
                                           "/bbbx/api/join",
                                           "/BBB/api/join",
                                           " /bbb/api/join",
                                           "/b3s/retry-join/x",
                                           "",
                                           "/bbb/api/join?x=1\r\nSet-Cookie: a=b",
                                           "/bbb/api/join\n",
                                           "/bbb/api/join\r",
                                           std::string("/bbb/api/join\0x", 15),
                                           "/bbb/api/join\x7f",
                                           "/bbb/\t"};
    for (const std::string& url : urls) {
        SCOPED_TRACE(url);
        EXPECT_FALSE(openRetryJoinBlob(makeRetryJoinBlob(url, kSecret, kNow, 60), kSecret, kNow));
    }
}

TEST(RetryJoinLinkTest, SignedButUnexpectedContentDoesNotOpen) {
    EXPECT_TRUE(openRetryJoinBlob(signedBlob(R"({"mth":"GET","url":"/bbb/x","exp":1700000001})"), kSecret, kNow));
    for (const char* json : {
             R"({"mth":"POST","url":"/bbb/x","exp":1700000001})",
             R"({"url":"/bbb/x","exp":1700000001})",
             R"({"mth":"GET","exp":1700000001})",
             R"({"mth":"GET","url":"/bbb/x"})",
             R"({"mth":"GET","url":"/bbb/x","exp":"1700000001"})",
             R"({"mth":"GET","url":"/bbb/x","exp":true})",
             R"({"mth":"GET","url":"/bbb/x","exp":1700000001.5})",
             R"({"mth":"GET","url":["/bbb/x"],"exp":1700000001})",
             R"({"mth":"GET","url":"\/\/evil.example","exp":1700000001})",
             R"({"mth":"GET","url":"/bbb/x\r\nLocation: https://evil.example/","exp":1700000001})",
             R"(["GET","/bbb/x",1700000001])",
             "not json",
             "",
         }) {
        SCOPED_TRACE(json);
        EXPECT_FALSE(openRetryJoinBlob(signedBlob(json), kSecret, kNow));
    }
}

TEST(RetryJoinLinkTest, GarbageDoesNotOpen) {
    const std::string blob = makeRetryJoinBlob(kJoin, kSecret, kNow, 60);
    for (const std::string& garbage :
         {std::string(), std::string("."), std::string(".."), std::string("abc"), std::string("no-dot-here"),
          std::string("a.b.c"), std::string("a.b.c.d.e"), blob + ".", "." + blob, blob + "." + blob, blob + "=",
          blob.substr(0, 10), std::string("%2e%2e"), std::string(40000, 'A') + ".AAAA"}) {
        SCOPED_TRACE(garbage.substr(0, 40));
        EXPECT_FALSE(openRetryJoinBlob(garbage, kSecret, kNow));
    }
}

}  // namespace
}  // namespace b3s::core::gateway
