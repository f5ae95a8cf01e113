// Callback tokens as an attacker meets them: signed with the callback purpose key only (the
// master secret and every other purpose's key are refused), bound to frontend, meeting,
// incarnation, backend, kind and URL, capped by exp, and unbound tokens (the Go b3scale's)
// refused.

#include "callbacks/callback_token.hpp"
#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/purpose_keys.hpp>
#include <b3s/support/verification_keys.hpp>

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <gtest/gtest.h>

namespace b3s::core::callbacks {
namespace {

using support::JwtAlgorithm;
using support::KeyPurpose;

const std::string kMaster = "callback-token-test-master-secret-0123456789";
const std::string kKey = support::derivePurposeKey(kMaster, KeyPurpose::CallbackToken);
constexpr std::int64_t kNow = 1'800'000'000;

CallbackTarget target() {
    CallbackTarget t;
    t.frontend_id = "f-id";
    t.url = "https://lms.example.org/ended?id=7";
    t.backend_id = "b-id";
    t.meeting_id = "encoded";
    t.kind = CallbackKind::RecordingReady;
    t.meeting_since_us = 1'700'000'000'123'456;
    return t;
}

// The claims issueCallbackToken writes, to be signed by whoever the test plays.
Poco::JSON::Object claims() {
    Poco::JSON::Object c;
    c.set("sub", "f-id");
    Poco::JSON::Array::Ptr aud = new Poco::JSON::Array;
    aud->add("http://127.0.0.1:9/internal-admin");
    c.set("aud", aud);
    c.set("scope", "b3scale:callback");
    c.set("jti", "j1");
    c.set("iat", kNow);
    c.set("exp", kNow + 60);
    c.set("b3s_backend", "b-id");
    c.set("b3s_meeting", "encoded");
    c.set("b3s_kind", "end");
    c.set("b3s_since", "1700000000123456");
    return c;
}

TEST(CallbackTokenTest, CarriesEveryBindingAndExpiresAtTheCap) {
    const auto token = issueCallbackToken(target(), kKey, kNow, 60);
    const auto check = verifyCallbackToken(token, kKey, kNow + 59);
    ASSERT_TRUE(check.target) << check.reason;
    EXPECT_EQ(check.target->frontend_id, "f-id");
    EXPECT_EQ(check.target->url, "https://lms.example.org/ended?id=7");
    EXPECT_EQ(check.target->backend_id, "b-id");
    EXPECT_EQ(check.target->meeting_id, "encoded");
    EXPECT_EQ(check.target->kind, CallbackKind::RecordingReady);
    EXPECT_EQ(check.target->meeting_since_us, 1'700'000'000'123'456);
    EXPECT_EQ(check.target->jti.size(), 24u);
    EXPECT_FALSE(verifyCallbackToken(token, kKey, kNow + 60).target) << "expired at iat + ttl";
    EXPECT_NE(verifyCallbackToken(issueCallbackToken(target(), kKey, kNow, 60), kKey, kNow).target->jti,
              check.target->jti)
        << "every token has its own jti (the dedupe key of its delivery)";
}

// A rotation: the tokens the running meetings' backends hold were signed with the previous
// master's callback key; they verify while it is configured, and only they (not a token of
// another purpose's key of the previous master).
TEST(CallbackTokenTest, ThePreviousMastersCallbackKeyVerifiesDuringARotation) {
    const std::string previous = "callback-token-test-previous-master-0123456789";
    const auto during = support::deriveVerificationKeys(kMaster, previous, KeyPurpose::CallbackToken);
    const auto after = support::deriveVerificationKeys(kMaster, "", KeyPurpose::CallbackToken);
    const auto old_token = issueCallbackToken(target(), during.previous, kNow, 60);
    const auto check = verifyCallbackToken(old_token, during, kNow);
    ASSERT_TRUE(check.target) << check.reason;
    EXPECT_EQ(check.target->url, "https://lms.example.org/ended?id=7");
    EXPECT_FALSE(verifyCallbackToken(old_token, after, kNow).target) << "no previous secret configured";
    EXPECT_FALSE(verifyCallbackToken(old_token, during, kNow + 60).target) << "its own expiry still holds";
    EXPECT_TRUE(verifyCallbackToken(issueCallbackToken(target(), during.current, kNow, 60), during, kNow).target);
    for (const auto purpose :
         {KeyPurpose::AdminToken, KeyPurpose::RetryJoinLink, KeyPurpose::RecordingLink, KeyPurpose::RecordingCookie}) {
        const auto other = support::derivePurposeKey(previous, purpose);
        EXPECT_FALSE(verifyCallbackToken(support::signJwt(claims(), other, JwtAlgorithm::Hs384), during, kNow).target)
            << support::toString(purpose);
    }
    EXPECT_FALSE(verifyCallbackToken(support::signJwt(claims(), previous, JwtAlgorithm::Hs384), during, kNow).target)
        << "the previous master itself";
}

TEST(CallbackTokenTest, OnlyTheCallbackPurposeKeySignsOne) {
    auto c = claims();
    ASSERT_TRUE(verifyCallbackToken(support::signJwt(c, kKey, JwtAlgorithm::Hs384), kKey, kNow).target);
    EXPECT_FALSE(verifyCallbackToken(support::signJwt(c, kMaster, JwtAlgorithm::Hs384), kKey, kNow).target)
        << "the raw master secret (what REST tokens were signed with)";
    for (const auto purpose :
         {KeyPurpose::AdminToken, KeyPurpose::RetryJoinLink, KeyPurpose::RecordingLink, KeyPurpose::RecordingCookie}) {
        const auto other = support::derivePurposeKey(kMaster, purpose);
        EXPECT_FALSE(verifyCallbackToken(support::signJwt(c, other, JwtAlgorithm::Hs384), kKey, kNow).target)
            << support::toString(purpose);
    }
    EXPECT_FALSE(verifyCallbackToken(support::signJwt(c, kKey, JwtAlgorithm::Hs256), kKey, kNow).target)
        << "not what b3scaled issues";
    // Our own token does not open anything signed with another key either.
    const auto ours = issueCallbackToken(target(), kKey, kNow, 60);
    EXPECT_FALSE(support::verifyJwt(ours, kMaster, {JwtAlgorithm::Hs384}, kNow).valid());
    EXPECT_FALSE(support::verifyJwt(ours, support::derivePurposeKey(kMaster, KeyPurpose::AdminToken),
                                    {JwtAlgorithm::Hs384}, kNow)
                     .valid());
}

TEST(CallbackTokenTest, UnboundOrUnexpiringTokensAreRefused) {
    for (const auto* claim : {"sub", "aud", "jti", "exp", "b3s_backend", "b3s_meeting", "b3s_kind", "b3s_since"}) {
        auto c = claims();
        c.remove(claim);
        EXPECT_FALSE(verifyCallbackToken(support::signJwt(c, kKey, JwtAlgorithm::Hs384), kKey, kNow).target) << claim;
    }
    auto bad_kind = claims();
    bad_kind.set("b3s_kind", "admin");
    EXPECT_FALSE(verifyCallbackToken(support::signJwt(bad_kind, kKey, JwtAlgorithm::Hs384), kKey, kNow).target);
    auto bad_since = claims();
    bad_since.set("b3s_since", "12abc");
    EXPECT_FALSE(verifyCallbackToken(support::signJwt(bad_since, kKey, JwtAlgorithm::Hs384), kKey, kNow).target);
    auto two_urls = claims();
    Poco::JSON::Array::Ptr aud = new Poco::JSON::Array;
    aud->add("https://lms.example.org/a");
    aud->add("http://127.0.0.1:9/b");
    two_urls.set("aud", aud);
    EXPECT_FALSE(verifyCallbackToken(support::signJwt(two_urls, kKey, JwtAlgorithm::Hs384), kKey, kNow).target);
    auto not_callback = claims();
    not_callback.set("scope", "b3scale b3scale:admin");
    EXPECT_FALSE(verifyCallbackToken(support::signJwt(not_callback, kKey, JwtAlgorithm::Hs384), kKey, kNow).target);

    // What the Go b3scale issued: aud, sub, scope, iat, no exp, no binding (even re-signed
    // with our key, it is refused).
    Poco::JSON::Object go;
    go.set("sub", "f-id");
    go.set("aud", "https://lms.example.org/cb");
    go.set("scope", "b3scale:callback");
    go.set("jti", "abc");
    go.set("iat", kNow);
    EXPECT_FALSE(verifyCallbackToken(support::signJwt(go, kMaster, JwtAlgorithm::Hs384), kKey, kNow).target);
    EXPECT_FALSE(verifyCallbackToken(support::signJwt(go, kKey, JwtAlgorithm::Hs384), kKey, kNow).target);
}

TEST(CallbackTokenTest, DedupeKeysAreOnePerMeetingIncarnationAndUrlForEndsAndPerRecordForRecordings) {
    auto t = target();
    t.jti = "J";
    const auto rec1 = callbackDedupeKey(t, "rec-1");
    EXPECT_EQ(rec1.rfind("rec:", 0), 0u) << rec1;
    EXPECT_EQ(rec1.size(), 4u + 64u) << "short whatever the URL";
    EXPECT_NE(rec1, callbackDedupeKey(t, "rec-2"));
    t.kind = CallbackKind::MeetingEnded;
    const auto end = callbackDedupeKey(t);
    EXPECT_EQ(end.rfind("end:", 0), 0u) << end;
    EXPECT_EQ(callbackDedupeKey(t, "ignored"), end);
    // Another token of the same incarnation (the meeting re-created on another backend, or a
    // stray copy ended later): the same end, delivered once.
    auto other_token = t;
    other_token.jti = "K";
    other_token.backend_id = "another-backend";
    EXPECT_EQ(callbackDedupeKey(other_token), end);
    // Another incarnation of the id, another URL, another meeting: another end.
    auto next = t;
    next.meeting_since_us += 1;
    EXPECT_NE(callbackDedupeKey(next), end);
    auto url = t;
    url.url += "?x=1";
    EXPECT_NE(callbackDedupeKey(url), end);
    auto meeting = t;
    meeting.meeting_id += "x";
    EXPECT_NE(callbackDedupeKey(meeting), end);
    t.url = std::string(10'000, 'u');
    EXPECT_EQ(callbackDedupeKey(t).size(), 4u + 64u);
}

}  // namespace
}  // namespace b3s::core::callbacks
