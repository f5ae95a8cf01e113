#pragma once
// The HTTP listener: POCO's HTTPServer on the configured address with our own thread pool,
// and a shutdown that stops accepting, lets in-flight requests finish, then returns.

#include "config/core_settings.hpp"
#include "http/router.hpp"

#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/ThreadPool.h>

#include <chrono>
#include <memory>

namespace b3s::core::http {

class HttpServer {
public:
    /// Binds the socket now (so a busy port fails start-up) but accepts nothing until
    /// start(). `router` must outlive the server. Throws Poco::Exception on bind errors.
    HttpServer(const config::CoreSettings& settings, Poco::SharedPtr<Router> router);
    ~HttpServer();

    void start();
    /// The bound address (the real port when the configured port was 0).
    config::ListenAddress boundAddress() const;

    /// Stops accepting, closes idle keep-alive connections after their current request,
    /// and waits up to `grace` for running requests. Returns true when all finished.
    bool shutdown(std::chrono::seconds grace);

private:
    Poco::SharedPtr<Router> router_;
    Poco::ThreadPool pool_;
    Poco::Net::ServerSocket listener_;  ///< shares the socket the server accepts on
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    config::ListenAddress bound_;
    bool stopped_ = false;
};

}  // namespace b3s::core::http
