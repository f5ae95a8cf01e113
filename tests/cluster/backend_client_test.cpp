// BackendClient against a real HTTP server on loopback.

#include "cluster/backend_client.hpp"

#include <Poco/Net/HTTPRequestHandler.h>
#include <Poco/Net/HTTPRequestHandlerFactory.h>
#include <Poco/Net/HTTPServer.h>
#include <Poco/Net/HTTPServerParams.h>
#include <Poco/Net/HTTPServerRequest.h>
#include <Poco/Net/HTTPServerResponse.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/StreamCopier.h>

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace b3s::core::cluster {
namespace {

struct Seen {
    std::atomic<int> requests{0};
    std::atomic<int> finished{0};
    std::atomic<int> delay_ms{0};
    std::atomic<bool> close_after_answer{false};
    std::mutex mutex;
    std::string last_method, last_uri, last_body, last_cookie, last_accept_encoding;
};

class Handler final : public Poco::Net::HTTPRequestHandler {
public:
    explicit Handler(Seen& seen) : seen_(seen) {}
    void handleRequest(Poco::Net::HTTPServerRequest& req, Poco::Net::HTTPServerResponse& resp) override {
        std::string body;
        Poco::StreamCopier::copyToString(req.stream(), body);
        {
            std::lock_guard lock(seen_.mutex);
            seen_.last_method = req.getMethod();
            seen_.last_uri = req.getURI();
            seen_.last_body = body;
            seen_.last_cookie = req.get("Cookie", "");
            seen_.last_accept_encoding = req.get("Accept-Encoding", "");
        }
        ++seen_.requests;
        if (int d = seen_.delay_ms.load()) std::this_thread::sleep_for(std::chrono::milliseconds(d));
        if (req.getURI().find("redirect") != std::string::npos) {
            resp.setStatus(Poco::Net::HTTPResponse::HTTP_FOUND);
            resp.set("Location", "https://client.example/join?x=1");
        }
        if (seen_.close_after_answer) resp.setKeepAlive(false);
        static const std::string kAnswer = "<response><returncode>SUCCESS</returncode></response>";
        resp.setContentType("text/xml;charset=UTF-8");
        resp.setContentLength(static_cast<std::streamsize>(kAnswer.size()));
        resp.send() << kAnswer;
        ++seen_.finished;
    }

private:
    Seen& seen_;
};

class Factory final : public Poco::Net::HTTPRequestHandlerFactory {
public:
    explicit Factory(Seen& seen) : seen_(seen) {}
    Poco::Net::HTTPRequestHandler* createRequestHandler(const Poco::Net::HTTPServerRequest&) override {
        return new Handler(seen_);
    }

private:
    Seen& seen_;
};

class BackendClientTest : public ::testing::Test {
protected:
    void SetUp() override {
        Poco::Net::ServerSocket socket(Poco::Net::SocketAddress("127.0.0.1", 0));
        port_ = socket.address().port();
        auto* params = new Poco::Net::HTTPServerParams;
        params->setKeepAlive(true);
        server_ = std::make_unique<Poco::Net::HTTPServer>(new Factory(seen_), socket, params);
        server_->start();
    }
    void TearDown() override {
        // Handlers reference seen_: let a deliberately slow one finish before it goes away.
        auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
        while (seen_.finished.load() < seen_.requests.load() && std::chrono::steady_clock::now() < deadline)
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        server_->stopAll(true);
    }
    std::string url(const std::string& path) { return "http://127.0.0.1:" + std::to_string(port_) + path; }

    Seen seen_;
    unsigned short port_ = 0;
    std::unique_ptr<Poco::Net::HTTPServer> server_;
};

TEST_F(BackendClientTest, ReusesOneKeepAliveConnectionForSequentialCalls) {
    BackendClient client;
    for (int i = 0; i < 20; ++i) {
        auto r = client.call({"GET", url("/bigbluebutton/api/getMeetings?checksum=abc"), "", ""});
        ASSERT_TRUE(r.ok()) << r.error.message;
        EXPECT_EQ(r.response->status, 200);
        EXPECT_EQ(r.response->body, "<response><returncode>SUCCESS</returncode></response>");
    }
    EXPECT_EQ(client.connectionsOpened(), 1u);
    EXPECT_EQ(client.idleConnections(), 1u);
    EXPECT_EQ(seen_.requests.load(), 20);
}

TEST_F(BackendClientTest, SendsBodyAndNothingOfTheFrontendsHeaders) {
    BackendClient client;
    auto r = client.call({"POST", url("/bigbluebutton/api/create?name=x"), "<modules/>", "application/xml"});
    ASSERT_TRUE(r.ok()) << r.error.message;
    std::lock_guard lock(seen_.mutex);
    EXPECT_EQ(seen_.last_method, "POST");
    EXPECT_EQ(seen_.last_uri, "/bigbluebutton/api/create?name=x");
    EXPECT_EQ(seen_.last_body, "<modules/>");
    EXPECT_EQ(seen_.last_cookie, "");
    EXPECT_EQ(seen_.last_accept_encoding, "");
}

TEST_F(BackendClientTest, DoesNotFollowRedirects) {
    BackendClient client;
    auto r = client.call({"GET", url("/bigbluebutton/api/join?redirect=1"), "", ""});
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.response->status, 302);
    EXPECT_EQ(r.response->location, "https://client.example/join?x=1");
    EXPECT_EQ(seen_.requests.load(), 1);
}

TEST_F(BackendClientTest, OpensANewConnectionWhenTheBackendClosedTheOldOne) {
    BackendClient client;
    seen_.close_after_answer = true;
    for (int i = 0; i < 3; ++i) ASSERT_TRUE(client.call({"GET", url("/x"), "", ""}).ok());
    EXPECT_EQ(client.connectionsOpened(), 3u);
    EXPECT_EQ(client.idleConnections(), 0u);
}

TEST_F(BackendClientTest, TimesOutOnASlowBackendWithoutLeakingTheChecksum) {
    BackendClientOptions options;
    options.response_timeout = std::chrono::milliseconds(200);
    BackendClient client(options);
    seen_.delay_ms = 1500;
    auto started = std::chrono::steady_clock::now();
    auto r = client.call({"GET", url("/bigbluebutton/api/getMeetings?checksum=deadbeefsecret"), "", ""});
    auto took = std::chrono::steady_clock::now() - started;
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error.kind, BackendCallError::Kind::Timeout);
    EXPECT_LT(took, std::chrono::milliseconds(1200));
    EXPECT_EQ(r.error.message.find("deadbeefsecret"), std::string::npos) << r.error.message;
    EXPECT_NE(r.error.message.find("/bigbluebutton/api/getMeetings"), std::string::npos) << r.error.message;
}

