// BbbIngress behind the real Router and HttpServer: what a frontend sees on the wire.

#include "gateway/bbb_ingress.hpp"
#include "config/core_settings.hpp"
#include "http/http_server.hpp"

#include "fake_bbb/sign_query.hpp"

#include <Poco/Net/HTTPClientSession.h>
#include <Poco/Net/HTTPRequest.h>
#include <Poco/Net/HTTPResponse.h>
#include <Poco/StreamCopier.h>

#include <gtest/gtest.h>

#include <map>
#include <mutex>

namespace b3s::core::gateway {
namespace {

using test::bbb::ChecksumAlgorithm;
using test::bbb::signQuery;

class MapDirectory final : public FrontendDirectory {
public:
    void add(const std::string& key, const std::string& secret, bool active = true) {
        auto e = std::make_shared<FrontendEntry>();
        e->frontend.id = "id-" + key;
        e->frontend.key = key;
        e->frontend.secret = secret;
        e->frontend.active = active;
        entries_[key] = e;
    }
    std::shared_ptr<const FrontendEntry> findByKey(std::string_view key) const override {
        auto it = entries_.find(std::string(key));
        return it == entries_.end() ? nullptr : it->second;
    }

private:
    std::map<std::string, std::shared_ptr<FrontendEntry>> entries_;
};

struct Reply {
    int status = 0;
    std::string content_type;
    std::string body;
};

class BbbIngressTest : public ::testing::Test {
protected:
    void SetUp() override {
        directory_.add("tenant1", "secret-one");
        directory_.add("sleeping", "secret-two", /*active=*/false);
        IngressLimits limits;
        limits.max_query_bytes = 8 * 1024;
        limits.max_body_bytes = 4096;
        ingress_ = std::make_unique<BbbIngress>(directory_, limits);
        // A handler that echoes what it received, so tests see the parsed call.
        auto echo = [this](const BbbCall& call) {
            std::lock_guard lock(mutex_);
            last_ = call;
            ++handled_;
            bbb::SuccessResponse r;
            r.element("call", call.name);
            for (const auto& p : call.params) r.element("param", p.name + "=" + p.value);
            return BbbAnswer::xml(r.finish());
        };
        ingress_->on("getMeetings", {"GET", "POST"}, echo);
        ingress_->on("create", {"GET", "POST"}, echo);
        ingress_->on("join", {"GET"}, echo);

        Poco::SharedPtr<http::Router> router(new http::Router);
        router->addPrefix({"GET", "POST"}, "/bbb/", [this](auto& req, auto& resp) { ingress_->handle(req, resp); });
        config::CoreSettings settings;
        settings.listen = {"127.0.0.1", 0};
        server_ = std::make_unique<http::HttpServer>(settings, router);
        server_->start();
        port_ = server_->boundAddress().port;
    }
    void TearDown() override { server_->shutdown(std::chrono::seconds(1)); }

    Reply send(const std::string& method, const std::string& uri, const std::string& body = {},
               const std::string& content_type = {}) {
        Poco::Net::HTTPClientSession session("127.0.0.1", port_);
        Poco::Net::HTTPRequest request(method, uri, Poco::Net::HTTPMessage::HTTP_1_1);
        if (!content_type.empty()) request.setContentType(content_type);
        request.setContentLength(static_cast<std::streamsize>(body.size()));
        session.sendRequest(request) << body;
        Poco::Net::HTTPResponse response;
        std::istream& in = session.receiveResponse(response);
        Reply reply;
        reply.status = response.getStatus();
        reply.content_type = response.getContentType();
        Poco::StreamCopier::copyToString(in, reply.body);
        return reply;
    }
    Reply get(const std::string& uri) { return send("GET", uri); }
    std::string signedUri(const std::string& key, const std::string& call, const std::string& query,
                          const std::string& secret, ChecksumAlgorithm a = ChecksumAlgorithm::sha1) {
        return "/bbb/" + key + "/bigbluebutton/api/" + call + "?" + signQuery(call, query, secret, a);
    }
    static bool failedWith(const Reply& r, const std::string& key) {
        return r.status == 200 && r.body.find("<returncode>FAILED</returncode>") != std::string::npos &&
               r.body.find("<messageKey>" + key + "</messageKey>") != std::string::npos;
    }

