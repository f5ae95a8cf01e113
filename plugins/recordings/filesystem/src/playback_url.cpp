#include "playback_url.hpp"

#include <cctype>

namespace b3s::recordings::filesystem {
namespace {

bool startsWithNoCase(std::string_view text, std::string_view prefix) noexcept {
    if (text.size() < prefix.size()) return false;
    for (std::size_t i = 0; i < prefix.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(text[i])) != prefix[i]) return false;
    return true;
}

}  // namespace

std::string applyPlaybackHost(const std::optional<std::string>& host, std::string_view link_or_path) {
    if (!host) return std::string(link_or_path);
    std::string_view base = *host;
    while (!base.empty() && base.back() == '/') base.remove_suffix(1);

    std::size_t authority = std::string_view::npos;
    if (startsWithNoCase(link_or_path, "https://"))
        authority = 8;
    else if (startsWithNoCase(link_or_path, "http://"))
        authority = 7;
    if (authority != std::string_view::npos) {
        // The authority (userinfo, host, port) ends at the first '/', '?' or '#'.
        auto rest = link_or_path.find_first_of("/?#", authority);
        std::string result(base);
        if (rest != std::string_view::npos) result.append(link_or_path.substr(rest));
        return result;
    }

    std::string_view path = link_or_path;
    while (!path.empty() && path.front() == '/') path.remove_prefix(1);
    std::string result(base);
    result.push_back('/');
    result.append(path);
    return result;
}

}  // namespace b3s::recordings::filesystem
