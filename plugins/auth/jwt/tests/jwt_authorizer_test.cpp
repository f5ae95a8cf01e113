#include "jwt_authorizer.hpp"

#include <b3s/plugin/errors.hpp>
#include <b3s/support/purpose_keys.hpp>
#include <fake_context.hpp>

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JWT/Signer.h>
#include <Poco/JWT/Token.h>
#include <Poco/Timestamp.h>

#include <gtest/gtest.h>

#include <atomic>
#include <functional>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace b3s::auth::jwt {
namespace {

using plugin::AccessDecision;
using plugin::ApiAction;
using Outcome = AccessDecision::Outcome;
using Reach = AccessDecision::Reach;

using support::KeyPurpose;

constexpr const char* kSecret = "auth-jwt-test-master-secret-0123456789";

// What b3scalectl signs API tokens with: the admin-token key derived from the master.
const std::string& adminKey() {
    static const std::string key = support::derivePurposeKey(kSecret, KeyPurpose::AdminToken);
    return key;
}

std::string outcomeName(Outcome o) {
    switch (o) {
        case Outcome::Allowed: return "Allowed";
        case Outcome::Unauthenticated: return "Unauthenticated";
        case Outcome::Forbidden: return "Forbidden";
    }
    return "?";
}

std::string base64Url(const std::string& text) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out, Poco::BASE64_URL_ENCODING | Poco::BASE64_NO_PADDING);
    encoder << text;
    encoder.close();
    return out.str();
}

struct Claims {
    std::string sub = "b3scalectl";
    std::optional<std::string> scope = "b3scale:admin";
    std::optional<std::int64_t> exp;  // integer NumericDates, as b3scale's tools write them
    std::optional<std::int64_t> nbf;

    Claims& withExp(std::int64_t v) {
        exp = v;
        return *this;
    }
    Claims& withNbf(std::int64_t v) {
        nbf = v;
        return *this;
    }
    Claims& withSub(std::string v) {
        sub = std::move(v);
        return *this;
    }
    Claims& withScope(std::optional<std::string> v) {
        scope = std::move(v);
        return *this;
    }
};

std::string sign(const Claims& claims, const std::string& algorithm = "HS384", const std::string& key = adminKey()) {
    Poco::JWT::Token token;
    token.setType("JWT");
    token.setSubject(claims.sub);
    if (claims.scope) token.payload().set("scope", *claims.scope);
    if (claims.exp) token.payload().set("exp", Poco::Int64(*claims.exp));
    if (claims.nbf) token.payload().set("nbf", Poco::Int64(*claims.nbf));
    Poco::JWT::Signer signer(key);
    return signer.sign(token, algorithm);
}

// Signs an arbitrary payload, for claims of the wrong JSON type.
std::string signPayload(const std::function<void(Poco::JSON::Object&)>& fill) {
    Poco::JWT::Token token;
    fill(token.payload());
    return Poco::JWT::Signer(adminKey()).sign(token, "HS384");
}

std::string withPayload(const std::string& token, const std::string& payloadJson) {
    auto first = token.find('.');
    auto second = token.find('.', first + 1);
    return token.substr(0, first + 1) + base64Url(payloadJson) + token.substr(second);
}

class JwtAuthorizerTest : public ::testing::Test {
protected:
    JwtAuthorizerTest() { context_.mapConfig().set(kSecretKey, kSecret); }

    std::int64_t now() { return context_.manualClock().nowSeconds(); }
    std::unique_ptr<plugin::Authenticator> make() { return create(context_); }
    // The decision for an operator action, which an admin token is allowed.
    AccessDecision check(const std::string& token) { return make()->authorize(token, ApiAction::BackendsList); }

    test::FakeContext context_;
};

