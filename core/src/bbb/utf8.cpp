#include "bbb/utf8.hpp"

#include <cstring>

namespace b3s::core::bbb {

namespace {

inline bool isContinuation(unsigned char c) noexcept {
    return (c & 0xC0u) == 0x80u;
}

}  // namespace

Utf8Char decodeUtf8(std::string_view text, std::size_t pos) noexcept {
    const auto* p = reinterpret_cast<const unsigned char*>(text.data()) + pos;
    const std::size_t left = text.size() - pos;
    const unsigned char c0 = p[0];
    if (c0 < 0x80u) return {c0, 1};
    // The second byte's range depends on the lead byte; that is what rules out overlong
    // forms (E0, F0), surrogates (ED) and values above U+10FFFF (F4).
    unsigned char lo = 0x80u;
    unsigned char hi = 0xBFu;
    std::size_t need = 0;
    char32_t cp = 0;
    if (c0 >= 0xC2u && c0 <= 0xDFu) {
        need = 2;
        cp = c0 & 0x1Fu;
    } else if (c0 >= 0xE0u && c0 <= 0xEFu) {
        need = 3;
        cp = c0 & 0x0Fu;
        if (c0 == 0xE0u) lo = 0xA0u;
        if (c0 == 0xEDu) hi = 0x9Fu;
    } else if (c0 >= 0xF0u && c0 <= 0xF4u) {
        need = 4;
        cp = c0 & 0x07u;
        if (c0 == 0xF0u) lo = 0x90u;
        if (c0 == 0xF4u) hi = 0x8Fu;
    } else {
        return {};
    }
    if (left < need) return {};
    if (p[1] < lo || p[1] > hi) return {};
    cp = (cp << 6) | (p[1] & 0x3Fu);
    for (std::size_t i = 2; i < need; ++i) {
        if (!isContinuation(p[i])) return {};
        cp = (cp << 6) | (p[i] & 0x3Fu);
    }
    return {cp, static_cast<std::uint8_t>(need)};
}

std::size_t findInvalidUtf8(std::string_view text) noexcept {
    std::size_t i = 0;
    const std::size_t n = text.size();
    while (i < n) {
        // Most BBB parameters are ASCII: test eight bytes at once for a set high bit.
        if (i + 8 <= n) {
            std::uint64_t word;
            std::memcpy(&word, text.data() + i, 8);
            if ((word & 0x8080808080808080ull) == 0) {
                i += 8;
                continue;
            }
        }
        if (static_cast<unsigned char>(text[i]) < 0x80u) {
            ++i;
            continue;
        }
        const Utf8Char ch = decodeUtf8(text, i);
        if (ch.size == 0) return i;
        i += ch.size;
    }
    return std::string_view::npos;
}

void appendUtf8(std::string& out, char32_t cp) {
    if (cp > 0x10FFFFu || (cp >= 0xD800u && cp <= 0xDFFFu)) cp = 0xFFFDu;
    if (cp < 0x80u) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800u) {
        out.push_back(static_cast<char>(0xC0u | (cp >> 6)));
        out.push_back(static_cast<char>(0x80u | (cp & 0x3Fu)));
    } else if (cp < 0x10000u) {
        out.push_back(static_cast<char>(0xE0u | (cp >> 12)));
        out.push_back(static_cast<char>(0x80u | ((cp >> 6) & 0x3Fu)));
        out.push_back(static_cast<char>(0x80u | (cp & 0x3Fu)));
    } else {
        out.push_back(static_cast<char>(0xF0u | (cp >> 18)));
        out.push_back(static_cast<char>(0x80u | ((cp >> 12) & 0x3Fu)));
        out.push_back(static_cast<char>(0x80u | ((cp >> 6) & 0x3Fu)));
        out.push_back(static_cast<char>(0x80u | (cp & 0x3Fu)));
    }
}

}  // namespace b3s::core::bbb
