#include "http/http_server.hpp"

#include "bbb/bbb_response.hpp"
#include "http/framed_exchange.hpp"
#include "http/json_response.hpp"
#include "http/request_framer.hpp"
#include "http/request_workers.hpp"
#include "log/logger.hpp"

#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Timestamp.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <condition_variable>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cerrno>

namespace b3s::core::http {
namespace {

using Clock = std::chrono::steady_clock;
using Poco::Net::HTTPResponse;

log::Logger& logger() {
    static log::Logger l("b3s.core.http");
    return l;
}

constexpr std::uint64_t kListenerTag = 0;
constexpr std::uint64_t kWakeTag = 1;
constexpr std::uint64_t kFirstConnection = 2;
/// How often deadlines are looked at (and the longest a stop waits to be noticed).
constexpr auto kSweepEvery = std::chrono::milliseconds(100);
/// A connection's read per wake-up, so one fast sender cannot hold the loop.
constexpr std::size_t kReadPerWake = 256 * 1024;
/// After a refused request: how long, and how many bytes, what the client still sends is read
/// and dropped before closing, so its kernel does not turn our answer into a reset.
constexpr auto kLingerTime = std::chrono::seconds(2);
constexpr std::size_t kLingerBytes = 16 * 1024 * 1024;
/// The request line may hold the longest BBB query b3scaled accepts (its own limit answers
/// in BBB's shape); beyond this the front refuses it.
constexpr std::size_t kRequestLineSlack = 8 * 1024;

constexpr std::string_view kContinue = "HTTP/1.1 100 Continue\r\n\r\n";

std::string errnoText(int error) {
    return std::strerror(error);
}

void raiseOpenFileLimit() {
    // 10,000 connections need as many descriptors: take the hard limit (systemd's LimitNOFILE).
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        ::setrlimit(RLIMIT_NOFILE, &limit);
    }
}

Poco::Net::SocketAddress addressOf(const sockaddr_storage& storage) {
    if (storage.ss_family == AF_INET6)
        return Poco::Net::SocketAddress(reinterpret_cast<const sockaddr*>(&storage), sizeof(sockaddr_in6));
    return Poco::Net::SocketAddress(reinterpret_cast<const sockaddr*>(&storage), sizeof(sockaddr_in));
}

enum class Lane { Handlers, Readiness, Liveness };

// The probes have threads of their own: busy handlers never delay them, and /readyz (which asks
// the store, up to its connect timeout while the database is away) never delays /healthz.
Lane laneOf(const RequestHead& head) {
    if (head.method != "GET" && head.method != "HEAD") return Lane::Handlers;
    const std::string_view path = std::string_view(head.target).substr(0, head.target.find('?'));
    if (path == "/healthz") return Lane::Liveness;
    if (path == "/readyz") return Lane::Readiness;
    return Lane::Handlers;
}

// For log lines: the path only, since BBB query strings carry meeting passwords.
std::string pathOf(const std::string& target) {
    return target.substr(0, std::min(target.find_first_of("?#"), std::size_t{200}));
}

const char* codeFor(int status) {
    switch (status) {
        case 408: return "request_timeout";
        case 413: return "payload_too_large";
        case 414:
        case 431: return "request_too_large";
        case 501: return "not_implemented";
        case 503: return "unavailable";
        case 505: return "version_not_supported";
        default: return "bad_request";
    }
}

// A refusal by the front, in the shape of the API the request was meant for.
std::string refusalBytes(RequestTarget target, int status, const std::string& message) {
    BufferedResponse response(false);
    response.setDate(Poco::Timestamp());
    response.setKeepAlive(false);
    if (target == RequestTarget::Bbb) {
        // BBB clients read the returncode: limits are a validationError with 200, as the
        // gateway's own query limit; broken framing keeps its HTTP status.
        const bool limit = status == 413 || status == 414 || status == 431;
        const std::string body = limit && status != 413
                                     ? bbb::renderFailure(bbb::ApiError::invalidQuery(bbb::QueryError::TooLong))
                                     : bbb::renderFailure(bbb::ApiError::validationError(message));
        response.setStatusAndReason(limit ? HTTPResponse::HTTP_OK : static_cast<HTTPResponse::HTTPStatus>(status));
        response.setContentType(std::string(bbb::kXmlContentType));
        response.set("Cache-Control", "no-cache");
        response.sendBuffer(body.data(), body.size());
    } else {
        sendJsonError(response, static_cast<HTTPResponse::HTTPStatus>(status), codeFor(status), message);
    }
    return response.bytes();
}

}  // namespace