// Every way a token can fail is a 401 with b3scale's sentence first, and never access.
TEST_F(JwtAuthorizerTest, EveryBadTokenIsUnauthenticatedWithAReasonAndNothingSecret) {
    const std::int64_t t = now();
    struct Case {
        int line;
        std::string what;
        std::string token;
        std::string reason_starts;
    };
    const std::string valid = sign({});
    const std::string header = valid.substr(0, valid.find('.'));
    const std::string payload = base64Url(R"({"sub":"x","scope":"b3scale:admin"})");
    const std::string noneHeader = base64Url(R"({"alg":"none","typ":"JWT"})");
    const std::string expired = "invalid or expired jwt";
    const std::string malformed = "missing or malformed jwt";
    const std::vector<Case> cases = {
        {__LINE__, "none at all", "", malformed},
        {__LINE__, "expired 31 s ago, leeway 30", sign(Claims().withExp(t - 31)), expired},
        {__LINE__, "expired 30 s ago, leeway 30", sign(Claims().withExp(t - 30)), expired},
        {__LINE__, "nbf 31 s ahead", sign(Claims().withNbf(t + 31)), expired},
        {__LINE__, "forged: wrong key", sign({}, "HS384", "another-secret"), expired},
        {__LINE__, "tampered payload", withPayload(valid, R"({"sub":"mallory","scope":"b3scale:admin"})"), expired},
        {__LINE__, "tampered signature", valid.substr(0, valid.size() - 2) + (valid.back() == 'A' ? "BB" : "AA"),
         expired},
        {__LINE__, "wrong algorithm HS256", sign({}, "HS256"), expired},
        {__LINE__, "wrong algorithm HS512", sign({}, "HS512"), expired},
        {__LINE__, "alg none, unsigned", noneHeader + "." + payload + ".", expired},
        {__LINE__, "alg none with a signature", noneHeader + "." + payload + ".c2ln", expired},
        {__LINE__, "garbage", "abc", malformed},
        {__LINE__, "four segments", valid + ".x", malformed},
        {__LINE__, "bearer prefix left in", "Bearer " + valid, malformed},
        {__LINE__, "payload not JSON", header + "." + base64Url("{oops") + ".c2ln", expired},
        {__LINE__, "far too long", std::string(kMaxTokenBytes + 1, 'a'), malformed},
        {__LINE__, "exp is a string", signPayload([](auto& p) { p.set("exp", std::string("tomorrow")); }), malformed},
        {__LINE__, "sub is a number", signPayload([](auto& p) { p.set("sub", 42); }), malformed},
        {__LINE__, "scope is a list", signPayload([](auto& p) { p.set("scope", Poco::JSON::Array()); }), malformed},
    };
    auto authorizer = make();
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line) + ": " + c.what);
        const auto d = authorizer->authorize(c.token, ApiAction::Status);
        EXPECT_EQ(outcomeName(d.outcome), "Unauthenticated") << d.reason;
        EXPECT_EQ(d.reason.rfind(c.reason_starts, 0), 0u) << d.reason;
        EXPECT_EQ(d.reason.find(kSecret), std::string::npos);
        if (c.token.size() > 3) {
            EXPECT_EQ(d.reason.find(c.token), std::string::npos);
        }
        EXPECT_FALSE(d.is_admin);
        EXPECT_TRUE(d.subject.empty());
    }
    EXPECT_FALSE(context_.recordingLogger().mentions(kSecret));
    EXPECT_EQ(context_.recordingLogger().count("authorize_failed"), 0u);
}

TEST_F(JwtAuthorizerTest, GenuineTokenCarriesItsSubjectAndScopesIntoTheDecision) {
    const auto t = now();
    for (const auto& token : {sign({}), sign(Claims().withExp(t + 3600)), sign(Claims().withExp(t - 29)),
                              sign(Claims().withNbf(t + 29)), sign(Claims().withExp(t + 100).withNbf(t - 100))}) {
        const auto d = check(token);
        EXPECT_EQ(outcomeName(d.outcome), "Allowed") << d.reason;
        EXPECT_EQ(d.subject, "b3scalectl");
        EXPECT_TRUE(d.is_admin);
        EXPECT_EQ(d.reach, Reach::All);
    }
    const auto tenant =
        make()->authorize(sign(Claims().withSub("customer-42").withScope("  b3scale  ")), ApiAction::FrontendsList);
    EXPECT_EQ(outcomeName(tenant.outcome), "Allowed");
    EXPECT_EQ(tenant.subject, "customer-42");
    EXPECT_EQ(tenant.reach, Reach::OwnFrontends);
    EXPECT_FALSE(tenant.is_admin);
    const auto no_scope = make()->authorize(sign(Claims().withScope(std::nullopt)), ApiAction::FrontendsList);
    EXPECT_EQ(outcomeName(no_scope.outcome), "Forbidden");
    EXPECT_EQ(no_scope.reason, "b3scale:admin, b3scale scope required");
}

