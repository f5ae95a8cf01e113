#include "util/url_redaction.hpp"

namespace b3s::core {

std::string redactUserinfo(std::string_view url) {
    const auto scheme_end = url.find("://");
    if (scheme_end == std::string_view::npos) return std::string(url);
    const auto authority = scheme_end + 3;
    // The authority ends at the first '/', '?' or '#'; its userinfo ends at the last '@' before
    // that (a password may contain '@' only percent-encoded, but lenient parsers take the last).
    const auto authority_end = url.find_first_of("/?#", authority);
    const auto host_part = url.substr(
        authority, authority_end == std::string_view::npos ? std::string_view::npos : authority_end - authority);
    const auto at = host_part.rfind('@');
    if (at == std::string_view::npos) return std::string(url);
    std::string out(url.substr(0, authority));
    out += "***";
    out += url.substr(authority + at);
    return out;
}

}  // namespace b3s::core
