// HttpServer and its connection class over raw loopback sockets, so each test decides the
// exact bytes on the wire: what a refused request head gets back, keep-alive, Expect:
// 100-continue, and a shutdown that closes idle connections but lets a request finish.

#include "http/http_server.hpp"
#include "bbb/bbb_response.hpp"
#include "config/core_settings.hpp"
#include "http/json_response.hpp"
#include "http/request_framer.hpp"
#include "raw_http_client.hpp"

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
#include <vector>

namespace b3s::core::http {
namespace {

using test::RawClient;
using test::RawResponse;

using namespace std::chrono_literals;
using namespace std::string_literals;

constexpr std::string_view kBbbAnswer = "<response><returncode>SUCCESS</returncode></response>";
constexpr std::size_t kSlowBodyBytes = 256 * 1024;

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
        // A readiness probe stuck on the database, as /readyz is while PostgreSQL is away.
        router_->add({"GET"}, "/readyz", [this](auto&, auto& response) {
            gate_.wait();
            Poco::JSON::Object body;
            body.set("status", "ready");
            sendJson(response, Poco::Net::HTTPResponse::HTTP_OK, body);
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
        startServer(config::CoreSettings{});
    }
    /// (Re)starts the server with `settings` on a free loopback port.
    void startServer(config::CoreSettings settings) {
        if (server_) server_->shutdown(std::chrono::seconds(1));
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

// Request smuggling: a request whose framing two parsers could read differently is refused
// and the connection closed, so what it hides is never served as a request of its own.
TEST_F(HttpServerTest, AmbiguousFramingIsRefusedAndWhatItHidesIsNeverServed) {
    struct Case {
        const char* what;
        std::string head;
        int status;
    };
    const std::string hidden = "GET /addresses HTTP/1.1\r\nHost: localhost\r\n\r\n";
    const std::vector<Case> cases = {
        {"Content-Length and Transfer-Encoding",
         "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", 400},
        {"negative Content-Length", "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: -5\r\n\r\n", 400},
        {"signed Content-Length", "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: +0\r\n\r\n", 400},
        {"repeated Content-Length",
         "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\nContent-Length: 0\r\n\r\n", 400},
        {"another coding", "POST /echo HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: identity\r\n\r\n", 501},
        {"NUL in a value", "POST /echo HTTP/1.1\r\nHost: local\0host\r\n\r\n"s, 400},
        {"bare CR in a value", "POST /echo HTTP/1.1\r\nHost: local\rhost\r\n\r\n", 400},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.what);
        RawClient client(port_);
        client.send(c.head + hidden);
        const auto r = client.read();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->status, c.status);
        EXPECT_EQ(Poco::toLower(r->header("connection")), "close");
        EXPECT_TRUE(client.closedByServer()) << "a second answer (the hidden request) came";
    }
    // The same on the BBB gateway's path: BBB's shape, the same refusal.
    RawClient bbb(port_);
    bbb.send(
        "POST /bbb/k/bigbluebutton/api/create HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n"
        "Transfer-Encoding: chunked\r\n\r\n" +
        hidden);
    const auto r = bbb.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 400);
    EXPECT_NE(r->body.find("<returncode>FAILED</returncode>"), std::string::npos) << r->body;
    EXPECT_TRUE(bbb.closedByServer());
    expectServerStillAnswers();
}

TEST_F(HttpServerTest, ABodyTheHandlerNeverReadsIsConsumedNotParsedAsTheNextRequest) {
    // POST to a GET-only route: answered without reading the body, whose bytes look like a request.
    const std::string body = "GET /addresses HTTP/1.1\r\nHost: localhost\r\n\r\n";
    RawClient c(port_);
    c.send("POST /healthz HTTP/1.1\r\nHost: localhost\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" +
           body + "GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    const auto first = c.read();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->status, 405);
    const auto second = c.read();
    ASSERT_TRUE(second);
    EXPECT_EQ(second->status, 200);
    EXPECT_EQ(parseJson(second->body)->getValue<std::string>("status"), "ok") << "the body was served as a request";
}

TEST_F(HttpServerTest, AnswersAreHttp11WhateverTheClientSpeaks) {
    RawClient c(port_);
    c.send("GET /healthz HTTP/1.0\r\n\r\n");
    const auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->version, "HTTP/1.1");
    EXPECT_EQ(Poco::toLower(r->header("connection")), "close");
}

TEST_F(HttpServerTest, SlowHeadersGet408AtTheHeaderDeadlineAndNobodyElseWaits) {
    config::CoreSettings settings;
    settings.http_read_header_timeout_s = 1;
    startServer(settings);
    RawClient slow(port_);
    const auto started = std::chrono::steady_clock::now();
    slow.send("GET /healthz HTTP/1.1\r\nHost: l");
    // A byte every 200 ms would keep a per-read timeout alive forever; the deadline is per head.
    std::optional<RawResponse> r;
    std::thread dribble([&] {
        for (int i = 0; i < 20; ++i) {
            std::this_thread::sleep_for(200ms);
            try {
                slow.sendRaw("o");
            } catch (const Poco::Exception&) {
                return;  // closed: the deadline struck
            }
        }
    });
    expectServerStillAnswers();
    r = slow.read();
    const auto took = std::chrono::steady_clock::now() - started;
    dribble.join();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 408);
    EXPECT_EQ(parseJson(r->body)->getValue<std::string>("error"), "request_timeout");
    EXPECT_LT(took, 3s);
    EXPECT_GE(took, 900ms);
}

