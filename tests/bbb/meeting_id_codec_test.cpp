#include "bbb/meeting_id_codec.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace b3s::core::bbb {
namespace {

// Each case: the inputs, the JSON that Go's encoding/json Marshal writes for
// []string{key, id, "b3scl"} — derived by hand from Go's rules, reasoning in the comment —
// and its padded URL-safe base64 (a mechanical transformation of that JSON).
// The derivations were cross-checked against a real Go 1.19 encoding/json, which agrees on
// every row except "backspace and form feed" (see that row).
struct CodecCase {
    std::string_view name;
    std::string key;
    std::string id;
    std::string json;
    std::string encoded;
};

const std::vector<CodecCase> kCases = {
    // The spec's test vector (b3scale-gateway.md §3.2): nothing needs escaping.
    {"spec vector", "fkey1", "mid1", R"(["fkey1","mid1","b3scl"])", "WyJma2V5MSIsIm1pZDEiLCJiM3NjbCJd"},
    // Valid non-ASCII UTF-8 (U+00DC = C3 9C) is copied verbatim: Go escapes only invalid
    // bytes and U+2028/U+2029 above 0x7F.
    {"umlaut", "fk",
     "Besprechung \xC3\x9C"
     "ber",
     "[\"fk\",\"Besprechung \xC3\x9C"
     "ber\",\"b3scl\"]",
     "WyJmayIsIkJlc3ByZWNodW5nIMOcYmVyIiwiYjNzY2wiXQ=="},
    // U+1F600 (F0 9F 98 80): a valid 4-byte sequence, verbatim.
    {"emoji", "fk", "room \xF0\x9F\x98\x80", "[\"fk\",\"room \xF0\x9F\x98\x80\",\"b3scl\"]",
     "WyJmayIsInJvb20g8J-YgCIsImIzc2NsIl0="},
    // Marshal escapes HTML: < > & are not in htmlSafeSet → \u00XX with lowercase hex.
    {"html characters", "fk", "<a>&b", R"(["fk","\u003ca\u003e\u0026b","b3scl"])",
     "WyJmayIsIlx1MDAzY2FcdTAwM2VcdTAwMjZiIiwiYjNzY2wiXQ=="},
    // " and \ get a backslash; `/` is safe in Go (never escaped).
    {"quotes and backslash", "fk", R"(say "hi" \o/)", R"(["fk","say \"hi\" \\o/","b3scl"])",
     "WyJmayIsInNheSBcImhpXCIgXFxvLyIsImIzc2NsIl0="},
    // \n \r \t have short forms; 0x01 0x1f 0x0b 0x00 do not → \u0001 \u001f \u000b \u0000
    // (lowercase hex); DEL 0x7f is in htmlSafeSet → verbatim.
    {"control characters", "fk", std::string("a\nb\rc\td\x01\x1f\x0b\x00\x7f", 12),
     std::string("[\"fk\",\"a\\nb\\rc\\td\\u0001\\u001f\\u000b\\u0000\x7f\",\"b3scl\"]"),
     "WyJmayIsImFcbmJccmNcdGRcdTAwMDFcdTAwMWZcdTAwMGJcdTAwMDB_IiwiYjNzY2wiXQ=="},
    // Go >= 1.22 (b3scale's go.mod says 1.25) writes \b and \f; Go <= 1.21 wrote \u0008
    // and \u000c (WyJmayIsIlx1MDAwOFx1MDAwYyIsImIzc2NsIl0=). We match current b3scale.
    {"backspace and form feed", "fk", "\b\f", R"(["fk","\b\f","b3scl"])", "WyJmayIsIlxiXGYiLCJiM3NjbCJd"},
    // 0xff can never start a UTF-8 sequence: DecodeRuneInString → (RuneError, 1) → the six
    // characters \ufffd (escaped text, not the raw bytes EF BF BD).
    {"invalid byte 0xff", "fk", "\xFF", R"(["fk","\ufffd","b3scl"])", "WyJmayIsIlx1ZmZmZCIsImIzc2NsIl0="},
    // One replacement per byte, stepping one byte at a time:
    //   a | FF→\ufffd | b | E2 82 then E2: third byte not a continuation → E2→\ufffd,
    //   82→\ufffd | E2 82 AC = € valid → verbatim | C0 (never valid) →\ufffd, AF (lone
    //   continuation) →\ufffd | ED A0 80 (a surrogate: ED allows only 80..9F) → three \ufffd.
    {"invalid sequences", "fk",
     "a\xFF"
     "b\xE2\x82\xE2\x82\xAC\xC0\xAF\xED\xA0\x80",
     "[\"fk\",\"a\\ufffdb\\ufffd\\ufffd\xE2\x82\xAC\\ufffd\\ufffd\\ufffd\\ufffd\\ufffd\",\"b3scl\"]",
     "WyJmayIsImFcdWZmZmRiXHVmZmZkXHVmZmZk4oKsXHVmZmZkXHVmZmZkXHVmZmZkXHVmZmZkXHVmZmZkIiwiYjNzY2wiXQ=="},
    // U+2028 (E2 80 A8) and U+2029 (E2 80 A9) are escaped unconditionally.
    {"line and paragraph separators", "fk", "x\xE2\x80\xA8y\xE2\x80\xA9z", R"(["fk","x\u2028y\u2029z","b3scl"])",
     "WyJmayIsInhcdTIwMjh5XHUyMDI5eiIsImIzc2NsIl0="},
    // The frontend key follows the same rules.
    {"escaped key", "k<y \"q\"", "m", R"(["k\u003cy \"q\"","m","b3scl"])", "WyJrXHUwMDNjeSBcInFcIiIsIm0iLCJiM3NjbCJd"},
    // Empty strings are still elements.
    {"empty id", "fk", "", R"(["fk","","b3scl"])", "WyJmayIsIiIsImIzc2NsIl0="},
    {"empty key and id", "", "", R"(["","","b3scl"])", "WyIiLCIiLCJiM3NjbCJd"},
};

