#pragma once
// The one HTTP client b3scaled uses to talk to BBB backends: pooled keep-alive connections
// per backend origin, connect and response timeouts, no redirects followed, no headers of
// the frontend's request ever forwarded (no cookies, no Accept-Encoding, no hop-by-hop).

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace Poco::Net {
class HTTPClientSession;
class IPAddress;
}  // namespace Poco::Net

namespace b3s::core::cluster {

struct BackendClientOptions {
    std::chrono::milliseconds connect_timeout{3000};
    std::chrono::milliseconds response_timeout{20000};
    std::size_t max_idle_per_origin = 32;       ///< idle keep-alive connections kept per backend
    std::chrono::seconds idle_timeout{60};      ///< an idle connection older than this is closed
    std::size_t max_response_bytes = 16 << 20;  ///< a larger answer is an error, not a memory spike
    bool verify_tls = true;                     ///< https backends: verify the certificate
    /// Calls to one origin in flight at once (0: no limit). A call beyond it waits up to
    /// `slot_wait` for one to end, else fails as Busy without reaching the backend: a frozen
    /// backend holds this many of the caller's threads at most, never all of them.
    std::size_t max_calls_per_origin = 0;
    std::chrono::milliseconds slot_wait{100};
    /// When set, the client resolves each host itself, asks this about every address it
    /// resolves to (host as in the URL, address, port; a reason when refused), refuses the
    /// call when any is refused, and connects to one of the checked addresses — never a
    /// second resolution — keeping the URL's host as Host header and TLS server name. Such
    /// connections are not pooled. For URLs that others chose (callbacks to frontends).
    std::function<std::optional<std::string>(std::string_view host, const Poco::Net::IPAddress& address,
                                             std::uint16_t port)>
        address_check;
};

struct BackendRequest {
    std::string method = "GET";
    std::string url;           ///< absolute, already signed (bbb::buildBackendUrl)
    std::string body;          ///< sent when not empty
    std::string content_type;  ///< for the body
};

struct BackendResponse {
    int status = 0;
    std::string content_type;
    std::string location;  ///< Location header of a redirect, else empty
    std::string body;
    std::chrono::microseconds latency{0};
};

/// Why a call produced no response. `message` never contains the URL's query (it carries
/// the backend's checksum) and is safe for logs, not for clients.
struct BackendCallError {
    enum class Kind { InvalidUrl, ConnectFailed, Timeout, ConnectionLost, TooLarge, Refused, Busy };
    Kind kind = Kind::ConnectFailed;
    std::string message;
};

struct BackendCallResult {
    std::optional<BackendResponse> response;  ///< set on success (any HTTP status)
    BackendCallError error;                   ///< meaningful when !response
    bool ok() const noexcept { return response.has_value(); }
};

/// Thread-safety: call() may be used concurrently from any number of threads; each call
/// takes its own connection (an idle pooled one when available).
class BackendClient {
public:
    explicit BackendClient(BackendClientOptions options = {});
    ~BackendClient();
    BackendClient(const BackendClient&) = delete;
    BackendClient& operator=(const BackendClient&) = delete;

    /// Performs one request. A request that fails while being SENT on a reused keep-alive
    /// connection (the backend closed it meanwhile) is retried once on a new connection;
    /// nothing is retried after the backend may have seen it.
    BackendCallResult call(const BackendRequest& request);

    /// Idle connections currently pooled (all origins), for tests and metrics.
    std::size_t idleConnections() const;
    /// Connections opened since construction, for tests and metrics.
    std::size_t connectionsOpened() const;

    /// Calls in flight to `origin` ("scheme://host:port"), for tests.
    std::size_t callsInFlight(const std::string& origin) const;

private:
    struct Origin;
    struct Pooled;
    class Slot;
    std::unique_ptr<Poco::Net::HTTPClientSession> takeIdle(const std::string& origin);
    void giveBack(const std::string& origin, std::unique_ptr<Poco::Net::HTTPClientSession> session);
    std::unique_ptr<Poco::Net::HTTPClientSession> open(const Origin& origin);
    /// A connection to a checked address of `origin` (address_check); nullptr with `error` set
    /// when every address is refused or none answers.
    std::unique_ptr<Poco::Net::HTTPClientSession> openChecked(const Origin& origin, const std::string& where,
                                                              BackendCallError& error);

    BackendClientOptions options_;
    mutable std::mutex mutex_;
    std::map<std::string, std::vector<Pooled>> idle_;
    std::size_t opened_ = 0;
    std::map<std::string, std::size_t> in_flight_;  ///< per origin, when limited
    std::condition_variable slot_freed_;
};

}  // namespace b3s::core::cluster
