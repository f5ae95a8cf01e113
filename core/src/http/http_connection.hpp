#pragma once
// One client connection of the HTTP listener: our replacement for Poco::Net::HTTPServerConnection.
//
// It serves the HTTP/1.1 requests of one TCP connection through the Router exactly as POCO's
// class does (keep-alive, "Connection: close", Expect: 100-continue, ending after the current
// request once the server stops), with one difference: a request head that POCO refuses to
// parse (request line over 16 KiB, a header over MessageHeader's limits, too many headers…)
// gets an answer in the shape of the API it was meant for. POCO 1.11 answers those with a bare
// "400 Bad Request" before any of our code runs; a BBB client must get HTTP 200 with
// <returncode>FAILED</returncode> instead, everyone else our JSON error shape.

#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/TCPServerConnection.h>
#include <Poco/Net/TCPServerConnectionFactory.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_set>

namespace Poco::Net {
class MessageException;
}

namespace b3s::core::http {

/// The path prefix of the BBB API gateway (the route app::ServerApp registers for it). A
/// refused request head whose request line starts with "<METHOD> /bbb/" gets a BBB answer.
inline constexpr std::string_view kBbbPathPrefix = "/bbb/";

/// Which API a request was meant for, judged from the first bytes of its request line.
enum class RequestTarget {
    Bbb,        ///< "<METHOD> /bbb/…"
    Other,      ///< any other request line
    Undecided,  ///< the bytes end before the answer is known (treated as Other)
};

/// Classifies the start of a request as POCO will read it: leading white space is skipped, the
/// method is a run of at most 32 non-space characters, white space, then the URI.
/// Pure, never fails.
RequestTarget classifyRequestStart(std::string_view bytes) noexcept;

class ConnectionSocketImpl;
class HttpConnection;

/// Every live connection of one server, so that shutdown can end them. Thread-safe; shared by
/// the factory, its connections and the HttpServer (shared_ptr, so it outlives all of them).
class ConnectionRegistry {
public:
    /// Marks the server as stopping and tells every connection to end: idle ones (waiting for
    /// their next request) are closed now; busy ones end after their current request, or at
    /// once when `abortCurrent` (their socket is shut down under the running handler).
    /// Connections that start later are closed as soon as they register. Never throws.
    void stopAll(bool abortCurrent);
    /// Waits until no connection is busy with a request (from reading its head to flushing
    /// its answer) or `deadline` passes. Returns true when none is busy.
    bool waitUntilIdle(std::chrono::steady_clock::time_point deadline);
    /// Grows whenever a thread takes up a connection or finishes a request: the progress the
    /// systemd watchdog looks for while connections wait for a thread. Lock-free.
    std::uint64_t progress() const noexcept { return progress_.load(std::memory_order_relaxed); }

private:
    friend class HttpConnection;
    void add(HttpConnection& connection);
    /// Called when run() ends and again from the destructor; the second call does nothing.
    void remove(HttpConnection& connection) noexcept;
    /// False (and the request must not be read) once the server is stopping.
    bool beginRequest(HttpConnection& connection);
    /// Ends the busy period begun by beginRequest (a second call is harmless). False when the
    /// connection must end now instead of waiting for another request.
    bool endRequest(HttpConnection& connection);

    std::mutex mutex_;
    std::condition_variable idle_;
    std::unordered_set<HttpConnection*> connections_;
    int busy_ = 0;
    bool stopping_ = false;
    bool aborting_ = false;
    std::atomic<std::uint64_t> progress_{0};
};

/// Serves one accepted socket until the client closes, keep-alive ends, a request head is
/// refused, or the server stops. Created by HttpConnectionFactory in a pool thread; run()
/// never throws (failures are logged).
class HttpConnection final : public Poco::Net::TCPServerConnection {
public:
    HttpConnection(const Poco::Net::StreamSocket& socket, Poco::Net::HTTPServerParams::Ptr params,
                   Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, std::shared_ptr<ConnectionRegistry> registry);
    ~HttpConnection() override;

    void run() override;

private:
    friend class ConnectionRegistry;
    class Session;

    /// One request on `session`. Returns false when the connection must close afterwards.
    bool serveRequest(Session& session);
    void refuseHead(Session& session, RequestTarget target, const Poco::Net::MessageException& error);
    /// A JSON error answer on a fresh response, then no keep-alive. Never throws.
    void sendError(Session& session, Poco::Net::HTTPResponse::HTTPStatus status, std::string_view code,
                   std::string_view message);
    void lingerClose();
    /// Wakes a poll or read on the socket (called by the registry under its lock).
    void shutdownSocket();

    Poco::Net::HTTPServerParams::Ptr params_;
    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
    std::shared_ptr<ConnectionRegistry> registry_;
    /// Which API a refused head was meant for can no longer be learnt once POCO has consumed
    /// the request line, so the socket keeps each request's first bytes as it receives them.
    /// When the session already holds unparsed bytes (a request pipelined behind another in
    /// the same read) the start is in POCO's buffer, out of sight: such a refused head is
    /// answered as "not BBB" (414/431/400 JSON). Null only for a socket not accepted by
    /// HttpServer's listener.
    ConnectionSocketImpl* const request_start_;
    std::string peer_;
    bool unread_body_ = false;  ///< the last answer left its request's body unread and closes
    // Guarded by registry_->mutex_.
    bool busy_ = false;
    bool stopped_ = false;
};

/// Makes an HttpConnection for every socket the TCPServer accepts.
class HttpConnectionFactory final : public Poco::Net::TCPServerConnectionFactory {
public:
    HttpConnectionFactory(Poco::Net::HTTPRequestHandlerFactory::Ptr handlers, Poco::Net::HTTPServerParams::Ptr params,
                          std::shared_ptr<ConnectionRegistry> registry);

    Poco::Net::TCPServerConnection* createConnection(const Poco::Net::StreamSocket& socket) override;

private:
    Poco::Net::HTTPRequestHandlerFactory::Ptr handlers_;
    Poco::Net::HTTPServerParams::Ptr params_;
    std::shared_ptr<ConnectionRegistry> registry_;
};

}  // namespace b3s::core::http
