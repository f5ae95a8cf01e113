#include "jwt_authenticator.hpp"

#include <b3s/plugin/errors.hpp>
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

using Outcome = plugin::AuthResult::Outcome;

constexpr const char* kSecret = "test-secret-0123456789";

std::string outcomeName(Outcome o) {
    switch (o) {
        case Outcome::Valid:
            return "Valid";
        case Outcome::Malformed:
            return "Malformed";
        case Outcome::BadSignature:
            return "BadSignature";
        case Outcome::Expired:
            return "Expired";
        case Outcome::NotYetValid:
            return "NotYetValid";
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

std::string sign(const Claims& claims, const std::string& algorithm = "HS384", const std::string& key = kSecret) {
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
    return Poco::JWT::Signer(kSecret).sign(token, "HS384");
}

std::string withPayload(const std::string& token, const std::string& payloadJson) {
    auto first = token.find('.');
    auto second = token.find('.', first + 1);
    return token.substr(0, first + 1) + base64Url(payloadJson) + token.substr(second);
}

class JwtAuthenticatorTest : public ::testing::Test {
protected:
    JwtAuthenticatorTest() { context_.mapConfig().set(kSecretKey, kSecret); }

    std::int64_t now() { return context_.manualClock().nowSeconds(); }

    std::unique_ptr<plugin::Authenticator> make() { return create(context_); }

    test::FakeContext context_;
};

TEST_F(JwtAuthenticatorTest, ClassifiesTokens) {
    const std::int64_t t = now();
    struct Case {
        int line;
        std::string what;
        std::string token;
        Outcome expected;
        std::string reason_contains;
    };
    const std::string valid = sign({});
    const std::string header = valid.substr(0, valid.find('.'));
    const std::string payload = base64Url(R"({"sub":"x","scope":"b3scale:admin"})");
    const std::string noneHeader = base64Url(R"({"alg":"none","typ":"JWT"})");
    const std::vector<Case> cases = {
        {__LINE__, "valid, no exp", valid, Outcome::Valid, "valid"},
        {__LINE__, "valid, exp in future", sign(Claims().withExp(t + 3600)), Outcome::Valid, "valid"},
        {__LINE__, "expired 31 s ago, leeway 30", sign(Claims().withExp(t - 31)), Outcome::Expired, "expired"},
        {__LINE__, "expired 30 s ago, leeway 30", sign(Claims().withExp(t - 30)), Outcome::Expired, "expired"},
        {__LINE__, "expired 29 s ago, leeway 30", sign(Claims().withExp(t - 29)), Outcome::Valid, "valid"},
        {__LINE__, "nbf 31 s ahead", sign(Claims().withNbf(t + 31)), Outcome::NotYetValid, "not valid yet"},
        {__LINE__, "nbf 29 s ahead", sign(Claims().withNbf(t + 29)), Outcome::Valid, "valid"},
        {__LINE__, "nbf in the past", sign(Claims().withExp(t + 100).withNbf(t - 100)), Outcome::Valid, "valid"},
        {__LINE__, "wrong key", sign({}, "HS384", "another-secret"), Outcome::BadSignature, "does not match"},
        {__LINE__, "tampered payload", withPayload(valid, R"({"sub":"mallory","scope":"b3scale:admin"})"),
         Outcome::BadSignature, "does not match"},
        {__LINE__, "tampered signature", valid.substr(0, valid.size() - 2) + (valid.back() == 'A' ? "BB" : "AA"),
         Outcome::BadSignature, "does not match"},
        {__LINE__, "HS256 not accepted", sign({}, "HS256"), Outcome::BadSignature, "algorithm is not accepted"},
        {__LINE__, "HS512 not accepted", sign({}, "HS512"), Outcome::BadSignature, "algorithm is not accepted"},
        {__LINE__, "alg none, unsigned", noneHeader + "." + payload + ".", Outcome::BadSignature, "not signed"},
        {__LINE__, "alg none with a signature", noneHeader + "." + payload + ".c2ln", Outcome::BadSignature,
         "algorithm is not accepted"},
        {__LINE__, "no alg at all", base64Url(R"({"typ":"JWT"})") + "." + payload + ".c2ln", Outcome::BadSignature,
         "algorithm is not accepted"},
        {__LINE__, "empty", "", Outcome::Malformed, "header.payload.signature"},
        {__LINE__, "garbage", "abc", Outcome::Malformed, "header.payload.signature"},
        {__LINE__, "two segments", "abc.def", Outcome::Malformed, "header.payload.signature"},
        {__LINE__, "four segments", valid + ".x", Outcome::Malformed, "header.payload.signature"},
        {__LINE__, "not base64url", "a+b.c/d.e=f", Outcome::Malformed, "header.payload.signature"},
        {__LINE__, "bearer prefix left in", "Bearer " + valid, Outcome::Malformed, "header.payload.signature"},
        {__LINE__, "header not JSON", base64Url("abc") + "." + payload + ".c2ln", Outcome::Malformed,
         "cannot be decoded"},
        {__LINE__, "unsigned, header not JSON", base64Url("abc") + "." + payload + ".", Outcome::Malformed,
         "cannot be decoded"},
        {__LINE__, "payload not JSON", header + "." + base64Url("{oops") + ".c2ln", Outcome::Malformed,
         "cannot be decoded"},
        {__LINE__, "far too long", std::string(kMaxTokenBytes + 1, 'a'), Outcome::Malformed, "too long"},
        {__LINE__, "exp is a string", signPayload([](auto& p) { p.set("exp", std::string("tomorrow")); }),
         Outcome::Malformed, "exp claim is not a number"},
        {__LINE__, "nbf is a boolean", signPayload([](auto& p) { p.set("nbf", true); }), Outcome::Malformed,
         "nbf claim is not a number"},
        {__LINE__, "sub is a number", signPayload([](auto& p) { p.set("sub", 42); }), Outcome::Malformed,
         "sub claim is not a string"},
        {__LINE__, "scope is a list", signPayload([](auto& p) { p.set("scope", Poco::JSON::Array()); }),
         Outcome::Malformed, "scope claim is not a string"},
    };
    auto authenticator = make();
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line) + ": " + c.what);
        auto result = authenticator->verify(c.token);
        EXPECT_EQ(outcomeName(result.outcome), outcomeName(c.expected)) << result.reason;
        EXPECT_NE(result.reason.find(c.reason_contains), std::string::npos) << result.reason;
        EXPECT_EQ(result.reason.find(kSecret), std::string::npos);
        if (c.token.size() > 3) {
            EXPECT_EQ(result.reason.find(c.token), std::string::npos);
        }
        if (c.expected != Outcome::Valid) {
            EXPECT_TRUE(result.subject.empty());
            EXPECT_TRUE(result.scopes.empty());
        }
    }
    EXPECT_FALSE(context_.recordingLogger().mentions(kSecret));
    EXPECT_EQ(context_.recordingLogger().count("verify_failed"), 0u);
}