TEST_F(JwtAuthorizerTest, LeewayIsConfigurable) {
    context_.mapConfig().set(kLeewayKey, "0");
    EXPECT_EQ(outcomeName(check(sign(Claims().withExp(now() - 1))).outcome), "Unauthenticated");
    EXPECT_EQ(outcomeName(check(sign(Claims().withExp(now() + 1))).outcome), "Allowed");
    EXPECT_EQ(outcomeName(check(sign(Claims().withNbf(now() + 1))).outcome), "Unauthenticated");
}

TEST_F(JwtAuthorizerTest, AcceptsEveryConfiguredAlgorithmAndNoOther) {
    context_.mapConfig().set(kAlgorithmsKey, "HS384,HS512");
    EXPECT_EQ(outcomeName(check(sign({}, "HS384")).outcome), "Allowed");
    EXPECT_EQ(outcomeName(check(sign({}, "HS512")).outcome), "Allowed");
    EXPECT_EQ(outcomeName(check(sign({}, "HS256")).outcome), "Unauthenticated");
    context_.mapConfig().set(kAlgorithmsKey, "HS256,HS384,HS512");
    EXPECT_EQ(outcomeName(check(sign({}, "HS256")).outcome), "Allowed");
}

TEST_F(JwtAuthorizerTest, UsesTheInjectedClock) {
    auto authorizer = make();
    auto token = sign(Claims().withExp(now() + 60));
    EXPECT_EQ(outcomeName(authorizer->authorize(token, ApiAction::Status).outcome), "Allowed");
    context_.manualClock().advanceSeconds(89);
    EXPECT_EQ(outcomeName(authorizer->authorize(token, ApiAction::Status).outcome), "Allowed");
    context_.manualClock().advanceSeconds(2);
    EXPECT_EQ(outcomeName(authorizer->authorize(token, ApiAction::Status).outcome), "Unauthenticated");
}

TEST_F(JwtAuthorizerTest, AuthorizesConcurrently) {
    auto authorizer = make();
    const std::string good = sign(Claims().withExp(now() + 60));
    const std::string bad = sign(Claims(), "HS384", "another-secret");
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                if (authorizer->authorize(good, ApiAction::CommandsList).outcome != Outcome::Allowed) ++wrong;
                if (authorizer->authorize(bad, ApiAction::CommandsList).outcome != Outcome::Unauthenticated) ++wrong;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(wrong.load(), 0);
}

// A token signed with the master secret itself (as b3scale's Go b3scalectl signs them) or with
// the key of any other purpose is no API token, whatever its claims say.
TEST_F(JwtAuthorizerTest, TokensSignedWithTheMasterOrAnotherPurposesKeyAreRefused) {
    const Claims operator_claims;
    ASSERT_EQ(outcomeName(check(sign(operator_claims)).outcome), "Allowed") << "the admin-token key works";
    struct Case {
        std::string what;
        std::string key;
    };
    const std::vector<Case> cases = {
        {"the raw master secret", kSecret},
        {"the callback-token key", support::derivePurposeKey(kSecret, KeyPurpose::CallbackToken)},
        {"the retry-join key", support::derivePurposeKey(kSecret, KeyPurpose::RetryJoinLink)},
        {"the recording-link key", support::derivePurposeKey(kSecret, KeyPurpose::RecordingLink)},
        {"the recording-cookie key", support::derivePurposeKey(kSecret, KeyPurpose::RecordingCookie)},
        {"another master's admin key", support::derivePurposeKey(std::string(kSecret) + "x", KeyPurpose::AdminToken)},
    };
    auto authorizer = make();
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        for (const auto* scope : {"b3scale:admin", "b3scale:callback", "b3scale"}) {
            const auto token = sign(Claims().withScope(scope).withExp(now() + 600), "HS384", c.key);
            for (const auto action : {ApiAction::Status, ApiAction::FrontendsList, ApiAction::BackendsList}) {
                const auto d = authorizer->authorize(token, action);
                EXPECT_EQ(outcomeName(d.outcome), "Unauthenticated") << scope << ": " << d.reason;
                EXPECT_EQ(d.reason.rfind("invalid or expired jwt", 0), 0u) << d.reason;
            }
        }
    }
}

