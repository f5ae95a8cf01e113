#include "http/http_connection.hpp"

#include "bbb/bbb_response.hpp"
#include "http/connection_socket.hpp"
#include "http/json_response.hpp"
#include "log/logger.hpp"

#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPServerRequestImpl.h>
#include <Poco/Net/HTTPServerResponseImpl.h>
#include <Poco/Net/HTTPServerSession.h>
#include <Poco/Net/NetException.h>
#include <Poco/Timespan.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <array>
#include <cstddef>

#include <poll.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <cerrno>

namespace b3s::core::http {
namespace {

using Poco::Net::HTTPResponse;

log::Logger& logger() {
    static log::Logger l("b3s.core.http");
    return l;
}

/// After a refused head: how long, and how many bytes, we keep reading what the client still
/// sends before closing (see lingerClose).
constexpr std::chrono::seconds kLingerTime{2};
constexpr std::size_t kLingerBytes = 16 * 1024 * 1024;
/// HTTPRequest::MAX_METHOD_LENGTH (private in POCO 1.11).
constexpr std::size_t kMaxMethodLength = 32;
static_assert(ConnectionSocketImpl::kRequestStartBytes >= kMaxMethodLength + 1 + kBbbPathPrefix.size() + 16,
              "the kept start of a request must hold the longest \"<METHOD> /bbb/\" after a few blank lines");

std::string describe(const std::exception& e) {
    if (const auto* poco = dynamic_cast<const Poco::Exception*>(&e)) return poco->displayText();
    return e.what();
}

// For log lines: the path only, since BBB query strings carry meeting passwords.
std::string pathOf(const std::string& uri) {
    return uri.substr(0, std::min(uri.find_first_of("?#"), std::size_t{200}));
}

std::string peerOf(const Poco::Net::StreamSocket& socket) {
    try {
        return socket.peerAddress().toString();
    } catch (const Poco::Exception&) {
        // The client may already be gone; the address is only for log lines.
        return "unknown";
    }
}

// The same characters as Poco::Ascii::isSpace, which HTTPRequest::read splits the line on.
bool isSpace(char c) noexcept {
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

struct Refusal {
    HTTPResponse::HTTPStatus status;
    std::string_view code;
    std::string_view message;
};

// POCO reports every refusal as a MessageException and tells them apart only by its text
// (HTTPRequest::read: "HTTP request URI invalid or too long", "…method…", "Invalid HTTP
// version string"; MessageHeader::read: "Field name too long/no colon found", "Field value
// too long/no CRLF found", "Too many header fields"). A text we do not know is a plain 400.
Refusal refusalFor(const std::string& reason) {
    if (reason.find("URI") != std::string::npos)
        return {HTTPResponse::HTTP_REQUEST_URI_TOO_LONG, "request_too_large", "the request line is too long"};
    if (reason.find("Field") != std::string::npos || reason.find("header fields") != std::string::npos)
        return {HTTPResponse::HTTP_REQUEST_HEADER_FIELDS_TOO_LARGE, "request_too_large",
                "the request headers are too large or malformed"};
    return {HTTPResponse::HTTP_BAD_REQUEST, "bad_request", "the request line is malformed"};
}

void sendBbbFailure(Poco::Net::HTTPServerResponse& response) {
    // What the gateway itself answers for a query over B3SCALE_BBB_MAX_QUERY_BYTES.
    const std::string body = bbb::renderFailure(bbb::ApiError::invalidQuery(bbb::QueryError::TooLong));
    response.setStatusAndReason(HTTPResponse::HTTP_OK);
    response.setContentType(std::string(bbb::kXmlContentType));
    response.set("Cache-Control", "no-cache");
    response.setContentLength(static_cast<std::streamsize>(body.size()));
    response.send().write(body.data(), static_cast<std::streamsize>(body.size()));
}

}  // namespace

RequestTarget classifyRequestStart(std::string_view bytes) noexcept {
    std::size_t i = 0;
    while (i < bytes.size() && isSpace(bytes[i])) ++i;
    const std::size_t method_start = i;
    while (i < bytes.size() && !isSpace(bytes[i])) ++i;
    if (i == bytes.size()) return RequestTarget::Undecided;
    if (i - method_start > kMaxMethodLength) return RequestTarget::Other;
    while (i < bytes.size() && isSpace(bytes[i])) ++i;
    const std::string_view uri = bytes.substr(i);
    if (uri.size() >= kBbbPathPrefix.size())
        return uri.starts_with(kBbbPathPrefix) ? RequestTarget::Bbb : RequestTarget::Other;
    return kBbbPathPrefix.starts_with(uri) ? RequestTarget::Undecided : RequestTarget::Other;
}

// ---------------------------------------------------------------------------------------
// ConnectionRegistry

void ConnectionRegistry::stopAll(bool abortCurrent) {
    std::lock_guard lock(mutex_);
    stopping_ = true;
    aborting_ = aborting_ || abortCurrent;
    for (HttpConnection* c : connections_) {
        c->stopped_ = true;
        if (aborting_ || !c->busy_) c->shutdownSocket();
    }
}

bool ConnectionRegistry::waitUntilIdle(std::chrono::steady_clock::time_point deadline) {
    std::unique_lock lock(mutex_);
    return idle_.wait_until(lock, deadline, [this] { return busy_ == 0; });
}

void ConnectionRegistry::add(HttpConnection& connection) {
    std::lock_guard lock(mutex_);
    connections_.insert(&connection);
    progress_.fetch_add(1, std::memory_order_relaxed);
    // Accepted before the stop but handed to a thread only after it: close it at once, or it
    // would wait a whole keep-alive timeout for a request nobody will serve.
    if (stopping_) {
        connection.stopped_ = true;
        connection.shutdownSocket();
    }
}

void ConnectionRegistry::remove(HttpConnection& connection) noexcept {
    std::lock_guard lock(mutex_);
    connections_.erase(&connection);
}

bool ConnectionRegistry::beginRequest(HttpConnection& connection) {
    std::lock_guard lock(mutex_);
    if (connection.stopped_) return false;
    connection.busy_ = true;
    ++busy_;
    return true;
}

bool ConnectionRegistry::endRequest(HttpConnection& connection) {
    std::lock_guard lock(mutex_);
    if (connection.busy_) {
        connection.busy_ = false;
        progress_.fetch_add(1, std::memory_order_relaxed);
        if (--busy_ == 0) idle_.notify_all();
    }
    return !connection.stopped_;
}

// ---------------------------------------------------------------------------------------
// HttpConnection

/// POCO's server session, with a way to ask whether it holds bytes it has read from the
/// socket but not yet parsed (HTTPSession::buffered() is protected), and a cheaper wait for
/// the next request on a kept-alive connection.
class HttpConnection::Session final : public Poco::Net::HTTPServerSession {
public:
    Session(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params)
        : HTTPServerSession(socket, params),
          keep_alive_timeout_(params->getKeepAliveTimeout()),
          unlimited_(params->getMaxKeepAliveRequests() == 0) {}
    bool hasBufferedInput() const { return buffered() > 0; }

