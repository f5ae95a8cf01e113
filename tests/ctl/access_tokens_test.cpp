#include "access_tokens.hpp"
#include "ctl_error.hpp"
#include "token_lifetime.hpp"
#include "word_list.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/purpose_keys.hpp>

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace b3s::ctl {
namespace {

using support::JwtAlgorithm;
using support::KeyPurpose;

constexpr const char* kSecret = "access-tokens-test-secret-0123456789";

std::string adminKey() {
    return support::derivePurposeKey(kSecret, KeyPurpose::AdminToken);
}

TEST(AccessTokens, AdminTokenIsHs384WithB3scaleClaimsAndLivesAnHour) {
    const std::string token = mintAdminToken(kSecret, 1718000000);
    const auto check = support::verifyJwt(token, adminKey(), {JwtAlgorithm::Hs384}, 1718000001);
    ASSERT_TRUE(check.valid()) << check.reason;
    EXPECT_EQ(check.claims->getValue<std::string>("scope"), "b3scale:admin");
    EXPECT_EQ(check.claims->getValue<std::string>("sub"), "b3scalectl");
    EXPECT_EQ(check.claims->getValue<Poco::Int64>("iat"), 1718000000);
    EXPECT_EQ(check.claims->getValue<Poco::Int64>("exp"), 1718000000 + 3600);
    EXPECT_TRUE(std::regex_match(check.claims->getValue<std::string>("jti"), std::regex("[A-Za-z0-9_-]{24}")));
    EXPECT_FALSE(support::verifyJwt(token, adminKey(), {JwtAlgorithm::Hs384}, 1718000000 + 3600).valid());
    EXPECT_NE(mintAdminToken(kSecret, 1718000000), token);  // jti differs
}

// Signed with the admin-token key only: not with the master (as the Go b3scalectl signed
// them), not with another purpose's key.
TEST(AccessTokens, SignedWithTheAdminTokenKeyOnly) {
    const std::string token = mintAccessToken(kSecret, "acct", {"b3scale"}, 1718000000, 1718003600);
    EXPECT_TRUE(support::verifyJwt(token, adminKey(), {JwtAlgorithm::Hs384}, 1718000001).valid());
    for (const std::string& key :
         {std::string(kSecret), support::derivePurposeKey(kSecret, KeyPurpose::CallbackToken),
          support::derivePurposeKey(kSecret, KeyPurpose::RetryJoinLink),
          support::derivePurposeKey(kSecret, KeyPurpose::RecordingLink), std::string("other")}) {
        EXPECT_FALSE(support::verifyJwt(token, key, {JwtAlgorithm::Hs384}, 1718000001).valid());
    }
    EXPECT_FALSE(support::peekJwtClaims(mintAccessToken(kSecret, "acct", {"b3scale"}, 1))->has("exp"));
}

TEST(AccessTokens, OwnTokenIsFreshUntilFiveMinutesBeforeItsEnd) {
    const std::string token = mintAdminToken(kSecret, 1000);  // exp 4600
    EXPECT_TRUE(ownTokenFresh(token, 1000));
    EXPECT_TRUE(ownTokenFresh(token, 4299));
    EXPECT_FALSE(ownTokenFresh(token, 4300));
    EXPECT_FALSE(ownTokenFresh(token, 4600));
    EXPECT_FALSE(ownTokenFresh(token, 99999));
    EXPECT_FALSE(ownTokenFresh(mintAccessToken(kSecret, "b3scalectl", {"b3scale:admin"}, 1000), 1000)) << "no exp";
    for (const char* junk : {"", "x.y.z", "not a token", "a.eyJleHAiOiJzb29uIn0.c"}) {  // exp "soon"
        EXPECT_FALSE(ownTokenFresh(junk, 1000)) << junk;
    }
}

TEST(TokenLifetime, ParsesDurationsAndNever) {
    using std::chrono::seconds;
    const std::vector<std::pair<std::string, TokenLifetime>> good = {
        {"90m", seconds(5400)}, {"12h", seconds(43200)},       {"30d", seconds(2592000)},
        {"1s", seconds(1)},     {"3650d", seconds(315360000)}, {"87600h", seconds(315360000)},
        {"007m", seconds(420)}, {"never", std::nullopt},
    };
    for (const auto& [text, expected] : good) EXPECT_EQ(parseExpiresIn(text, "auth x"), expected) << text;
    EXPECT_EQ(kDefaultTokenLifetime, seconds(30 * 24 * 3600));
    EXPECT_EQ(parseExpiresIn(kDefaultTokenLifetimeText, ""), TokenLifetime(kDefaultTokenLifetime));

    for (const std::string bad : {"",
                                  "s",
                                  "30",
                                  "0s",
                                  "0d",
                                  "-1h",
                                  "+1h",
                                  "1.5h",
                                  "1y",
                                  "1w",
                                  "12 h",
                                  " 12h",
                                  "12H",
                                  "Never",
                                  "NEVER",
                                  "never ",
                                  "3651d",
                                  "315360001s",
                                  "99999999999999999999d",
                                  "1e3s"}) {
        try {
            parseExpiresIn(bad, "auth create_access_token");
            ADD_FAILURE() << "accepted '" << bad << "'";
        } catch (const UsageError& e) {
            EXPECT_EQ(e.commandPath(), "auth create_access_token");
            EXPECT_EQ(std::string(e.what()).rfind("--expires-in " + bad + ": ", 0), 0u) << e.what();
        }
    }
}

TEST(AccessTokens, CustomScopesAreJoinedWithSpaces) {
    const std::string token =
        mintAccessToken(kSecret, "node42", parseScopeList("b3scale, b3scale:admin,,b3scale:node "), 1);
    const auto claims = support::peekJwtClaims(token);
    ASSERT_TRUE(claims);
    EXPECT_EQ(claims->getValue<std::string>("scope"), "b3scale b3scale:admin b3scale:node");
    EXPECT_EQ(claims->getValue<std::string>("sub"), "node42");
    EXPECT_THROW(mintAccessToken("", "x", {"b3scale"}, 1), CtlError);
}

TEST(WordList, RandomWordsComeFromTheList) {
    const auto words = wordList();
    const std::set<std::string_view> known(words.begin(), words.end());
    EXPECT_EQ(known.size(), words.size());
    EXPECT_GE(words.size(), 200u);
    const std::string ref = randomWords(3, '-');
    std::size_t start = 0;
    int parts = 0;
    for (;;) {
        const auto dash = ref.find('-', start);
        EXPECT_TRUE(known.count(ref.substr(start, dash == std::string::npos ? std::string::npos : dash - start)));
        ++parts;
        if (dash == std::string::npos) break;
        start = dash + 1;
    }
    EXPECT_EQ(parts, 3);
}

}  // namespace
}  // namespace b3s::ctl
