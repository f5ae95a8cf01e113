#include "fake_bbb/fake_bbb_server.hpp"

#include "fake_bbb/bbb_api.hpp"
#include "fake_bbb/callback_dispatcher.hpp"
#include "fake_bbb/xml_writer.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/ThreadPool.h>
#include <Poco/Timespan.h>

#include <sys/socket.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <iostream>
#include <mutex>

namespace b3s::test::bbb {

namespace {

constexpr std::string_view kApiRoot = "/bigbluebutton/api";

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool equalsIgnoreCase(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

// "index" for the API root, the call name below it, the raw path for anything else.
std::string callNameOf(std::string_view path) {
    if (path == kApiRoot || path == "/bigbluebutton/api/") return "index";
    if (path.starts_with("/bigbluebutton/api/")) return std::string(path.substr(kApiRoot.size() + 1));
    return std::string(path);
}

}  // namespace

std::string_view faultModeName(FaultMode mode) {
    switch (mode) {
        case FaultMode::none: return "none";
        case FaultMode::down: return "down";
        case FaultMode::hang: return "hang";
        case FaultMode::slow: return "slow";
        case FaultMode::failed: return "failed";
        case FaultMode::garbage: return "garbage";
        case FaultMode::http500: return "http500";
        case FaultMode::flapping: return "flapping";
    }
    return "none";
}

std::optional<std::string> RecordedRequest::header(std::string_view name) const {
    for (const auto& [key, value] : headers)
        if (equalsIgnoreCase(key, name)) return value;
    return std::nullopt;
}

class FakeBbbServer::Impl {
public:
    Impl(std::string secret, FakeBbbOptions options)
        : secret_(std::move(secret)),
          options_(std::move(options)),
          callbacks_(options_.callback_timeout),
          pool_("fake_bbb", 2, static_cast<int>(std::max(2u, options_.threads)) + 2, 60) {
        std::lock_guard lock(serverMutex_);
        bindLocked(options_.port);
        serverUrl_ = "http://" +
                     (options_.host.find(':') != std::string::npos ? "[" + options_.host + "]" : options_.host) + ":" +
                     std::to_string(port_);
        // The API needs the bound port for its URLs, and must exist before the first request.
        api_ = std::make_unique<BbbApi>(secret_, options_, serverUrl_);
        server_->start();
    }

    ~Impl() {
        {
            std::lock_guard lock(faultMutex_);
            stopping_ = true;
        }
        faultChanged_.notify_all();
        std::unique_ptr<Poco::Net::HTTPServer> stopped;
        {
            std::lock_guard lock(serverMutex_);
            stopped = stopLocked();
        }
        pool_.joinAll();
        // Only now that no pool thread runs: Poco's connections unregister from their server
        // while their threads wind down, so a server destroyed earlier is written after free
        // (seen with ThreadSanitizer after takeDown()).
        stopped.reset();
        retired_.clear();
    }

    void serve(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response);

