#include "cluster/backend_client.hpp"

#include "util/read_limited.hpp"

#include <Poco/Net/Context.h>
#include <Poco/Net/DNS.h>
#include <Poco/Net/HTTPBasicCredentials.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPSClientSession.h>
#include <Poco/Net/IPAddress.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SecureStreamSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/Timespan.h>
#include <Poco/URI.h>

#include <fmt/format.h>

namespace b3s::core::cluster {
namespace {

using Clock = std::chrono::steady_clock;

Poco::Timespan toTimespan(std::chrono::milliseconds ms) {
    return Poco::Timespan(static_cast<long>(ms.count() / 1000), static_cast<long>((ms.count() % 1000) * 1000));
}

Poco::Net::Context::Ptr tlsContext(bool verify) {
    static const Poco::Net::Context::Ptr verifying =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_RELAXED, 9, true);
    static const Poco::Net::Context::Ptr trusting =
        new Poco::Net::Context(Poco::Net::Context::TLS_CLIENT_USE, "", Poco::Net::Context::VERIFY_NONE, 9, false);
    return verify ? verifying : trusting;
}

}  // namespace

struct BackendClient::Origin {
    std::string scheme;
    std::string host;
    unsigned short port = 0;
    std::string key() const { return fmt::format("{}://{}:{}", scheme, host, port); }
};

struct BackendClient::Pooled {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    Clock::time_point idle_since;
};

/// One call's place among the calls in flight to its origin (max_calls_per_origin).
class BackendClient::Slot {
public:
    Slot(BackendClient& client, std::string origin) : client_(client), origin_(std::move(origin)) {}
    ~Slot() {
        if (!held_) return;
        {
            std::lock_guard lock(client_.mutex_);
            if (--client_.in_flight_[origin_] == 0) client_.in_flight_.erase(origin_);
        }
        client_.slot_freed_.notify_all();
    }
    Slot(const Slot&) = delete;
    Slot& operator=(const Slot&) = delete;

    /// Waits up to the client's slot_wait; false when every slot stayed taken.
    bool take() {
        const auto limit = client_.options_.max_calls_per_origin;
        if (limit == 0) return true;
        std::unique_lock lock(client_.mutex_);
        held_ = client_.slot_freed_.wait_for(lock, client_.options_.slot_wait,
                                             [&] { return client_.in_flight_[origin_] < limit; });
        if (held_) ++client_.in_flight_[origin_];
        return held_;
    }

private:
    BackendClient& client_;
    std::string origin_;
    bool held_ = false;
};

BackendClient::BackendClient(BackendClientOptions options) : options_(options) {}

std::size_t BackendClient::callsInFlight(const std::string& origin) const {
    std::lock_guard lock(mutex_);
    const auto it = in_flight_.find(origin);
    return it == in_flight_.end() ? 0 : it->second;
}
BackendClient::~BackendClient() = default;

std::unique_ptr<Poco::Net::HTTPClientSession> BackendClient::takeIdle(const std::string& origin) {
    std::lock_guard lock(mutex_);
    auto it = idle_.find(origin);
    if (it == idle_.end()) return nullptr;
    auto& list = it->second;
    const auto now = Clock::now();
    while (!list.empty()) {
        Pooled pooled = std::move(list.back());  // most recently used: least likely closed by the peer
        list.pop_back();
        if (now - pooled.idle_since < options_.idle_timeout) return std::move(pooled.session);
    }
    return nullptr;
}

void BackendClient::giveBack(const std::string& origin, std::unique_ptr<Poco::Net::HTTPClientSession> session) {
    std::lock_guard lock(mutex_);
    auto& list = idle_[origin];
    if (list.size() >= options_.max_idle_per_origin) return;  // the session closes on destruction
    list.push_back({std::move(session), Clock::now()});
}

