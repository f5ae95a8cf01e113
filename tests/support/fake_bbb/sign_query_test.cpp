// signQuery against the published test vectors (bbb-api.md §2.2, b3scale-gateway.md §5.1),
// and the server-side verifier's text rules.

#include "fake_bbb/sign_query.hpp"
#include "fake_bbb/checksum_verifier.hpp"

#include <gtest/gtest.h>

namespace b3s::test::bbb {
namespace {

constexpr const char* kSecret = "639259d4-9dd8-4b25-bf01-95f9567eaf4b";
constexpr const char* kDocsQuery = "name=Test+Meeting&meetingID=abc123&attendeePW=111222&moderatorPW=333444";

TEST(SignQuery, MatchesTheDocsVectorsForEveryAlgorithm) {
    EXPECT_EQ(checksumHex("create", kDocsQuery, kSecret, ChecksumAlgorithm::sha1),
              "1fcbb0c4fc1f039f73aa6d697d2db9ba7f803f17");
    EXPECT_EQ(checksumHex("create", kDocsQuery, kSecret, ChecksumAlgorithm::sha256),
              "da9185f7f333cfdfcd6eeac32dca3777510c4c436020d8b887ba5515bd1d189e");
    EXPECT_EQ(checksumHex("create", kDocsQuery, kSecret, ChecksumAlgorithm::sha384),
              "891ac633df39d0a1b4f8d597f3e190833216c4b29c4fb51ea3ca72757eeb958d6e7b49a845cf29f5c6019c7d29d029d1");
    EXPECT_EQ(
        checksumHex("create", kDocsQuery, kSecret, ChecksumAlgorithm::sha512),
        "de73ad61d11a5c801b68d4bd6ec5248546085cefb0b25c85f3c46249ea93a3a4b120f92c0a8a58d7512cb77821884951a3b01245f34"
        "35dbbef49fff3cc3988b4");
}

TEST(SignQuery, EmptyQuerySignsCallAndSecretOnly) {
    EXPECT_EQ(signQuery("getMeetings", "", kSecret), "checksum=2027baa7771026e9e93392f55031535d1444c41f");
    EXPECT_EQ(checksumHex("getMeetings", "", kSecret, ChecksumAlgorithm::sha256),
              "a5370c5f3d97d56d53b435684cdbc429c2898a3bf9f435518b4279e1e0dbfc8c");
}

TEST(SignQuery, BuildsTheGatewaysSortedQueryVector) {
    const std::string query = buildQuery(
        {{"attendeePW", "111222"}, {"meetingID", "abc123"}, {"moderatorPW", "333444"}, {"name", "Test Meeting"}});
    EXPECT_EQ(query, "attendeePW=111222&meetingID=abc123&moderatorPW=333444&name=Test+Meeting");
    EXPECT_EQ(checksumHex("create", query, kSecret, ChecksumAlgorithm::sha256),
              "94ec9a89c7dc53af01537aef9f8ecbae5e95cd7f37cd4bf18101b976a4a8b097");
    EXPECT_EQ(checksumHex("create", query, kSecret, ChecksumAlgorithm::sha1),
              "0b89c2ebcfefb76772cbcf19386c33561f66f6ae");
    EXPECT_EQ(signQuery("create", query, kSecret), query + "&checksum=0b89c2ebcfefb76772cbcf19386c33561f66f6ae");
}

TEST(SignQuery, FormEncodeKeepsUnreservedAndEscapesTheRest) {
    EXPECT_EQ(formEncode("a b&c=d/é~_.-"), "a+b%26c%3Dd%2F%C3%A9~_.-");
}

TEST(ChecksumVerifier, RemovesChecksumInFirstMiddleAndLastPosition) {
    EXPECT_EQ(ChecksumVerifier::removeChecksum("checksum=ab&a=1", "ab"), "a=1");
    EXPECT_EQ(ChecksumVerifier::removeChecksum("a=1&checksum=ab&b=2", "ab"), "a=1&b=2");
    EXPECT_EQ(ChecksumVerifier::removeChecksum("a=1&checksum=ab", "ab"), "a=1");
    EXPECT_EQ(ChecksumVerifier::removeChecksum("checksum=ab", "ab"), "");
}

TEST(ChecksumVerifier, ChoosesTheAlgorithmByLength) {
    EXPECT_EQ(ChecksumVerifier::algorithmForLength(40), ChecksumAlgorithm::sha1);
    EXPECT_EQ(ChecksumVerifier::algorithmForLength(64), ChecksumAlgorithm::sha256);
    EXPECT_EQ(ChecksumVerifier::algorithmForLength(96), ChecksumAlgorithm::sha384);
    EXPECT_EQ(ChecksumVerifier::algorithmForLength(128), ChecksumAlgorithm::sha512);
    EXPECT_EQ(ChecksumVerifier::algorithmForLength(41), std::nullopt);
}

TEST(ChecksumVerifier, SortedParamsVariantEncodesLikeJavaUrlEncoder) {
    QueryParams params = QueryParams::parse("name=A+b*c&meetingID=m1&checksum=x");
    EXPECT_EQ(ChecksumVerifier::sortedParamsQuery(params), "meetingID=m1&name=A+b*c");
}

TEST(QueryParams, DecodesPlusAndPercentAndKeepsFirstValue) {
    const QueryParams params = QueryParams::parse("a=x+y&b=%2Fz&a=second&flag&bad=%zz");
    EXPECT_EQ(params.value("a"), "x y");
    EXPECT_EQ(params.value("b"), "/z");
    EXPECT_TRUE(params.has("flag"));
    EXPECT_EQ(params.value("bad"), "%zz");
    EXPECT_EQ(params.value("missing"), "");
}

}  // namespace
}  // namespace b3s::test::bbb
