#include "api_endpoint.hpp"

#include "ctl_error.hpp"

#include <Poco/Exception.h>
#include <Poco/URI.h>

namespace b3s::ctl {

ApiEndpoint ApiEndpoint::parse(const std::string& text) {
    std::string trimmed = text;
    while (!trimmed.empty() && trimmed.back() == '/') trimmed.pop_back();
    const std::string complaint = "--api (or B3SCALE_API_URL) must be an http:// or https:// URL, got '" + text + "'";
    Poco::URI uri;
    try {
        uri = Poco::URI(trimmed);
    } catch (const Poco::Exception&) {
        throw UsageError(complaint);
    }
    ApiEndpoint endpoint;
    endpoint.scheme = uri.getScheme();
    if ((endpoint.scheme != "http" && endpoint.scheme != "https") || uri.getHost().empty() || !uri.getQuery().empty() ||
        !uri.getFragment().empty())
        throw UsageError(complaint);
    endpoint.url = trimmed;
    endpoint.host = uri.getHost();
    endpoint.port = uri.getPort();
    endpoint.path_prefix = uri.getPath();
    while (!endpoint.path_prefix.empty() && endpoint.path_prefix.back() == '/') endpoint.path_prefix.pop_back();
    return endpoint;
}

std::string percentEncode(const std::string& text) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        const bool unreserved = (u >= 'A' && u <= 'Z') || (u >= 'a' && u <= 'z') || (u >= '0' && u <= '9') ||
                                u == '-' || u == '.' || u == '_' || u == '~';
        if (unreserved) {
            out += c;
        } else {
            out += '%';
            out += kHex[u >> 4];
            out += kHex[u & 0x0F];
        }
    }
    return out;
}

std::string encodeQuery(const QueryParams& params) {
    std::string out;
    for (const auto& [name, value] : params) {
        if (!out.empty()) out += '&';
        out += percentEncode(name) + "=" + percentEncode(value);
    }
    return out;
}

}  // namespace b3s::ctl
