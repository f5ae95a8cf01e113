#pragma once
// The agent's one HTTP client: a keep-alive HTTP or HTTPS connection (Poco::Net; certificates
// checked against the system's CAs) to one origin, used by one thread. Each part of the agent
// that talks to b3scaled or BBB has its own, so a slow answer on one never delays another.
// interrupt() (any thread) aborts the request in flight and refuses new ones: how SIGTERM
// stops a thread that waits for an answer.

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace Poco::Net {
class HTTPClientSession;
}

namespace b3s::agent {

/// No answer came (refused, reset, timed out, TLS failed, interrupted). The message says why
/// and names the URL, never a query string.
class HttpUnreachable : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

struct HttpReply {
    int status = 0;
    std::string body;
};

using HttpHeaders = std::vector<std::pair<std::string, std::string>>;

/// An absolute http(s) URL split into what a connection needs.
struct HttpOrigin {
    std::string scheme;  ///< "http" or "https"
    std::string host;
    std::uint16_t port = 0;
    std::string base_path;  ///< path of the URL without a trailing '/' ("" for the root)

    /// Throws std::invalid_argument for anything but an absolute http(s) URL.
    static HttpOrigin parse(const std::string& url);
    std::string url() const;  ///< scheme://host:port, for messages
};

class HttpClient {
public:
    /// `timeout`: for connecting, sending and each read of the answer.
    HttpClient(HttpOrigin origin, std::chrono::milliseconds timeout, HttpHeaders headers = {});
    ~HttpClient();
    HttpClient(const HttpClient&) = delete;
    HttpClient& operator=(const HttpClient&) = delete;

    /// Sends `method` to base_path + `path_and_query` with `body` (JSON when not empty) and
    /// returns the answer. Throws HttpUnreachable when none came. One thread at a time.
    HttpReply send(const std::string& method, const std::string& path_and_query, const std::string& body = {});

    /// Aborts a request in flight (its send() throws HttpUnreachable) and every later one.
    /// Any thread.
    void interrupt();
    bool interrupted() const noexcept { return interrupted_.load(); }

    const HttpOrigin& origin() const noexcept { return origin_; }

private:
    HttpOrigin origin_;
    std::chrono::milliseconds timeout_;
    HttpHeaders headers_;
    std::unique_ptr<Poco::Net::HTTPClientSession> session_;

    std::atomic<bool> interrupted_{false};
    std::mutex socket_mutex_;
    int active_socket_ = -1;  ///< the connection's descriptor while an answer is awaited
};

}  // namespace b3s::agent
