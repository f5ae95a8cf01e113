// HttpServer and its connection class over raw loopback sockets, so each test decides the
// exact bytes on the wire: what a refused request head gets back, keep-alive, Expect:
// 100-continue, and a shutdown that closes idle connections but lets a request finish.

#include "http/http_server.hpp"
#include "bbb/bbb_response.hpp"
#include "config/core_settings.hpp"
#include "http/http_connection.hpp"
#include "http/json_response.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/NetException.h>
#include <Poco/Net/SocketAddress.h>
#include <Poco/Net/StreamSocket.h>
#include <Poco/StreamCopier.h>
#include <Poco/String.h>

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <map>
#include <optional>
#include <thread>

namespace b3s::core::http {
namespace {

using namespace std::chrono_literals;

constexpr std::string_view kBbbAnswer = "<response><returncode>SUCCESS</returncode></response>";
constexpr std::size_t kSlowBodyBytes = 256 * 1024;

struct RawResponse {
    int status = 0;
    std::map<std::string, std::string> headers;  ///< names in lower case
    std::string body;

    std::string header(const std::string& name) const {
        auto it = headers.find(name);
        return it == headers.end() ? std::string() : it->second;
    }
};

/// A client on a plain TCP socket: sends bytes exactly as given, parses answers itself.
class RawClient {
public:
    explicit RawClient(Poco::UInt16 port) {
        socket_.connect(Poco::Net::SocketAddress("127.0.0.1", port), Poco::Timespan(5, 0));
        socket_.setReceiveTimeout(Poco::Timespan(10, 0));
        socket_.setSendTimeout(Poco::Timespan(10, 0));
    }

