// Bad input on the BBB API gets a BBB FAILED answer and changes nothing: no meeting is
// placed, no backend is called, the process stays healthy.

#include "gateway_cluster.hpp"

#include "fake_bbb/sign_query.hpp"

#include <gtest/gtest.h>

namespace b3s::test {
namespace {

constexpr const char* kKey = "tenant";
constexpr const char* kSecret = "tenant-secret";

class GatewayBadInputTest : public ::testing::Test {
protected:
    void SetUp() override {
        GatewayClusterOptions options;
        options.backends = 1;
        options.extra_env["B3SCALE_BBB_MAX_BODY_BYTES"] = "2048";
        cluster_ = std::make_unique<GatewayCluster>(options);
        frontend_ = cluster_->addFrontend(kKey, kSecret);
        cluster_->addAllBackends();
        cluster_->start();
    }
    // The raw query is signed as sent, so only the content is bad, never the checksum.
    HttpResult rawCall(const std::string& call, const std::string& query) {
        return cluster_->get("/bbb/" + std::string(kKey) + "/bigbluebutton/api/" + call + "?" +
                             bbb::signQuery(call, query, kSecret));
    }
    void expectNothingChanged() {
        EXPECT_TRUE(cluster_->store().listMeetings(frontend_.id).empty());
        EXPECT_EQ(cluster_->backend(0).callCount("create"), 0u);
        EXPECT_EQ(cluster_->get("/healthz").status, 200);
    }
    std::unique_ptr<GatewayCluster> cluster_;
    core::store::Frontend frontend_;
};

TEST_F(GatewayBadInputTest, MalformedQueriesAreValidationErrors) {
    struct Case {
        int line;
        std::string query;
    };
    for (const auto& c : {Case{__LINE__, "meetingID=%zz&name=x"},            // malformed percent-encoding
                          Case{__LINE__, "meetingID=a%4&name=x"},            // truncated escape
                          Case{__LINE__, "meetingID=a&meetingID=b&name=x"},  // repeated meetingID
                          Case{__LINE__, "meetingID=%FF%FE&name=x"},         // invalid UTF-8
                          Case{__LINE__, "meetingID=%C0%AF&name=x"},         // overlong UTF-8
                          Case{__LINE__, "meetingID=a%00b&name=x"},          // NUL
                          Case{__LINE__, "meetingID=m&name=" + std::string(64 * 1024, 'x')},       // over the limit
                          Case{__LINE__, "meetingID=m&name=" + std::string(1024 * 1024, 'x')}}) {  // 1 MiB
        SCOPED_TRACE(c.line);
        auto r = rawCall("create", c.query);
        EXPECT_TRUE(answered(r, "FAILED", "validationError")) << r.body;
    }
    expectNothingChanged();
}

TEST_F(GatewayBadInputTest, AnOversizedBodyIsRefusedBeforeAnythingHappens) {
    const std::string body = "<modules><module name=\"presentation\"><document name=\"a.pdf\">" +
                             std::string(4096, 'A') + "</document></module></modules>";
    auto r = cluster_->post(kKey, kSecret, "create", "meetingID=big&name=Big", body, "application/xml");
    EXPECT_TRUE(answered(r, "FAILED", "validationError")) << r.body;
    // The same as a form body.
    r = cluster_->post(kKey, kSecret, "create", "", "meetingID=big&name=" + std::string(4096, 'x'),
                       "application/x-www-form-urlencoded");
    EXPECT_TRUE(answered(r, "FAILED", "validationError")) << r.body;
    expectNothingChanged();
}

TEST_F(GatewayBadInputTest, ABadFormBodyIsAValidationError) {
    auto r = cluster_->post(kKey, kSecret, "create", "", "meetingID=%zz&name=x", "application/x-www-form-urlencoded");
    EXPECT_TRUE(answered(r, "FAILED", "validationError")) << r.body;
    r = cluster_->post(kKey, kSecret, "create", "meetingID=url", "meetingID=body&name=x",
                       "application/x-www-form-urlencoded");
    EXPECT_TRUE(answered(r, "FAILED", "validationError")) << r.body;
    expectNothingChanged();
}

TEST_F(GatewayBadInputTest, AChecksumThatIsNotHexIsAChecksumError) {
    for (const std::string& checksum :
         {std::string(40, 'z'), std::string(63, 'a'), std::string(), std::string(129, '0')}) {
        auto r = cluster_->get("/bbb/tenant/bigbluebutton/api/create?meetingID=m&name=x&checksum=" + checksum);
        EXPECT_TRUE(answered(r, "FAILED", "checksumError")) << r.body;
    }
    expectNothingChanged();
}

}  // namespace
}  // namespace b3s::test