    MapDirectory directory_;
    std::unique_ptr<BbbIngress> ingress_;
    std::unique_ptr<http::HttpServer> server_;
    unsigned short port_ = 0;
    std::mutex mutex_;
    BbbCall last_;
    int handled_ = 0;
};

TEST_F(BbbIngressTest, IndexAnswersWithoutChecksumAndWithoutRevealingKeys) {
    for (const char* uri : {"/bbb/tenant1/bigbluebutton/api", "/bbb/tenant1/bigbluebutton/api/",
                            "/bbb/nobody/bigbluebutton/api", "/bbb/tenant1/"}) {
        SCOPED_TRACE(uri);
        auto r = get(uri);
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.content_type, "text/xml;charset=UTF-8");
        EXPECT_NE(r.body.find("<returncode>SUCCESS</returncode><version>2.0</version>"), std::string::npos) << r.body;
    }
}

TEST_F(BbbIngressTest, EveryChecksumAlgorithmIsAcceptedInEitherCase) {
    for (auto a :
         {ChecksumAlgorithm::sha1, ChecksumAlgorithm::sha256, ChecksumAlgorithm::sha384, ChecksumAlgorithm::sha512}) {
        SCOPED_TRACE(std::string(test::bbb::algorithmName(a)));
        auto r = get(signedUri("tenant1", "getMeetings", "", "secret-one", a));
        EXPECT_NE(r.body.find("<returncode>SUCCESS</returncode><call>getMeetings</call>"), std::string::npos) << r.body;
        std::string upper = signedUri("tenant1", "getMeetings", "x=1", "secret-one", a);
        auto at = upper.find("checksum=") + 9;
        for (auto i = at; i < upper.size(); ++i) upper[i] = static_cast<char>(std::toupper(upper[i]));
        EXPECT_NE(get(upper).body.find("SUCCESS"), std::string::npos);
    }
    // The short form b3scalectl uses.
    auto short_form = get("/bbb/tenant1/getMeetings?" + signQuery("getMeetings", "", "secret-one"));
    EXPECT_NE(short_form.body.find("<call>getMeetings</call>"), std::string::npos) << short_form.body;
}

TEST_F(BbbIngressTest, WrongUnknownAndDisabledAllLookTheSame) {
    auto wrong = get(signedUri("tenant1", "getMeetings", "", "not-the-secret"));
    auto unknown = get(signedUri("nobody", "getMeetings", "", "secret-one"));
    auto disabled = get(signedUri("sleeping", "getMeetings", "", "secret-two"));
    auto missing = get("/bbb/tenant1/bigbluebutton/api/getMeetings");
    auto other_call = get("/bbb/tenant1/bigbluebutton/api/create?" + signQuery("getMeetings", "", "secret-one"));
    for (const auto* r : {&wrong, &unknown, &disabled, &missing, &other_call}) {
        EXPECT_TRUE(failedWith(*r, "checksumError")) << r->body;
        EXPECT_EQ(r->body, wrong.body);
    }
    EXPECT_EQ(handled_, 0);
}

// Timing must not tell an attacker which keys exist either: an unknown or disabled key gets
// its checksum computed like a known one's (against a secret no frontend has), once per call.
TEST_F(BbbIngressTest, UnknownAndDisabledKeysCostAChecksumComputationLikeKnownOnes) {
    struct Seen {
        std::string call;
        std::string secret;
    };
    auto seen = std::make_shared<std::vector<Seen>>();
    IngressLimits limits;
    limits.verify_checksum = [seen](std::string_view call, std::string_view raw_query, std::string_view secret,
                                    bbb::ChecksumAlgorithmSet allowed) {
        seen->push_back({std::string(call), std::string(secret)});
        return bbb::verifyChecksum(call, raw_query, secret, allowed);
    };
    // Swapped in while no request is served: the router calls whatever ingress_ is then.
    ingress_ = std::make_unique<BbbIngress>(directory_, limits);
    ingress_->on("getMeetings", {"GET"}, [](const BbbCall&) { return BbbAnswer::xml("<response/>"); });

    const auto known = get(signedUri("tenant1", "getMeetings", "", "not-the-secret"));
    ASSERT_EQ(seen->size(), 1u);
    EXPECT_EQ(seen->back().secret, "secret-one");
    for (const std::string key : {"nobody", "sleeping", "another-nobody"}) {
        SCOPED_TRACE(key);
        const auto before = seen->size();
        const auto r = get(signedUri(key, "getMeetings", "", "secret-two"));
        EXPECT_EQ(r.body, known.body);
        ASSERT_EQ(seen->size(), before + 1) << "its checksum was computed, once";
        EXPECT_EQ(seen->back().call, "getMeetings");
        EXPECT_GE(seen->back().secret.size(), 32u);
        EXPECT_NE(seen->back().secret, "secret-one");
        EXPECT_NE(seen->back().secret, "secret-two") << "not even a disabled frontend's own";
    }
    EXPECT_EQ((*seen)[1].secret, (*seen)[3].secret) << "one stand-in secret for every unknown key";
}

TEST_F(BbbIngressTest, BadQueriesAreFailedAnswersThatReachNoHandler) {
    std::string huge(12 * 1024, 'a');  // over the 8 KiB limit, under POCO's 16 KiB URI limit
    struct Case {
        int line;
        std::string query;
        const char* key;
    };
    for (const auto& c :
         {Case{__LINE__, "meetingID=" + huge, "validationError"}, Case{__LINE__, "meetingID=%zz", "validationError"},
          Case{__LINE__, "meetingID=%ff%fe", "validationError"}, Case{__LINE__, "meetingID=a%00b", "validationError"},
          Case{__LINE__, "meetingID=a&meetingID=b", "validationError"}}) {
        SCOPED_TRACE(c.line);
        auto r = get(signedUri("tenant1", "create", c.query, "secret-one"));
        EXPECT_TRUE(failedWith(r, c.key)) << r.body.substr(0, 300);
    }
    EXPECT_EQ(handled_, 0);
}

// A request line longer than POCO can read (16 KiB) never reaches a handler, but still gets
// BBB's answer (http_server.hpp), and the server goes on.
TEST_F(BbbIngressTest, AMegabyteQueryIsAFailedAnswerAndDoesNotHurtTheServer) {
    std::string huge(1024 * 1024, 'a');
    auto r = get(signedUri("tenant1", "create", "meetingID=" + huge, "secret-one"));
    EXPECT_TRUE(failedWith(r, "validationError")) << r.status << " " << r.body.substr(0, 200);
    EXPECT_NE(get(signedUri("tenant1", "getMeetings", "", "secret-one")).body.find("SUCCESS"), std::string::npos);
    EXPECT_EQ(handled_, 1);
}

TEST_F(BbbIngressTest, UnknownCallsAndWrongMethodsAreUnsupported) {
    EXPECT_TRUE(failedWith(get(signedUri("tenant1", "frobnicate", "", "secret-one")), "unsupportedRequest"));
    EXPECT_TRUE(failedWith(get(signedUri("tenant1", "hooks/create", "", "secret-one")), "unsupportedRequest"));
    EXPECT_TRUE(
        failedWith(send("POST", signedUri("tenant1", "join", "meetingID=m", "secret-one")), "unsupportedRequest"));
    EXPECT_EQ(handled_, 0);
}

TEST_F(BbbIngressTest, FormPostParametersAreReadAndTheChecksumCoversTheUrlOnly) {
    auto r = send("POST", signedUri("tenant1", "create", "", "secret-one"), "meetingID=m1&name=Team+Call",
                  "application/x-www-form-urlencoded");
    ASSERT_NE(r.body.find("SUCCESS"), std::string::npos) << r.body;
    EXPECT_NE(r.body.find("<param>meetingID=m1</param><param>name=Team Call</param>"), std::string::npos) << r.body;

    auto both = send("POST", signedUri("tenant1", "create", "meetingID=a", "secret-one"), "meetingID=b",
                     "application/x-www-form-urlencoded");
    EXPECT_TRUE(failedWith(both, "validationError")) << both.body;
}

TEST_F(BbbIngressTest, XmlBodiesArePassedOnAndOversizedBodiesRefused) {
    auto ok =
        send("POST", signedUri("tenant1", "create", "meetingID=m1", "secret-one"), "<modules/>", "application/xml");
    ASSERT_NE(ok.body.find("SUCCESS"), std::string::npos) << ok.body;
    {
        std::lock_guard lock(mutex_);
        EXPECT_EQ(last_.body, "<modules/>");
        EXPECT_EQ(last_.frontend->frontend.key, "tenant1");
    }
    auto big = send("POST", signedUri("tenant1", "create", "meetingID=m1", "secret-one"), std::string(5000, 'x'),
                    "application/xml");
    EXPECT_TRUE(failedWith(big, "validationError")) << big.body;
}

TEST(BbbIngressPath, SplitsKeyAndCall) {
    struct Case {
        const char* path;
        bool ok;
        const char* key;
        const char* call;
    };
    for (const auto& c :
         {Case{"/bbb/k/bigbluebutton/api/join", true, "k", "join"}, Case{"/bbb/k/bigbluebutton/api", true, "k", ""},
          Case{"/bbb/k/bigbluebutton/api/", true, "k", ""}, Case{"/bbb/k/join", true, "k", "join"},
          Case{"/bbb/k/bigbluebutton/api/hooks/create", true, "k", "hooks/create"}, Case{"/bbb//join", false, "", ""},
          Case{"/bbbx/k/join", false, "", ""}}) {
        SCOPED_TRACE(c.path);
        auto r = BbbIngress::parsePath(c.path);
        EXPECT_EQ(r.ok, c.ok);
        if (c.ok) {
            EXPECT_EQ(r.key, c.key);
            EXPECT_EQ(r.call, c.call);
        }
    }
}

}  // namespace
}  // namespace b3s::core::gateway