TEST(MeetingIdCodecTest, JsonMatchesGoEncodingJson) {
    for (const auto& c : kCases) {
        SCOPED_TRACE(c.name);
        std::string json = "[";
        appendGoJsonString(json, c.key);
        json += ",";
        appendGoJsonString(json, c.id);
        json += ",\"b3scl\"]";
        EXPECT_EQ(json, c.json);
    }
}

TEST(MeetingIdCodecTest, EncodingIsByteIdenticalToB3scale) {
    for (const auto& c : kCases) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(encodeMeetingId(c.key, c.id), c.encoded);
        std::string base64;
        appendBase64Url(base64, c.json);
        EXPECT_EQ(base64, c.encoded);
    }
}

TEST(MeetingIdCodecTest, DecodeReturnsTheOriginalIdAndKey) {
    for (const auto& c : kCases) {
        SCOPED_TRACE(c.name);
        if (c.name.starts_with("invalid")) continue;  // not reversible by design
        EXPECT_EQ(decodeMeetingId(c.encoded), c.id);
        const auto both = decodeMeetingIdWithKey(c.encoded);
        ASSERT_TRUE(both.has_value());
        EXPECT_EQ(both->frontendKey, c.key);
        EXPECT_EQ(both->meetingId, c.id);
    }
}

TEST(MeetingIdCodecTest, InvalidUtf8DecodesToReplacementCharacters) {
    EXPECT_EQ(decodeMeetingId(encodeMeetingId("fk", "\xFF")), "\xEF\xBF\xBD");
    EXPECT_EQ(decodeMeetingId(encodeMeetingId("fk", "a\xC3")), "a\xEF\xBF\xBD");
    const auto both = decodeMeetingIdWithKey(encodeMeetingId("\xFE", "x"));
    ASSERT_TRUE(both.has_value());
    EXPECT_EQ(both->frontendKey, "\xEF\xBF\xBD");
}

