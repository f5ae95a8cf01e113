#pragma once
// UTF-8 helpers shared by the query parser, the meeting-ID codec and the XML writer.
// Validity follows RFC 3629 (the same table Go's utf8.DecodeRune uses): no overlong forms,
// no surrogates (U+D800..U+DFFF), nothing above U+10FFFF.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace b3s::core::bbb {

/// One decoded code point. `size` is 1..4 for a valid sequence and 0 when the bytes at the
/// position do not start a valid sequence (Go's (RuneError, 1): callers step one byte).
struct Utf8Char {
    char32_t codePoint = 0;
    std::uint8_t size = 0;
};

/// Decodes the code point starting at `text[pos]` (`pos < text.size()`).
/// Errors: none thrown; an invalid or truncated sequence gives size 0.
/// Thread-safety: pure function.
Utf8Char decodeUtf8(std::string_view text, std::size_t pos) noexcept;

/// Position of the first byte that does not start a valid sequence, or npos when `text` is
/// entirely valid UTF-8. Pure-ASCII runs are skipped eight bytes at a time.
/// Thread-safety: pure function.
std::size_t findInvalidUtf8(std::string_view text) noexcept;

/// True when `text` is valid UTF-8. Thread-safety: pure function.
inline bool isValidUtf8(std::string_view text) noexcept {
    return findInvalidUtf8(text) == std::string_view::npos;
}

/// Appends the UTF-8 encoding of `codePoint` (must be a scalar value, i.e. not a surrogate
/// and at most U+10FFFF; anything else appends U+FFFD). Thread-safety: pure function.
void appendUtf8(std::string& out, char32_t codePoint);

}  // namespace b3s::core::bbb