    /// Binds and builds the HTTP server; the caller starts it.
    void bindLocked(std::uint16_t port) {
        Poco::Net::ServerSocket socket;
        // SO_REUSEADDR so bringUp() can rebind the port right away; never SO_REUSEPORT.
        socket.bind(Poco::Net::SocketAddress(options_.host, port), /*reuseAddress=*/true, /*reusePort=*/false);
        socket.listen(256);
        port_ = socket.address().port();
        auto* params = new Poco::Net::HTTPServerParams;
        params->setServerName("fake-bbb");
        params->setSoftwareVersion("");
        params->setMaxThreads(static_cast<int>(std::max(1u, options_.threads)));
        params->setMaxQueued(1024);
        params->setKeepAlive(true);
        params->setMaxKeepAliveRequests(0);
        params->setKeepAliveTimeout(Poco::Timespan(options_.keep_alive_timeout.count(), 0));
        params->setTimeout(Poco::Timespan(10, 0));
        // Poco's connection dispatcher can miss the stop wake-up and then sleeps a full idle
        // time (default 10 s) before it notices; a short idle time bounds shutdown.
        params->setThreadIdleTime(Poco::Timespan(0, 100'000));
        server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(*this), pool_, socket, params);
        listener_ = socket;
    }

    /// Stops the HTTP server and closes the listening socket; open connections are aborted.
    /// Returns the stopped server: it is destroyed only after pool_.joinAll() (see ~Impl),
    /// because Poco's connections still unregister from it while their threads wind down.
    std::unique_ptr<Poco::Net::HTTPServer> stopLocked() {
        if (!server_) return nullptr;
        // Poco's accept loop polls with a fixed 250 ms timeout before it sees the stop flag;
        // shutting the listening socket down wakes it at once and refuses new connections.
        if (listener_) ::shutdown(listener_->impl()->sockfd(), SHUT_RDWR);
        server_->stopAll(true);
        listener_.reset();
        return std::move(server_);
    }

    void takeDown() {
        std::unique_ptr<Poco::Net::HTTPServer> stopped;
        {
            std::lock_guard lock(serverMutex_);
            stopped = stopLocked();
        }
        // Only now wake requests held by hang/slow: their connections are already aborted,
        // and serve() answers nothing while the server is down.
        setFaultOnly(Fault::down());
        std::lock_guard lock(serverMutex_);
        retired_.push_back(std::move(stopped));
    }

    void bringUp() {
        {
            std::lock_guard lock(serverMutex_);
            if (!server_) {
                bindLocked(port_);
                server_->start();
            }
        }
        std::lock_guard lock(faultMutex_);
        if (fault_.mode == FaultMode::down) fault_ = Fault::none();
        faultChanged_.notify_all();
    }

    bool isUp() const {
        std::lock_guard lock(serverMutex_);
        return server_ != nullptr;
    }

    void setFaultOnly(Fault fault) {
        {
            std::lock_guard lock(faultMutex_);
            fault_ = std::move(fault);
            flap_turn_ = 0;
        }
        faultChanged_.notify_all();
    }

    Fault fault() const {
        std::lock_guard lock(faultMutex_);
        return fault_;
    }

    void fire(const std::vector<std::string>& urls) {
        for (const auto& url : urls) callbacks_.enqueue(url);
    }

    void record(RecordedRequest request) {
        {
            std::lock_guard lock(statsMutex_);
            ++counts_[request.call];
            ++total_;
            if (options_.request_history > 0) {
                if (history_.size() >= options_.request_history) history_.pop_front();
                history_.push_back(request);
            }
            last_ = std::move(request);
        }
        callArrived_.notify_all();
    }

    class Handler final : public Poco::Net::HTTPRequestHandler {
    public:
        explicit Handler(Impl& impl) : impl_(impl) {}
        void handleRequest(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) override {
            impl_.serve(request, response);
        }

    private:
        Impl& impl_;
    };

    class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
    public:
        explicit Factory(Impl& impl) : impl_(impl) {}
        Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
            return new Handler(impl_);
        }

    private:
        Impl& impl_;
    };

    const std::string secret_;
    const FakeBbbOptions options_;
    std::uint16_t port_ = 0;
    std::string serverUrl_;
    std::unique_ptr<BbbApi> api_;
    CallbackDispatcher callbacks_;
    Poco::ThreadPool pool_;

    mutable std::mutex serverMutex_;
    std::vector<std::unique_ptr<Poco::Net::HTTPServer>> retired_;  ///< taken down; freed in ~Impl
    std::unique_ptr<Poco::Net::HTTPServer> server_;
    std::optional<Poco::Net::ServerSocket> listener_;

    mutable std::mutex faultMutex_;
    std::condition_variable faultChanged_;
    Fault fault_;
    std::uint64_t flap_turn_ = 0;  ///< flapping: calls answered since the fault was set
    bool stopping_ = false;

    mutable std::mutex statsMutex_;
    mutable std::condition_variable callArrived_;
    std::map<std::string, std::size_t, std::less<>> counts_;
    std::size_t total_ = 0;
    std::deque<RecordedRequest> history_;
    std::optional<RecordedRequest> last_;
};

void FakeBbbServer::Impl::serve(Poco::Net::HTTPServerRequest& request, Poco::Net::HTTPServerResponse& response) {
    RecordedRequest rec;
    rec.method = request.getMethod();
    rec.uri = request.getURI();
    const auto question = rec.uri.find('?');
    rec.path = rec.uri.substr(0, question);
    if (question != std::string::npos) rec.rawQuery = rec.uri.substr(question + 1);
    rec.call = callNameOf(rec.path);
    for (const auto& [name, value] : request) rec.headers.emplace_back(name, value);

    bool tooLarge = false;
    {
        std::istream& in = request.stream();
        char buffer[16384];
        while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
            rec.body.append(buffer, static_cast<std::size_t>(in.gcount()));
            if (rec.body.size() > options_.max_body_bytes) {
                tooLarge = true;
                break;
            }
        }
    }
    const std::string path = rec.path;
    const std::string call = rec.call;
    const std::string rawQuery = rec.rawQuery;
    const std::string body = tooLarge ? std::string() : rec.body;
    record(std::move(rec));