TEST(MeetingIdCodecTest, RoundTripsValidUtf8) {
    const std::vector<std::string> samples = {
        "mid1",
        "",
        " ",
        "a,b",
        "=",
        "Ä Ö Ü ß",
        "\xF0\x9F\x8E\x89 party",
        "\xE2\x80\xA8",
        "\xEF\xBF\xBD",
        "<script>alert(1)</script>",
        R"(\"\\)",
        std::string("\0\x01\x1f", 3),
        "\b\f\n\r\t",
        "b3scl",
        "WyJma2V5MSIsIm1pZDEiLCJiM3NjbCJd",  // an encoded ID encoded again
        std::string(300, 'x'),
    };
    for (const auto& key : {std::string("fkey1"), std::string("tenant \xE2\x82\xAC"), std::string()}) {
        for (const auto& id : samples) {
            SCOPED_TRACE(key + " / " + id);
            const std::string encoded = encodeMeetingId(key, id);
            const auto decoded = decodeMeetingIdWithKey(encoded);
            ASSERT_TRUE(decoded.has_value());
            EXPECT_EQ(decoded->frontendKey, key);
            EXPECT_EQ(decoded->meetingId, id);
            // URL-safe: nothing a query string would have to escape but `=`.
            EXPECT_EQ(encoded.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_="),
                      std::string::npos);
        }
    }
}

TEST(MeetingIdCodecTest, ListEncodingSplitsOnCommas) {
    const std::string a = encodeMeetingId("fk", "a");
    const std::string b = encodeMeetingId("fk", "b");
    const std::string empty = encodeMeetingId("fk", "");
    EXPECT_EQ(a, "WyJmayIsImEiLCJiM3NjbCJd");
    EXPECT_EQ(b, "WyJmayIsImIiLCJiM3NjbCJd");
    EXPECT_EQ(encodeMeetingIdList("fk", "a"), a);
    EXPECT_EQ(encodeMeetingIdList("fk", "a,b"), a + "," + b);
    EXPECT_EQ(encodeMeetingIdList("fk", "a,"), a + "," + empty);  // Go's strings.Split keeps it
    EXPECT_EQ(encodeMeetingIdList("fk", ",b"), empty + "," + b);
    EXPECT_EQ(encodeMeetingIdList("fk", ""), empty);
    EXPECT_EQ(encodeMeetingIdList("fk", ",,"), empty + "," + empty + "," + empty);
    // The joined list is not itself an encoded ID (`,` is not in the alphabet).
    EXPECT_EQ(decodeMeetingId(encodeMeetingIdList("fk", "a,b")), std::nullopt);
}