// During a rotation a token of the previous master's admin-token key is accepted, and only
// that one: the previous master's other keys, or the previous master itself, open nothing.
TEST_F(JwtAuthorizerTest, ThePreviousMastersAdminKeyIsAcceptedWhileItIsConfigured) {
    const std::string previous = "auth-jwt-test-previous-master-0123456789";
    const auto old_token =
        sign(Claims().withExp(now() + 600), "HS384", support::derivePurposeKey(previous, KeyPurpose::AdminToken));
    EXPECT_EQ(outcomeName(check(old_token).outcome), "Unauthenticated") << "no previous secret configured";

    context_.mapConfig().set(kPreviousSecretKey, previous);
    EXPECT_EQ(outcomeName(check(old_token).outcome), "Allowed");
    EXPECT_EQ(outcomeName(check(sign(Claims().withExp(now() + 600))).outcome), "Allowed") << "the current key";
    EXPECT_EQ(outcomeName(check(sign(Claims().withExp(now() - 600), "HS384",
                                     support::derivePurposeKey(previous, KeyPurpose::AdminToken)))
                              .outcome),
              "Unauthenticated")
        << "expired is expired, whichever key";
    for (const auto& [what, key] : std::vector<std::pair<std::string, std::string>>{
             {"the previous master itself", previous},
             {"its callback-token key", support::derivePurposeKey(previous, KeyPurpose::CallbackToken)},
             {"its retry-join key", support::derivePurposeKey(previous, KeyPurpose::RetryJoinLink)},
             {"its recording-link key", support::derivePurposeKey(previous, KeyPurpose::RecordingLink)},
             {"its recording-cookie key", support::derivePurposeKey(previous, KeyPurpose::RecordingCookie)}}) {
        SCOPED_TRACE(what);
        const auto d = check(sign(Claims().withExp(now() + 600), "HS384", key));
        EXPECT_EQ(outcomeName(d.outcome), "Unauthenticated") << d.reason;
    }
    EXPECT_FALSE(context_.recordingLogger().mentions(previous)) << "never logged";
}

TEST_F(JwtAuthorizerTest, FactoryRefusesAShortSecretWithTheRule) {
    for (const std::string& secret : {std::string("a"), std::string(31, 'x')}) {
        context_.mapConfig().set(kSecretKey, secret);
        try {
            make();
            ADD_FAILURE() << "expected ConfigError for " << secret.size() << " bytes";
        } catch (const plugin::ConfigError& e) {
            EXPECT_EQ(e.key(), "B3SCALE_API_JWT_SECRET");
            EXPECT_NE(std::string(e.what()).find(support::secretLengthProblem("the secret", secret)), std::string::npos)
                << e.what();
            EXPECT_NE(std::string(e.what()).find("openssl rand -hex 32"), std::string::npos) << e.what();
        }
    }
    context_.mapConfig().set(kSecretKey, std::string(32, 'x'));
    EXPECT_NO_THROW(make());
}

TEST_F(JwtAuthorizerTest, FactoryRefusesMissingSecretNamingTheKey) {
    context_.mapConfig().erase(kSecretKey);
    try {
        make();
        FAIL() << "expected ConfigError";
    } catch (const plugin::ConfigError& e) {
        EXPECT_EQ(e.key(), "B3SCALE_API_JWT_SECRET");
    }
}

TEST_F(JwtAuthorizerTest, FactoryLogsSettingsButNotTheSecret) {
    make();
    auto ready = context_.recordingLogger().find("authenticator_ready");
    ASSERT_TRUE(ready.has_value());
    EXPECT_EQ(ready->field("algorithms"), "HS384");
    EXPECT_EQ(ready->field("leeway_seconds"), "30");
    EXPECT_FALSE(context_.recordingLogger().mentions(kSecret));
}

}  // namespace
}  // namespace b3s::auth::jwt