    void send(std::string_view bytes) {
        while (!bytes.empty()) {
            int n = socket_.sendBytes(bytes.data(), static_cast<int>(std::min<std::size_t>(bytes.size(), 64 * 1024)));
            ASSERT_GT(n, 0);
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    /// Sends `bytes` in pieces of `piece` bytes, each its own TCP segment, waiting a little
    /// between them so that the server reads them one at a time.
    void sendInPieces(std::string_view bytes, std::size_t piece) {
        socket_.setNoDelay(true);
        while (!bytes.empty()) {
            const auto n = std::min(piece, bytes.size());
            send(bytes.substr(0, n));
            bytes.remove_prefix(n);
            std::this_thread::sleep_for(20ms);
        }
    }

    /// Sends all of `bytes`; throws Poco::Exception when the server resets the connection.
    void sendRaw(std::string_view bytes) {
        while (!bytes.empty()) {
            const int n = socket_.sendBytes(bytes.data(), static_cast<int>(bytes.size()));
            if (n <= 0) throw Poco::Net::ConnectionResetException("send returned " + std::to_string(n));
            bytes.remove_prefix(static_cast<std::size_t>(n));
        }
    }

    std::string localAddress() const { return socket_.address().toString(); }

    /// The next answer (a 100 Continue included); nullopt when the server closed first.
    std::optional<RawResponse> read() {
        std::size_t end;
        while ((end = buffer_.find("\r\n\r\n")) == std::string::npos)
            if (!fill()) return std::nullopt;
        RawResponse r;
        const std::string head = buffer_.substr(0, end);
        buffer_.erase(0, end + 4);
        std::size_t line_end = head.find("\r\n");
        const std::string status_line = head.substr(0, line_end);
        r.status = std::stoi(status_line.substr(status_line.find(' ') + 1, 3));
        while (line_end != std::string::npos) {
            std::size_t next = head.find("\r\n", line_end + 2);
            std::string line =
                head.substr(line_end + 2, next == std::string::npos ? std::string::npos : next - line_end - 2);
            auto colon = line.find(':');
            if (colon != std::string::npos)
                r.headers[Poco::toLower(line.substr(0, colon))] = Poco::trim(line.substr(colon + 1));
            line_end = next;
        }
        if (r.status < 200) return r;
        if (r.headers.contains("content-length")) {
            const auto length = std::stoul(r.headers["content-length"]);
            while (buffer_.size() < length)
                if (!fill()) return std::nullopt;
            r.body = buffer_.substr(0, length);
            buffer_.erase(0, length);
        } else {
            while (fill()) {
            }
            r.body.swap(buffer_);
        }
        return r;
    }

    /// True when the server closes the connection (within the receive timeout) without
    /// sending anything more.
    bool closedByServer() {
        if (!buffer_.empty()) return false;
        char c;
        try {
            return socket_.receiveBytes(&c, 1) == 0;
        } catch (const Poco::Net::ConnectionResetException&) {
            return true;
        }
    }

private:
    bool fill() {
        char chunk[16 * 1024];
        int n = socket_.receiveBytes(chunk, sizeof chunk);
        if (n <= 0) return false;
        buffer_.append(chunk, static_cast<std::size_t>(n));
        return true;
    }

    Poco::Net::StreamSocket socket_;
    std::string buffer_;
};

std::string megabyteQuery() {
    std::string q;
    while (q.size() < 1024 * 1024) q += "a=1&";
    return q;
}

std::string expectedBbbRefusal() {
    return bbb::renderFailure(bbb::ApiError::invalidQuery(bbb::QueryError::TooLong));
}

Poco::JSON::Object::Ptr parseJson(const std::string& text) {
    return Poco::JSON::Parser().parse(text).extract<Poco::JSON::Object::Ptr>();
}

class HttpServerTest : public ::testing::Test {
protected:
    void SetUp() override {
        router_ = new Router;
        router_->addPrefix({"GET", "POST"}, "/bbb/", [](auto&, auto& response) {
            response.setContentType(std::string(bbb::kXmlContentType));
            response.setContentLength(static_cast<std::streamsize>(kBbbAnswer.size()));
            response.send() << kBbbAnswer;
        });
        router_->add({"GET"}, "/healthz", [](auto&, auto& response) {
            Poco::JSON::Object body;
            body.set("status", "ok");
            sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, body);
        });
        router_->add({"GET"}, "/addresses", [](auto& request, auto& response) {
            const std::string body = request.clientAddress().toString() + " " + request.serverAddress().toString();
            response.setContentType("text/plain");
            response.setContentLength(static_cast<std::streamsize>(body.size()));
            response.send() << body;
        });
        router_->add({"POST"}, "/echo", [](auto& request, auto& response) {
            std::string body;
            Poco::StreamCopier::copyToString(request.stream(), body);
            response.setContentType("text/plain");
            response.setContentLength(static_cast<std::streamsize>(body.size()));
            response.send() << body;
        });
        // Refuses the body without reading it, as an answer to an oversized upload does.
        router_->add({"POST"}, "/refuse-body", [](auto&, auto& response) {
            response.setKeepAlive(false);
            sendJsonError(response, Poco::Net::HTTPResponse::HTTP_REQUESTENTITYTOOLARGE, "payload_too_large",
                          "the request body is too large");
        });
        // Waits until the test opens the gate, then sends a body large enough that its last
        // bytes are still being written after the handler has returned.
        router_->add({"GET"}, "/slow", [this](auto&, auto& response) {
            gate_.wait();
            const std::string body(kSlowBodyBytes, 's');
            response.setContentType("text/plain");
            response.setContentLength(static_cast<std::streamsize>(body.size()));
            response.send() << body;
        });
        config::CoreSettings settings;
        settings.listen = {"127.0.0.1", 0};
        server_ = std::make_unique<HttpServer>(settings, router_);
        server_->start();
        port_ = static_cast<Poco::UInt16>(server_->boundAddress().port);
    }
    void TearDown() override {
        openGate();
        server_.reset();
    }

    void openGate() {
        if (!gate_opened_.exchange(true)) gate_promise_.set_value();
    }
    void expectServerStillAnswers() {
        RawClient c(port_);
        c.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        auto r = c.read();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, 200);
        EXPECT_EQ(parseJson(r->body)->getValue<std::string>("status"), "ok");
    }
    /// Checks the BBB answer to a refused head, and that the connection is then closed.
    void expectBbbRefusal(RawClient& c) {
        auto r = c.read();
        ASSERT_TRUE(r) << "no answer";
        EXPECT_EQ(r->status, 200);
        EXPECT_EQ(r->header("content-type"), bbb::kXmlContentType);
        EXPECT_EQ(r->header("cache-control"), "no-cache");
        EXPECT_EQ(Poco::toLower(r->header("connection")), "close");
        EXPECT_EQ(r->body, expectedBbbRefusal());
        EXPECT_NE(r->body.find("<returncode>FAILED</returncode>"), std::string::npos);
        EXPECT_NE(r->body.find("<messageKey>validationError</messageKey>"), std::string::npos);
        EXPECT_TRUE(c.closedByServer());
    }