// ---------------------------------------------------------------------------------------

class HttpServer::Front {
public:
    Front(const config::CoreSettings& settings, Poco::SharedPtr<Router> router);
    ~Front();

    void start();
    bool shutdown(std::chrono::seconds grace);
    config::ListenAddress bound() const { return bound_; }
    Progress progress() const;
    std::size_t connections() const { return open_.load(std::memory_order_relaxed); }

private:
    enum class Phase { Reading, Handling, Writing, Lingering };

    struct Connection {
        int fd = -1;
        std::uint64_t id = 0;
        Poco::Net::SocketAddress peer;
        Poco::Net::SocketAddress local;
        RequestFramer framer;
        std::string in;  ///< bytes read but not yet framed (a pipelined request)
        std::string out;
        std::size_t out_sent = 0;
        Phase phase = Phase::Reading;
        bool close_after_write = false;
        bool continue_sent = false;
        bool busy = false;         ///< counted in busy_ (Handling or Writing)
        bool peer_closed = false;  ///< read returned 0: no more requests will come
        std::uint32_t events = 0;  ///< the epoll interest now
        std::uint64_t body_reserved = 0;
        std::size_t lingered = 0;
        Clock::time_point idle_until{};     ///< Reading, nothing of a request yet
        Clock::time_point head_until{};     ///< Reading, the head begun
        Clock::time_point request_until{};  ///< Reading, head or body begun
        Clock::time_point write_until{};    ///< Writing
        Clock::time_point linger_until{};   ///< Lingering

        explicit Connection(FramingLimits limits) : framer(limits) {}
    };

    struct Completion {
        std::uint64_t id;
        std::string bytes;
        bool keep_alive;
    };

    void loop();
    void acceptAll();
    void refuseOverCap(int fd);
    void onEvent(Connection& c, std::uint32_t events);
    void readFrom(Connection& c);
    void advance(Connection& c);
    void dispatch(Connection& c);
    void handle(std::uint64_t id, RequestHead head, std::string body, Poco::Net::SocketAddress peer,
                Poco::Net::SocketAddress local);
    void takeCompletions();
    void refuse(Connection& c, int status, const std::string& message);
    void startWriting(Connection& c, std::string bytes, bool close_after);
    void writeTo(Connection& c);
    void startLinger(Connection& c);
    void drainLinger(Connection& c);
    void nextRequest(Connection& c);
    void sweep(Clock::time_point now);
    void stopIdle();
    void setInterest(Connection& c, std::uint32_t events);
    void close(Connection& c);
    void releaseBody(Connection& c);
    void wake();

    Poco::SharedPtr<Router> router_;
    Poco::Net::HTTPServerParams::Ptr params_;
    FramingLimits limits_;
    std::chrono::seconds idle_timeout_;
    std::chrono::seconds header_timeout_;
    std::chrono::seconds request_timeout_;
    std::chrono::seconds write_timeout_;
    std::size_t max_connections_;
    std::uint64_t body_memory_;
    std::uint64_t body_reserved_ = 0;  ///< loop thread only
    bool accept_paused_ = false;       ///< loop thread only
    Clock::time_point last_cap_log_{};

    int listen_fd_ = -1;
    int epoll_fd_ = -1;
    int wake_fd_ = -1;
    config::ListenAddress bound_;
    std::thread thread_;
    RequestWorkers workers_;
    RequestWorkers readiness_worker_;
    RequestWorkers liveness_worker_;

    std::unordered_map<std::uint64_t, std::unique_ptr<Connection>> connections_;  ///< loop thread only
    std::uint64_t next_id_ = kFirstConnection;

    std::mutex completions_mutex_;
    std::vector<Completion> completions_;

