#include "http/http_server.hpp"

#include "http/connection_socket.hpp"
#include "http/http_connection.hpp"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/TCPServer.h>
#include <Poco/Timespan.h>

#include <algorithm>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

namespace b3s::core::http {

HttpServer::HttpServer(const config::CoreSettings& settings, Poco::SharedPtr<Router> router)
    : router_(router), pool_("http", 2, settings.http_max_threads, 60) {
    Poco::Net::SocketAddress address(settings.listen.host, settings.listen.port);
    ListeningSocket socket;
    // SO_REUSEADDR for quick restarts, but not SO_REUSEPORT: a second process on the same
    // port must fail, not silently share it.
    socket.bind(address, /*reuseAddress=*/true, /*reusePort=*/false);
    socket.listen(256);
    bound_ = {socket.address().host().toString(), socket.address().port()};

    Poco::Net::HTTPServerParams::Ptr params(new Poco::Net::HTTPServerParams);
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
    connections_ = std::make_shared<ConnectionRegistry>();
    Poco::Net::TCPServerConnectionFactory::Ptr factory(new HttpConnectionFactory(router, params, connections_));
    server_ = std::make_unique<Poco::Net::TCPServer>(factory, pool_, socket, params);
    listener_ = socket;
}

HttpServer::~HttpServer() {
    if (!stopped_) shutdown(std::chrono::seconds(0));
}

void HttpServer::start() {
    server_->start();
}

config::ListenAddress HttpServer::boundAddress() const {
    return bound_;
}

HttpServer::Progress HttpServer::progress() const {
    Progress p;
    const auto queued = static_cast<std::uint64_t>(std::max(server_->queuedConnections(), 0));
    // Every accepted connection was handed to a thread, is queued for one, or was refused.
    p.accepted = static_cast<std::uint64_t>(server_->totalConnections()) + queued +
                 static_cast<std::uint64_t>(server_->refusedConnections());
    p.served = connections_->progress();
    p.serve_waiting = queued > 0;
    // On a listening socket Linux reports the length of the accept queue as tcpi_unacked.
    tcp_info info{};
    socklen_t size = sizeof info;
    if (::getsockopt(listener_.impl()->sockfd(), IPPROTO_TCP, TCP_INFO, &info, &size) == 0)
        p.accept_waiting = info.tcpi_unacked > 0;
    return p;
}

bool HttpServer::shutdown(std::chrono::seconds grace) {
    stopped_ = true;
    const auto deadline = std::chrono::steady_clock::now() + grace;
    // POCO's accept loop looks at its stop flag only every 250 ms; shutting the listening
    // socket down wakes it at once and refuses new connections from this moment on.
    ::shutdown(listener_.impl()->sockfd(), SHUT_RDWR);
    // Joins the accept thread and drops connections still queued for a thread.
    server_->stop();
    // Idle keep-alive connections close now; busy ones after their current request, without
    // aborting anything in flight.
    connections_->stopAll(false);
    // A connection is busy from reading a request head until its answer is flushed: wider
    // than Router::inFlight(), which counts the handler only and drops to 0 while the last
    // bytes of an answer may still sit in the response stream.
    const bool drained = connections_->waitUntilIdle(deadline);
    // Whatever is left is past the grace period: shut its sockets down so its threads return.
    connections_->stopAll(true);
    pool_.joinAll();
    return drained;
}

}  // namespace b3s::core::http
