#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/purpose_keys.hpp>

#include <gtest/gtest.h>

#include <set>
#include <stdexcept>

namespace b3s::support {
namespace {

constexpr std::string_view kMaster = "0123456789abcdef0123456789abcdef-master";

TEST(PurposeKeys, EveryPurposeHasItsOwnKeyAndNoneIsTheMaster) {
    std::set<std::string> keys;
    for (auto purpose : {KeyPurpose::AdminToken, KeyPurpose::CallbackToken, KeyPurpose::RetryJoinLink,
                         KeyPurpose::RecordingLink, KeyPurpose::RecordingCookie}) {
        const auto key = derivePurposeKey(kMaster, purpose);
        EXPECT_EQ(key.size(), 32U);
        EXPECT_NE(key, kMaster);
        keys.insert(key);
    }
    EXPECT_EQ(keys.size(), 5U);
}

TEST(PurposeKeys, DerivationIsStableAndDependsOnTheMaster) {
    EXPECT_EQ(derivePurposeKey(kMaster, KeyPurpose::AdminToken), derivePurposeKey(kMaster, KeyPurpose::AdminToken));
    EXPECT_NE(derivePurposeKey(kMaster, KeyPurpose::AdminToken),
              derivePurposeKey("another master secret of enough length!!", KeyPurpose::AdminToken));
    // Pinned: the derivation is part of the token format (tokens minted by one release are
    // checked by the next), so it must never change by accident.
    EXPECT_EQ(derivePurposeKey(kMaster, KeyPurpose::AdminToken),
              hmac(JwtAlgorithm::Hs256, kMaster, "b3scale key v1 admin-token"));
}

TEST(PurposeKeys, AnEmptyMasterIsRefused) {
    EXPECT_THROW(derivePurposeKey("", KeyPurpose::CallbackToken), std::invalid_argument);
}

TEST(PurposeKeys, ShortSecretsAreNamedWithTheRuleAndARemedy) {
    EXPECT_EQ(secretLengthProblem("B3SCALE_API_JWT_SECRET", std::string(32, 'x')), "");
    const auto problem = secretLengthProblem("B3SCALE_API_JWT_SECRET", "a");
    EXPECT_NE(problem.find("B3SCALE_API_JWT_SECRET is 1 bytes long"), std::string::npos) << problem;
    EXPECT_NE(problem.find("at least 32"), std::string::npos) << problem;
    EXPECT_NE(problem.find("openssl rand -hex 32"), std::string::npos) << problem;
}

}  // namespace
}  // namespace b3s::support
