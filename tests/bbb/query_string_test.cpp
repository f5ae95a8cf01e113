#include "bbb/query_string.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace b3s::core::bbb {
namespace {

using Params = std::vector<Param>;

TEST(QueryStringTest, DecodesNamesAndValuesInOrder) {
    struct Case {
        std::string_view raw;
        Params expected;
    };
    const std::vector<Case> cases = {
        {"", {}},
        {"a=1", {{"a", "1"}}},
        {"name=Test+Meeting&meetingID=abc123", {{"name", "Test Meeting"}, {"meetingID", "abc123"}}},
        {"name=Test%20Meeting", {{"name", "Test Meeting"}}},
        {"a=%2B%26%3D%25", {{"a", "+&=%"}}},
        {"a=%e2%82%ac&b=%E2%82%AC", {{"a", "\xE2\x82\xAC"}, {"b", "\xE2\x82\xAC"}}},
        {"a=\xE2\x82\xAC", {{"a", "\xE2\x82\xAC"}}},  // raw UTF-8 passes through
        {"flag&b=", {{"flag", ""}, {"b", ""}}},
        {"a=1&&b=2&", {{"a", "1"}, {"b", "2"}}},
        {"&&", {}},
        {"=x&a=1", {{"a", "1"}}},                 // an empty name names nothing
        {"a=b=c", {{"a", "b=c"}}},                // only the first `=` splits
        {"a=1;b=2", {{"a", "1;b=2"}}},            // `;` is data
        {"meta_na%6De=x", {{"meta_name", "x"}}},  // names are decoded too
        {"a+b=c+d", {{"a b", "c d"}}},
        {"REcord=false&record=true", {{"REcord", "false"}, {"record", "true"}}},  // case-sensitive
        {"a=%7E%41", {{"a", "~A"}}},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.raw);
        const auto result = parseQuery(c.raw, kDefaultMaxQueryLength);
        ASSERT_TRUE(result.ok()) << toString(result.error);
        EXPECT_EQ(result.query.raw, c.raw);
        EXPECT_EQ(result.query.params.entries(), c.expected);
        EXPECT_TRUE(result.query.repeated.empty());
    }
}

TEST(QueryStringTest, RefusesBadInputWithKindAndOffset) {
    struct Case {
        std::string_view name;
        std::string raw;
        QueryError error;
        std::size_t offset;
    };
    const std::vector<Case> cases = {
        {"non-hex escape", "a=1&b=%zz", QueryError::MalformedPercentEncoding, 4},
        {"one non-hex digit", "a=%4g", QueryError::MalformedPercentEncoding, 0},
        {"truncated escape", "a=1&b=%4", QueryError::MalformedPercentEncoding, 4},
        {"lone percent", "a=%", QueryError::MalformedPercentEncoding, 0},
        {"bad escape in name", "a%=1", QueryError::MalformedPercentEncoding, 0},
        {"invalid byte", "a=1&b=%FF", QueryError::InvalidUtf8, 4},
        {"raw invalid byte", "a=\xC3", QueryError::InvalidUtf8, 0},
        {"overlong slash", "a=%C0%AF", QueryError::InvalidUtf8, 0},
        {"encoded surrogate", "a=%ED%A0%80", QueryError::InvalidUtf8, 0},
        {"above U+10FFFF", "a=%F4%90%80%80", QueryError::InvalidUtf8, 0},
        {"truncated sequence", "a=%E2%82", QueryError::InvalidUtf8, 0},
        {"invalid name", "%FF=1", QueryError::InvalidUtf8, 0},
        {"encoded NUL", "a=1&b=x%00y", QueryError::NulByte, 4},
        {"raw NUL", std::string("a=x\0y", 5), QueryError::NulByte, 0},
        {"NUL in name", "a%00=1", QueryError::NulByte, 0},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        const auto result = parseQuery(c.raw, kDefaultMaxQueryLength);
        EXPECT_FALSE(result.ok());
        EXPECT_EQ(result.error, c.error) << toString(result.error);
        EXPECT_EQ(result.errorOffset, c.offset);
        EXPECT_TRUE(result.query.params.empty());
    }
}

TEST(QueryStringTest, OneMebibyteQueryIsRefusedByTheLimitQuickly) {
    const std::string huge(1024 * 1024, 'a');
    const auto start = std::chrono::steady_clock::now();
    const auto result = parseQuery(huge, kDefaultMaxQueryLength);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(result.error, QueryError::TooLong);
    EXPECT_EQ(result.errorOffset, kDefaultMaxQueryLength);
    EXPECT_LT(elapsed, std::chrono::milliseconds(50));

    // Exactly at the limit is fine; one byte over is not.
    const std::string atLimit = "a=" + std::string(98, 'x');
    EXPECT_TRUE(parseQuery(atLimit, 100).ok());
    EXPECT_EQ(parseQuery(atLimit + "x", 100).error, QueryError::TooLong);
}

TEST(QueryStringTest, OneMebibyteQueryWithinALargeLimitIsCappedByTheParameterCount) {
    // 1 MiB of tiny parameters under a 2 MiB limit: refused at the parameter cap, quickly.
    std::string raw;
    raw.reserve(1024 * 1024 + 64);
    while (raw.size() < 1024 * 1024) raw += "a&";
    const auto start = std::chrono::steady_clock::now();
    const auto result = parseQuery(raw, 2 * 1024 * 1024);
    const auto elapsed = std::chrono::steady_clock::now() - start;
    EXPECT_EQ(result.error, QueryError::TooManyParameters);
    EXPECT_EQ(result.errorOffset, 2 * kMaxQueryParameters);
    EXPECT_LT(elapsed, std::chrono::seconds(1));

    // Only non-empty segments count: a megabyte of `&` is nothing.
    EXPECT_TRUE(parseQuery(std::string(1024 * 1024, '&'), 2 * 1024 * 1024).ok());
}

