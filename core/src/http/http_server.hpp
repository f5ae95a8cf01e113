#pragma once
// The HTTP listener: an event-driven front. One thread owns every connection in an epoll loop:
// it accepts, reads, frames each request whole (request_framer.hpp: head and body, strictly,
// under deadlines) and writes answers; complete requests go to a pool of handler threads
// (request_workers.hpp) and their answers come back whole (framed_exchange.hpp). So a
// connection costs a few hundred bytes while idle and no thread while it sends slowly, and a
// handler waiting for a backend holds one worker, never the front. The probes have a thread
// each (/healthz, /readyz), so busy handlers never starve them and a /readyz waiting for the
// database never delays /healthz.
//
// Deadlines (B3SCALE_HTTP_*): an idle keep-alive connection is closed after IDLE_TIMEOUT; a
// request head must be complete READ_HEADER_TIMEOUT after its first byte and the whole request
// REQUEST_TIMEOUT after it (408, then close); an answer must be written within WRITE_TIMEOUT.
// Limits: MAX_CONNECTIONS (a connection beyond it gets a 503 and is closed, never queued
// silently), request bodies held in memory by all connections together at most BODY_MEMORY
// (503 beyond), each one at most B3SCALE_BBB_MAX_BODY_BYTES.
//
// A refused request (framing, limits, deadlines) gets its answer in the shape of the API it
// was meant for — BBB XML for /bbb/…, JSON otherwise — and the connection is closed after it,
// reading (and dropping) what the client still sends for a moment so it gets the answer, not a
// reset. Answers are always HTTP/1.1.

#include "config/core_settings.hpp"
#include "http/router.hpp"

#include <Poco/SharedPtr.h>

#include <chrono>
#include <cstdint>
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

    /// Stops accepting, closes idle connections at once and the others after their current
    /// request, and waits up to `grace` for running requests (their answers flushed).
    /// Returns true when all finished; whatever is left is then closed.
    bool shutdown(std::chrono::seconds grace);

    /// What the systemd watchdog samples to tell a wedged server from a busy one: counters
    /// that grow with each accepted connection and each answered request, and whether work
    /// waits for each. Cheap (one getsockopt), any thread.
    struct Progress {
        std::uint64_t accepted = 0;
        bool accept_waiting = false;  ///< connections wait in the kernel's accept queue
        std::uint64_t served = 0;
        bool serve_waiting = false;  ///< complete requests wait for a handler thread
    };
    Progress progress() const;

    /// Open client connections now (for tests and metrics).
    std::size_t connections() const;

private:
    class Front;
    std::unique_ptr<Front> front_;
};

}  // namespace b3s::core::http
