#include "access_tokens.hpp"
#include "ctl_error.hpp"
#include "word_list.hpp"

#include <b3s/support/hmac_jwt.hpp>

#include <gtest/gtest.h>

#include <regex>
#include <set>

namespace b3s::ctl {
namespace {

using support::JwtAlgorithm;

TEST(AccessTokens, AdminTokenIsHs384WithB3scaleClaims) {
    const std::string token = mintAdminToken("s3cr3t", 1718000000);
    const auto check = support::verifyJwt(token, "s3cr3t", {JwtAlgorithm::Hs384}, 1718000001);
    ASSERT_TRUE(check.valid()) << check.reason;
    EXPECT_EQ(check.claims->getValue<std::string>("scope"), "b3scale:admin");
    EXPECT_EQ(check.claims->getValue<std::string>("sub"), "b3scalectl");
    EXPECT_EQ(check.claims->getValue<Poco::Int64>("iat"), 1718000000);
    EXPECT_TRUE(std::regex_match(check.claims->getValue<std::string>("jti"), std::regex("[A-Za-z0-9_-]{24}")));
    EXPECT_FALSE(check.claims->has("exp"));
    EXPECT_FALSE(support::verifyJwt(token, "other", {JwtAlgorithm::Hs384}, 1718000001).valid());
    EXPECT_NE(mintAdminToken("s3cr3t", 1718000000), token);  // jti differs
}

TEST(AccessTokens, CustomScopesAreJoinedWithSpaces) {
    const std::string token =
        mintAccessToken("k", "node42", parseScopeList("b3scale, b3scale:admin,,b3scale:node "), 1);
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