    Fault fault = this->fault();
    if (fault.mode == FaultMode::hang) {
        std::unique_lock lock(faultMutex_);
        faultChanged_.wait_for(lock, fault.delay, [&] { return stopping_ || fault_.mode != FaultMode::hang; });
        fault = fault_.mode == FaultMode::hang ? Fault::none() : fault_;
    }
    if (fault.mode == FaultMode::slow) {
        std::unique_lock lock(faultMutex_);
        faultChanged_.wait_for(lock, fault.delay, [&] { return stopping_ || fault_.mode == FaultMode::down; });
    }
    bool flap_fails = false;
    {
        std::lock_guard lock(faultMutex_);
        // Taken down or destroyed while this request waited: a dead server answers nothing.
        if (stopping_ || fault_.mode == FaultMode::down) return;
        if (fault.mode == FaultMode::flapping && path.starts_with(kApiRoot)) flap_fails = flap_turn_++ % 2 == 0;
    }

    ApiAnswer answer;
    try {
        if (tooLarge) {
            answer.status = 413;
            answer.contentType = "text/plain;charset=UTF-8";
            answer.body = "Request Entity Too Large";
            response.setKeepAlive(false);
        } else if (fault.mode == FaultMode::failed || flap_fails) {
            answer = BbbApi::failed(fault.messageKey, fault.message);
        } else if (fault.mode == FaultMode::garbage) {
            answer.body = fault.body.empty() ? "fake BBB garbage: this body is not XML {\"response\": <<<" : fault.body;
        } else if (fault.mode == FaultMode::http500) {
            answer.status = 500;
            answer.contentType = "text/html;charset=UTF-8";
            answer.body = fault.body.empty()
                              ? "<html><head><title>HTTP Status 500 - Internal Server Error</title></head><body><h1>"
                                "HTTP Status 500 - Internal Server Error</h1></body></html>"
                              : fault.body;
        } else if (path == kApiRoot || path.starts_with("/bigbluebutton/api/")) {
            const bool isIndex = path == kApiRoot || path == "/bigbluebutton/api/";
            answer = api_->handleApi(
                {request.getMethod(), isIndex ? std::string() : call, rawQuery, request.getContentType(), body});
        } else if (path == "/html5client/join") {
            answer = api_->handleClient({request.getMethod(), call, rawQuery, request.getContentType(), body});
        } else {
            answer.status = 404;
            answer.contentType = "text/plain;charset=UTF-8";
            answer.body = "Not Found";
        }
    } catch (const std::exception& e) {
        // A bug in the fake must be loud in the test output, not a silent 200.
        std::cerr << "fake_bbb: internal error on " << path << ": " << e.what() << '\n';
        answer = ApiAnswer{};
        answer.status = 500;
        answer.contentType = "text/plain;charset=UTF-8";
        answer.body = std::string("fake BBB internal error: ") + e.what();
    }

    try {
        response.setStatusAndReason(static_cast<Poco::Net::HTTPResponse::HTTPStatus>(answer.status));
        response.setContentType(answer.contentType);
        for (const auto& [name, value] : answer.headers) response.set(name, value);
        response.sendBuffer(answer.body.data(), answer.body.size());
    } catch (const Poco::Exception&) {
        // The client went away, or takeDown() aborted the connection: there is nobody left
        // to tell, and the request was already recorded.
    }
    fire(answer.callbacks);
}

FakeBbbServer::FakeBbbServer(std::string secret, FakeBbbOptions options)
    : impl_(std::make_unique<Impl>(std::move(secret), std::move(options))) {}

FakeBbbServer::~FakeBbbServer() = default;

std::uint16_t FakeBbbServer::port() const {
    return impl_->port_;
}
std::string FakeBbbServer::serverUrl() const {
    return impl_->serverUrl_;
}
std::string FakeBbbServer::baseUrl() const {
    return impl_->serverUrl_ + "/bigbluebutton/api/";
}
const std::string& FakeBbbServer::secret() const {
    return impl_->secret_;
}

std::string FakeBbbServer::signedUrl(std::string_view call, std::string_view query, ChecksumAlgorithm algorithm) const {
    return baseUrl() + std::string(call) + "?" + signQuery(call, query, impl_->secret_, algorithm);
}

