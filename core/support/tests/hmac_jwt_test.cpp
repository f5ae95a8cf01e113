#include <b3s/support/hmac_jwt.hpp>

#include <gtest/gtest.h>

#include <limits>
#include <set>

namespace b3s::support {
namespace {

using Outcome = JwtCheck::Outcome;

std::string hex(std::string_view bytes) {
    static constexpr char kDigits[] = "0123456789abcdef";
    std::string out;
    for (const char c : bytes) {
        out.push_back(kDigits[static_cast<unsigned char>(c) >> 4]);
        out.push_back(kDigits[static_cast<unsigned char>(c) & 0x0F]);
    }
    return out;
}

// A token with arbitrary header and payload text, correctly signed, so that a test reaches
// the check it is about instead of failing on the signature.
std::string handMade(std::string_view header, std::string_view payload, std::string_view secret,
                     JwtAlgorithm algorithm = JwtAlgorithm::Hs256) {
    std::string token = base64UrlEncode(header) + "." + base64UrlEncode(payload);
    return token + "." + base64UrlEncode(hmac(algorithm, secret, token));
}

Poco::JSON::Object claimsWith(std::initializer_list<std::pair<const char*, Poco::Dynamic::Var>> entries) {
    Poco::JSON::Object claims;
    for (const auto& [name, value] : entries) claims.set(name, value);
    return claims;
}

constexpr std::string_view kSecret = "b3scale-test-secret";
constexpr std::int64_t kNow = 1'700'000'000;

TEST(HmacJwtTest, HmacMatchesRfc4231Vectors) {
    const std::string key1(20, '\x0b');
    EXPECT_EQ(hex(hmac(JwtAlgorithm::Hs256, key1, "Hi There")),
              "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    EXPECT_EQ(hex(hmac(JwtAlgorithm::Hs384, key1, "Hi There")),
              "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6");
    EXPECT_EQ(hex(hmac(JwtAlgorithm::Hs512, key1, "Hi There")),
              "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cde"
              "daa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854");
    // Test case 6: a key longer than the block is hashed first.
    const std::string key6(131, '\xaa');
    const std::string data6 = "Test Using Larger Than Block-Size Key - Hash Key First";
    EXPECT_EQ(hex(hmac(JwtAlgorithm::Hs256, key6, data6)),
              "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
    EXPECT_EQ(hex(hmac(JwtAlgorithm::Hs384, key6, data6)),
              "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952");
    EXPECT_EQ(hex(hmac(JwtAlgorithm::Hs512, key6, data6)),
              "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f352"
              "6b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598");
}

// RFC 7515 appendix A.1: the exact signing input (with its CR LF bytes), the JWK key, the
// published signature.
TEST(HmacJwtTest, VerifiesRfc7515AppendixA1Example) {
    const auto key =
        base64UrlDecode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
    ASSERT_TRUE(key);
    const std::string signing_input =
        "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
        ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
    const std::string signature = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
    EXPECT_EQ(base64UrlEncode(hmac(JwtAlgorithm::Hs256, *key, signing_input)), signature);
    EXPECT_EQ(*base64UrlDecode("eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"), "{\"typ\":\"JWT\",\r\n \"alg\":\"HS256\"}");

    const std::string token = signing_input + "." + signature;
    const auto check = verifyJwt(token, *key, {JwtAlgorithm::Hs256}, 1300819379);
    ASSERT_TRUE(check.valid()) << check.reason;
    ASSERT_TRUE(check.claims);
    EXPECT_EQ(check.claims->getValue<std::string>("iss"), "joe");
    EXPECT_TRUE(check.claims->getValue<bool>("http://example.com/is_root"));
    // exp is 1300819380: expired from that second on.
    EXPECT_EQ(verifyJwt(token, *key, {JwtAlgorithm::Hs256}, 1300819380).outcome, Outcome::Expired);
}

// Signed by Python's hmac/hashlib/base64/json (secret "python-fixture-secret",
// claims {"sub":"rec-1","exp":2000000000,"name":"Jürgen"}), computed once and pasted here.
TEST(HmacJwtTest, VerifiesTokensFromAnIndependentImplementation) {
    struct Case {
        JwtAlgorithm algorithm;
        const char* token;
    };
    for (const auto& c : {
             Case{JwtAlgorithm::Hs256,
                  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZWMtMSIsImV4cCI6MjAwMDAwMDAwMCwibmFtZSI6IkrDvHJnZW4"
                  "ifQ.Du66O_Ed3R96wqlxfefZm3k9d_Lq4MuCqKp2oOdbggU"},
             Case{JwtAlgorithm::Hs384,
                  "eyJhbGciOiJIUzM4NCIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZWMtMSIsImV4cCI6MjAwMDAwMDAwMCwibmFtZSI6IkrDvHJnZW4"
                  "ifQ.NHFRieON0f_0AP0cSImR7CBaHQPfD9zKaKocCFjEvaS4ygbakVhkh02834nKAxvV"},
             Case{JwtAlgorithm::Hs512,
                  "eyJhbGciOiJIUzUxMiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJyZWMtMSIsImV4cCI6MjAwMDAwMDAwMCwibmFtZSI6IkrDvHJnZW4"
                  "ifQ.AOQBj5i85GdyHjnjOLggxAVjXQ93qbHC4Uuei3kN9oH3Gw6uxGXXRZdg4vK9Woe6EiFzhFkJdtZDjXKvZ_yDBA"},
         }) {
        SCOPED_TRACE(toString(c.algorithm));
        const auto check = verifyJwt(c.token, "python-fixture-secret", {c.algorithm}, kNow);
        ASSERT_TRUE(check.valid()) << check.reason;
        EXPECT_EQ(check.claims->getValue<std::string>("sub"), "rec-1");
        EXPECT_EQ(check.claims->getValue<std::string>("name"), "J\xC3\xBCrgen");
        EXPECT_EQ(verifyJwt(c.token, "another-secret", {c.algorithm}, kNow).outcome, Outcome::BadSignature);
    }
}

TEST(HmacJwtTest, SignedTokensRoundTripWithEveryAlgorithm) {
    const auto claims = claimsWith({{"sub", std::string("meeting-1")}, {"exp", Poco::Int64{kNow + 60}}});
    for (const auto algorithm : {JwtAlgorithm::Hs256, JwtAlgorithm::Hs384, JwtAlgorithm::Hs512}) {
        SCOPED_TRACE(toString(algorithm));
        const std::string token = signJwt(claims, kSecret, algorithm);
        EXPECT_EQ(token.find('='), std::string::npos);
        const auto header = base64UrlDecode(token.substr(0, token.find('.')));
        ASSERT_TRUE(header);
        EXPECT_EQ(*header, std::string(R"({"alg":")") + toString(algorithm) + R"(","typ":"JWT"})");

        const auto check =
            verifyJwt(token, kSecret, {JwtAlgorithm::Hs256, JwtAlgorithm::Hs384, JwtAlgorithm::Hs512}, kNow);
        ASSERT_TRUE(check.valid()) << check.reason;
        EXPECT_EQ(check.claims->getValue<std::string>("sub"), "meeting-1");
        EXPECT_EQ(check.claims->getValue<Poco::Int64>("exp"), kNow + 60);
        EXPECT_EQ(check.reason.find(kSecret), std::string::npos);
    }
}

TEST(HmacJwtTest, PayloadIsCompactJson) {
    const std::string token = signJwt(claimsWith({{"a", 1}, {"b", std::string("x y")}}), kSecret, JwtAlgorithm::Hs256);
    const std::size_t first = token.find('.');
    const auto payload = base64UrlDecode(token.substr(first + 1, token.rfind('.') - first - 1));
    ASSERT_TRUE(payload);
    EXPECT_EQ(*payload, R"({"a":1,"b":"x y"})");
}

TEST(HmacJwtTest, TamperedTokensHaveBadSignatures) {
    const std::string token = signJwt(claimsWith({{"sub", std::string("alice")}}), kSecret, JwtAlgorithm::Hs256);
    const std::size_t first = token.find('.');
    const std::size_t second = token.rfind('.');

    // A different payload under the original signature.
    const std::string forged =
        token.substr(0, first + 1) + base64UrlEncode(R"({"sub":"mallory"})") + token.substr(second);
    EXPECT_EQ(verifyJwt(forged, kSecret, {JwtAlgorithm::Hs256}, kNow).outcome, Outcome::BadSignature);

    // One payload character changed ('a' <-> 'b' keeps it valid base64url).
    std::string flipped = token;
    const std::size_t at = first + 3;
    flipped[at] = flipped[at] == 'a' ? 'b' : 'a';
    const auto flipped_check = verifyJwt(flipped, kSecret, {JwtAlgorithm::Hs256}, kNow);
    EXPECT_EQ(flipped_check.outcome, Outcome::BadSignature);
    EXPECT_FALSE(flipped_check.claims);

    // Signature with its first character changed, shortened by three characters (still
    // canonical base64url: 40 characters are 30 bytes), emptied.
    std::string bad_sig = token;
    bad_sig[second + 1] = bad_sig[second + 1] == 'A' ? 'B' : 'A';
    EXPECT_EQ(verifyJwt(bad_sig, kSecret, {JwtAlgorithm::Hs256}, kNow).outcome, Outcome::BadSignature);
    EXPECT_EQ(verifyJwt(token.substr(0, token.size() - 3), kSecret, {JwtAlgorithm::Hs256}, kNow).outcome,
              Outcome::BadSignature);
    EXPECT_EQ(verifyJwt(token.substr(0, second + 1), kSecret, {JwtAlgorithm::Hs256}, kNow).outcome,
              Outcome::BadSignature);

    // Wrong and empty secrets.
    EXPECT_EQ(verifyJwt(token, "other", {JwtAlgorithm::Hs256}, kNow).outcome, Outcome::BadSignature);
    const auto empty = verifyJwt(token, "", {JwtAlgorithm::Hs256}, kNow);
    EXPECT_EQ(empty.outcome, Outcome::BadSignature);
    EXPECT_FALSE(empty.claims);
}

TEST(HmacJwtTest, RefusesAlgorithmsThatAreNotAccepted) {
    const std::string payload = R"({"sub":"x"})";
    // "none" with an empty signature, as an attacker would send it.
    const std::string none = base64UrlEncode(R"({"alg":"none","typ":"JWT"})") + "." + base64UrlEncode(payload) + ".";
    const auto none_check = verifyJwt(none, kSecret, {JwtAlgorithm::Hs256}, kNow);
    EXPECT_EQ(none_check.outcome, Outcome::WrongAlgorithm);
    EXPECT_NE(none_check.reason.find("\"none\""), std::string::npos) << none_check.reason;
    EXPECT_FALSE(none_check.claims);
    EXPECT_EQ(verifyJwt(handMade(R"({"alg":"None"})", payload, kSecret), kSecret, {JwtAlgorithm::Hs256}, kNow).outcome,
              Outcome::WrongAlgorithm);
    // An asymmetric alg, even with a valid HMAC underneath (key-confusion attack).
    EXPECT_EQ(verifyJwt(handMade(R"({"alg":"RS256"})", payload, kSecret), kSecret, {JwtAlgorithm::Hs256}, kNow).outcome,
              Outcome::WrongAlgorithm);
    EXPECT_EQ(verifyJwt(handMade(R"({"alg":"hs256"})", payload, kSecret), kSecret, {JwtAlgorithm::Hs256}, kNow).outcome,
              Outcome::WrongAlgorithm);
    // A genuine HS512 token where only HS256 is accepted.
    const std::string hs512 = signJwt(claimsWith({{"sub", std::string("x")}}), kSecret, JwtAlgorithm::Hs512);
    EXPECT_EQ(verifyJwt(hs512, kSecret, {JwtAlgorithm::Hs256}, kNow).outcome, Outcome::WrongAlgorithm);
    EXPECT_EQ(verifyJwt(hs512, kSecret, {}, kNow).outcome, Outcome::WrongAlgorithm);
    EXPECT_TRUE(verifyJwt(hs512, kSecret, {JwtAlgorithm::Hs256, JwtAlgorithm::Hs512}, kNow).valid());
    // A hostile alg does not reach the log line verbatim.
    const auto hostile = verifyJwt(handMade("{\"alg\":\"HS256\\r\\nforged log line\"}", payload, kSecret), kSecret,
                                   {JwtAlgorithm::Hs256}, kNow);
    EXPECT_EQ(hostile.outcome, Outcome::WrongAlgorithm);
    EXPECT_EQ(hostile.reason.find('\n'), std::string::npos);
}

TEST(HmacJwtTest, ExpiryAndNotBeforeHonourTheLeeway) {
    const auto verify = [](const Poco::JSON::Object& claims, std::int64_t leeway) {
        return verifyJwt(signJwt(claims, kSecret, JwtAlgorithm::Hs256), kSecret, {JwtAlgorithm::Hs256}, kNow, leeway);
    };
    EXPECT_EQ(verify(claimsWith({{"exp", Poco::Int64{kNow + 1}}}), 0).outcome, Outcome::Valid);
    EXPECT_EQ(verify(claimsWith({{"exp", Poco::Int64{kNow}}}), 0).outcome, Outcome::Expired);
    EXPECT_EQ(verify(claimsWith({{"exp", Poco::Int64{kNow - 30}}}), 30).outcome, Outcome::Expired);
    EXPECT_EQ(verify(claimsWith({{"exp", Poco::Int64{kNow - 29}}}), 30).outcome, Outcome::Valid);
    EXPECT_EQ(verify(claimsWith({{"exp", Poco::Int64{kNow - 1}}}), -100).outcome, Outcome::Expired);
    EXPECT_EQ(verify(claimsWith({{"exp", kNow + 0.5}}), 0).outcome, Outcome::Valid);
    EXPECT_EQ(verify(claimsWith({{"exp", kNow - 0.5}}), 0).outcome, Outcome::Expired);

    EXPECT_EQ(verify(claimsWith({{"nbf", Poco::Int64{kNow}}}), 0).outcome, Outcome::Valid);
    EXPECT_EQ(verify(claimsWith({{"nbf", Poco::Int64{kNow + 1}}}), 0).outcome, Outcome::NotYetValid);
    EXPECT_EQ(verify(claimsWith({{"nbf", Poco::Int64{kNow + 30}}}), 30).outcome, Outcome::Valid);
    EXPECT_EQ(verify(claimsWith({{"nbf", Poco::Int64{kNow + 31}}}), 30).outcome, Outcome::NotYetValid);

    const auto expired = verify(claimsWith({{"exp", Poco::Int64{kNow - 5}}, {"sub", std::string("s")}}), 0);
    ASSERT_TRUE(expired.claims);  // decoded and authenticated, just too old
    EXPECT_EQ(expired.claims->getValue<std::string>("sub"), "s");
    const auto early = verify(claimsWith({{"nbf", Poco::Int64{kNow + 500}}, {"sub", std::string("s")}}), 0);
    EXPECT_EQ(early.outcome, Outcome::NotYetValid);
    ASSERT_TRUE(early.claims);

    // Extremes neither overflow nor wrap around.
    EXPECT_EQ(
        verify(claimsWith({{"exp", std::numeric_limits<Poco::Int64>::max()}}), std::numeric_limits<std::int64_t>::max())
            .outcome,
        Outcome::Valid);
    EXPECT_EQ(verifyJwt(handMade(R"({"alg":"HS256"})", R"({"exp":18446744073709551615})", kSecret), kSecret,
                        {JwtAlgorithm::Hs256}, kNow)
                  .outcome,
              Outcome::Valid);
    EXPECT_EQ(verifyJwt(handMade(R"({"alg":"HS256"})", R"({"nbf":-9223372036854775808})", kSecret), kSecret,
                        {JwtAlgorithm::Hs256}, std::numeric_limits<std::int64_t>::min(),
                        std::numeric_limits<std::int64_t>::max())
                  .outcome,
              Outcome::Valid);
}

TEST(HmacJwtTest, TimeClaimsThatAreNotNumbersAreMalformed) {
    for (const char* payload : {R"({"exp":"2000000000"})", R"({"exp":true})", R"({"exp":null})", R"({"exp":[1]})",
                                R"({"exp":{}})", R"({"nbf":"0"})", R"({"nbf":false})", R"({"exp":1,"nbf":"x"})"}) {
        SCOPED_TRACE(payload);
        const auto check =
            verifyJwt(handMade(R"({"alg":"HS256"})", payload, kSecret), kSecret, {JwtAlgorithm::Hs256}, kNow);
        EXPECT_EQ(check.outcome, Outcome::Malformed);
        EXPECT_FALSE(check.claims);
    }
}

TEST(HmacJwtTest, GarbageIsMalformed) {
    const std::string good = signJwt(claimsWith({{"sub", std::string("x")}}), kSecret, JwtAlgorithm::Hs256);
    const std::string header = good.substr(0, good.find('.'));
    for (const std::string& token : {
             std::string(),
             std::string("."),
             std::string(".."),
             std::string("..."),
             std::string("no-dots-at-all"),
             std::string("one.dot"),
             good + ".extra",                                  // four parts
             header + ".e30.abc.def",                          // four parts
             header + ".e30=.AAAA",                            // padding
             header + ".e30.AAAA==",                           // padding in the signature
             header + ".e3!0.AAAA",                            // outside the alphabet
             header + ".e30+.AAAA",                            // standard-alphabet character
             header + ".e30AB.AAAA",                           // impossible length (5 % 4 == 1)
             std::string("e30.e30.AAAA"),                      // header {} without alg
             base64UrlEncode("not json") + ".e30.AAAA",        // header not JSON
             base64UrlEncode("[\"HS256\"]") + ".e30.AAAA",     // header a JSON array
             base64UrlEncode(R"({"alg":256})") + ".e30.AAAA",  // alg not a string
             handMade(R"({"alg":"HS256","crit":["exp"]})", "{}", kSecret),
             handMade(R"({"alg":"HS256"})", "not json", kSecret),
             handMade(R"({"alg":"HS256"})", R"(["a","b"])", kSecret),
             handMade(R"({"alg":"HS256"})", R"("just a string")", kSecret),
             handMade(R"({"alg":"HS256"})", R"({"sub":"x"} trailing)", kSecret),
             handMade(R"({"alg":"HS256"})", "", kSecret),
             std::string(kMaxJwtLength + 1, 'a'),
         }) {
        SCOPED_TRACE(token.substr(0, 80));
        const auto check = verifyJwt(token, kSecret, {JwtAlgorithm::Hs256}, kNow);
        EXPECT_EQ(check.outcome, Outcome::Malformed) << toString(check.outcome) << ": " << check.reason;
        EXPECT_FALSE(check.claims);
        EXPECT_FALSE(check.reason.empty());
        if (token.size() > 3) {
            EXPECT_EQ(check.reason.find(token), std::string::npos);
        }
    }
}

TEST(HmacJwtTest, PeekReadsClaimsWithoutChecking) {
    const std::string token = signJwt(claimsWith({{"key", std::string("frontend-1")}}), kSecret, JwtAlgorithm::Hs384);
    const auto claims = peekJwtClaims(token);
    ASSERT_TRUE(claims);
    EXPECT_EQ(claims->getValue<std::string>("key"), "frontend-1");
    // Signature and alg are not looked at.
    const auto unsigned_claims =
        peekJwtClaims(base64UrlEncode(R"({"alg":"none"})") + "." + base64UrlEncode(R"({"key":"k"})") + ".");
    ASSERT_TRUE(unsigned_claims);
    EXPECT_EQ(unsigned_claims->getValue<std::string>("key"), "k");

    EXPECT_FALSE(peekJwtClaims(""));
    EXPECT_FALSE(peekJwtClaims("abc"));
    EXPECT_FALSE(peekJwtClaims("a.b.c.d"));
    EXPECT_FALSE(peekJwtClaims("e30.!!!.x"));
    EXPECT_FALSE(peekJwtClaims("e30." + base64UrlEncode("[1]") + ".x"));
    EXPECT_FALSE(peekJwtClaims("e30." + base64UrlEncode("nope") + ".x"));
}

TEST(HmacJwtTest, SigningWithAnEmptySecretIsRefused) {
    EXPECT_THROW(signJwt(Poco::JSON::Object(), "", JwtAlgorithm::Hs256), std::invalid_argument);
}

TEST(HmacJwtTest, ConstantTimeEqualsComparesBytes) {
    EXPECT_TRUE(constantTimeEquals("", ""));
    EXPECT_TRUE(constantTimeEquals("abc", "abc"));
    EXPECT_TRUE(constantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0b", 3)));
    EXPECT_FALSE(constantTimeEquals(std::string_view("a\0b", 3), std::string_view("a\0c", 3)));
    EXPECT_FALSE(constantTimeEquals("abc", "abd"));
    EXPECT_FALSE(constantTimeEquals("abc", "xbc"));
    EXPECT_FALSE(constantTimeEquals("abc", "abcd"));
    EXPECT_FALSE(constantTimeEquals("", "a"));
    EXPECT_FALSE(constantTimeEquals("\x80", "\x00"));
}

TEST(HmacJwtTest, Base64UrlIsUnpaddedAndStrict) {
    // RFC 4648 §10 vectors, without padding.
    const std::pair<const char*, const char*> vectors[] = {
        {"", ""},           {"f", "Zg"},          {"fo", "Zm8"},         {"foo", "Zm9v"},
        {"foob", "Zm9vYg"}, {"fooba", "Zm9vYmE"}, {"foobar", "Zm9vYmFy"}};
    for (const auto& [plain, encoded] : vectors) {
        EXPECT_EQ(base64UrlEncode(plain), encoded);
        EXPECT_EQ(base64UrlDecode(encoded), std::optional<std::string>(plain));
    }
    // The URL alphabet: 0xfb 0xff → "-_8".
    EXPECT_EQ(base64UrlEncode("\xfb\xff"), "-_8");
    EXPECT_EQ(base64UrlDecode("-_8"), std::optional<std::string>("\xfb\xff"));

    std::string all_bytes;
    for (int i = 0; i < 256; ++i) all_bytes.push_back(static_cast<char>(i));
    for (std::size_t n = 0; n <= all_bytes.size(); n += 17) {
        const std::string data = all_bytes.substr(0, n);
        EXPECT_EQ(base64UrlDecode(base64UrlEncode(data)), std::optional<std::string>(data));
    }

    for (const char* bad : {"Zg==", "Zm8=", "Z", "Zm9vY", "Zm+v", "Zm/v", "Zm9v\n", " Zm9v", "Zm 9v", "Zh",
                            "Zm9"}) {  // last two: non-zero unused bits
        SCOPED_TRACE(bad);
        EXPECT_FALSE(base64UrlDecode(bad));
    }
}

TEST(HmacJwtTest, RandomTokensUseTheUrlAlphabet) {
    EXPECT_EQ(randomToken(0), "");
    std::set<std::string> seen;
    for (int i = 0; i < 50; ++i) {
        const std::string token = randomToken(43);
        ASSERT_EQ(token.size(), 43u);
        for (const char c : token) {
            EXPECT_TRUE((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                        c == '_')
                << c;
        }
        seen.insert(token);
    }
    EXPECT_EQ(seen.size(), 50u);
    // Every character of the alphabet turns up in a long token (probability of a miss ~ 1e-50).
    const std::string long_token = randomToken(10000);
    EXPECT_EQ(std::set<char>(long_token.begin(), long_token.end()).size(), 64u);
}

TEST(HmacJwtTest, NamesAreStable) {
    EXPECT_STREQ(toString(JwtAlgorithm::Hs256), "HS256");
    EXPECT_STREQ(toString(JwtAlgorithm::Hs384), "HS384");
    EXPECT_STREQ(toString(JwtAlgorithm::Hs512), "HS512");
    EXPECT_STREQ(toString(Outcome::BadSignature), "bad_signature");
    EXPECT_STREQ(toString(Outcome::WrongAlgorithm), "wrong_algorithm");
}

}  // namespace
}  // namespace b3s::support
