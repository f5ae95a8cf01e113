#pragma once
// The HTTP listener: a TCPServer on the configured address with our own thread pool and our
// own connection class (http_connection.hpp), and a shutdown that stops accepting, lets
// in-flight requests finish, then returns.

#include "config/core_settings.hpp"
#include "http/router.hpp"

#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <cstdint>
#include <memory>

namespace Poco::Net {
class TCPServer;
}

namespace b3s::core::http {

class ConnectionRegistry;

class HttpServer {
public:
    /// Binds the socket now (so a busy port fails start-up) but accepts nothing until
    /// start(). `router` must outlive the server. Throws Poco::Exception on bind errors.
    HttpServer(const config::CoreSettings& settings, Poco::SharedPtr<Router> router);
    ~HttpServer();

    void start();
    /// The bound address (the real port when the configured port was 0).
    config::ListenAddress boundAddress() const;

    /// Stops accepting, closes idle keep-alive connections at once and the others after their
    /// current request, and waits up to `grace` for running requests (their answers flushed).
    /// Returns true when all finished; whatever is left is then aborted.
    bool shutdown(std::chrono::seconds grace);

    /// What the systemd watchdog samples to tell a wedged server from a busy one: counters
    /// that grow with each accepted connection and with each connection or request a thread
    /// takes up or finishes, and whether work waits for each. Cheap (one getsockopt), any thread.
    struct Progress {
        std::uint64_t accepted = 0;
        bool accept_waiting = false;  ///< connections wait in the kernel's accept queue
        std::uint64_t served = 0;
        bool serve_waiting = false;  ///< accepted connections wait for a thread
    };
    Progress progress() const;

private:
    Poco::SharedPtr<Router> router_;
    Poco::ThreadPool pool_;
    Poco::Net::ServerSocket listener_;  ///< shares the socket the server accepts on
    std::shared_ptr<ConnectionRegistry> connections_;
    std::unique_ptr<Poco::Net::TCPServer> server_;
    config::ListenAddress bound_;
    bool stopped_ = false;
};

}  // namespace b3s::core::http
