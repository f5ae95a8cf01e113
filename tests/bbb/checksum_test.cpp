#include "bbb/checksum.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace b3s::core::bbb {
namespace {

constexpr std::string_view kSecret = "639259d4-9dd8-4b25-bf01-95f9567eaf4b";
constexpr std::string_view kDocsQuery = "name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444";
constexpr std::string_view kSortedQuery = "attendeePW=111222&meetingID=abc123&moderatorPW=333444&name=Test+Meeting";

struct Vector {
    std::string_view source;
    std::string_view call;
    std::string_view query;
    ChecksumAlgorithm algorithm;
    std::string_view hex;
};

// Every vector of bbb-api.md §2.2 and b3scale-gateway.md §5.1.
const std::vector<Vector> kVectors = {
    {"bbb-api 2.2 sha1", "create", kDocsQuery, ChecksumAlgorithm::Sha1, "1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17"},
    {"bbb-api 2.2 sha256", "create", kDocsQuery, ChecksumAlgorithm::Sha256,
     "da9185f7f333cfdfcd6eeac32dca3777510c4c436020d8b887ba5515bd1d189e"},
    {"bbb-api 2.2 sha384", "create", kDocsQuery, ChecksumAlgorithm::Sha384,
     "891ac633df39d0a1b4f8d597f3e190833216c4b29c4fb51ea3ca72757eeb958d6e7b49a845cf29f5c6019c7d29d029d1"},
    {"bbb-api 2.2 sha512", "create", kDocsQuery, ChecksumAlgorithm::Sha512,
     "de73ad61d11a5c801b68d4bd6ec5248546085cefb0b25c85f3c46249ea93a3a4b120f92c0a8a58d7512cb77821884951a3b01245f3435dbbe"
     "f"
     "49fff3cc3988b4"},
    {"bbb-api 2.2 getMeetings sha1", "getMeetings", "", ChecksumAlgorithm::Sha1,
     "2027baa7771026e9e93392f55031535d1444c41f"},
    {"bbb-api 2.2 getMeetings sha256", "getMeetings", "", ChecksumAlgorithm::Sha256,
     "a5370c5f3d97d56d53b435684cdbc429c2898a3bf9f435518b4279e1e0dbfc8c"},
    {"gateway 5.1 backend sha256", "create", kSortedQuery, ChecksumAlgorithm::Sha256,
     "94ec9a89c7dc53af01537aef9f8ecbae5e95cd7f37cd4bf18101b976a4a8b097"},
    {"gateway 5.1 no params sha256", "create", "", ChecksumAlgorithm::Sha256,
     "272c9555258496a3f19c5ad8f599af2a4ebec031381ff1e37b34842c42c12284"},
    {"gateway 5.1 frontend sha1", "create", kSortedQuery, ChecksumAlgorithm::Sha1,
     "0b89c2ebcfefb76772cbcf19386c33561f66f6ae"},
};

std::string upper(std::string_view text) {
    std::string out(text);
    for (auto& c : out) {
        if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
    }
    return out;
}

TEST(ChecksumTest, SignQueryReproducesEveryTestVector) {
    for (const auto& v : kVectors) {
        SCOPED_TRACE(v.source);
        EXPECT_EQ(signQuery(v.call, v.query, kSecret, v.algorithm), v.hex);
    }
}

TEST(ChecksumTest, VerifyAcceptsEveryTestVectorWithTheChecksumFirstMiddleOrLast) {
    for (const auto& v : kVectors) {
        SCOPED_TRACE(v.source);
        std::vector<std::string> raws;
        if (v.query.empty()) {
            raws.push_back("checksum=" + std::string(v.hex));
        } else {
            const std::string q(v.query);
            const auto amp = q.find('&');
            raws.push_back(q + "&checksum=" + std::string(v.hex));                                 // last
            raws.push_back("checksum=" + std::string(v.hex) + "&" + q);                            // first
            raws.push_back(q.substr(0, amp) + "&checksum=" + std::string(v.hex) + q.substr(amp));  // middle
        }
        for (const auto& raw : raws) {
            SCOPED_TRACE(raw);
            const auto result = verifyChecksum(v.call, raw, kSecret);
            EXPECT_TRUE(result.ok);
            EXPECT_EQ(result.failure, ChecksumFailure::None);
            ASSERT_TRUE(result.algorithm.has_value());
            EXPECT_EQ(*result.algorithm, v.algorithm);
        }
    }
}

TEST(ChecksumTest, VerifyIgnoresHexCase) {
    for (const auto& v : kVectors) {
        SCOPED_TRACE(v.source);
        std::string raw(v.query);
        raw += raw.empty() ? "checksum=" : "&checksum=";
        raw += upper(v.hex);
        EXPECT_TRUE(verifyChecksum(v.call, raw, kSecret).ok);
    }
}

TEST(ChecksumTest, VerifyCoversTheRawBytesSoEveryClientEncodingWorks) {
    // The same parameters encoded three ways; each is signed over its own bytes.
    for (std::string_view query :
         {"name=Test+Meeting&meetingID=a", "name=Test%20Meeting&meetingID=a", "meetingID=a&name=Test%20Meeting",
          "name=%E2%82%AC%27%28%29%2A%21&meetingID=a", "name='()*!&meetingID=a"}) {
        SCOPED_TRACE(query);
        const std::string sig = signQuery("create", query, kSecret, ChecksumAlgorithm::Sha1);
        EXPECT_TRUE(verifyChecksum("create", std::string(query) + "&checksum=" + sig, kSecret).ok);
        // Re-encoding (what a proxy must never do) breaks it.
        std::string reencoded(query);
        reencoded[0] = reencoded[0] == 'n' ? 'N' : 'M';
        EXPECT_FALSE(verifyChecksum("create", reencoded + "&checksum=" + sig, kSecret).ok);
    }
}

TEST(ChecksumTest, VerifyRefusesBadChecksums) {
    const std::string good =
        "meetingID=abc&checksum=" + signQuery("end", "meetingID=abc", kSecret, ChecksumAlgorithm::Sha256);
    std::string flipped = good;
    flipped.back() = flipped.back() == '0' ? '1' : '0';
    std::string firstFlipped = good;
    const auto at = firstFlipped.find("checksum=") + 9;
    firstFlipped[at] = firstFlipped[at] == '0' ? '1' : '0';

    struct Case {
        std::string_view name;
        std::string call;
        std::string raw;
        std::string secret;
        ChecksumAlgorithmSet allowed;
        ChecksumFailure failure;
    };
    const std::string s(kSecret);
    const std::vector<Case> cases = {
        {"no checksum", "end", "meetingID=abc", s, kAllChecksumAlgorithms, ChecksumFailure::Missing},
        {"empty value", "end", "meetingID=abc&checksum=", s, kAllChecksumAlgorithms, ChecksumFailure::Missing},
        {"name only", "end", "meetingID=abc&checksum", s, kAllChecksumAlgorithms, ChecksumFailure::Missing},
        {"empty query", "getMeetings", "", s, kAllChecksumAlgorithms, ChecksumFailure::Missing},
        {"similar name only", "end", "meetingID=abc&checksumx=" + std::string(40, 'a'), s, kAllChecksumAlgorithms,
         ChecksumFailure::Missing},
        {"39 chars", "end", "meetingID=abc&checksum=" + std::string(39, 'a'), s, kAllChecksumAlgorithms,
         ChecksumFailure::UnsupportedLength},
        {"41 chars", "end", "meetingID=abc&checksum=" + std::string(41, 'a'), s, kAllChecksumAlgorithms,
         ChecksumFailure::UnsupportedLength},
        {"63 chars", "end", "meetingID=abc&checksum=" + std::string(63, 'a'), s, kAllChecksumAlgorithms,
         ChecksumFailure::UnsupportedLength},
        {"not hex", "end", "meetingID=abc&checksum=" + std::string(40, 'g'), s, kAllChecksumAlgorithms,
         ChecksumFailure::NotHex},
        {"control byte folding onto a digit", "end", "meetingID=abc&checksum=" + std::string(40, '\x10'), s,
         kAllChecksumAlgorithms, ChecksumFailure::NotHex},
        {"percent-encoded hex", "end", "meetingID=abc&checksum=%61" + std::string(37, 'a'), s, kAllChecksumAlgorithms,
         ChecksumFailure::NotHex},
        {"sha1 not allowed", "end", "meetingID=abc&checksum=" + std::string(40, 'a'), s,
         checksumAlgorithmBit(ChecksumAlgorithm::Sha256), ChecksumFailure::AlgorithmNotAllowed},
        {"empty secret", "end", good, "", kAllChecksumAlgorithms, ChecksumFailure::EmptySecret},
        {"wrong secret", "end", good, s + "x", kAllChecksumAlgorithms, ChecksumFailure::Mismatch},
        {"wrong call", "create", good, s, kAllChecksumAlgorithms, ChecksumFailure::Mismatch},
        {"last digit flipped", "end", flipped, s, kAllChecksumAlgorithms, ChecksumFailure::Mismatch},
        {"first digit flipped", "end", firstFlipped, s, kAllChecksumAlgorithms, ChecksumFailure::Mismatch},
        {"parameter changed", "end", "meetingID=abd" + good.substr(13), s, kAllChecksumAlgorithms,
         ChecksumFailure::Mismatch},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const auto result = verifyChecksum(c.call, c.raw, c.secret, c.allowed);
        EXPECT_FALSE(result.ok);
        EXPECT_EQ(result.failure, c.failure) << toString(result.failure);
    }
}

TEST(ChecksumTest, TheFirstChecksumParameterIsTheOneVerified) {
    const std::string sig = signQuery("end", "meetingID=abc", kSecret, ChecksumAlgorithm::Sha1);
    // A second checksum stays in the signed text (bbb-web removes only V's occurrences).
    EXPECT_FALSE(
        verifyChecksum("end", "meetingID=abc&checksum=" + sig + "&checksum=" + std::string(40, 'b'), kSecret).ok);
    // The same value twice is removed twice (Java's replace replaces all).
    EXPECT_TRUE(verifyChecksum("end", "checksum=" + sig + "&meetingID=abc&checksum=" + sig, kSecret).ok);
}

TEST(ChecksumTest, RemoveChecksumTextFollowsBbbWebsLiteralReplacement) {
    struct Case {
        std::string_view raw;
        std::string_view value;
        std::string_view rest;
    };
    const std::vector<Case> cases = {
        {"a=1&checksum=V", "V", "a=1"},
        {"checksum=V&a=1", "V", "a=1"},
        {"a=1&checksum=V&b=2", "V", "a=1&b=2"},
        {"checksum=V", "V", ""},
        {"checksum=V&checksum=V", "V", ""},
        {"a=1&checksum=V&checksum=V", "V", "a=1"},
        {"a=1&checksum=VV", "V", "a=1V"},          // literal text, not parameters
        {"a=1&xchecksum=V&b=2", "V", "a=1&xb=2"},  // `checksum=V&` matches inside a name
        {"a=1&checksum=", "", "a=1"},
        {"a=1&b=2", "V", "a=1&b=2"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.raw);
        EXPECT_EQ(removeChecksumText(c.raw, c.value), c.rest);
    }
}

TEST(ChecksumTest, FindRawChecksumTakesTheFirstExactName) {
    EXPECT_EQ(findRawChecksum("a=1&checksum=abc"), std::optional<std::string_view>("abc"));
    EXPECT_EQ(findRawChecksum("checksumx=1&checksum=abc&checksum=def"), std::optional<std::string_view>("abc"));
    EXPECT_EQ(findRawChecksum("checksum=a%20b"), std::optional<std::string_view>("a%20b"));
    EXPECT_EQ(findRawChecksum("a=1&checksum"), std::optional<std::string_view>(""));
    EXPECT_EQ(findRawChecksum("a=1&checksum=x=y"), std::optional<std::string_view>("x=y"));
    EXPECT_EQ(findRawChecksum("a=1&Checksum=abc"), std::nullopt);
    EXPECT_EQ(findRawChecksum(""), std::nullopt);
    EXPECT_EQ(findRawChecksum("&&&"), std::nullopt);
}

TEST(ChecksumTest, AlgorithmIsChosenByLength) {
    EXPECT_EQ(algorithmForLength(40), ChecksumAlgorithm::Sha1);
    EXPECT_EQ(algorithmForLength(64), ChecksumAlgorithm::Sha256);
    EXPECT_EQ(algorithmForLength(96), ChecksumAlgorithm::Sha384);
    EXPECT_EQ(algorithmForLength(128), ChecksumAlgorithm::Sha512);
    for (std::size_t n : {0, 1, 39, 41, 56, 63, 65, 95, 97, 127, 129, 256}) {
        SCOPED_TRACE(n);
        EXPECT_EQ(algorithmForLength(n), std::nullopt);
    }
    for (auto a :
         {ChecksumAlgorithm::Sha1, ChecksumAlgorithm::Sha256, ChecksumAlgorithm::Sha384, ChecksumAlgorithm::Sha512}) {
        SCOPED_TRACE(toString(a));
        EXPECT_EQ(algorithmForLength(hexLength(a)), a);
        EXPECT_EQ(signQuery("x", "", "s", a).size(), hexLength(a));
    }
}

TEST(ChecksumTest, HooksCallNamesIncludeTheSubPath) {
    const std::string sig = signQuery("hooks/create", "callbackURL=x", kSecret, ChecksumAlgorithm::Sha256);
    EXPECT_TRUE(verifyChecksum("hooks/create", "callbackURL=x&checksum=" + sig, kSecret).ok);
    EXPECT_FALSE(verifyChecksum("create", "callbackURL=x&checksum=" + sig, kSecret).ok);
}

}  // namespace
}  // namespace b3s::core::bbb