    // Shared with shutdown() and progress().
    std::atomic<bool> stopping_{false};
    std::atomic<bool> quit_{false};
    std::atomic<std::uint64_t> accepted_{0};
    std::atomic<std::uint64_t> served_{0};
    std::atomic<std::size_t> open_{0};
    std::mutex busy_mutex_;
    std::condition_variable idle_;
    int busy_ = 0;  ///< connections Handling or Writing (guarded by busy_mutex_)
    bool started_ = false;
    bool stopped_ = false;

    void setBusy(Connection& c, bool busy);
};

HttpServer::Front::Front(const config::CoreSettings& settings, Poco::SharedPtr<Router> router)
    : router_(std::move(router)),
      params_(new Poco::Net::HTTPServerParams),
      idle_timeout_(settings.http_idle_timeout_s),
      header_timeout_(settings.http_read_header_timeout_s),
      request_timeout_(settings.http_request_timeout_s),
      write_timeout_(settings.http_write_timeout_s),
      max_connections_(static_cast<std::size_t>(settings.http_max_connections)),
      body_memory_(static_cast<std::uint64_t>(settings.http_body_memory_bytes)),
      workers_(settings.http_max_threads, "http-worker"),
      readiness_worker_(1, "http-readyz"),
      liveness_worker_(1, "http-healthz") {
    params_->setServerName("b3scale");
    params_->setSoftwareVersion("");
    params_->setKeepAlive(true);
    limits_.max_request_line = static_cast<std::size_t>(settings.bbb_max_query_bytes) + kRequestLineSlack;
    limits_.max_body = static_cast<std::size_t>(settings.bbb_max_body_bytes);
    raiseOpenFileLimit();

    Poco::Net::SocketAddress address(settings.listen.host, settings.listen.port);
    listen_fd_ = ::socket(address.af(), SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (listen_fd_ < 0) throw Poco::Net::NetException("socket: " + errnoText(errno));
    // SO_REUSEADDR for quick restarts, but not SO_REUSEPORT: a second process on the same
    // port must fail, not silently share it.
    const int one = 1;
    ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(listen_fd_, address.addr(), address.length()) != 0) {
        const int error = errno;
        ::close(listen_fd_);
        if (error == EADDRINUSE) throw Poco::Net::NetException("Address already in use: " + address.toString());
        throw Poco::Net::NetException("bind " + address.toString() + ": " + errnoText(error));
    }
    if (::listen(listen_fd_, 4096) != 0) {
        const int error = errno;
        ::close(listen_fd_);
        throw Poco::Net::NetException("listen: " + errnoText(error));
    }
    sockaddr_storage local{};
    socklen_t size = sizeof local;
    ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&local), &size);
    const auto bound = addressOf(local);
    bound_ = {bound.host().toString(), bound.port()};

    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    wake_fd_ = ::eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (epoll_fd_ < 0 || wake_fd_ < 0) throw Poco::Net::NetException("epoll: " + errnoText(errno));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kWakeTag;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, wake_fd_, &ev);
}

