#include <b3s/support/base64url.hpp>

#include <cstdint>

namespace b3s::support {

void appendBase64Url(std::string& out, std::string_view data, bool padded) {
    out.reserve(out.size() + (data.size() + 2) / 3 * 4);
    const auto* p = reinterpret_cast<const unsigned char*>(data.data());
    std::size_t i = 0;
    for (; i + 3 <= data.size(); i += 3) {
        const std::uint32_t v = (std::uint32_t{p[i]} << 16) | (std::uint32_t{p[i + 1]} << 8) | p[i + 2];
        out.push_back(kBase64UrlAlphabet[(v >> 18) & 0x3F]);
        out.push_back(kBase64UrlAlphabet[(v >> 12) & 0x3F]);
        out.push_back(kBase64UrlAlphabet[(v >> 6) & 0x3F]);
        out.push_back(kBase64UrlAlphabet[v & 0x3F]);
    }
    const std::size_t rest = data.size() - i;
    if (rest == 0) return;
    std::uint32_t v = std::uint32_t{p[i]} << 16;
    if (rest == 2) v |= std::uint32_t{p[i + 1]} << 8;
    out.push_back(kBase64UrlAlphabet[(v >> 18) & 0x3F]);
    out.push_back(kBase64UrlAlphabet[(v >> 12) & 0x3F]);
    if (rest == 2) out.push_back(kBase64UrlAlphabet[(v >> 6) & 0x3F]);
    if (padded) out.append(rest == 1 ? "==" : "=");
}

}  // namespace b3s::support
