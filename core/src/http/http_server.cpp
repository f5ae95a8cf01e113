#include "http/http_server.hpp"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Timespan.h>

#include <thread>

#include <sys/socket.h>

namespace b3s::core::http {

HttpServer::HttpServer(const config::CoreSettings& settings, Poco::SharedPtr<Router> router)
    : router_(router), pool_("http", 2, settings.http_max_threads, 60) {
    Poco::Net::SocketAddress address(settings.listen.host, settings.listen.port);
    Poco::Net::ServerSocket socket;
    // SO_REUSEADDR for quick restarts, but not SO_REUSEPORT: a second process on the same
    // port must fail, not silently share it.
    socket.bind(address, /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen(256);
    bound_ = {socket.address().host().toString(), socket.address().port()};

    auto* params = new Poco::Net::HTTPServerParams;
    params->setServerName("b3scale");
    params->setSoftwareVersion("");  // no Server: header with a version
    params->setMaxThreads(settings.http_max_threads);
    params->setMaxQueued(1024);
    params->setKeepAlive(true);
    params->setMaxKeepAliveRequests(0);  // unlimited per connection
    params->setKeepAliveTimeout(Poco::Timespan(settings.http_idle_timeout_s, 0));
    // Receive timeout of a connection: bounds how long a client may take to send a request.
    params->setTimeout(Poco::Timespan(settings.http_read_header_timeout_s, 0));
    // POCO's dispatcher can miss the stop wake-up and then sleeps a whole thread idle time
    // (10 s by default) before it notices; a short one bounds shutdown.
    params->setThreadIdleTime(Poco::Timespan(0, 500'000));
    server_ = std::make_unique<Poco::Net::HTTPServer>(router, pool_, socket, params);
    listener_ = socket;
}

HttpServer::~HttpServer() {
    if (!stopped_) shutdown(std::chrono::seconds(0));
}

void HttpServer::start() { server_->start(); }

config::ListenAddress HttpServer::boundAddress() const { return bound_; }

bool HttpServer::shutdown(std::chrono::seconds grace) {
    stopped_ = true;
    // POCO's accept loop looks at its stop flag only every 250 ms; shutting the listening
    // socket down wakes it at once and refuses new connections from this moment on.
    ::shutdown(listener_.impl()->sockfd(), SHUT_RDWR);
    // stopAll(false): close the listener and tell keep-alive connections to end after
    // their current request, without aborting anything in flight.
    server_->stopAll(false);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (router_->inFlight() > 0 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    bool drained = router_->inFlight() == 0;
    // Whatever is left is idle keep-alive connections (or requests past the grace period):
    // close them so their threads return.
    server_->stopAll(true);
    pool_.joinAll();
    return drained;
}

}  // namespace b3s::core::http
