// libFuzzer target: the BBB request path on arbitrary bytes. Besides "no crash, no
// sanitizer report" it asserts the module's round-trip properties:
//   * a parsed query's parameters are unique, valid UTF-8 and NUL-free, and survive
//     buildBackendQuery() → parseQuery() unchanged (checksum excepted);
//   * a query signed with signQuery() verifies with verifyChecksum();
//   * decode(encode(key, id)) == (key, id) with invalid UTF-8 replaced by U+FFFD per byte,
//     also element by element through encodeMeetingIdList();
//   * whatever decodeMeetingIdWithKey() accepts (the input itself, or the input taken as
//     the JSON inside an ID) re-encodes to something that decodes to the same pair;
//   * escaped XML text contains no markup characters and only well-formed references.

#include "fuzz_check.hpp"

#include "bbb/backend_url.hpp"
#include "bbb/checksum.hpp"
#include "bbb/meeting_id_codec.hpp"
#include "bbb/query_string.hpp"
#include "bbb/utf8.hpp"
#include "bbb/xml_writer.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

using namespace b3s::core::bbb;

namespace {

constexpr std::string_view kSecret = "639259d4-9dd8-4b25-bf01-95f9567eaf4b";

// Reference for Go's coercion: every byte that does not start a valid sequence → U+FFFD.
std::string sanitize(std::string_view text) {
    std::string out;
    for (std::size_t i = 0; i < text.size();) {
        const Utf8Char ch = decodeUtf8(text, i);
        if (ch.size == 0) {
            appendUtf8(out, 0xFFFD);
            ++i;
        } else {
            out.append(text.substr(i, ch.size));
            i += ch.size;
        }
    }
    return out;
}

void checkQuery(std::string_view input) {
    const auto parsed = parseQuery(input, 1 << 16, {"meetingID", "checksum"});
    if (!parsed.ok()) {
        FUZZ_CHECK(parsed.query.params.empty());
        return;
    }
    FUZZ_CHECK(parsed.query.raw == input);
    const ParamList& params = parsed.query.params;
    for (std::size_t i = 0; i < params.size(); ++i) {
        const Param& p = params.entries()[i];
        FUZZ_CHECK(!p.name.empty());
        FUZZ_CHECK(isValidUtf8(p.name) && isValidUtf8(p.value));
        FUZZ_CHECK(p.name.find('\0') == std::string::npos && p.value.find('\0') == std::string::npos);
        for (std::size_t j = 0; j < i; ++j) FUZZ_CHECK(params.entries()[j].name != p.name);
    }
    const std::string backendQuery = buildBackendQuery(params);
    const auto reparsed = parseQuery(backendQuery, SIZE_MAX);
    FUZZ_CHECK(reparsed.ok());
    FUZZ_CHECK(reparsed.query.repeated.empty());
    std::size_t expected = 0;
    for (const Param& p : params) {
        if (p.name == "checksum") continue;
        ++expected;
        const std::string* value = reparsed.query.params.find(p.name);
        FUZZ_CHECK(value != nullptr && *value == p.value);
    }
    FUZZ_CHECK(reparsed.query.params.size() == expected);
}

void checkChecksum(std::string_view input, const std::uint8_t selector) {
    (void)verifyChecksum("create", input, kSecret);
    if (findRawChecksum(input)) return;  // the property needs our checksum to be the first one
    const auto algorithm = static_cast<ChecksumAlgorithm>(selector % 4);
    const std::string sig = signQuery("create", input, kSecret, algorithm);
    std::string raw(input);
    raw += raw.empty() ? "checksum=" : "&checksum=";
    raw += sig;
    const auto result = verifyChecksum("create", raw, kSecret);
    FUZZ_CHECK(result.ok);
    FUZZ_CHECK(result.algorithm && *result.algorithm == algorithm);
    FUZZ_CHECK(!verifyChecksum("create", raw, "another secret").ok);
}

void checkDecode(std::string_view value) {
    if (const auto decoded = decodeMeetingIdWithKey(value)) {
        FUZZ_CHECK(isValidUtf8(decoded->frontendKey) && isValidUtf8(decoded->meetingId));
        const auto again = decodeMeetingIdWithKey(encodeMeetingId(decoded->frontendKey, decoded->meetingId));
        FUZZ_CHECK(again && *again == *decoded);
        FUZZ_CHECK(decodeMeetingId(value) == decoded->meetingId);
    } else {
        FUZZ_CHECK(!decodeMeetingId(value));
    }
}

void checkCodec(std::string_view input) {
    checkDecode(input);
    // The input as the JSON inside an ID: lets the fuzzer reach the JSON reader directly.
    std::string wrapped;
    appendBase64Url(wrapped, input);
    FUZZ_CHECK(decodeBase64Url(wrapped) == std::string(input));
    checkDecode(wrapped);

    // Split the input into a key and an id.
    const std::size_t split = input.empty() ? 0 : static_cast<unsigned char>(input[0]) % input.size();
    const std::string_view key = input.substr(0, split);
    const std::string_view id = input.substr(split);
    const std::string encoded = encodeMeetingId(key, id);
    const auto decoded = decodeMeetingIdWithKey(encoded);
    FUZZ_CHECK(decoded.has_value());
    FUZZ_CHECK(decoded->frontendKey == sanitize(key));
    FUZZ_CHECK(decoded->meetingId == sanitize(id));

    const std::string list = encodeMeetingIdList(key, id);
    std::size_t from = 0;
    std::size_t idFrom = 0;
    while (true) {
        const std::size_t comma = list.find(',', from);
        const std::size_t idComma = id.find(',', idFrom);
        FUZZ_CHECK((comma == std::string::npos) == (idComma == std::string_view::npos));
        const auto element = decodeMeetingIdWithKey(std::string_view(list).substr(from, comma - from));
        FUZZ_CHECK(element && element->meetingId == sanitize(id.substr(idFrom, idComma - idFrom)));
        if (comma == std::string::npos) break;
        from = comma + 1;
        idFrom = idComma + 1;
    }
}

void checkXml(std::string_view input) {
    for (const bool attribute : {false, true}) {
        std::string out;
        if (attribute) {
            XmlWriter::appendEscapedAttribute(out, input);
        } else {
            XmlWriter::appendEscapedText(out, input);
        }
        FUZZ_CHECK(isValidUtf8(out));
        for (std::size_t i = 0; i < out.size(); ++i) {
            const auto c = static_cast<unsigned char>(out[i]);
            FUZZ_CHECK(c != '<' && c != '>' && c != '"' && c != '\'');
            FUZZ_CHECK(c >= 0x20 || (!attribute && (c == '\n' || c == '\t')));
            if (c == '&') {
                const std::string_view rest = std::string_view(out).substr(i);
                bool known = false;
                for (std::string_view ref : {"&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#13;", "&#10;", "&#9;"}) {
                    known = known || rest.starts_with(ref);
                }
                FUZZ_CHECK(known);
            }
        }
    }
    XmlWriter writer;
    writer.startElement("response").text(input).attribute("x", "y");  // attribute after text: misuse
    FUZZ_CHECK(!writer.ok());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string_view input(reinterpret_cast<const char*>(data), size);
    checkQuery(input);
    checkChecksum(input, size == 0 ? 0 : data[size - 1]);
    checkCodec(input);
    checkXml(input);
    std::string decoded;
    (void)appendFormDecoded(decoded, input);
    return 0;
}