HttpServer::Front::~Front() {
    if (!stopped_) shutdown(std::chrono::seconds(0));
    if (epoll_fd_ >= 0) ::close(epoll_fd_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
    if (listen_fd_ >= 0) ::close(listen_fd_);
}

void HttpServer::Front::start() {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = kListenerTag;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
    started_ = true;
    thread_ = std::thread([this] {
        pthread_setname_np(pthread_self(), "http-front");
        loop();
    });
}

void HttpServer::Front::wake() {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto n = ::write(wake_fd_, &one, sizeof one);
}

HttpServer::Progress HttpServer::Front::progress() const {
    Progress p;
    p.accepted = accepted_.load(std::memory_order_relaxed);
    p.served = served_.load(std::memory_order_relaxed);
    p.serve_waiting = workers_.queued() > 0 || readiness_worker_.queued() > 0 || liveness_worker_.queued() > 0;
    // On a listening socket Linux reports the length of the accept queue as tcpi_unacked.
    tcp_info info{};
    socklen_t size = sizeof info;
    if (!stopping_.load() && ::getsockopt(listen_fd_, IPPROTO_TCP, TCP_INFO, &info, &size) == 0)
        p.accept_waiting = info.tcpi_unacked > 0;
    return p;
}

bool HttpServer::Front::shutdown(std::chrono::seconds grace) {
    stopped_ = true;
    const auto deadline = Clock::now() + grace;
    stopping_ = true;
    wake();
    bool drained = true;
    if (started_) {
        std::unique_lock lock(busy_mutex_);
        drained = idle_.wait_until(lock, deadline, [this] { return busy_ == 0; });
    }
    quit_ = true;
    wake();
    if (thread_.joinable()) thread_.join();
    for (auto& [id, c] : connections_) ::close(c->fd);
    connections_.clear();
    open_ = 0;
    // Handlers still running finish on their own (backend timeouts bound them); their
    // answers have nowhere to go.
    workers_.stop();
    readiness_worker_.stop();
    liveness_worker_.stop();
    return drained;
}

// ---------------------------------------------------------------------------------------
// The loop

void HttpServer::Front::loop() {
    std::array<epoll_event, 256> events{};
    auto next_sweep = Clock::now() + kSweepEvery;
    bool listening = true;
    while (!quit_.load()) {
        const auto wait = std::chrono::duration_cast<std::chrono::milliseconds>(next_sweep - Clock::now());
        const int n = ::epoll_wait(epoll_fd_, events.data(), static_cast<int>(events.size()),
                                   static_cast<int>(std::max<std::int64_t>(wait.count(), 0)) + 1);
        if (n < 0 && errno != EINTR) {
            logger().error("http_loop_failed", {{"error", errnoText(errno)}});
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        for (int i = 0; i < n; ++i) {
            const auto tag = events[static_cast<std::size_t>(i)].data.u64;
            if (tag == kListenerTag) {
                if (listening) acceptAll();
            } else if (tag == kWakeTag) {
                std::uint64_t count = 0;
                [[maybe_unused]] const auto r = ::read(wake_fd_, &count, sizeof count);
                takeCompletions();
            } else if (const auto it = connections_.find(tag); it != connections_.end()) {
                onEvent(*it->second, events[static_cast<std::size_t>(i)].events);
            }
        }
        if (stopping_.load() && listening) {
            // Refuse new connections from now on; the socket stays open for progress().
            ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
            ::shutdown(listen_fd_, SHUT_RDWR);
            listening = false;
        }
        const auto now = Clock::now();
        if (now >= next_sweep) {
            if (accept_paused_ && listening) {
                epoll_event ev{};
                ev.events = EPOLLIN;
                ev.data.u64 = kListenerTag;
                ::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, listen_fd_, &ev);
                accept_paused_ = false;
            }
            sweep(now);
            if (stopping_.load()) stopIdle();
            next_sweep = now + kSweepEvery;
        }
    }
}

void HttpServer::Front::acceptAll() {
    while (true) {
        sockaddr_storage peer{};
        socklen_t size = sizeof peer;
        const int fd = ::accept4(listen_fd_, reinterpret_cast<sockaddr*>(&peer), &size, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
                // Out of descriptors: stop listening until the next sweep instead of spinning on
                // a listener that stays readable.
                logger().warn("accept_failed", {{"error", errnoText(errno)}});
                ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, listen_fd_, nullptr);
                accept_paused_ = true;
            }
            return;
        }
        accepted_.fetch_add(1, std::memory_order_relaxed);
        if (connections_.size() >= max_connections_) {
            refuseOverCap(fd);
            continue;
        }
        const int one = 1;
        ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        auto c = std::make_unique<Connection>(limits_);
        c->fd = fd;
        c->id = next_id_++;
        c->peer = addressOf(peer);
        sockaddr_storage local{};
        socklen_t local_size = sizeof local;
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_size);
        c->local = addressOf(local);
        c->idle_until = Clock::now() + idle_timeout_;
        epoll_event ev{};
        ev.events = EPOLLIN;
        ev.data.u64 = c->id;
        if (::epoll_ctl(epoll_fd_, EPOLL_CTL_ADD, fd, &ev) != 0) {
            ::close(fd);
            continue;
        }
        c->events = EPOLLIN;
        connections_.emplace(c->id, std::move(c));
        open_.store(connections_.size(), std::memory_order_relaxed);
    }
}