TEST(QueryStringTest, ManyDistinctAndRepeatedParametersDoNotGoQuadratic) {
    // kMaxQueryParameters entries, half of them repeats: the duplicate check sorts.
    std::string raw;
    for (std::size_t i = 0; i < kMaxQueryParameters; ++i) raw += "p" + std::to_string(i % 5000) + "=v&";
    const auto start = std::chrono::steady_clock::now();
    const auto result = parseQuery(raw, kDefaultMaxFormBodyLength, {"meetingID", "checksum"});
    const auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(result.ok()) << toString(result.error);
    EXPECT_EQ(result.query.params.size(), 5000u);
    EXPECT_EQ(result.query.repeated.size(), 5000u);
    EXPECT_EQ(result.query.repeated.front(), "p0");
    EXPECT_LT(elapsed, std::chrono::seconds(1));
    EXPECT_EQ(parseQuery(raw + "x=1", kDefaultMaxFormBodyLength).error, QueryError::TooManyParameters);
}

TEST(QueryStringTest, RepeatedParametersKeepTheFirstValueAndAreReported) {
    const auto result = parseQuery("a=1&b=2&a=3&c=4&b=5&a=6", kDefaultMaxQueryLength);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.query.params.entries(), (Params{{"a", "1"}, {"b", "2"}, {"c", "4"}}));
    EXPECT_EQ(result.query.repeated, (std::vector<std::string>{"a", "b"}));
    EXPECT_TRUE(result.query.isRepeated("a"));
    EXPECT_FALSE(result.query.isRepeated("c"));
}

TEST(QueryStringTest, RepeatsOfNamesThatMustBeUniqueAreRefused) {
    struct Case {
        std::string_view raw;
        std::string_view name;
        std::size_t offset;
    };
    const std::vector<Case> cases = {
        {"meetingID=a&name=x&meetingID=b", "meetingID", 19},
        {"checksum=1&a=1&checksum=2", "checksum", 15},
        {"meetingID=a&meeting%49D=b", "meetingID", 12},  // the decoded name counts
        {"meetingID=a&meetingID=a", "meetingID", 12},    // even with the same value
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.raw);
        const auto result = parseQuery(c.raw, kDefaultMaxQueryLength, {"meetingID", "checksum"});
        EXPECT_EQ(result.error, QueryError::RepeatedParameter);
        EXPECT_EQ(result.errorName, c.name);
        EXPECT_EQ(result.errorOffset, c.offset);
    }
    // Other repeats are only reported.
    const auto ok = parseQuery("meetingID=a&x=1&x=2", kDefaultMaxQueryLength, {"meetingID", "checksum"});
    ASSERT_TRUE(ok.ok());
    EXPECT_EQ(ok.query.repeated, std::vector<std::string>{"x"});
}

TEST(QueryStringTest, FormBodyFollowsTheSameRules) {
    const auto result = parseFormBody("meetingID=abc&name=My+Room%21&meetingID=x", kDefaultMaxFormBodyLength);
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.query.raw, "meetingID=abc&name=My+Room%21&meetingID=x");
    EXPECT_EQ(result.query.params.entries(), (Params{{"meetingID", "abc"}, {"name", "My Room!"}}));
    EXPECT_EQ(result.query.repeated, std::vector<std::string>{"meetingID"});

    EXPECT_EQ(parseFormBody("a=%zz", 100).error, QueryError::MalformedPercentEncoding);
    EXPECT_EQ(parseFormBody("a=%ff", 100).error, QueryError::InvalidUtf8);
    EXPECT_EQ(parseFormBody("a=%00", 100).error, QueryError::NulByte);
    EXPECT_EQ(parseFormBody(std::string(101, 'a'), 100).error, QueryError::TooLong);
    EXPECT_EQ(parseFormBody("meetingID=1&meetingID=2", 100, {"meetingID"}).error, QueryError::RepeatedParameter);
}

TEST(QueryStringTest, AppendFormDecodedReportsMalformedEscapes) {
    std::string out;
    EXPECT_TRUE(appendFormDecoded(out, "a+b%41"));
    EXPECT_EQ(out, "a bA");
    for (std::string_view bad : {"%", "%4", "%g0", "%0g", "x%"}) {
        SCOPED_TRACE(bad);
        std::string sink;
        EXPECT_FALSE(appendFormDecoded(sink, bad));
    }
}

TEST(QueryStringTest, ErrorKindsHaveStableNames) {
    EXPECT_STREQ(toString(QueryError::None), "none");
    EXPECT_STREQ(toString(QueryError::MalformedPercentEncoding), "malformed_percent_encoding");
    EXPECT_STREQ(toString(QueryError::InvalidUtf8), "invalid_utf8");
    EXPECT_STREQ(toString(QueryError::NulByte), "nul_byte");
    EXPECT_STREQ(toString(QueryError::TooLong), "too_long");
    EXPECT_STREQ(toString(QueryError::TooManyParameters), "too_many_parameters");
    EXPECT_STREQ(toString(QueryError::RepeatedParameter), "repeated_parameter");
}

}  // namespace
}  // namespace b3s::core::bbb