TEST(MeetingIdCodecTest, ValuesThatAreNotEncodedIdsDecodeToNothing) {
    auto b64 = [](std::string_view json) {
        std::string out;
        appendBase64Url(out, json);
        return out;
    };
    struct Case {
        std::string_view name;
        std::string value;
    };
    const std::vector<Case> cases = {
        {"plain id", "mid1"},
        {"empty", ""},
        {"missing padding", "WyJmayIsIiIsImIzc2NsIl0"},
        {"standard alphabet", "WyJmayIsInJvb20g8J+YgCIsImIzc2NsIl0="},
        {"padding in the middle", "WyJm=yIsIiIsImIzc2NsIl0="},
        {"too much padding", "WyJmayIsIiIsImIzc2NsIl0=="},
        {"three padding characters", "WyJmayIsImIzc2NsIi===="},
        {"newline inside", "WyJma2V5MSIsIm1p\nZDEiLCJiM3NjbCJd"},
        {"not json", b64("hello world, this is not json")},
        {"two elements", b64(R"(["fkey1","b3scl"])")},
        {"four elements", b64(R"(["a","b","c","b3scl"])")},
        {"wrong marker", b64(R"(["fkey1","mid1","b3scL"])")},
        {"marker not last", b64(R"(["fkey1","b3scl","mid1"])")},
        {"number element", b64(R"(["fkey1",12345,"b3scl"])")},
        {"null element", b64(R"(["fkey1",null,"b3scl"])")},
        {"object", b64(R"({"a":"fkey1","b":"mid1","c":"b3scl"})")},
        {"trailing garbage", b64(R"(["fkey1","mid1","b3scl"]x)")},
        {"trailing comma", b64(R"(["fkey1","mid1","b3scl",])")},
        {"unterminated string", b64(R"(["fkey1","mid1","b3scl)")},
        {"raw control character", b64("[\"fkey1\",\"a\tb\",\"b3scl\"]")},
        {"bad escape", b64(R"(["fkey1","a\xb","b3scl"])")},
        {"short unicode escape", b64(R"(["fkey1","\u12","b3scl"])")},
        {"single quotes", b64(R"(['fkey1','mid1','b3scl'])")},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(decodeMeetingId(c.value), std::nullopt);
        EXPECT_EQ(decodeMeetingIdWithKey(c.value), std::nullopt);
    }
}

TEST(MeetingIdCodecTest, DecodingAcceptsWhatGosJsonUnmarshalAccepts) {
    auto b64 = [](std::string_view json) {
        std::string out;
        appendBase64Url(out, json);
        return out;
    };
    struct Case {
        std::string_view name;
        std::string json;
        std::string id;
    };
    const std::vector<Case> cases = {
        {"whitespace", " [ \"k\" ,\n\"mid\"\t, \"b3scl\" ]\r\n", "mid"},
        {"escaped solidus", R"(["k","a\/b","b3scl"])", "a/b"},
        {"all short escapes", R"(["k","\"\\\/\b\f\n\r\t","b3scl"])", "\"\\/\b\f\n\r\t"},
        {"unicode escape", R"(["k","\u00e4\u00C4","b3scl"])", "\xC3\xA4\xC3\x84"},
        {"surrogate pair", R"(["k","\ud83d\ude00","b3scl"])", "\xF0\x9F\x98\x80"},
        {"lone high surrogate", R"(["k","\ud83dx","b3scl"])", "\xEF\xBF\xBDx"},
        {"lone low surrogate", R"(["k","\ude00","b3scl"])", "\xEF\xBF\xBD"},
        {"high then non-surrogate escape", R"(["k","\ud83d\u0041","b3scl"])",
         "\xEF\xBF\xBD"
         "A"},
        {"two high surrogates", R"(["k","\ud83d\ud83d\ude00","b3scl"])", "\xEF\xBF\xBD\xF0\x9F\x98\x80"},
        {"escaped NUL", R"(["k","\u0000","b3scl"])", std::string("\0", 1)},
        {"raw invalid byte", "[\"k\",\"a\xFF\",\"b3scl\"]", "a\xEF\xBF\xBD"},
        {"escaped marker", R"(["k","m","b3sc\u006c"])", "m"},
        {"raw U+2028", "[\"k\",\"\xE2\x80\xA8\",\"b3scl\"]", "\xE2\x80\xA8"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.name);
        EXPECT_EQ(decodeMeetingId(b64(c.json)), c.id);
    }
    // Go's URLEncoding (not Strict) ignores non-zero bits in the last character.
    EXPECT_EQ(decodeMeetingId("WyJmayIsIlx1ZmZmZCIsImIzc2NsIl1="), "\xEF\xBF\xBD");
}

TEST(MeetingIdCodecTest, Base64UrlRoundTripsEveryLength) {
    std::string data;
    for (int n = 0; n < 64; ++n) {
        SCOPED_TRACE(n);
        std::string encoded;
        appendBase64Url(encoded, data);
        EXPECT_EQ(encoded.size() % 4, 0u);
        EXPECT_EQ(decodeBase64Url(encoded), data);
        data.push_back(static_cast<char>(n * 37 + 250));
    }
    EXPECT_EQ(decodeBase64Url("-_-_"), std::string("\xFB\xFF\xBF", 3));
    EXPECT_EQ(decodeBase64Url("+/+/"), std::nullopt);
    EXPECT_EQ(decodeBase64Url("abc"), std::nullopt);
    EXPECT_EQ(decodeBase64Url("a==="), std::nullopt);
    EXPECT_EQ(decodeBase64Url("=aaa"), std::nullopt);
}

}  // namespace
}  // namespace b3s::core::bbb