void HttpServer::Front::refuseOverCap(int fd) {
    // A short answer into an empty send buffer never blocks; then the connection ends.
    static const std::string answer = refusalBytes(RequestTarget::Other, 503, "too many connections; try again later");
    [[maybe_unused]] const auto n = ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    ::close(fd);
    // Once a second at most: a flood must not become a flood of log lines.
    const auto now = Clock::now();
    if (now - last_cap_log_ >= std::chrono::seconds(1)) {
        last_cap_log_ = now;
        logger().warn("connection_refused", {{"reason", "connection cap"}, {"max", std::to_string(max_connections_)}});
    }
}

void HttpServer::Front::onEvent(Connection& c, std::uint32_t events) {
    const auto id = c.id;
    if ((events & EPOLLOUT) && c.phase == Phase::Writing) writeTo(c);
    if (!connections_.contains(id)) return;
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        if (c.phase == Phase::Reading)
            readFrom(c);
        else if (c.phase == Phase::Lingering)
            drainLinger(c);
        else if (events & (EPOLLHUP | EPOLLERR))
            close(c);  // the client is gone; a running handler's answer will be dropped
    }
}

void HttpServer::Front::readFrom(Connection& c) {
    std::array<char, 64 * 1024> buffer{};
    std::size_t total = 0;
    while (total < kReadPerWake) {
        const auto n = ::recv(c.fd, buffer.data(), buffer.size(), 0);
        if (n > 0) {
            c.in.append(buffer.data(), static_cast<std::size_t>(n));
            total += static_cast<std::size_t>(n);
            continue;
        }
        if (n == 0) {
            c.peer_closed = true;
            break;
        }
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) break;
        close(c);  // reset
        return;
    }
    const auto id = c.id;
    advance(c);
    if (!connections_.contains(id)) return;
    // The client closed its side: whatever it sent is framed; nothing more can come.
    if (c.peer_closed && c.phase == Phase::Reading) {
        if (c.framer.started()) logger().debug("request_abandoned", {{"peer", c.peer.toString()}});
        close(c);
    }
}