TEST_F(JwtAuthenticatorTest, ReturnsSubjectAndScopes) {
    struct Case {
        int line;
        std::optional<std::string> scope;
        std::vector<std::string> expected;
    };
    const std::vector<Case> cases = {
        {__LINE__, "b3scale:admin", {"b3scale:admin"}},
        {__LINE__, "b3scale b3scale:admin b3scale:node", {"b3scale", "b3scale:admin", "b3scale:node"}},
        {__LINE__, "  b3scale:node   b3scale ", {"b3scale:node", "b3scale"}},
        {__LINE__, "", {}},
        {__LINE__, std::nullopt, {}},
    };
    auto authenticator = make();
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        auto result = authenticator->verify(sign(Claims().withSub("node-7").withScope(c.scope)));
        ASSERT_EQ(result.outcome, Outcome::Valid) << result.reason;
        EXPECT_EQ(result.subject, "node-7");
        EXPECT_EQ(result.scopes, c.expected);
    }
}

TEST_F(JwtAuthenticatorTest, HandlesFractionalNumericDates) {
    // Poco's Token::setExpiration writes fractional seconds; those must work too.
    struct Case {
        int line;
        std::int64_t exp_offset_micros;
        std::int64_t nbf_offset_micros;
        Outcome expected;
    };
    const std::vector<Case> cases = {
        {__LINE__, -29'500'000, -60'000'000, Outcome::Valid},
        {__LINE__, -30'500'000, -60'000'000, Outcome::Expired},
        {__LINE__, 3'600'000'000, 29'500'000, Outcome::Valid},
        {__LINE__, 3'600'000'000, 30'500'000, Outcome::NotYetValid},
    };
    auto authenticator = make();
    const std::int64_t nowMicros = context_.manualClock().nowMicros() + 250'000;  // not on a whole second
    context_.manualClock().setMicros(nowMicros);
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        Poco::JWT::Token token;
        token.setSubject("s");
        token.setExpiration(Poco::Timestamp(nowMicros + c.exp_offset_micros));
        token.setNotBefore(Poco::Timestamp(nowMicros + c.nbf_offset_micros));
        std::string jwt = Poco::JWT::Signer(kSecret).sign(token, "HS384");
        ASSERT_NE(jwt, "");
        auto result = authenticator->verify(jwt);
        EXPECT_EQ(outcomeName(result.outcome), outcomeName(c.expected)) << result.reason;
    }
}

TEST_F(JwtAuthenticatorTest, LeewayIsConfigurable) {
    context_.mapConfig().set(kLeewayKey, "0");
    auto strict = make();
    EXPECT_EQ(strict->verify(sign(Claims().withExp(now() - 1))).outcome, Outcome::Expired);
    EXPECT_EQ(strict->verify(sign(Claims().withExp(now() + 1))).outcome, Outcome::Valid);
    EXPECT_EQ(strict->verify(sign(Claims().withNbf(now() + 1))).outcome, Outcome::NotYetValid);
}

TEST_F(JwtAuthenticatorTest, AcceptsEveryConfiguredAlgorithmAndNoOther) {
    context_.mapConfig().set(kAlgorithmsKey, "HS384,HS512");
    auto authenticator = make();
    EXPECT_EQ(authenticator->verify(sign({}, "HS384")).outcome, Outcome::Valid);
    EXPECT_EQ(authenticator->verify(sign({}, "HS512")).outcome, Outcome::Valid);
    EXPECT_EQ(authenticator->verify(sign({}, "HS256")).outcome, Outcome::BadSignature);
}

TEST_F(JwtAuthenticatorTest, UsesTheInjectedClock) {
    auto authenticator = make();
    auto token = sign(Claims().withExp(now() + 60));
    EXPECT_EQ(authenticator->verify(token).outcome, Outcome::Valid);
    context_.manualClock().advanceSeconds(89);
    EXPECT_EQ(authenticator->verify(token).outcome, Outcome::Valid);
    context_.manualClock().advanceSeconds(2);
    EXPECT_EQ(authenticator->verify(token).outcome, Outcome::Expired);
}

TEST_F(JwtAuthenticatorTest, VerifiesConcurrently) {
    auto authenticator = make();
    const std::string good = sign(Claims().withExp(now() + 60));
    const std::string bad = sign(Claims(), "HS384", "another-secret");
    std::atomic<int> wrong{0};
    std::vector<std::thread> threads;
    threads.reserve(4);
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 200; ++i) {
                if (authenticator->verify(good).outcome != Outcome::Valid) ++wrong;
                if (authenticator->verify(bad).outcome != Outcome::BadSignature) ++wrong;
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(wrong.load(), 0);
}

TEST_F(JwtAuthenticatorTest, FactoryRefusesMissingSecretNamingTheKey) {
    context_.mapConfig().erase(kSecretKey);
    try {
        make();
        FAIL() << "expected ConfigError";
    } catch (const plugin::ConfigError& e) {
        EXPECT_EQ(e.key(), "B3SCALE_API_JWT_SECRET");
        EXPECT_NE(std::string(e.what()).find("B3SCALE_API_JWT_SECRET"), std::string::npos);
    }
}

TEST_F(JwtAuthenticatorTest, FactoryLogsSettingsButNotTheSecret) {
    make();
    auto ready = context_.recordingLogger().find("authenticator_ready");
    ASSERT_TRUE(ready.has_value());
    EXPECT_EQ(ready->field("algorithms"), "HS384");
    EXPECT_EQ(ready->field("leeway_seconds"), "30");
    EXPECT_FALSE(context_.recordingLogger().mentions(kSecret));
}

}  // namespace
}  // namespace b3s::auth::jwt