    Poco::SharedPtr<Router> router_;
    std::unique_ptr<HttpServer> server_;
    Poco::UInt16 port_ = 0;
    std::promise<void> gate_promise_;
    std::shared_future<void> gate_ = gate_promise_.get_future().share();
    std::atomic<bool> gate_opened_{false};
};

TEST_F(HttpServerTest, BbbGetWithAMegabyteQueryGetsFailedValidationErrorAndTheServerGoesOn) {
    RawClient c(port_);
    c.send("GET /bbb/k/bigbluebutton/api/create?" + megabyteQuery() + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    expectBbbRefusal(c);
    expectServerStillAnswers();
}

TEST_F(HttpServerTest, BbbPostWithAMegabyteQueryGetsFailedValidationError) {
    RawClient c(port_);
    const std::string body = "name=Room+1&meetingID=m1";
    c.send("POST /bbb/k/bigbluebutton/api/create?" + megabyteQuery() +
           " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-www-form-urlencoded\r\n"
           "Content-Length: " +
           std::to_string(body.size()) + "\r\n\r\n" + body);
    expectBbbRefusal(c);
    expectServerStillAnswers();
}

TEST_F(HttpServerTest, BbbRequestWithAHeaderOverPocosLimitGetsFailedValidationError) {
    RawClient c(port_);
    c.send("GET /bbb/k/bigbluebutton/api/getMeetings?checksum=x HTTP/1.1\r\nHost: localhost\r\nX-Padding: " +
           std::string(20000, 'p') + "\r\n\r\n");
    expectBbbRefusal(c);
    expectServerStillAnswers();
}

// The request line's first bytes arrive in segments shorter than "GET /bbb/": still a BBB answer.
TEST_F(HttpServerTest, BbbRequestWhoseStartArrivesInTinyPiecesStillGetsTheBbbRefusal) {
    RawClient c(port_);
    c.sendInPieces("GET /bbb/k/bigbluebutton/api/create?", 3);
    c.send(megabyteQuery() + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    expectBbbRefusal(c);
    expectServerStillAnswers();
}

// The second request on a kept-alive connection is refused: judged by its own start, not the first's.
TEST_F(HttpServerTest, RefusedSecondRequestOfAConnectionIsJudgedByItsOwnStart) {
    RawClient c(port_);
    c.send("GET /bbb/k/bigbluebutton/api/getMeetings HTTP/1.1\r\nHost: localhost\r\n\r\n");
    ASSERT_TRUE(c.read());
    c.send("GET /" + std::string(1024 * 1024, 'x') + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 414);

    RawClient d(port_);
    d.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    ASSERT_TRUE(d.read());
    d.send("GET /bbb/k/bigbluebutton/api/create?" + megabyteQuery() + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    expectBbbRefusal(d);
}

// Handlers see the connection's two addresses on every request of a kept-alive connection.
TEST_F(HttpServerTest, EveryRequestKnowsTheClientAndServerAddress) {
    RawClient c(port_);
    const std::string expected = c.localAddress() + " 127.0.0.1:" + std::to_string(port_);
    for (int i = 0; i < 3; ++i) {
        c.send("GET /addresses HTTP/1.1\r\nHost: localhost\r\n\r\n");
        auto r = c.read();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->body, expected) << "request " << i;
    }
}

TEST_F(HttpServerTest, AMegabytePathOutsideBbbGets414WithAJsonError) {
    RawClient c(port_);
    c.send("GET /" + std::string(1024 * 1024, 'x') + " HTTP/1.1\r\nHost: localhost\r\n\r\n");
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 414);
    EXPECT_EQ(r->header("content-type"), "application/json");
    EXPECT_EQ(Poco::toLower(r->header("connection")), "close");
    auto json = parseJson(r->body);
    EXPECT_EQ(json->getValue<std::string>("error"), "request_too_large");
    EXPECT_FALSE(json->getValue<std::string>("message").empty());
    EXPECT_TRUE(c.closedByServer());
    expectServerStillAnswers();
}

TEST_F(HttpServerTest, TooLargeHeadersOutsideBbbGet431WithAJsonError) {
    RawClient c(port_);
    c.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + std::string(20000, 'p') + "\r\n\r\n");
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 431);
    EXPECT_EQ(parseJson(r->body)->getValue<std::string>("error"), "request_too_large");
    EXPECT_TRUE(c.closedByServer());
}

TEST_F(HttpServerTest, AnInvalidMethodGets400WithAJsonError) {
    RawClient c(port_);
    c.send(std::string(40, 'G') + " /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_EQ(parseJson(r->body)->getValue<std::string>("error"), "bad_request");
    EXPECT_TRUE(c.closedByServer());
}

TEST_F(HttpServerTest, AClientStillSendingTheBodyItsAnswerRefusesGetsTheAnswerNotAReset) {
    // Closing a socket with unread input makes the kernel reset the connection, and the
    // client then loses the answer it was about to read: the close must linger and drain.
    for (int attempt = 0; attempt < 3; ++attempt) {
        SCOPED_TRACE("attempt " + std::to_string(attempt));
        RawClient c(port_);
        const std::size_t body_bytes = 8 * 1024 * 1024;
        c.send(
            "POST /refuse-body HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
            "Content-Length: " +
            std::to_string(body_bytes) + "\r\n\r\n");
        // As most HTTP clients do: the whole body first, then the answer.
        const std::string piece(64 * 1024, ' ');
        try {
            for (std::size_t sent = 0; sent < body_bytes; sent += piece.size()) c.sendRaw(piece);
        } catch (const Poco::Exception& e) {
            FAIL() << "the server reset the connection while the body was on its way: " << e.displayText();
        }
        const auto r = c.read();
        ASSERT_TRUE(r) << "the answer was lost";
        EXPECT_EQ(r->status, 413);
        EXPECT_EQ(parseJson(r->body)->getValue<std::string>("error"), "payload_too_large");
    }
    expectServerStillAnswers();
}

TEST_F(HttpServerTest, KeepAliveServesSeveralRequestsAndConnectionCloseEndsIt) {
    RawClient c(port_);
    c.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    auto first = c.read();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 200);
    EXPECT_NE(Poco::toLower(first->header("connection")), "close");

    c.send("GET /bbb/k/bigbluebutton/api/getMeetings HTTP/1.1\r\nHost: localhost\r\n\r\n");
    auto second = c.read();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->status, 200);
    EXPECT_EQ(second->body, kBbbAnswer);