void HttpServer::Front::advance(Connection& c) {
    const auto now = Clock::now();
    while (c.phase == Phase::Reading) {
        const bool was_started = c.framer.started();
        const auto used = c.framer.feed(c.in);
        c.in.erase(0, used);
        if (!was_started && c.framer.started()) {
            c.head_until = now + header_timeout_;
            c.request_until = now + request_timeout_;
        }
        switch (c.framer.state()) {
            case RequestFramer::State::Head: return;  // needs more bytes
            case RequestFramer::State::Failed: refuse(c, c.framer.error().status, c.framer.error().message); return;
            case RequestFramer::State::Body:
                if (c.body_reserved == 0) {
                    const auto wanted = c.framer.head().chunked ? limits_.max_body : c.framer.announcedBody();
                    if (body_reserved_ + wanted > body_memory_) {
                        logger().warn("request_refused", {{"peer", c.peer.toString()}, {"reason", "body memory"}});
                        refuse(c, 503, "the server holds too many request bodies; try again later");
                        return;
                    }
                    c.body_reserved = wanted;
                    body_reserved_ += wanted;
                }
                if (c.framer.head().expect_continue && !c.continue_sent && c.in.empty()) {
                    c.continue_sent = true;
                    // Into an idle send buffer: a few bytes never block.
                    [[maybe_unused]] const auto n =
                        ::send(c.fd, kContinue.data(), kContinue.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
                }
                if (c.in.empty()) return;
                continue;
            case RequestFramer::State::Complete: dispatch(c); return;
        }
    }
}

void HttpServer::Front::dispatch(Connection& c) {
    c.phase = Phase::Handling;
    setInterest(c, 0);  // pipelined bytes wait in the socket until the answer is out
    setBusy(c, true);
    auto head = c.framer.head();
    auto body = std::move(c.framer.body());
    const auto lane = laneOf(head);
    auto job = [this, id = c.id, head = std::move(head), body = std::move(body), peer = c.peer,
                local = c.local]() mutable { handle(id, std::move(head), std::move(body), peer, local); };
    auto& workers = lane == Lane::Liveness ? liveness_worker_ : lane == Lane::Readiness ? readiness_worker_ : workers_;
    if (!workers.post(std::move(job))) refuse(c, 503, "the server is stopping");
}

// On a worker thread.
void HttpServer::Front::handle(std::uint64_t id, RequestHead head, std::string body, Poco::Net::SocketAddress peer,
                               Poco::Net::SocketAddress local) {
    const bool keep_alive = head.keep_alive;
    const std::string target = head.target;
    BufferedResponse response(head.method == "HEAD");
    std::string bytes;
    bool keep = false;
    try {
        FramedRequest request(std::move(head), std::move(body), peer, local, params_, response);
        response.setDate(Poco::Timestamp());
        response.setKeepAlive(keep_alive);
        router_->dispatch(request, response);
        if (!response.sent()) response.send();
        keep = keep_alive && response.getKeepAlive();
        response.setKeepAlive(keep);
        bytes = response.bytes();
    } catch (const std::exception& e) {
        // The Router answers a failing route handler itself; this failed around it.
        logger().warn("request_failed", {{"peer", peer.toString()}, {"path", pathOf(target)}, {"error", e.what()}});
        BufferedResponse failure(false);
        failure.setKeepAlive(false);
        sendJsonError(failure, HTTPResponse::HTTP_INTERNAL_SERVER_ERROR, "internal_error",
                      "the server failed to handle this request");
        bytes = failure.bytes();
        keep = false;
    }
    {
        std::lock_guard lock(completions_mutex_);
        completions_.push_back({id, std::move(bytes), keep});
    }
    wake();
}

void HttpServer::Front::takeCompletions() {
    std::vector<Completion> done;
    {
        std::lock_guard lock(completions_mutex_);
        done.swap(completions_);
    }
    for (auto& d : done) {
        served_.fetch_add(1, std::memory_order_relaxed);
        const auto it = connections_.find(d.id);
        if (it == connections_.end()) continue;  // the client left meanwhile
        auto& c = *it->second;
        releaseBody(c);
        startWriting(c, std::move(d.bytes), !d.keep_alive || stopping_.load() || c.peer_closed);
    }
}

void HttpServer::Front::refuse(Connection& c, int status, const std::string& message) {
    const auto target = classifyRequestStart(c.framer.requestStart());
    logger().info("request_refused", {{"peer", c.peer.toString()},
                                      {"api", target == RequestTarget::Bbb ? "bbb" : "http"},
                                      {"status", std::to_string(status)},
                                      {"reason", message}});
    releaseBody(c);
    if (c.phase == Phase::Reading) setBusy(c, true);
    startWriting(c, refusalBytes(target, status, message), true);
}

void HttpServer::Front::startWriting(Connection& c, std::string bytes, bool close_after) {
    c.phase = Phase::Writing;
    setBusy(c, true);
    c.out = std::move(bytes);
    c.out_sent = 0;
    c.close_after_write = close_after;
    c.write_until = Clock::now() + write_timeout_;
    writeTo(c);
}

void HttpServer::Front::writeTo(Connection& c) {
    while (c.out_sent < c.out.size()) {
        const auto n = ::send(c.fd, c.out.data() + c.out_sent, c.out.size() - c.out_sent, MSG_NOSIGNAL);
        if (n > 0) {
            c.out_sent += static_cast<std::size_t>(n);
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            setInterest(c, EPOLLOUT);
            return;
        }
        close(c);  // the client is gone
        return;
    }
    std::string().swap(c.out);
    setBusy(c, false);
    if (c.close_after_write) {
        // Unread input (a body we refused, a pipelined request) would turn close() into a
        // reset that can overtake our answer: say FIN and drain for a moment first.
        startLinger(c);
        return;
    }
    nextRequest(c);
}

void HttpServer::Front::nextRequest(Connection& c) {
    c.framer.reset();
    c.phase = Phase::Reading;
    c.continue_sent = false;
    c.idle_until = Clock::now() + idle_timeout_;
    setInterest(c, EPOLLIN);
    const auto id = c.id;
    if (!c.in.empty()) advance(c);  // a request pipelined behind the last one
    if (connections_.contains(id) && c.phase == Phase::Reading && c.peer_closed) close(c);
}

void HttpServer::Front::startLinger(Connection& c) {
    if (c.peer_closed) {
        close(c);
        return;
    }
    ::shutdown(c.fd, SHUT_WR);
    c.phase = Phase::Lingering;
    c.lingered = 0;
    c.linger_until = Clock::now() + kLingerTime;
    setInterest(c, EPOLLIN);
    drainLinger(c);
}

void HttpServer::Front::drainLinger(Connection& c) {
    std::array<char, 16 * 1024> sink{};
    while (true) {
        const auto n = ::recv(c.fd, sink.data(), sink.size(), 0);
        if (n > 0) {
            c.lingered += static_cast<std::size_t>(n);
            if (c.lingered > kLingerBytes) break;
            continue;
        }
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return;  // more may come
        break;                                                           // closed or reset
    }
    close(c);
}

void HttpServer::Front::sweep(Clock::time_point now) {
    std::vector<Connection*> expired;
    for (auto& [id, c] : connections_) {
        switch (c->phase) {
            case Phase::Reading: {
                bool late = false;
                if (!c->framer.started())
                    late = now >= c->idle_until;
                else
                    late = now >= c->request_until ||
                           (c->framer.state() == RequestFramer::State::Head && now >= c->head_until);
                if (late) expired.push_back(c.get());
                break;
            }
            case Phase::Writing:
                if (now >= c->write_until) expired.push_back(c.get());
                break;
            case Phase::Lingering:
                if (now >= c->linger_until) expired.push_back(c.get());
                break;
            case Phase::Handling: break;  // the handler's own timeouts bound it
        }
    }
    for (auto* c : expired) {
        if (c->phase == Phase::Reading && c->framer.started()) {
            // A request that does not come in time: slow headers (slowloris) or a stalled body.
            refuse(*c, 408, "the request did not arrive in time");
        } else {
            close(*c);
        }
    }
}

void HttpServer::Front::stopIdle() {
    std::vector<Connection*> idle;
    for (auto& [id, c] : connections_)
        if (c->phase == Phase::Reading || c->phase == Phase::Lingering) idle.push_back(c.get());
    for (auto* c : idle) close(*c);
}

void HttpServer::Front::setInterest(Connection& c, std::uint32_t events) {
    if (c.events == events) return;
    epoll_event ev{};
    ev.events = events;
    ev.data.u64 = c.id;
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_MOD, c.fd, &ev);
    c.events = events;
}