    /// hasMoreRequests() with one poll(2) per request instead of POCO 1.11's epoll_create,
    /// epoll_ctl, epoll_wait and close (its Socket::poll): a third of the system calls of a
    /// join. Only for an unlimited number of requests per connection (http_server.cpp),
    /// where POCO's own count stays at "unlimited" after the first request, so the first
    /// wait is still POCO's (which starts that count) and canKeepAlive() keeps its meaning.
    bool awaitRequest() {
        if (first_ || !unlimited_) {
            first_ = false;
            return hasMoreRequests();
        }
        if (!getKeepAlive() || !canKeepAlive()) return false;
        if (hasBufferedInput()) return true;
        const auto fd = socket().impl()->sockfd();
        if (fd == POCO_INVALID_SOCKET) return false;
        pollfd p{fd, POLLIN, 0};
        const auto timeout_ms = static_cast<int>(keep_alive_timeout_.totalMilliseconds());
        int rc = 0;
        do {
            rc = ::poll(&p, 1, timeout_ms);
        } while (rc < 0 && errno == EINTR);
        if (rc < 0) throw Poco::Net::NetException("poll failed while waiting for the next request");
        return rc > 0;  // readable, closed or failed: the read that follows tells which
    }

private:
    const Poco::Timespan keep_alive_timeout_;
    const bool unlimited_;
    bool first_ = true;
};

HttpConnection::HttpConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                               Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                               std::shared_ptr<ConnectionRegistry> registry)
    : TCPServerConnection(socket),
      params_(std::move(params)),
      handlers_(std::move(handlers)),
      registry_(std::move(registry)),
      request_start_(dynamic_cast<ConnectionSocketImpl*>(this->socket().impl())),
      peer_(peerOf(socket)) {
    registry_->add(*this);
}

HttpConnection::~HttpConnection() {
    registry_->remove(*this);
}

void HttpConnection::run() {
    Session session(socket(), params_);
    // The session closes the socket when it goes; leave the registry first, so that a stop
    // never shuts down a closed (or by then reused) descriptor.
    struct Retire {
        HttpConnection& connection;
        ~Retire() { connection.registry_->remove(connection); }
    } retire{*this};
    try {
        // awaitRequest() waits (up to the read timeout for the first request, the keep-alive
        // timeout for later ones) until the client sends something or closes; ends when
        // keep-alive is off. A stop wakes it by shutting the socket down.
        while (session.awaitRequest()) {
            if (!registry_->beginRequest(*this)) break;
            // Ends the busy period even when serveRequest throws, or shutdown would wait
            // its whole grace period for a request that is long gone.
            struct BusyScope {
                HttpConnection& connection;
                bool ended = false;
                bool end() {
                    ended = true;
                    return connection.registry_->endRequest(connection);
                }
                ~BusyScope() {
                    if (!ended) connection.registry_->endRequest(connection);
                }
            } busy{*this};
            const bool keep_open = serveRequest(session);
            if (!busy.end() || !keep_open) break;
        }
        if (unread_body_) lingerClose();  // the answer is flushed: its request went out of scope
    } catch (const std::exception& e) {
        // serveRequest handles its own failures; what arrives here is the socket failing
        // between requests (a reset, a poll error). The connection is over either way.
        logger().debug("connection_failed", {{"peer", peer_}, {"error", describe(e)}});
    }
}

bool HttpConnection::serveRequest(Session& session) {
    const bool start_visible = request_start_ != nullptr && !session.hasBufferedInput();
    if (start_visible) request_start_->captureRequestStart();
    // Declared before the request, as in POCO: the request is destroyed first, then the
    // response, whose stream flushes the answer.
    Poco::Net::HTTPServerResponseImpl response(session);
    std::unique_ptr<Poco::Net::HTTPServerRequestImpl> request;
    try {
        request = std::make_unique<Poco::Net::HTTPServerRequestImpl>(response, session, params_.get());
    } catch (const Poco::Net::NoMessageException&) {
        return false;  // the client closed the connection between requests
    } catch (const Poco::Net::MessageException& e) {
        if (session.networkException() != nullptr) {
            // A timeout or reset in the middle of the head surfaces as a "malformed" head; the
            // client is too slow or gone, and telling it its request is too long would be wrong.
            logger().debug("request_head_unreadable",
                           {{"peer", peer_}, {"error", session.networkException()->displayText()}});
            return false;
        }
        refuseHead(session,
                   start_visible ? classifyRequestStart(request_start_->requestStart()) : RequestTarget::Undecided, e);
        return false;
    } catch (const Poco::Exception& e) {
        // Anything else while reading the head (a read timeout on its first byte, a reset, a
        // Content-Length that is not a number): close without an answer, as POCO does.
        logger().debug("request_head_unreadable", {{"peer", peer_}, {"error", e.displayText()}});
        return false;
    }

    response.setDate(Poco::Timestamp());
    response.setVersion(request->getVersion());
    response.setKeepAlive(params_->getKeepAlive() && request->getKeepAlive() && session.canKeepAlive());
    const std::string& server = params_->getSoftwareVersion();
    if (!server.empty()) response.set("Server", server);
    try {
        std::unique_ptr<Poco::Net::HTTPRequestHandler> handler(handlers_->createRequestHandler(*request));
        if (!handler) {
            sendError(session, HTTPResponse::HTTP_NOT_IMPLEMENTED, "not_implemented", "no handler for this request");
            return false;
        }
        if (request->getExpectContinue() && response.getStatus() == HTTPResponse::HTTP_OK) response.sendContinue();
        handler->handleRequest(*request, response);
        session.setKeepAlive(params_->getKeepAlive() && response.getKeepAlive() && session.canKeepAlive());
        // An answer given before the body was read (413, 401 …) that ends the connection: once
        // the answer is out, the close must linger (run()), or the client, still sending,
        // gets a reset instead of it.
        const bool had_body =
            request->getChunkedTransferEncoding() || (request->hasContentLength() && request->getContentLength64() > 0);
        unread_body_ = had_body && !session.getKeepAlive() && !request->stream().eof();
    } catch (const std::exception& e) {
        // The Router answers a failing route handler itself; what arrives here failed around
        // it, mostly writing to a client that went away.
        logger().debug("request_failed",
                       {{"peer", peer_}, {"path", pathOf(request->getURI())}, {"error", describe(e)}});
        if (!response.sent())
            sendError(session, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "internal_error",
                      "the server failed to handle this request");
        return false;
    }
    return true;
}

void HttpConnection::refuseHead(Session& session, RequestTarget target, const Poco::Net::MessageException& error) {
    const bool bbb = target == RequestTarget::Bbb;
    logger().info("request_head_refused",
                  {{"peer", peer_}, {"api", bbb ? "bbb" : "http"}, {"reason", error.message()}});
    try {
        // A fresh response: the one given to the failed request still points at it.
        Poco::Net::HTTPServerResponseImpl response(session);
        response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
        response.setDate(Poco::Timestamp());
        response.setKeepAlive(false);
        if (bbb) {
            sendBbbFailure(response);
        } else {
            const Refusal refusal = refusalFor(error.message());
            sendJsonError(response, refusal.status, refusal.code, refusal.message);
        }
    } catch (const Poco::Exception& e) {
        logger().debug("refusal_not_sent", {{"peer", peer_}, {"error", e.displayText()}});
        return;
    }
    session.setKeepAlive(false);
    lingerClose();
}

void HttpConnection::sendError(Session& session, Poco::Net::HTTPResponse::HTTPStatus status, std::string_view code,
                               std::string_view message) {
    try {
        Poco::Net::HTTPServerResponseImpl response(session);
        response.setVersion(Poco::Net::HTTPMessage::HTTP_1_1);
        response.setKeepAlive(false);
        sendJsonError(response, status, code, message);
    } catch (const Poco::Exception& e) {
        logger().debug("error_answer_not_sent", {{"peer", peer_}, {"error", e.displayText()}});
    }
    session.setKeepAlive(false);
}

// A refused head, or an answer given before the body was read, leaves the rest of the request
// (up to megabytes) unread. Closing a socket
// with unread input makes the kernel send a reset, and a client still busy sending would
// then lose our answer. So: send our FIN, then read and discard what the client still sends
// until it closes too, bounded in time and bytes (a stop shuts the socket and ends it early).
void HttpConnection::lingerClose() {
    try {
        socket().shutdownSend();
        const auto deadline = std::chrono::steady_clock::now() + kLingerTime;
        std::array<char, 16 * 1024> sink{};
        std::size_t drained = 0;
        while (drained < kLingerBytes) {
            const auto left =
                std::chrono::duration_cast<std::chrono::microseconds>(deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) break;
            if (!socket().poll(Poco::Timespan(left.count()), Poco::Net::Socket::SELECT_READ)) break;
            const int n = socket().receiveBytes(sink.data(), static_cast<int>(sink.size()));
            if (n <= 0) break;
            drained += static_cast<std::size_t>(n);
        }
    } catch (const Poco::Exception& e) {
        // The client reset or the server stopped: nothing left to protect.
        logger().debug("linger_ended", {{"peer", peer_}, {"error", e.displayText()}});
    }
}

void HttpConnection::shutdownSocket() {
    try {
        socket().shutdown();
    } catch (const Poco::Exception& e) {
        // Already disconnected (ENOTCONN): then nothing is waiting on it either.
        logger().debug("connection_shutdown_failed", {{"peer", peer_}, {"error", e.displayText()}});
    }
}

// ---------------------------------------------------------------------------------------
// HttpConnectionFactory

HttpConnectionFactory::HttpConnectionFactory(Poco::Net::HTTPRequestHandlerFactory::Ptr handlers,
                                             Poco::Net::HTTPServerParams::Ptr params,
                                             std::shared_ptr<ConnectionRegistry> registry)
    : handlers_(std::move(handlers)), params_(std::move(params)), registry_(std::move(registry)) {}

Poco::Net::TCPServerConnection* HttpConnectionFactory::createConnection(const Poco::Net::StreamSocket& socket) {
    return new HttpConnection(socket, params_, handlers_, registry_);
}

}  // namespace b3s::core::http
