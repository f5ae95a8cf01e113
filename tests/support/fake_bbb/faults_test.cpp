// Fault injection: every mode, the down → bringUp cycle on the same port, and that no
// fault can keep a test (or the server's destructor) waiting unboundedly.

#include "bbb_http_client.hpp"
#include "fake_bbb/fake_bbb_server.hpp"

#include <Poco/Exception.h>
#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/Net/NetException.h>
#include <Poco/StreamCopier.h>
#include <Poco/URI.h>

#include <gtest/gtest.h>

#include <future>

namespace b3s::test::bbb {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

constexpr const char* kSecret = "fault-secret";

class Faults : public ::testing::Test {
protected:
    HttpResult getMeetings(std::chrono::milliseconds timeout = 5s) {
        return httpRequest("GET", server_->signedUrl("getMeetings", ""), {}, {}, {}, timeout);
    }
    std::string returnCode(const HttpResult& result) { return XmlDoc(result.body).text("returncode"); }

    std::unique_ptr<FakeBbbServer> server_ = std::make_unique<FakeBbbServer>(kSecret);
};

TEST_F(Faults, FailedAnswersEveryCallWithTheGivenMessageKey) {
    server_->setFault(Fault::failed("internalError", "boom"));
    for (const std::string& url : {server_->signedUrl("getMeetings", ""), server_->baseUrl(),
                                   server_->signedUrl("create", "meetingID=f1&name=Failing")}) {
        const HttpResult result = httpGet(url);
        EXPECT_EQ(result.status, 200);
        EXPECT_EQ(result.header("Content-Type"), "text/xml;charset=UTF-8");
        const XmlDoc doc(result.body);
        EXPECT_EQ(doc.text("returncode"), "FAILED");
        EXPECT_EQ(doc.text("messageKey"), "internalError");
        EXPECT_EQ(doc.text("message"), "boom");
    }
    EXPECT_TRUE(server_->meetings().empty());  // a failing server changes nothing
    EXPECT_EQ(server_->fault().mode, FaultMode::failed);
    server_->setFault(Fault::none());
    EXPECT_EQ(returnCode(getMeetings()), "SUCCESS");
}

TEST_F(Faults, FlappingAlternatesFailedAndNormalAnswersFromTheFirstCall) {
    server_->setFault(Fault::flapping());
    std::vector<std::string> codes;
    for (int i = 0; i < 5; ++i) codes.push_back(returnCode(getMeetings()));
    EXPECT_EQ(codes, (std::vector<std::string>{"FAILED", "SUCCESS", "FAILED", "SUCCESS", "FAILED"}));
    server_->setFault(Fault::flapping());  // set again: starts over with a failure
    EXPECT_EQ(returnCode(getMeetings()), "FAILED");
    server_->setFault(Fault::none());
    EXPECT_EQ(returnCode(getMeetings()), "SUCCESS");
    EXPECT_EQ(returnCode(getMeetings()), "SUCCESS");
}

TEST_F(Faults, GarbageAnswersHttp200WithABodyThatIsNotXml) {
    server_->setFault(Fault::garbage());
    const HttpResult result = getMeetings();
    EXPECT_EQ(result.status, 200);
    EXPECT_FALSE(result.body.empty());
    EXPECT_THROW(XmlDoc{result.body}, Poco::Exception);
    server_->setFault(Fault::garbage("custom"));
    EXPECT_EQ(getMeetings().body, "custom");
}

TEST_F(Faults, Http500AnswersAnErrorPage) {
    server_->setFault(Fault::http500());
    const HttpResult result = getMeetings();
    EXPECT_EQ(result.status, 500);
    EXPECT_NE(result.header("Content-Type").find("text/html"), std::string::npos);
}

TEST_F(Faults, SlowDelaysEveryAnswer) {
    server_->setFault(Fault::slow(200ms));
    const auto start = Clock::now();
    const HttpResult result = getMeetings();
    EXPECT_GE(Clock::now() - start, 200ms);
    EXPECT_EQ(returnCode(result), "SUCCESS");
}

TEST_F(Faults, HangHoldsTheAnswerUntilCleared) {
    server_->setFault(Fault::hang(20s));
    auto answer = std::async(std::launch::async, [&] { return getMeetings(10s); });
    ASSERT_TRUE(server_->waitForCall("getMeetings", 5s));            // the request arrived…
    EXPECT_EQ(answer.wait_for(200ms), std::future_status::timeout);  // …and is held
    server_->setFault(Fault::none());
    ASSERT_EQ(answer.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(returnCode(answer.get()), "SUCCESS");
}

TEST_F(Faults, HangEndsAfterItsMaximum) {
    server_->setFault(Fault::hang(300ms));
    const auto start = Clock::now();
    const HttpResult result = getMeetings();
    const auto elapsed = Clock::now() - start;
    EXPECT_GE(elapsed, 300ms);
    EXPECT_LT(elapsed, 5s);
    EXPECT_EQ(returnCode(result), "SUCCESS");
}

TEST_F(Faults, AHangingServerMakesClientsTimeOut) {
    server_->setFault(Fault::hang(20s));
    EXPECT_THROW(getMeetings(200ms), Poco::TimeoutException);
    server_->setFault(Fault::none());
}

TEST_F(Faults, DownRefusesConnectionsAndBringUpKeepsThePortAndState) {
    httpGet(server_->signedUrl("create", "meetingID=keep1&name=Kept"));
    const auto port = server_->port();
    server_->takeDown();
    EXPECT_FALSE(server_->isUp());
    EXPECT_EQ(server_->fault().mode, FaultMode::down);
    EXPECT_THROW(getMeetings(), Poco::Net::ConnectionRefusedException);

    server_->bringUp();
    EXPECT_TRUE(server_->isUp());
    EXPECT_EQ(server_->port(), port);
    EXPECT_EQ(server_->fault().mode, FaultMode::none);
    const XmlDoc doc(getMeetings().body);
    EXPECT_EQ(doc.text("meetings/meeting/meetingID"), "keep1");

    // The same cycle through setFault.
    server_->setFault(Fault::down());
    EXPECT_THROW(getMeetings(), Poco::Net::ConnectionRefusedException);
    server_->setFault(Fault::slow(1ms));
    EXPECT_TRUE(server_->isUp());
    EXPECT_EQ(server_->port(), port);
    EXPECT_EQ(returnCode(getMeetings()), "SUCCESS");
}

TEST_F(Faults, TakeDownAbortsRequestsHeldByHang) {
    server_->setFault(Fault::hang(20s));
    auto answer = std::async(std::launch::async, [&] {
        try {
            return getMeetings(10s).status;
        } catch (const Poco::Exception&) {
            return -1;  // reset or closed without an answer: what a dying server gives
        }
    });
    ASSERT_TRUE(server_->waitForCall("getMeetings", 5s));
    server_->takeDown();
    ASSERT_EQ(answer.wait_for(5s), std::future_status::ready);
    EXPECT_EQ(answer.get(), -1);
    server_->bringUp();
    EXPECT_EQ(returnCode(getMeetings()), "SUCCESS");
}

TEST_F(Faults, DownAbortsKeepAliveConnections) {
    const Poco::URI uri(server_->baseUrl());
    Poco::Net::HTTPClientSession session(uri.getHost(), uri.getPort());
    session.setTimeout(Poco::Timespan(5, 0));
    auto roundTrip = [&] {
        Poco::Net::HTTPRequest request("GET", "/bigbluebutton/api/", Poco::Net::HTTPMessage::HTTP_1_1);
        request.setKeepAlive(true);
        session.sendRequest(request);
        Poco::Net::HTTPResponse response;
        std::string body;
        Poco::StreamCopier::copyToString(session.receiveResponse(response), body);
        return static_cast<int>(response.getStatus());
    };
    EXPECT_EQ(roundTrip(), 200);
    server_->takeDown();
    EXPECT_THROW(roundTrip(), Poco::Exception);
    server_->bringUp();
    session.reset();
    EXPECT_EQ(roundTrip(), 200);
}

TEST_F(Faults, DestructionReleasesHangingRequestsPromptly) {
    server_->setFault(Fault::hang(30s));
    auto answer = std::async(std::launch::async, [&] {
        try {
            return getMeetings(10s).status;
        } catch (const Poco::Exception&) {
            return -1;  // the connection was closed under it: expected
        }
    });
    ASSERT_TRUE(server_->waitForCall("getMeetings", 5s));
    const auto start = Clock::now();
    server_.reset();
    EXPECT_LT(Clock::now() - start, 3s);
    EXPECT_EQ(answer.wait_for(5s), std::future_status::ready);
}

}  // namespace
}  // namespace b3s::test::bbb