void HttpServer::Front::setBusy(Connection& c, bool busy) {
    auto& flag = c.busy;
    if (flag == busy) return;
    flag = busy;
    std::lock_guard lock(busy_mutex_);
    busy_ += busy ? 1 : -1;
    if (busy_ == 0) idle_.notify_all();
}

void HttpServer::Front::releaseBody(Connection& c) {
    body_reserved_ -= std::min(body_reserved_, c.body_reserved);
    c.body_reserved = 0;
}

void HttpServer::Front::close(Connection& c) {
    setBusy(c, false);
    releaseBody(c);
    ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, c.fd, nullptr);
    ::close(c.fd);
    connections_.erase(c.id);  // destroys c
    open_.store(connections_.size(), std::memory_order_relaxed);
}

// ---------------------------------------------------------------------------------------

HttpServer::HttpServer(const config::CoreSettings& settings, Poco::SharedPtr<Router> router)
    : front_(std::make_unique<Front>(settings, std::move(router))) {}

HttpServer::~HttpServer() = default;

void HttpServer::start() {
    front_->start();
}

config::ListenAddress HttpServer::boundAddress() const {
    return front_->bound();
}

bool HttpServer::shutdown(std::chrono::seconds grace) {
    return front_->shutdown(grace);
}

HttpServer::Progress HttpServer::progress() const {
    return front_->progress();
}

std::size_t HttpServer::connections() const {
    return front_->connections();
}

}  // namespace b3s::core::http
