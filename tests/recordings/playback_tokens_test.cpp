// Protected-playback links and cookies across a rotation of the master secret: what the
// previous master's keys signed still opens while B3SCALE_API_JWT_SECRET_PREVIOUS is set, only
// for its own purpose, and everything new is signed with the current master's keys.

#include "recordings/playback_tokens.hpp"

#include "manual_core_clock.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/purpose_keys.hpp>

#include <Poco/JSON/Object.h>

#include <gtest/gtest.h>

namespace b3s::core::recordings {
namespace {

using support::JwtAlgorithm;
using support::KeyPurpose;

const std::string kMaster = "playback-tokens-test-master-0123456789";
const std::string kPrevious = "playback-tokens-test-previous-0123456789";
constexpr std::int64_t kNowUs = 1'800'000'000'000'000;

class PlaybackTokensTest : public ::testing::Test {
protected:
    PlaybackTokensTest() { clock_.setMicros(kNowUs); }
    test::ManualCoreClock clock_;
};

TEST_F(PlaybackTokensTest, LinksAndCookiesOfThePreviousMasterOpenWhileItIsConfigured) {
    const PlaybackTokens old_master(kPrevious, clock_);
    const PlaybackTokens during(kMaster, clock_, 3600, 8 * 3600, kPrevious);
    const PlaybackTokens after(kMaster, clock_);

    const auto old_link = old_master.linkToken("f1", "rec-1", "presentation");
    const auto opened = during.checkLink(old_link);
    ASSERT_TRUE(opened);
    EXPECT_EQ(opened->record_id, "rec-1");
    EXPECT_FALSE(after.checkLink(old_link)) << "no previous secret configured";

    const auto old_cookie = old_master.cookieValue("f1", "rec-1");
    EXPECT_TRUE(during.checkCookie(old_cookie, "f1", "rec-1"));
    EXPECT_FALSE(during.checkCookie(old_cookie, "f2", "rec-1")) << "still bound to its owner";
    EXPECT_FALSE(during.checkCookie(old_cookie, "f1", "rec-2")) << "and to its recording";
    EXPECT_FALSE(after.checkCookie(old_cookie, "f1", "rec-1"));

    // New ones are signed with the current master only: they open once the rotation is over,
    // and an instance still on the old master alone does not accept them.
    const auto new_link = during.linkToken("f1", "rec-1", "presentation");
    const auto new_cookie = during.cookieValue("f1", "rec-1");
    EXPECT_TRUE(after.checkLink(new_link));
    EXPECT_TRUE(after.checkCookie(new_cookie, "f1", "rec-1"));
    EXPECT_FALSE(old_master.checkLink(new_link));
    EXPECT_FALSE(old_master.checkCookie(new_cookie, "f1", "rec-1"));
}

TEST_F(PlaybackTokensTest, ThePreviousMastersOtherKeysOpenNoRecording) {
    const PlaybackTokens during(kMaster, clock_, 3600, 8 * 3600, kPrevious);
    Poco::JSON::Object claims;
    claims.set("sub", "f1");
    claims.set("aud", "presentation:rec-1");
    claims.set("exp", kNowUs / 1'000'000 + 600);
    ASSERT_TRUE(during.checkLink(
        support::signJwt(claims, support::derivePurposeKey(kPrevious, KeyPurpose::RecordingLink), JwtAlgorithm::Hs256)))
        << "the recipe is b3scaled's";
    for (const auto purpose :
         {KeyPurpose::AdminToken, KeyPurpose::CallbackToken, KeyPurpose::RetryJoinLink, KeyPurpose::RecordingCookie}) {
        SCOPED_TRACE(std::string(support::toString(purpose)));
        EXPECT_FALSE(during.checkLink(
            support::signJwt(claims, support::derivePurposeKey(kPrevious, purpose), JwtAlgorithm::Hs256)));
    }
    EXPECT_FALSE(during.checkLink(support::signJwt(claims, kPrevious, JwtAlgorithm::Hs256))) << "the master itself";
    // Cookies by the same recipe: "<expiry>.<first 16 bytes of the HMAC, base64url>".
    const auto expiry = std::to_string(kNowUs / 1'000'000 + 600);
    const auto cookie = [&](const std::string& key) {
        const auto mac = support::hmac(JwtAlgorithm::Hs256, key, "2:f1;5:rec-1;" + expiry);
        return expiry + "." + support::base64UrlEncode(mac.substr(0, 16));
    };
    ASSERT_TRUE(
        during.checkCookie(cookie(support::derivePurposeKey(kPrevious, KeyPurpose::RecordingCookie)), "f1", "rec-1"))
        << "the recipe is b3scaled's";
    for (const auto purpose :
         {KeyPurpose::AdminToken, KeyPurpose::CallbackToken, KeyPurpose::RetryJoinLink, KeyPurpose::RecordingLink}) {
        SCOPED_TRACE(std::string(support::toString(purpose)));
        EXPECT_FALSE(during.checkCookie(cookie(support::derivePurposeKey(kPrevious, purpose)), "f1", "rec-1"));
    }
    EXPECT_FALSE(during.checkCookie(cookie(kPrevious), "f1", "rec-1")) << "the master itself";
}

}  // namespace
}  // namespace b3s::core::recordings
