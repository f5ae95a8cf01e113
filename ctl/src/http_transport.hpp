#pragma once
// The one HTTP client of b3scalectl: one request per call over a fresh HTTP or HTTPS
// connection (Poco::Net; certificates checked against the system's CAs), no redirects
// followed. A CLI sends a handful of requests, so connections are not pooled.

#include "api_endpoint.hpp"

#include <chrono>
#include <functional>
#include <string>
#include <utility>
#include <vector>

namespace b3s::ctl {

struct HttpReply {
    int status = 0;
    std::string content_type;
    std::string body;
    std::string location;  ///< Location header, "" when absent
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

/// Called after every request ("GET http://…/api/v1/backends -> 200 (3 ms)") when debugging.
using HttpTrace = std::function<void(const std::string&)>;

class HttpTransport {
public:
    explicit HttpTransport(ApiEndpoint endpoint, std::chrono::milliseconds timeout = std::chrono::seconds(30),
                           HttpTrace trace = {});

    const ApiEndpoint& endpoint() const noexcept { return endpoint_; }

    /// Sends `method` to endpoint.target(`path_and_query`). `body` is sent (with
    /// `content_type`) when the method is not GET/DELETE or the body is not empty.
    /// Throws CtlError "cannot reach b3scaled at <url>: <reason>" when no answer arrives.
    HttpReply send(const std::string& method, const std::string& path_and_query, const HttpHeaders& headers = {},
                   const std::string& body = {}, const std::string& content_type = {}) const;

private:
    ApiEndpoint endpoint_;
    std::chrono::milliseconds timeout_;
    HttpTrace trace_;
};

/// "b3scalectl/<version>".
std::string userAgent();

}  // namespace b3s::ctl