TEST_F(BackendClientTest, AFrozenBackendHoldsAtMostItsShareOfCallsAndTheNextFailsFastAsBusy) {
    BackendClientOptions options;
    options.response_timeout = std::chrono::milliseconds(1500);
    options.max_calls_per_origin = 2;
    options.slot_wait = std::chrono::milliseconds(100);
    BackendClient client(options);
    seen_.delay_ms = 1200;  // the backend takes its time with everything now
    std::vector<std::thread> stuck;
    for (int i = 0; i < 2; ++i)
        stuck.emplace_back([&] { client.call({"GET", url("/bigbluebutton/api/getMeetingInfo"), "", ""}); });
    const std::string origin = "http://127.0.0.1:" + std::to_string(port_);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
    while (client.callsInFlight(origin) < 2 && std::chrono::steady_clock::now() < deadline)
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    ASSERT_EQ(client.callsInFlight(origin), 2u);

    const auto asked = std::chrono::steady_clock::now();
    const auto busy = client.call({"GET", url("/bigbluebutton/api/isMeetingRunning?checksum=deadbeefsecret"), "", ""});
    const auto took = std::chrono::steady_clock::now() - asked;
    ASSERT_FALSE(busy.ok());
    EXPECT_EQ(busy.error.kind, BackendCallError::Kind::Busy);
    EXPECT_GE(took, std::chrono::milliseconds(90));
    EXPECT_LT(took, std::chrono::milliseconds(600)) << "waited its slot_wait, not the backend";
    EXPECT_EQ(busy.error.message.find("deadbeefsecret"), std::string::npos) << busy.error.message;
    EXPECT_EQ(seen_.requests.load(), 2) << "the busy call never reached the backend";
    for (auto& t : stuck) t.join();
    EXPECT_EQ(client.callsInFlight(origin), 0u);
    seen_.delay_ms = 0;
    EXPECT_TRUE(client.call({"GET", url("/bigbluebutton/api/getMeetings"), "", ""}).ok()) << "slots come back";
}

TEST(BackendClientErrors, RefusedConnectionAndBadUrlsAreErrorsNotExceptions) {
    BackendClient client;
    Poco::Net::ServerSocket probe(Poco::Net::SocketAddress("127.0.0.1", 0));
    const auto port = probe.address().port();
    probe.close();  // nothing listens there now
    auto refused = client.call({"GET", "http://127.0.0.1:" + std::to_string(port) + "/api", "", ""});
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error.kind, BackendCallError::Kind::ConnectFailed);
    for (const char* bad : {"", "not a url", "ftp://example.org/x", "http:///nohost"}) {
        SCOPED_TRACE(bad);
        auto r = client.call({"GET", bad, "", ""});
        ASSERT_FALSE(r.ok());
        EXPECT_EQ(r.error.kind, BackendCallError::Kind::InvalidUrl);
    }
}

}  // namespace
}  // namespace b3s::core::cluster
