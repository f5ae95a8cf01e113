#pragma once
// Where b3scaled's API is: `--api` / B3SCALE_API_URL, b3scale's default otherwise.

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace b3s::ctl {

/// b3scaled's default listen address (README; b3scale's docs say 42352 too).
inline constexpr const char* kDefaultApiUrl = "http://127.0.0.1:42352";

struct ApiEndpoint {
    std::string url;          ///< as given, without trailing slashes: "https://b3s.example.org"
    std::string scheme;       ///< "http" or "https"
    std::string host;         ///< "b3s.example.org"
    std::uint16_t port = 0;   ///< explicit or the scheme's default
    std::string path_prefix;  ///< "" or "/prefix" when b3scaled sits under a path

    /// Parses an http(s) URL with a host; a trailing slash is tolerated. Throws UsageError
    /// naming --api for anything else.
    static ApiEndpoint parse(const std::string& text);
    /// path_prefix + `path` (which starts with '/').
    std::string target(const std::string& path) const { return path_prefix + path; }
};

using QueryParams = std::vector<std::pair<std::string, std::string>>;

/// RFC 3986 percent-encoding of everything but the unreserved characters [A-Za-z0-9-._~].
std::string percentEncode(const std::string& text);

/// "a=1&b=x%20y" (empty for no parameters).
std::string encodeQuery(const QueryParams& params);

}  // namespace b3s::ctl