std::unique_ptr<Poco::Net::HTTPClientSession> BackendClient::open(const Origin& origin) {
    std::unique_ptr<Poco::Net::HTTPClientSession> session;
    if (origin.scheme == "https") {
        session =
            std::make_unique<Poco::Net::HTTPSClientSession>(origin.host, origin.port, tlsContext(options_.verify_tls));
    } else {
        session = std::make_unique<Poco::Net::HTTPClientSession>(origin.host, origin.port);
    }
    session->setKeepAlive(true);
    session->setTimeout(toTimespan(options_.connect_timeout), toTimespan(options_.response_timeout),
                        toTimespan(options_.response_timeout));
    {
        std::lock_guard lock(mutex_);
        ++opened_;
    }
    return session;
}

std::unique_ptr<Poco::Net::HTTPClientSession> BackendClient::openChecked(const Origin& origin, const std::string& where,
                                                                         BackendCallError& error) {
    using Kind = BackendCallError::Kind;
    std::vector<Poco::Net::IPAddress> addresses;
    Poco::Net::IPAddress literal;
    if (Poco::Net::IPAddress::tryParse(origin.host, literal)) {
        addresses.push_back(literal);
    } else {
        try {
            addresses = Poco::Net::DNS::hostByName(origin.host, Poco::Net::DNS::DNS_HINT_NONE).addresses();
        } catch (const Poco::Exception& e) {
            error = {Kind::ConnectFailed, fmt::format("{}: cannot resolve the host: {}", where, e.displayText())};
            return nullptr;
        }
    }
    if (addresses.empty()) {
        error = {Kind::ConnectFailed, fmt::format("{}: the host resolves to no address", where)};
        return nullptr;
    }
    // Every address, before any connection: a name that also resolves to a refused address
    // is refused as a whole (which one a connection would use is not the sender's to pick).
    for (const auto& address : addresses) {
        if (auto refusal = options_.address_check(origin.host, address, origin.port)) {
            error = {Kind::Refused, fmt::format("{}: {}", where, *refusal)};
            return nullptr;
        }
    }
    error = {Kind::ConnectFailed, fmt::format("{}: no address answered", where)};
    for (const auto& address : addresses) {
        try {
            Poco::Net::StreamSocket socket;
            socket.connect(Poco::Net::SocketAddress(address, origin.port), toTimespan(options_.connect_timeout));
            std::unique_ptr<Poco::Net::HTTPClientSession> session;
            if (origin.scheme == "https") {
                // The URL's host is the TLS server name and what the certificate must name.
                const auto secure =
                    Poco::Net::SecureStreamSocket::attach(socket, origin.host, tlsContext(options_.verify_tls));
                session = std::make_unique<Poco::Net::HTTPSClientSession>(secure);
            } else {
                session = std::make_unique<Poco::Net::HTTPClientSession>(socket);
            }
            session->setKeepAlive(false);
            session->setTimeout(toTimespan(options_.connect_timeout), toTimespan(options_.response_timeout),
                                toTimespan(options_.response_timeout));
            {
                std::lock_guard lock(mutex_);
                ++opened_;
            }
            return session;
        } catch (const Poco::TimeoutException&) {
            error = {Kind::Timeout, fmt::format("{}: connecting timed out", where)};
        } catch (const Poco::Net::ConnectionRefusedException&) {
            error = {Kind::ConnectFailed, fmt::format("{}: connection refused", where)};
        } catch (const Poco::Exception& e) {
            error = {Kind::ConnectFailed, fmt::format("{}: {}", where, e.displayText())};
        }
    }
    return nullptr;
}