    // Two requests in one write (pipelined) are both answered, in order.
    c.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: localhost\r\n\r\n");
    auto third = c.read();
    auto fourth = c.read();
    ASSERT_TRUE(third && fourth);
    EXPECT_EQ(third->status, 200);
    EXPECT_EQ(fourth->status, 404);

    c.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    auto last = c.read();
    ASSERT_TRUE(last);
    EXPECT_EQ(last->status, 200);
    EXPECT_EQ(Poco::toLower(last->header("connection")), "close");
    EXPECT_TRUE(c.closedByServer());
}

TEST_F(HttpServerTest, Http10WithoutKeepAliveIsClosedAfterTheAnswer) {
    RawClient c(port_);
    c.send("GET /healthz HTTP/1.0\r\n\r\n");
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_TRUE(c.closedByServer());
}

TEST_F(HttpServerTest, ExpectContinueGets100BeforeTheBodyIsSent) {
    RawClient c(port_);
    c.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    auto interim = c.read();
    ASSERT_TRUE(interim);
    EXPECT_EQ(interim->status, 100);
    c.send("hello");
    auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 200);
    EXPECT_EQ(r->body, "hello");
}

TEST_F(HttpServerTest, ShutdownClosesAnIdleKeepAliveConnectionAtOnce) {
    RawClient c(port_);
    c.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    auto r = c.read();
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200);

    const auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(server_->shutdown(std::chrono::seconds(10)));
    const auto took = std::chrono::steady_clock::now() - started;
    EXPECT_LT(took, 1s) << std::chrono::duration_cast<std::chrono::milliseconds>(took).count() << " ms";
    EXPECT_TRUE(c.closedByServer());
}