std::vector<MeetingInfo> FakeBbbServer::meetings() const {
    return impl_->api_->meetings();
}
std::optional<MeetingInfo> FakeBbbServer::meeting(const std::string& meetingId) const {
    return impl_->api_->meeting(meetingId);
}
std::vector<AttendeeInfo> FakeBbbServer::attendees(const std::string& meetingId) const {
    auto m = impl_->api_->meeting(meetingId);
    return m ? m->attendees : std::vector<AttendeeInfo>{};
}
void FakeBbbServer::setAttendees(const std::string& meetingId, int participants, int listeners, int voice, int video,
                                 int moderators) {
    impl_->api_->setAttendees(meetingId, participants, listeners, voice, video, moderators);
}
bool FakeBbbServer::removeAttendee(const std::string& meetingId, const std::string& userId) {
    return impl_->api_->removeAttendee(meetingId, userId);
}
int FakeBbbServer::connectPendingAttendees(const std::string& meetingId) {
    return impl_->api_->connectPendingAttendees(meetingId);
}
void FakeBbbServer::setRecordingMarks(const std::string& meetingId, bool marks) {
    impl_->api_->setRecordingMarks(meetingId, marks);
}
bool FakeBbbServer::endMeeting(const std::string& meetingId) {
    auto callbacks = impl_->api_->endMeeting(meetingId);
    if (!callbacks) return false;
    impl_->fire(*callbacks);
    return true;
}
void FakeBbbServer::reset() {
    impl_->api_->reset();
}
void FakeBbbServer::addRecording(RecordingInfo recording) {
    impl_->api_->addRecording(std::move(recording));
}
std::vector<RecordingInfo> FakeBbbServer::recordings() const {
    return impl_->api_->recordings();
}

void FakeBbbServer::setFault(Fault fault) {
    if (fault.mode == FaultMode::down) {
        impl_->takeDown();
        return;
    }
    if (!impl_->isUp()) impl_->bringUp();
    impl_->setFaultOnly(std::move(fault));
}
Fault FakeBbbServer::fault() const {
    return impl_->fault();
}
void FakeBbbServer::takeDown() {
    impl_->takeDown();
}
void FakeBbbServer::bringUp() {
    impl_->bringUp();
}
bool FakeBbbServer::isUp() const {
    return impl_->isUp();
}

std::size_t FakeBbbServer::callCount(std::string_view call) const {
    std::lock_guard lock(impl_->statsMutex_);
    auto it = impl_->counts_.find(call);
    return it == impl_->counts_.end() ? 0 : it->second;
}
std::map<std::string, std::size_t> FakeBbbServer::callCounts() const {
    std::lock_guard lock(impl_->statsMutex_);
    return {impl_->counts_.begin(), impl_->counts_.end()};
}
std::size_t FakeBbbServer::totalCalls() const {
    std::lock_guard lock(impl_->statsMutex_);
    return impl_->total_;
}
void FakeBbbServer::resetCounters() {
    std::lock_guard lock(impl_->statsMutex_);
    impl_->counts_.clear();
    impl_->total_ = 0;
    impl_->history_.clear();
    impl_->last_.reset();
}
std::optional<RecordedRequest> FakeBbbServer::lastRequest() const {
    std::lock_guard lock(impl_->statsMutex_);
    return impl_->last_;
}
std::optional<RecordedRequest> FakeBbbServer::lastRequest(std::string_view call) const {
    std::lock_guard lock(impl_->statsMutex_);
    if (impl_->last_ && impl_->last_->call == call) return impl_->last_;
    for (auto it = impl_->history_.rbegin(); it != impl_->history_.rend(); ++it)
        if (it->call == call) return *it;
    return std::nullopt;
}
std::vector<RecordedRequest> FakeBbbServer::requests() const {
    std::lock_guard lock(impl_->statsMutex_);
    return {impl_->history_.begin(), impl_->history_.end()};
}
bool FakeBbbServer::waitForCall(std::string_view call, std::chrono::milliseconds timeout, std::size_t atLeast) const {
    std::unique_lock lock(impl_->statsMutex_);
    return impl_->callArrived_.wait_for(lock, timeout, [&] {
        auto it = impl_->counts_.find(call);
        return it != impl_->counts_.end() && it->second >= atLeast;
    });
}

std::vector<CallbackRecord> FakeBbbServer::callbacks() const {
    return impl_->callbacks_.delivered();
}
bool FakeBbbServer::waitForCallbacks(std::size_t atLeast, std::chrono::milliseconds timeout) const {
    return impl_->callbacks_.waitFor(atLeast, timeout);
}

}  // namespace b3s::test::bbb