TEST_F(HttpServerTest, IdleConnectionsCloseAfterTheIdleTimeout) {
    config::CoreSettings settings;
    settings.http_idle_timeout_s = 1;
    startServer(settings);
    RawClient c(port_);
    c.send("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n");
    ASSERT_TRUE(c.read());
    const auto started = std::chrono::steady_clock::now();
    EXPECT_TRUE(c.closedByServer());
    EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
}

TEST_F(HttpServerTest, ConnectionsBeyondTheCapGet503AndAreClosed) {
    config::CoreSettings settings;
    settings.http_max_connections = 16;
    startServer(settings);
    std::vector<std::unique_ptr<RawClient>> idle;
    for (int i = 0; i < 16; ++i) idle.push_back(std::make_unique<RawClient>(port_));
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (server_->connections() < 16 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    ASSERT_EQ(server_->connections(), 16u);
    RawClient over(port_);
    const auto r = over.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
    EXPECT_EQ(parseJson(r->body)->getValue<std::string>("error"), "unavailable");
    EXPECT_TRUE(over.closedByServer());
    idle.pop_back();
    while (server_->connections() > 15 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    expectServerStillAnswers();
}

TEST_F(HttpServerTest, BodiesBeyondTheMemoryBudgetGet503) {
    config::CoreSettings settings;
    settings.http_body_memory_bytes = 1024 * 1024;
    startServer(settings);
    RawClient c(port_);
    c.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2000000\r\n\r\n");
    const auto r = c.read();
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 503);
    RawClient small(port_);
    small.send("POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello");
    const auto echoed = small.read();
    ASSERT_TRUE(echoed);
    EXPECT_EQ(echoed->body, "hello");
}

TEST_F(HttpServerTest, ProbesAnswerWhileEveryHandlerThreadIsBusy) {
    config::CoreSettings settings;
    settings.http_max_threads = 2;
    startServer(settings);
    std::vector<std::thread> stuck;
    for (int i = 0; i < 3; ++i)
        stuck.emplace_back([this] {
            try {
                RawClient c(port_);
                c.send("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n");
                c.read();
            } catch (const Poco::Exception&) {
            }
        });
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (router_->inFlight() < 2 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    ASSERT_EQ(router_->inFlight(), 2) << "both handler threads wait at the gate";
    const auto asked = std::chrono::steady_clock::now();
    expectServerStillAnswers();
    EXPECT_LT(std::chrono::steady_clock::now() - asked, 1s);
    openGate();
    for (auto& t : stuck) t.join();
}

TEST_F(HttpServerTest, AReadinessProbeWaitingForTheDatabaseNeverDelaysTheLivenessProbe) {
    std::thread stuck([this] {
        try {
            RawClient c(port_);
            c.send("GET /readyz HTTP/1.1\r\nHost: localhost\r\n\r\n");
            c.read();
        } catch (const Poco::Exception&) {
        }
    });
    const auto deadline = std::chrono::steady_clock::now() + 5s;
    while (router_->inFlight() < 1 && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(5ms);
    ASSERT_EQ(router_->inFlight(), 1) << "/readyz waits at the gate";
    const auto asked = std::chrono::steady_clock::now();
    expectServerStillAnswers();
    EXPECT_LT(std::chrono::steady_clock::now() - asked, 1s);
    openGate();
    stuck.join();
}

TEST_F(HttpServerTest, AThousandIdleAndFiftySlowConnectionsDoNotDelayAFreshClient) {
    std::vector<std::unique_ptr<RawClient>> idle;
    for (int i = 0; i < 1000; ++i) {
        idle.push_back(std::make_unique<RawClient>(port_));
        if (i % 20 == 0) idle.back()->send("GET /healthz HTTP/1.1\r\nHost: l");  // a head begun, never ended
    }
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (server_->connections() < 1000 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(10ms);
    ASSERT_EQ(server_->connections(), 1000u);
    for (int i = 0; i < 20; ++i) {
        const auto asked = std::chrono::steady_clock::now();
        expectServerStillAnswers();
        RawClient c(port_);
        c.send("GET /bbb/k/bigbluebutton/api/getMeetings HTTP/1.1\r\nHost: localhost\r\n\r\n");
        const auto r = c.read();
        ASSERT_TRUE(r);
        EXPECT_EQ(r->body, kBbbAnswer);
        EXPECT_LT(std::chrono::steady_clock::now() - asked, 1s);
    }
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
