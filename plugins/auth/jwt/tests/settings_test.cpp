#include "settings.hpp"

#include <b3s/plugin/errors.hpp>
#include <map_config_view.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace b3s::auth::jwt {
namespace {

constexpr const char* kGoodSecret = "settings-test-secret-0123456789-abcdef";

TEST(JwtSettings, ParsesValidConfiguration) {
    struct Case {
        int line;
        std::string algorithms;  // empty: unset
        std::string leeway;      // empty: unset
        std::set<std::string> expected_algorithms;
        std::int64_t expected_leeway;
    };
    const std::vector<Case> cases = {
        {__LINE__, "", "", {"HS384"}, 30},
        {__LINE__, "HS384", "30", {"HS384"}, 30},
        {__LINE__, "HS256", "0", {"HS256"}, 0},
        {__LINE__, "HS256,HS384,HS512", "120", {"HS256", "HS384", "HS512"}, 120},
        {__LINE__, " HS512 , HS384 ", " 5 ", {"HS384", "HS512"}, 5},
        {__LINE__, "HS384,,HS384,", "", {"HS384"}, 30},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        test::MapConfigView config{{kSecretKey, kGoodSecret}};
        if (!c.algorithms.empty()) config.set(kAlgorithmsKey, c.algorithms);
        if (!c.leeway.empty()) config.set(kLeewayKey, c.leeway);
        Settings settings = parseSettings(config);
        EXPECT_EQ(settings.secret, kGoodSecret);
        EXPECT_EQ(settings.algorithms, c.expected_algorithms);
        EXPECT_EQ(settings.leeway_seconds, c.expected_leeway);
    }
}

TEST(JwtSettings, RejectsInvalidConfigurationNamingTheKey) {
    struct Case {
        int line;
        std::string secret;
        std::string algorithms;
        std::string leeway;
        std::string expected_key;
        std::string message_contains;
    };
    const std::vector<Case> cases = {
        {__LINE__, "", "", "", kSecretKey, "required"},
        {__LINE__, "a", "", "", kSecretKey, "the secret is 1 bytes long; at least 32 are required"},
        {__LINE__, std::string(31, 'x'), "", "", kSecretKey, "openssl rand -hex 32"},
        {__LINE__, kGoodSecret, "RS256", "", kAlgorithmsKey, "HS256, HS384 and HS512"},
        {__LINE__, kGoodSecret, "none", "", kAlgorithmsKey, "got 'none'"},
        {__LINE__, kGoodSecret, "hs384", "", kAlgorithmsKey, "got 'hs384'"},
        {__LINE__, kGoodSecret, "HS384,ES256", "", kAlgorithmsKey, "got 'ES256'"},
        {__LINE__, kGoodSecret, " , ", "", kAlgorithmsKey, "at least one"},
        {__LINE__, kGoodSecret, "", "-1", kLeewayKey, "whole number of seconds >= 0"},
        {__LINE__, kGoodSecret, "", "1.5", kLeewayKey, "got '1.5'"},
        {__LINE__, kGoodSecret, "", "30s", kLeewayKey, "got '30s'"},
        {__LINE__, kGoodSecret, "", "abc", kLeewayKey, "whole number"},
        {__LINE__, kGoodSecret, "", "99999999999999999999", kLeewayKey, "too large"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        test::MapConfigView config;
        config.set(kSecretKey, c.secret).set(kAlgorithmsKey, c.algorithms).set(kLeewayKey, c.leeway);
        try {
            parseSettings(config);
            ADD_FAILURE() << "expected ConfigError";
        } catch (const plugin::ConfigError& e) {
            EXPECT_EQ(e.key(), c.expected_key);
            EXPECT_NE(std::string(e.what()).find(c.expected_key), std::string::npos) << e.what();
            EXPECT_NE(std::string(e.what()).find(c.message_contains), std::string::npos) << e.what();
        }
    }
}

TEST(JwtSettings, ErrorsNeverContainTheSecret) {
    for (const std::string secret : {"very-secret-value", "very-secret-value-long-enough-for-the-rule"}) {
        test::MapConfigView config{{kSecretKey, secret}, {kAlgorithmsKey, "XX"}};
        try {
            parseSettings(config);
            FAIL() << "expected ConfigError";
        } catch (const plugin::ConfigError& e) {
            EXPECT_EQ(std::string(e.what()).find(secret), std::string::npos);
        }
    }
}

// The replaced master during a rotation: optional, the master's length rule, never the master.
TEST(JwtSettings, APreviousSecretIsOptionalLongAndNotTheSecret) {
    EXPECT_EQ(parseSettings(test::MapConfigView{{kSecretKey, kGoodSecret}}).previous_secret, "");
    const std::string previous = "settings-test-previous-0123456789-abcdef";
    EXPECT_EQ(
        parseSettings(test::MapConfigView{{kSecretKey, kGoodSecret}, {kPreviousSecretKey, previous}}).previous_secret,
        previous);
    for (const auto& [value, sentence] : std::vector<std::pair<std::string, std::string>>{
             {"old-but-short", "the previous secret is 13 bytes long; at least 32 are required"},
             {kGoodSecret, "is the same as B3SCALE_API_JWT_SECRET"}}) {
        SCOPED_TRACE(sentence);
        try {
            parseSettings(test::MapConfigView{{kSecretKey, kGoodSecret}, {kPreviousSecretKey, value}});
            ADD_FAILURE() << "expected ConfigError";
        } catch (const plugin::ConfigError& e) {
            EXPECT_EQ(e.key(), kPreviousSecretKey);
            EXPECT_NE(std::string(e.what()).find(sentence), std::string::npos) << e.what();
            EXPECT_EQ(std::string(e.what()).find(value), std::string::npos) << e.what();
        }
    }
}

TEST(JwtSettings, DeclaresSecretAsRequiredAndSecret) {
    ASSERT_EQ(kConfigKeys.size(), 4u);
    EXPECT_STREQ(kConfigKeys[0].name, "B3SCALE_API_JWT_SECRET");
    EXPECT_TRUE(kConfigKeys[0].required);
    EXPECT_TRUE(kConfigKeys[0].secret);
    EXPECT_EQ(kConfigKeys[0].default_value, nullptr);
    EXPECT_STREQ(kConfigKeys[1].default_value, "HS384");
    EXPECT_STREQ(kConfigKeys[2].default_value, "30");
    EXPECT_STREQ(kConfigKeys[3].name, "B3SCALE_API_JWT_SECRET_PREVIOUS");
    EXPECT_FALSE(kConfigKeys[3].required);
    EXPECT_TRUE(kConfigKeys[3].secret);
}

}  // namespace
}  // namespace b3s::auth::jwt
