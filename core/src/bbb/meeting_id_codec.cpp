#include "bbb/meeting_id_codec.hpp"

#include <b3s/support/base64url.hpp>
#include "bbb/utf8.hpp"

#include <array>
#include <cstdint>

namespace b3s::core::bbb {

namespace {

constexpr char kLowerHex[] = "0123456789abcdef";

// Go's htmlSafeSet inverted: the ASCII bytes Marshal escapes.
constexpr std::array<bool, 128> makeEscapeTable() {
    std::array<bool, 128> table{};
    for (unsigned c = 0; c < 0x20; ++c) table[c] = true;
    table['"'] = table['\\'] = table['<'] = table['>'] = table['&'] = true;
    return table;
}
constexpr auto kJsonEscape = makeEscapeTable();

std::size_t encodedJsonLength(std::string_view key, std::string_view id) {
    // A good guess for reserve(): the plain bytes plus the fixed frame `["","","b3scl"]`.
    return key.size() + id.size() + 16;
}

// ---- a minimal JSON reader for `[ "s", "s", "s" ]` with Go's json.Unmarshal semantics ----

class ArrayReader {
public:
    explicit ArrayReader(std::string_view text) : text_(text) {}

    bool readThreeStrings(std::array<std::string, 3>& out) {
        skipSpace();
        if (!consume('[')) return false;
        for (std::size_t i = 0; i < out.size(); ++i) {
            skipSpace();
            if (i > 0) {
                if (!consume(',')) return false;
                skipSpace();
            }
            if (!readString(out[i])) return false;
        }
        skipSpace();
        if (!consume(']')) return false;
        skipSpace();
        return pos_ == text_.size();
    }

private:
    void skipSpace() noexcept {
        while (pos_ < text_.size() &&
               (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n' || text_[pos_] == '\r')) {
            ++pos_;
        }
    }

    bool consume(char c) noexcept {
        if (pos_ < text_.size() && text_[pos_] == c) {
            ++pos_;
            return true;
        }
        return false;
    }

    // Four hex digits at `at` → value, or -1.
    long hex4(std::size_t at) const noexcept {
        if (at > text_.size() || text_.size() - at < 4) return -1;
        long value = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            const char c = text_[at + i];
            int d;
            if (c >= '0' && c <= '9')
                d = c - '0';
            else if (c >= 'a' && c <= 'f')
                d = c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                d = c - 'A' + 10;
            else
                return -1;
            value = value * 16 + d;
        }
        return value;
    }

    bool readString(std::string& out) {
        if (!consume('"')) return false;
        while (pos_ < text_.size()) {
            const auto c = static_cast<unsigned char>(text_[pos_]);
            if (c == '"') {
                ++pos_;
                return true;
            }
            if (c < 0x20) return false;  // raw control characters are a syntax error
            if (c == '\\') {
                if (!readEscape(out)) return false;
                continue;
            }
            if (c < 0x80) {
                out.push_back(static_cast<char>(c));
                ++pos_;
                continue;
            }
            // Go replaces each byte that does not start valid UTF-8 with U+FFFD.
            const Utf8Char ch = decodeUtf8(text_, pos_);
            if (ch.size == 0) {
                appendUtf8(out, 0xFFFD);
                ++pos_;
            } else {
                out.append(text_.substr(pos_, ch.size));
                pos_ += ch.size;
            }
        }
        return false;  // unterminated
    }

    bool readEscape(std::string& out) {
        if (text_.size() - pos_ < 2) return false;
        const char e = text_[pos_ + 1];
        pos_ += 2;
        switch (e) {
            case '"': out.push_back('"'); return true;
            case '\\': out.push_back('\\'); return true;
            case '/': out.push_back('/'); return true;
            case 'b': out.push_back('\b'); return true;
            case 'f': out.push_back('\f'); return true;
            case 'n': out.push_back('\n'); return true;
            case 'r': out.push_back('\r'); return true;
            case 't': out.push_back('\t'); return true;
            case 'u': break;
            default: return false;
        }
        const long unit = hex4(pos_);
        if (unit < 0) return false;
        pos_ += 4;
        if (unit >= 0xD800 && unit <= 0xDFFF) {
            // As Go: a high surrogate followed by an escaped low one is a pair; any other
            // surrogate becomes U+FFFD and what follows is read on its own.
            if (unit <= 0xDBFF && text_.size() - pos_ >= 6 && text_[pos_] == '\\' && text_[pos_ + 1] == 'u') {
                const long low = hex4(pos_ + 2);
                if (low >= 0xDC00 && low <= 0xDFFF) {
                    pos_ += 6;
                    appendUtf8(out, static_cast<char32_t>(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)));
                    return true;
                }
            }
            appendUtf8(out, 0xFFFD);
            return true;
        }
        appendUtf8(out, static_cast<char32_t>(unit));
        return true;
    }

