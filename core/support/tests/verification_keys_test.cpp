#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/verification_keys.hpp>

#include <Poco/JSON/Object.h>

#include <gtest/gtest.h>

namespace b3s::support {
namespace {

constexpr std::string_view kMaster = "0123456789abcdef0123456789abcdef-current";
constexpr std::string_view kPrevious = "0123456789abcdef0123456789abcdef-previous";
constexpr std::int64_t kNow = 1'700'000'000;

std::string tokenSignedWith(std::string_view key, std::int64_t exp = kNow + 60) {
    Poco::JSON::Object claims;
    claims.set("sub", "someone");
    claims.set("exp", exp);
    return signJwt(claims, key, JwtAlgorithm::Hs384);
}

TEST(VerificationKeys, ThePreviousKeyIsThePreviousMastersKeyOfTheSamePurpose) {
    const auto keys = deriveVerificationKeys(kMaster, kPrevious, KeyPurpose::CallbackToken);
    EXPECT_EQ(keys.current, derivePurposeKey(kMaster, KeyPurpose::CallbackToken));
    EXPECT_EQ(keys.previous, derivePurposeKey(kPrevious, KeyPurpose::CallbackToken));
    EXPECT_TRUE(deriveVerificationKeys(kMaster, "", KeyPurpose::CallbackToken).previous.empty());
    EXPECT_THROW(deriveVerificationKeys("", kPrevious, KeyPurpose::CallbackToken), std::invalid_argument);
}

TEST(VerificationKeys, ATokenOfThePreviousMasterVerifiesOnlyWhileItIsConfigured) {
    const auto during = deriveVerificationKeys(kMaster, kPrevious, KeyPurpose::AdminToken);
    const auto after = deriveVerificationKeys(kMaster, "", KeyPurpose::AdminToken);
    const auto old_token = tokenSignedWith(during.previous);
    const auto new_token = tokenSignedWith(during.current);
    EXPECT_TRUE(verifyJwt(old_token, during, {JwtAlgorithm::Hs384}, kNow).valid());
    EXPECT_TRUE(verifyJwt(new_token, during, {JwtAlgorithm::Hs384}, kNow).valid());
    EXPECT_EQ(verifyJwt(old_token, after, {JwtAlgorithm::Hs384}, kNow).outcome, JwtCheck::Outcome::BadSignature);
    EXPECT_TRUE(verifyJwt(new_token, after, {JwtAlgorithm::Hs384}, kNow).valid());
}

TEST(VerificationKeys, PurposesStayApartForThePreviousMaster) {
    const auto keys = deriveVerificationKeys(kMaster, kPrevious, KeyPurpose::AdminToken);
    for (const auto purpose : {KeyPurpose::CallbackToken, KeyPurpose::RetryJoinLink, KeyPurpose::RecordingLink,
                               KeyPurpose::RecordingCookie}) {
        SCOPED_TRACE(std::string(toString(purpose)));
        const auto forged = tokenSignedWith(derivePurposeKey(kPrevious, purpose));
        EXPECT_EQ(verifyJwt(forged, keys, {JwtAlgorithm::Hs384}, kNow).outcome, JwtCheck::Outcome::BadSignature);
    }
    EXPECT_FALSE(verifyJwt(tokenSignedWith(kPrevious), keys, {JwtAlgorithm::Hs384}, kNow).valid())
        << "the previous master itself is no key";
}

TEST(VerificationKeys, APreviousKeysTokenKeepsItsOwnExpiryAndAlgorithmRules) {
    const auto keys = deriveVerificationKeys(kMaster, kPrevious, KeyPurpose::AdminToken);
    EXPECT_EQ(verifyJwt(tokenSignedWith(keys.previous, kNow - 1), keys, {JwtAlgorithm::Hs384}, kNow).outcome,
              JwtCheck::Outcome::Expired);
    EXPECT_EQ(verifyJwt(tokenSignedWith(keys.previous), keys, {JwtAlgorithm::Hs256}, kNow).outcome,
              JwtCheck::Outcome::WrongAlgorithm);
}

TEST(VerificationKeys, AnyKeyMatchesTriesTheCurrentKeyThenThePreviousOne) {
    const auto with_previous = deriveVerificationKeys(kMaster, kPrevious, KeyPurpose::RecordingCookie);
    const auto without = deriveVerificationKeys(kMaster, "", KeyPurpose::RecordingCookie);
    const auto mac_of = [](std::string_view key) { return hmac(JwtAlgorithm::Hs256, key, "data"); };
    for (const auto& expected : {mac_of(with_previous.current), mac_of(with_previous.previous)}) {
        EXPECT_TRUE(anyKeyMatches(with_previous,
                                  [&](std::string_view key) { return constantTimeEquals(mac_of(key), expected); }));
    }
    const auto old_mac = mac_of(with_previous.previous);
    EXPECT_FALSE(
        anyKeyMatches(without, [&](std::string_view key) { return constantTimeEquals(mac_of(key), old_mac); }));
    int calls = 0;
    EXPECT_FALSE(anyKeyMatches(without, [&](std::string_view key) {
        ++calls;
        return key.empty();
    })) << "an empty previous key is never tried";
    EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace b3s::support
