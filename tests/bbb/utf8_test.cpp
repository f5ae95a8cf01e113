#include "bbb/utf8.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace b3s::core::bbb {
namespace {

TEST(Utf8Test, ValidityFollowsRfc3629) {
    struct Case {
        std::string_view name;
        std::string text;
        std::size_t firstInvalid;  // npos: valid
    };
    constexpr auto kValid = std::string_view::npos;
    const std::vector<Case> cases = {
        {"empty", "", kValid},
        {"ascii longer than a word", "abcdefghijklmnopqrstuvwxyz", kValid},
        {"two bytes", "\xC2\x80\xDF\xBF", kValid},
        {"three bytes", "\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80\xEF\xBF\xBF", kValid},
        {"four bytes", "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF", kValid},
        {"non-ASCII after eight ASCII bytes", "12345678\xC3\xA4", kValid},
        {"lone continuation", "ab\x80", 2},
        {"overlong two bytes C0", "\xC0\x80", 0},
        {"overlong two bytes C1", "\xC1\xBF", 0},
        {"overlong three bytes", "\xE0\x9F\xBF", 0},
        {"surrogate", "abcdefghi\xED\xA0\x80", 9},
        {"overlong four bytes", "\xF0\x8F\xBF\xBF", 0},
        {"above U+10FFFF", "\xF4\x90\x80\x80", 0},
        {"F5 lead", "\xF5\x80\x80\x80", 0},
        {"truncated at end", "a\xE2\x82", 1},
        {"bad continuation", "\xE2\x28\xA1", 0},
        {"FF", "\xFF", 0},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(findInvalidUtf8(c.text), c.firstInvalid);
        EXPECT_EQ(isValidUtf8(c.text), c.firstInvalid == kValid);
    }
}

TEST(Utf8Test, DecodeAndAppendAgree) {
    for (char32_t cp : {0x0u, 0x41u, 0x7Fu, 0x80u, 0x7FFu, 0x800u, 0xD7FFu, 0xE000u, 0xFFFDu, 0xFFFFu, 0x10000u,
                        0x1F600u, 0x10FFFFu}) {
        SCOPED_TRACE(static_cast<unsigned>(cp));
        std::string out;
        appendUtf8(out, cp);
        const Utf8Char ch = decodeUtf8(out, 0);
        EXPECT_EQ(ch.codePoint, cp);
        EXPECT_EQ(ch.size, out.size());
    }
    std::string surrogate;
    appendUtf8(surrogate, 0xD800);
    EXPECT_EQ(surrogate, "\xEF\xBF\xBD");
    std::string tooBig;
    appendUtf8(tooBig, 0x110000);
    EXPECT_EQ(tooBig, "\xEF\xBF\xBD");
}

}  // namespace
}  // namespace b3s::core::bbb