TEST_F(HttpServerTest, ShutdownWaitsForAnInFlightRequestAndItGetsItsWholeAnswer) {
    std::optional<RawResponse> slow;
    std::string client_error;
    std::thread client([&] {
        try {
            RawClient c(port_);
            c.send("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n");
            slow = c.read();
        } catch (const Poco::Exception& e) {
            client_error = e.displayText();
        }
    });
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (router_->inFlight() == 0 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    ASSERT_EQ(router_->inFlight(), 1);

    std::atomic<bool> returned{false};
    bool drained = false;
    std::thread stopper([&] {
        drained = server_->shutdown(std::chrono::seconds(10));
        returned = true;
    });
    std::this_thread::sleep_for(300ms);
    EXPECT_FALSE(returned) << "shutdown returned with a request in flight";
    // New connections are refused (or closed unanswered) from the start of the shutdown.
    try {
        RawClient late(port_);
        late.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
        EXPECT_FALSE(late.read()) << "a connection made during shutdown was served";
    } catch (const Poco::Exception&) {
        // Refused: what we want.
    }

    openGate();
    stopper.join();
    client.join();
    EXPECT_TRUE(drained);
    EXPECT_TRUE(client_error.empty()) << client_error;
    ASSERT_TRUE(slow);
    EXPECT_EQ(slow->status, 200);
    EXPECT_EQ(slow->body.size(), kSlowBodyBytes);
    EXPECT_EQ(router_->inFlight(), 0);
}

TEST(RequestStartTest, TellsBbbRequestLinesFromOthersAndWaitsForEnoughBytes) {
    EXPECT_EQ(classifyRequestStart("GET /bbb/k/bigbluebutton/api/create?x"), RequestTarget::Bbb);
    EXPECT_EQ(classifyRequestStart("POST /bbb/"), RequestTarget::Bbb);
    EXPECT_EQ(classifyRequestStart("\r\n\r\nGET  /bbb/x"), RequestTarget::Bbb);
    EXPECT_EQ(classifyRequestStart("GET /healthz HTTP/1.1"), RequestTarget::Other);
    EXPECT_EQ(classifyRequestStart("GET /bbbx/"), RequestTarget::Other);
    EXPECT_EQ(classifyRequestStart("GET http://host/bbb/"), RequestTarget::Other);
    EXPECT_EQ(classifyRequestStart(std::string(33, 'G') + " /bbb/"), RequestTarget::Other);
    EXPECT_EQ(classifyRequestStart(std::string(32, 'G') + " /bbb/"), RequestTarget::Bbb);
    EXPECT_EQ(classifyRequestStart(""), RequestTarget::Undecided);
    EXPECT_EQ(classifyRequestStart("\r\n"), RequestTarget::Undecided);
    EXPECT_EQ(classifyRequestStart("GE"), RequestTarget::Undecided);
    EXPECT_EQ(classifyRequestStart("GET "), RequestTarget::Undecided);
    EXPECT_EQ(classifyRequestStart("GET /bb"), RequestTarget::Undecided);
    EXPECT_EQ(classifyRequestStart("GET /x"), RequestTarget::Other);
}

}  // namespace
}  // namespace b3s::core::http
