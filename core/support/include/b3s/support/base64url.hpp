#pragma once
// The one base64url encoder (RFC 4648 §5): padded for b3scale's meeting ids, unpadded for
// JWTs (RFC 7515). The decoders differ on purpose (each format has its own strictness) and
// live with their formats.

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace b3s::support {

inline constexpr char kBase64UrlAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The value of each byte in that alphabet, -1 for bytes outside it (for the decoders).
inline constexpr std::array<std::int8_t, 256> kBase64UrlValue = [] {
    std::array<std::int8_t, 256> table{};
    for (auto& v : table) v = -1;
    for (int i = 0; i < 64; ++i) table[static_cast<unsigned char>(kBase64UrlAlphabet[i])] = static_cast<std::int8_t>(i);
    return table;
}();

/// Appends the base64url of `data`, with `=` padding when `padded`. Pure.
void appendBase64Url(std::string& out, std::string_view data, bool padded);

}  // namespace b3s::support
