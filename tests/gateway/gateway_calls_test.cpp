// The BBB API through a real b3scaled: create, join, end, queries, tenancy, settings,
// placement, callbacks and the browser pages, against fake BBB backends over loopback.

#include "gateway_cluster.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "fake_bbb/sign_query.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <gtest/gtest.h>

#include <sstream>

namespace b3s::test {
namespace {

using core::bbb::encodeMeetingId;

// On both stores: the embedded SQLite one serves a single node the same way.
class GatewayCallsTest : public ::testing::TestWithParam<Connector> {
protected:
    void SetUp() override {
        GatewayClusterOptions options;
        options.connector = GetParam();
        cluster_ = std::make_unique<GatewayCluster>(options);
        cluster_->addFrontend("tenant", "tenant-secret");
        cluster_->addAllBackends();
        cluster_->start();
    }
    HttpResult call(const std::string& name, const std::string& query = "") {
        return cluster_->call("tenant", "tenant-secret", name, query);
    }
    std::unique_ptr<GatewayCluster> cluster_;
};

TEST_P(GatewayCallsTest, CreateJoinEndRoundTrip) {
    auto created = call("create", "meetingID=m1&name=Demo&attendeePW=ap&moderatorPW=mp");
    ASSERT_TRUE(answered(created, "SUCCESS")) << created.body;
    EXPECT_EQ(field(created, "meetingID"), "m1");  // decoded for the frontend
    // The backend saw the tenant-encoded id.
    const auto encoded = encodeMeetingId("tenant", "m1");
    std::size_t holder = 2;
    for (std::size_t i = 0; i < 2; ++i)
        if (cluster_->backend(i).meeting(encoded)) holder = i;
    ASSERT_LT(holder, 2u) << "no backend has the meeting";

    auto join = call("join", "meetingID=m1&fullName=Alice&role=MODERATOR");
    EXPECT_EQ(join.status, 302) << join.body;
    EXPECT_EQ(join.location.rfind(cluster_->backend(holder).baseUrl() + "join?", 0), 0u) << join.location;
    EXPECT_NE(join.location.find("checksum="), std::string::npos);

    auto running = call("isMeetingRunning", "meetingID=m1");
    EXPECT_TRUE(answered(running, "SUCCESS")) << running.body;

    auto info = call("getMeetingInfo", "meetingID=m1");
    EXPECT_TRUE(answered(info, "SUCCESS")) << info.body;
    EXPECT_EQ(field(info, "meetingID"), "m1");

    auto ended = call("end", "meetingID=m1");
    EXPECT_TRUE(answered(ended, "SUCCESS", "sentEndMeetingRequest")) << ended.body;
    EXPECT_TRUE(answered(call("getMeetingInfo", "meetingID=m1"), "FAILED", "notFound"));
}

// What the frontend's HTTP request carries beyond the BBB call stays at b3scale: its cookies,
// Accept-Encoding, hop-by-hop headers and its checksum never reach a backend.
TEST_P(GatewayCallsTest, NothingOfTheFrontendsRequestIsForwardedButTheCall) {
    const std::string target = GatewayCluster::target("tenant", "tenant-secret", "create", "meetingID=h1&name=Headers");
    Poco::Net::HTTPClientSession session("127.0.0.1", static_cast<Poco::UInt16>(cluster_->port()));
    Poco::Net::HTTPRequest request("GET", target, Poco::Net::HTTPMessage::HTTP_1_1);
    request.set("Cookie", "JSESSIONID=frontend-session");
    request.set("Accept-Encoding", "gzip, deflate");
    request.set("Connection", "keep-alive, X-Secret-Hop");
    request.set("X-Secret-Hop", "hop");
    request.set("Authorization", "Bearer frontend-token");
    session.sendRequest(request);
    Poco::Net::HTTPResponse response;
    std::ostringstream body;
    Poco::StreamCopier::copyStream(session.receiveResponse(response), body);
    ASSERT_EQ(response.getStatus(), 200) << body.str();

    std::optional<bbb::RecordedRequest> seen;
    for (std::size_t i = 0; i < 2 && !seen; ++i) seen = cluster_->backend(i).lastRequest("create");
    ASSERT_TRUE(seen);
    for (const auto* header : {"Cookie", "Accept-Encoding", "X-Secret-Hop", "Authorization"})
        EXPECT_FALSE(seen->hasHeader(header)) << header << " was forwarded";
    const std::string client_checksum = target.substr(target.find("checksum=") + 9);
    EXPECT_EQ(seen->uri.find(client_checksum), std::string::npos) << "the frontend's checksum was forwarded";
    EXPECT_NE(seen->uri.find("checksum="), std::string::npos) << "re-signed for the backend";
}

INSTANTIATE_TEST_SUITE_P(BothStores, GatewayCallsTest, ::testing::Values(Connector::Sqlite, Connector::Postgres),
                         [](const auto& info) { return info.param == Connector::Sqlite ? "Sqlite" : "Postgres"; });

}  // namespace
}  // namespace b3s::test