BackendCallResult BackendClient::call(const BackendRequest& request) {
    BackendCallResult result;
    Poco::URI uri;
    Origin origin;
    try {
        uri = Poco::URI(request.url);
        origin = {uri.getScheme(), uri.getHost(), uri.getPort()};
    } catch (const Poco::Exception&) {
        result.error = {BackendCallError::Kind::InvalidUrl, "the backend URL is not a valid URL"};
        return result;
    }
    if ((origin.scheme != "http" && origin.scheme != "https") || origin.host.empty()) {
        result.error = {BackendCallError::Kind::InvalidUrl, "the backend URL must be http:// or https://"};
        return result;
    }
    const std::string key = origin.key();
    // For logs: where, but never the query (it carries the backend's checksum).
    const std::string where = fmt::format("{} {}", request.method, key + uri.getPath());
    const auto started = Clock::now();
    Slot slot(*this, key);
    if (!slot.take()) {
        result.error = {BackendCallError::Kind::Busy,
                        fmt::format("{}: {} calls to this backend are in flight; none ended within {} ms", where,
                                    options_.max_calls_per_origin, options_.slot_wait.count())};
        return result;
    }

    const bool checked = static_cast<bool>(options_.address_check);
    for (int attempt = 0; attempt < 2; ++attempt) {
        std::unique_ptr<Poco::Net::HTTPClientSession> session;
        if (checked) {
            session = openChecked(origin, where, result.error);
            if (!session) return result;
        } else if (attempt == 0) {
            session = takeIdle(key);
        }
        const bool reused = !checked && session != nullptr;
        if (!session) session = open(origin);
        bool sent = false;
        try {
            Poco::Net::HTTPRequest http(request.method, uri.getPathEtc(), Poco::Net::HTTPMessage::HTTP_1_1);
            http.setHost(origin.host, origin.port);
            http.setKeepAlive(!checked);
            if (const auto& userinfo = uri.getUserInfo(); !userinfo.empty()) {
                const auto colon = userinfo.find(':');
                Poco::Net::HTTPBasicCredentials(userinfo.substr(0, colon),
                                                colon == std::string::npos ? "" : userinfo.substr(colon + 1))
                    .authenticate(http);
            }
            http.set("User-Agent", "b3scale");
            if (!request.body.empty()) {
                http.setContentType(request.content_type.empty() ? "application/xml" : request.content_type);
                http.setContentLength(static_cast<std::streamsize>(request.body.size()));
            } else if (request.method == "POST") {
                http.setContentLength(0);
            }
            std::ostream& out = session->sendRequest(http);
            if (!request.body.empty())
                out.write(request.body.data(), static_cast<std::streamsize>(request.body.size()));
            out.flush();
            sent = true;

            Poco::Net::HTTPResponse http_response;
            std::istream& in = session->receiveResponse(http_response);
            BackendResponse response;
            response.status = static_cast<int>(http_response.getStatus());
            response.content_type = http_response.getContentType();
            response.location = http_response.get("Location", "");
            auto body = readLimited(in, options_.max_response_bytes);
            if (!body) {
                result.error = {BackendCallError::Kind::TooLarge,
                                fmt::format("{}: answer larger than {} bytes", where, options_.max_response_bytes)};
                return result;  // the session is dropped: the rest is unread
            }
            response.body = std::move(*body);
            response.latency = std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - started);
            if (!checked && http_response.getKeepAlive()) giveBack(key, std::move(session));
            result.response = std::move(response);
            return result;
        } catch (const Poco::TimeoutException& e) {
            result.error = {BackendCallError::Kind::Timeout, fmt::format("{}: timed out ({})", where, e.displayText())};
            return result;
        } catch (const Poco::Net::ConnectionRefusedException& e) {
            result.error = {BackendCallError::Kind::ConnectFailed, fmt::format("{}: connection refused", where)};
            return result;
        } catch (const Poco::Exception& e) {
            // A reused connection the backend had closed fails while sending or before any
            // byte of the answer; the request did not reach the backend, so try once more.
            if (reused && (!sent || dynamic_cast<const Poco::Net::NoMessageException*>(&e) != nullptr)) continue;
            result.error = {sent ? BackendCallError::Kind::ConnectionLost : BackendCallError::Kind::ConnectFailed,
                            fmt::format("{}: {}", where, e.displayText())};
            return result;
        }
    }
    result.error = {BackendCallError::Kind::ConnectionLost, where + ": connection lost"};
    return result;
}

std::size_t BackendClient::idleConnections() const {
    std::lock_guard lock(mutex_);
    std::size_t n = 0;
    for (const auto& [origin, list] : idle_) n += list.size();
    return n;
}

std::size_t BackendClient::connectionsOpened() const {
    std::lock_guard lock(mutex_);
    return opened_;
}

}  // namespace b3s::core::cluster