    std::string_view text_;
    std::size_t pos_ = 0;
};

}  // namespace

void appendGoJsonString(std::string& out, std::string_view text) {
    out.push_back('"');
    std::size_t start = 0;  // first byte not yet copied
    std::size_t i = 0;
    const std::size_t n = text.size();
    auto flush = [&](std::size_t upTo) { out.append(text.data() + start, upTo - start); };
    while (i < n) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            if (!kJsonEscape[c]) {
                ++i;
                continue;
            }
            flush(i);
            switch (c) {
                case '"': out.append("\\\""); break;
                case '\\': out.append("\\\\"); break;
                case '\b': out.append("\\b"); break;
                case '\f': out.append("\\f"); break;
                case '\n': out.append("\\n"); break;
                case '\r': out.append("\\r"); break;
                case '\t': out.append("\\t"); break;
                default:
                    out.append("\\u00");
                    out.push_back(kLowerHex[c >> 4]);
                    out.push_back(kLowerHex[c & 0x0F]);
            }
            start = ++i;
            continue;
        }
        const Utf8Char ch = decodeUtf8(text, i);
        if (ch.size == 0) {
            // Go's DecodeRuneInString reports (RuneError, 1): one replacement per byte.
            flush(i);
            out.append("\\ufffd");
            start = ++i;
            continue;
        }
        if (ch.codePoint == 0x2028 || ch.codePoint == 0x2029) {
            flush(i);
            out.append(ch.codePoint == 0x2028 ? "\\u2028" : "\\u2029");
            i += ch.size;
            start = i;
            continue;
        }
        i += ch.size;
    }
    flush(n);
    out.push_back('"');
}

void appendBase64Url(std::string& out, std::string_view data) {
    support::appendBase64Url(out, data, /*padded=*/true);
}

std::optional<std::string> decodeBase64Url(std::string_view text) {
    if (text.size() % 4 != 0) return std::nullopt;
    std::string out;
    out.reserve(text.size() / 4 * 3);
    for (std::size_t i = 0; i < text.size(); i += 4) {
        const bool last = i + 4 == text.size();
        std::size_t pad = 0;
        if (last) {
            if (text[i + 3] == '=') pad = text[i + 2] == '=' ? 2 : 1;
        }
        std::uint32_t v = 0;
        for (std::size_t k = 0; k < 4 - pad; ++k) {
            const std::int8_t d = support::kBase64UrlValue[static_cast<unsigned char>(text[i + k])];
            if (d < 0) return std::nullopt;  // also catches `=` anywhere but the padding
            v |= static_cast<std::uint32_t>(d) << (18 - 6 * k);
        }
        out.push_back(static_cast<char>((v >> 16) & 0xFF));
        if (pad < 2) out.push_back(static_cast<char>((v >> 8) & 0xFF));
        if (pad < 1) out.push_back(static_cast<char>(v & 0xFF));
    }
    return out;
}

std::string encodeMeetingId(std::string_view frontendKey, std::string_view meetingId) {
    std::string json;
    json.reserve(encodedJsonLength(frontendKey, meetingId));
    json.push_back('[');
    appendGoJsonString(json, frontendKey);
    json.push_back(',');
    appendGoJsonString(json, meetingId);
    json.append(",\"b3scl\"]");
    std::string encoded;
    appendBase64Url(encoded, json);
    return encoded;
}

std::string encodeMeetingIdList(std::string_view frontendKey, std::string_view meetingIds) {
    std::string result;
    std::string json;
    std::size_t pos = 0;
    while (true) {
        const std::size_t comma = meetingIds.find(',', pos);
        const std::string_view id = meetingIds.substr(pos, comma == std::string_view::npos ? comma : comma - pos);
        json.clear();
        json.push_back('[');
        appendGoJsonString(json, frontendKey);
        json.push_back(',');
        appendGoJsonString(json, id);
        json.append(",\"b3scl\"]");
        appendBase64Url(result, json);
        if (comma == std::string_view::npos) break;
        result.push_back(',');
        pos = comma + 1;
    }
    return result;
}

std::optional<DecodedMeetingId> decodeMeetingIdWithKey(std::string_view value) {
    // The shortest possible encoding, `["","","b3scl"]`, is 15 bytes → 20 characters.
    if (value.size() < 20) return std::nullopt;
    auto json = decodeBase64Url(value);
    if (!json) return std::nullopt;
    std::array<std::string, 3> parts;
    ArrayReader reader(*json);
    if (!reader.readThreeStrings(parts) || parts[2] != kMeetingIdMarker) return std::nullopt;
    return DecodedMeetingId{std::move(parts[0]), std::move(parts[1])};
}

std::optional<std::string> decodeMeetingId(std::string_view value) {
    auto decoded = decodeMeetingIdWithKey(value);
    if (!decoded) return std::nullopt;
    return std::move(decoded->meetingId);
}

}  // namespace b3s::core::bbb
