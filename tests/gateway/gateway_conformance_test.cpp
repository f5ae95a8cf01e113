// BBB API conformance of a real b3scaled, black box over HTTP: the cases of Scalelite's test
// suite (peers.md §1.12) for the calls b3scale serves, plus b3scale's own (tenant-encoded
// meeting ids, frontend settings, callback proxy, required tags). Every assertion is what a
// frontend would notice: HTTP status and headers, returncode and messageKey, decoded ids —
// and, on the other side, which fake backend received which call.

#include "gateway_cluster.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "fake_bbb/sign_query.hpp"

#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/URI.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <functional>
#include <set>
#include <thread>

namespace b3s::test {
namespace {

using bbb::ChecksumAlgorithm;
using core::bbb::encodeMeetingId;
using Params = std::vector<std::pair<std::string, std::string>>;
using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr const char* kKey = "tenant";
constexpr const char* kSecret = "tenant-secret-7f3a9c";
constexpr const char* kOtherKey = "other";
constexpr const char* kOtherSecret = "other-secret-b81e44";
constexpr const char* kFormType = "application/x-www-form-urlencoded";
constexpr const char* kXmlType = "application/xml";
constexpr const char* kSlidesBody =
    R"(<modules><module name="presentation"><document url="https://example.org/a.pdf" filename="a.pdf"/></module></modules>)";

std::string q(const Params& params) {
    return bbb::buildQuery(params);
}

// Polls `condition` until it holds or `timeout` passes.
bool eventually(const std::function<bool()>& condition, milliseconds timeout = milliseconds(5000)) {
    const auto deadline = Clock::now() + timeout;
    while (Clock::now() < deadline) {
        if (condition()) return true;
        std::this_thread::sleep_for(milliseconds(20));
    }
    return condition();
}

// Decoded query parameters of a URL, first occurrence of `name`.
std::optional<std::string> queryParam(const std::string& url, const std::string& name) {
    try {
        for (const auto& [k, v] : Poco::URI(url).getQueryParameters())
            if (k == name) return v;
    } catch (const Poco::Exception&) {
    }
    return std::nullopt;
}

std::optional<std::string> createParam(const bbb::MeetingInfo& meeting, const std::string& name) {
    for (const auto& [k, v] : meeting.createParams)
        if (k == name) return v;
    return std::nullopt;
}

// meetingID of every <meeting> of a getMeetings answer.
std::multiset<std::string> listedIds(const HttpResult& r) {
    std::multiset<std::string> ids;
    const auto xml = xmlOf(r);
    if (!xml || !xml->child("meetings")) return ids;
    for (const auto* m : xml->child("meetings")->childrenNamed("meeting"))
        ids.insert(m->childText("meetingID").value_or(""));
    return ids;
}

std::size_t countOf(const HttpResult& r, const std::string& parent, const std::string& child) {
    const auto xml = xmlOf(r);
    if (!xml || !xml->child(parent)) return 0;
    return xml->child(parent)->childrenNamed(child).size();
}

std::string metadataOf(const HttpResult& r, const std::string& name) {
    const auto xml = xmlOf(r);
    if (!xml || !xml->child("metadata")) return {};
    return xml->child("metadata")->childText(name).value_or("");
}

// GET of an absolute http://127.0.0.1 URL (a Location b3scale sent a browser to).
HttpResult getUrl(const std::string& url) {
    const Poco::URI uri(url);
    return httpRequest("GET", uri.getHost(), uri.getPort(), uri.getPathAndQuery());
}

bool isHtml(const HttpResult& r) {
    return r.content_type.rfind("text/html", 0) == 0;
}

// The envelope of every BBB XML answer (bbb-api.md §2.3).
::testing::AssertionResult xmlEnvelope(const HttpResult& r) {
    if (r.status != 200) return ::testing::AssertionFailure() << "HTTP " << r.status << ": " << r.body;
    if (r.content_type.rfind("text/xml", 0) != 0)
        return ::testing::AssertionFailure() << "Content-Type " << r.content_type;
    if (r.cache_control != "no-cache")
        return ::testing::AssertionFailure() << "Cache-Control '" << r.cache_control << "'";
    if (!xmlOf(r)) return ::testing::AssertionFailure() << "not XML: " << r.body;
    return ::testing::AssertionSuccess();
}

// How a test's cluster is built.
struct ClusterSetup {
    int backends = 2;
    /// Tags per fake backend; by default backend i carries "b<i>" so a test can pin a
    /// meeting with meta_server-tag=b<i>!.
    std::optional<std::vector<std::vector<std::string>>> tags;
    bool register_backends = true;
    std::string settings = "{}";        ///< of kKey
    std::string other_settings = "{}";  ///< of kOtherKey
    Env extra_env;
};

class GatewayConformanceTest : public ::testing::Test {
protected:
    void start(ClusterSetup setup = {}) {
        GatewayClusterOptions options;
        options.backends = setup.backends;
        options.extra_env = setup.extra_env;
        cluster_ = std::make_unique<GatewayCluster>(options);
        cluster_->addFrontend(kKey, kSecret, setup.settings);
        cluster_->addFrontend(kOtherKey, kOtherSecret, setup.other_settings);
        if (setup.register_backends) {
            for (int i = 0; i < setup.backends; ++i) {
                const auto idx = static_cast<std::size_t>(i);
                backend_rows_.push_back(cluster_->addBackend(
                    idx, setup.tags ? setup.tags->at(idx) : std::vector<std::string>{"b" + std::to_string(i)}));
            }
        }
        cluster_->start();
        ASSERT_TRUE(cluster_->waitForView(2, backend_rows_.size())) << cluster_->b3scaled().stderrText();
    }

    HttpResult call(const std::string& name, const std::string& query = "") {
        return cluster_->call(kKey, kSecret, name, query);
    }
    HttpResult callOther(const std::string& name, const std::string& query = "") {
        return cluster_->call(kOtherKey, kOtherSecret, name, query);
    }
    HttpResult post(const std::string& name, const std::string& query, const std::string& body,
                    const std::string& type) {
        return cluster_->post(kKey, kSecret, name, query, body, type);
    }
    HttpResult raw(const std::string& method, const std::string& target, const std::string& body = {},
                   const std::string& type = {}) {
        return httpRequest(method, "127.0.0.1", cluster_->port(), target, body, type);
    }
    /// Creates `id` for kKey, pinned to fake backend `i` (its default tag "b<i>", required).
    HttpResult createOn(std::size_t i, const std::string& id, const std::string& key = kKey,
                        const std::string& secret = kSecret) {
        return cluster_->call(
            key, secret, "create",
            q({{"meetingID", id}, {"name", "Meeting " + id}, {"meta_server-tag", "b" + std::to_string(i) + "!"}}));
    }
    /// Fake backends holding `id` of `key` (by index).
    std::vector<std::size_t> holders(const std::string& id, const std::string& key = kKey) {
        std::vector<std::size_t> out;
        for (std::size_t i = 0; i < cluster_->backendCount(); ++i)
            if (cluster_->backend(i).meeting(encodeMeetingId(key, id))) out.push_back(i);
        return out;
    }
    /// The one fake backend holding `id`; fails the test otherwise.
    std::size_t holder(const std::string& id, const std::string& key = kKey) {
        const auto h = holders(id, key);
        EXPECT_EQ(h.size(), 1u) << id << " is on " << h.size() << " backends";
        return h.empty() ? 0 : h.front();
    }
    bbb::FakeBbbServer& fake(std::size_t i) { return cluster_->backend(i); }
    std::size_t callsEverywhere(const std::string& call) {
        std::size_t n = 0;
        for (std::size_t i = 0; i < cluster_->backendCount(); ++i) n += fake(i).callCount(call);
        return n;
    }
    std::string apiUrl() { return cluster_->env().at("B3SCALE_API_URL"); }

    std::unique_ptr<GatewayCluster> cluster_;
    std::vector<core::store::Backend> backend_rows_;
};

// ---------------------------------------------------------------------------------------------
// Ingress: paths, checksums, tenants, methods, bodies

TEST_F(GatewayConformanceTest, IndexAnswersVersionWithoutChecksumForKnownAndUnknownKeys) {
    start();
    for (const std::string key : {kKey, "nobody-knows-this-key"}) {
        for (const std::string path : {"/bigbluebutton/api", "/bigbluebutton/api/"}) {
            for (const std::string method : {"GET", "POST"}) {
                const auto r = raw(method, "/bbb/" + key + path);
                EXPECT_TRUE(answered(r, "SUCCESS")) << method << " " << key << path << ": " << r.body;
                EXPECT_EQ(field(r, "version"), "2.0") << r.body;
            }
        }
    }
    EXPECT_EQ(cluster_->backend(0).totalCalls() + cluster_->backend(1).totalCalls(), 0u);
}

TEST_F(GatewayConformanceTest, ShortFormPathServesTheSameCalls) {
    start();
    const auto created = cluster_->get("/bbb/" + std::string(kKey) + "/create?" +
                                       bbb::signQuery("create", "meetingID=short1&name=Short", kSecret));
    ASSERT_TRUE(answered(created, "SUCCESS")) << created.body;
    EXPECT_EQ(field(created, "meetingID"), "short1");
    const auto info = cluster_->get("/bbb/" + std::string(kKey) + "/getMeetingInfo?" +
                                    bbb::signQuery("getMeetingInfo", "meetingID=short1", kSecret));
    EXPECT_TRUE(answered(info, "SUCCESS")) << info.body;
    EXPECT_EQ(field(info, "meetingID"), "short1");
    const auto meetings =
        cluster_->get("/bbb/" + std::string(kKey) + "/getMeetings?" + bbb::signQuery("getMeetings", "", kSecret));
    EXPECT_TRUE(answered(meetings, "SUCCESS")) << meetings.body;
    EXPECT_EQ(listedIds(meetings), std::multiset<std::string>{"short1"});
}

TEST_F(GatewayConformanceTest, MissingOrWrongChecksumIsChecksumError) {
    start();
    const std::string base = "/bbb/" + std::string(kKey) + "/bigbluebutton/api/";
    // No checksum at all, with and without other parameters.
    auto r = cluster_->get(base + "getMeetings");
    EXPECT_TRUE(answered(r, "FAILED", "checksumError")) << r.body;
    r = cluster_->get(base + "isMeetingRunning?meetingID=x1");
    EXPECT_TRUE(answered(r, "FAILED", "checksumError")) << r.body;
    r = cluster_->get(base + "isMeetingRunning?meetingID=x1&checksum=");
    EXPECT_TRUE(answered(r, "FAILED", "checksumError")) << r.body;
    // Signed with the wrong secret, over other parameters, for another call, truncated.
    r = cluster_->get(base + "getMeetings?" + bbb::signQuery("getMeetings", "", "not-the-secret"));
    EXPECT_TRUE(answered(r, "FAILED", "checksumError")) << r.body;
    const auto signed_x1 = bbb::signQuery("isMeetingRunning", "meetingID=x1", kSecret);
    r = cluster_->get(base + "isMeetingRunning?meetingID=x2" + signed_x1.substr(signed_x1.find('&')));
    EXPECT_TRUE(answered(r, "FAILED", "checksumError")) << r.body;
    r = cluster_->get(base + "getMeetingInfo?" + signed_x1);
    EXPECT_TRUE(answered(r, "FAILED", "checksumError")) << r.body;
    r = cluster_->get(base + "isMeetingRunning?" + signed_x1.substr(0, signed_x1.size() - 1));
    EXPECT_TRUE(answered(r, "FAILED", "checksumError")) << r.body;
    // Creates are refused before any backend hears of them.
    r = cluster_->get(base + "create?" + bbb::signQuery("create", "meetingID=x1&name=X", "not-the-secret"));
    EXPECT_TRUE(answered(r, "FAILED", "checksumError")) << r.body;
    EXPECT_EQ(callsEverywhere("create"), 0u);
}

TEST_F(GatewayConformanceTest, Sha1Sha256Sha384Sha512AndUpperCaseChecksumsAreAccepted) {
    start();
    const std::string base = "/bbb/" + std::string(kKey) + "/bigbluebutton/api/";
    for (const auto algorithm :
         {ChecksumAlgorithm::sha1, ChecksumAlgorithm::sha256, ChecksumAlgorithm::sha384, ChecksumAlgorithm::sha512}) {
        const std::string name(bbb::algorithmName(algorithm));
        auto r = cluster_->get(base + "getMeetings?" + bbb::signQuery("getMeetings", "", kSecret, algorithm));
        EXPECT_TRUE(answered(r, "SUCCESS")) << name << ": " << r.body;
        auto signed_query = bbb::signQuery("isMeetingRunning", "meetingID=alg-" + name, kSecret, algorithm);
        const auto at = signed_query.find("checksum=") + 9;
        std::transform(signed_query.begin() + static_cast<std::ptrdiff_t>(at), signed_query.end(),
                       signed_query.begin() + static_cast<std::ptrdiff_t>(at),
                       [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
        r = cluster_->get(base + "isMeetingRunning?" + signed_query);
        EXPECT_TRUE(answered(r, "SUCCESS")) << name << " upper case: " << r.body;
    }
}

TEST_F(GatewayConformanceTest, UnknownFrontendKeyIsChecksumError) {
    start();
    for (const std::string secret : {kSecret, "whatever"}) {
        const auto r = httpRequest("GET", "127.0.0.1", cluster_->port(),
                                   GatewayCluster::target("nobody", secret, "getMeetings", ""));
        EXPECT_TRUE(answered(r, "FAILED", "checksumError")) << r.body;
    }
    const auto r = cluster_->call("nobody", kSecret, "create", "meetingID=u1&name=Unknown");
    EXPECT_TRUE(answered(r, "FAILED", "checksumError")) << r.body;
    EXPECT_EQ(callsEverywhere("create"), 0u);
}

TEST_F(GatewayConformanceTest, DisabledFrontendIsChecksumError) {
    start();
    ASSERT_TRUE(answered(call("getMeetings"), "SUCCESS"));
    auto frontend = cluster_->store().findFrontendByKey(kKey);
    ASSERT_TRUE(frontend);
    frontend->active = false;
    ASSERT_TRUE(cluster_->store().updateFrontend(*frontend));
    EXPECT_TRUE(eventually([&] { return answered(call("getMeetings"), "FAILED", "checksumError"); }))
        << call("getMeetings").body;
    const auto r = call("create", "meetingID=d1&name=Disabled");
    EXPECT_TRUE(answered(r, "FAILED", "checksumError")) << r.body;
    EXPECT_EQ(callsEverywhere("create"), 0u);
    // The other tenant is not affected.
    EXPECT_TRUE(answered(callOther("getMeetings"), "SUCCESS"));
}

TEST_F(GatewayConformanceTest, UnknownAndRetiredCallsAreUnsupportedRequests) {
    start();
    for (const std::string name :
         {"frobnicate", "getDefaultConfigXML", "setConfigXML", "hooks/create", "hooks/list", "getJoinUrl"}) {
        const auto r = call(name, "meetingID=m1");
        EXPECT_TRUE(answered(r, "FAILED", "unsupportedRequest")) << name << ": " << r.status << " " << r.body;
    }
    EXPECT_EQ(cluster_->backend(0).totalCalls() + cluster_->backend(1).totalCalls(), 0u);
}

TEST_F(GatewayConformanceTest, JoinByPostIsAnUnsupportedRequest) {
    start();
    ASSERT_TRUE(answered(call("create", "meetingID=jp1&name=JoinPost"), "SUCCESS"));
    for (const std::string type : {"", kFormType}) {
        const auto r = post("join", "meetingID=jp1&fullName=Alice&role=VIEWER", "", type);
        EXPECT_TRUE(answered(r, "FAILED", "unsupportedRequest")) << "'" << type << "': " << r.status << " " << r.body;
    }
    EXPECT_EQ(callsEverywhere("join"), 0u);
}

TEST_F(GatewayConformanceTest, FormPostCreateIsSignedOverTheUrlQueryOnly) {
    start();
    const auto r = post("create", "", "meetingID=form1&name=Form+Meeting", kFormType);
    ASSERT_TRUE(answered(r, "SUCCESS")) << r.body;
    EXPECT_EQ(field(r, "meetingID"), "form1");
    const auto meeting = fake(holder("form1")).meeting(encodeMeetingId(kKey, "form1"));
    ASSERT_TRUE(meeting);
    EXPECT_EQ(meeting->name, "Form Meeting");
    // URL and body parameters together.
    const auto mixed = post("create", "meetingID=form2", "name=Mixed+Form", kFormType);
    ASSERT_TRUE(answered(mixed, "SUCCESS")) << mixed.body;
    EXPECT_EQ(field(mixed, "meetingID"), "form2");
    // getMeetings by POST with an empty form body.
    const auto listed = post("getMeetings", "", "", kFormType);
    EXPECT_TRUE(answered(listed, "SUCCESS")) << listed.body;
    EXPECT_EQ(listedIds(listed), (std::multiset<std::string>{"form1", "form2"}));
}

TEST_F(GatewayConformanceTest, SameParameterInUrlAndFormBodyIsAValidationError) {
    start();
    const auto r = post("create", "meetingID=dup1", "meetingID=dup1&name=Twice", kFormType);
    EXPECT_TRUE(answered(r, "FAILED", "validationError")) << r.body;
    EXPECT_EQ(callsEverywhere("create"), 0u);
}

// ---------------------------------------------------------------------------------------------
// create

TEST_F(GatewayConformanceTest, CreateWithoutMeetingIdIsMissingParamMeetingID) {
    start();
    for (const std::string query : {"name=NoId", "meetingID=&name=EmptyId"}) {
        const auto r = call("create", query);
        EXPECT_TRUE(answered(r, "FAILED", "missingParamMeetingID")) << query << ": " << r.body;
    }
    EXPECT_EQ(callsEverywhere("create"), 0u);
}

TEST_F(GatewayConformanceTest, CreateAnswersTheBackendsAnswerWithTheMeetingIdDecoded) {
    start();
    const auto r = call("create", "meetingID=c1&name=Created&attendeePW=ap&moderatorPW=mp");
    ASSERT_TRUE(answered(r, "SUCCESS")) << r.body;
    const auto encoded = encodeMeetingId(kKey, "c1");
    const auto meeting = fake(holder("c1")).meeting(encoded);
    ASSERT_TRUE(meeting);
    EXPECT_EQ(field(r, "meetingID"), "c1");
    EXPECT_EQ(field(r, "internalMeetingID"), meeting->internalMeetingId);
    EXPECT_EQ(field(r, "createTime"), std::to_string(meeting->createTime));
    EXPECT_EQ(field(r, "voiceBridge"), meeting->voiceBridge);
    EXPECT_EQ(field(r, "attendeePW"), "ap");
    EXPECT_EQ(field(r, "moderatorPW"), "mp");
    EXPECT_EQ(field(r, "messageKey"), "");
    EXPECT_EQ(r.body.find(encoded), std::string::npos) << r.body;
    // The backend knows whose meeting it is.
    EXPECT_EQ(meeting->metadata.at("b3s-frontend"), kKey);
    EXPECT_EQ(meeting->createCalls, 1);
}

TEST_F(GatewayConformanceTest, RepeatedCreateIsADuplicateOnTheSameBackendAndKeepsTheMeeting) {
    start();
    const std::string query = "meetingID=rep1&name=Repeated&attendeePW=ap&moderatorPW=mp";
    ASSERT_TRUE(answered(call("create", query), "SUCCESS"));
    const auto h = holder("rep1");
    const auto encoded = encodeMeetingId(kKey, "rep1");
    fake(h).setAttendees(encoded, 3, 0, 0, 0, 1);
    const auto first_internal = fake(h).meeting(encoded)->internalMeetingId;

    for (const std::string& again : {query, std::string("meetingID=rep1&name=Repeated")}) {
        const auto r = call("create", again);
        EXPECT_TRUE(answered(r, "SUCCESS", "duplicateWarning")) << r.body;
        EXPECT_EQ(field(r, "meetingID"), "rep1");
        EXPECT_EQ(field(r, "internalMeetingID"), first_internal);
    }
    EXPECT_EQ(fake(h).callCount("create"), 3u);
    EXPECT_EQ(fake(1 - h).callCount("create"), 0u);
    EXPECT_EQ(holders("rep1"), std::vector<std::size_t>{h});
    EXPECT_EQ(fake(h).attendees(encoded).size(), 3u);
    const auto info = call("getMeetingInfo", "meetingID=rep1");
    EXPECT_EQ(field(info, "participantCount"), "3") << info.body;
}

TEST_F(GatewayConformanceTest, CreateWithOtherPasswordsIsIdNotUniqueFromTheBackend) {
    start();
    ASSERT_TRUE(answered(call("create", "meetingID=nu1&name=Unique&attendeePW=ap&moderatorPW=mp"), "SUCCESS"));
    const auto h = holder("nu1");
    const auto r = call("create", "meetingID=nu1&name=Unique&attendeePW=ap&moderatorPW=other");
    EXPECT_TRUE(answered(r, "FAILED", "idNotUnique")) << r.body;
    EXPECT_EQ(fake(h).callCount("create"), 2u);
    // The meeting is still there and still reachable.
    EXPECT_TRUE(answered(call("getMeetingInfo", "meetingID=nu1"), "SUCCESS"));
    EXPECT_EQ(holders("nu1"), std::vector<std::size_t>{h});
}

TEST_F(GatewayConformanceTest, BackendValidationErrorIsPassedThroughAndThePlacementUndone) {
    start();
    const auto r = call("create", "meetingID=v1");  // no name: the backend refuses it
    EXPECT_TRUE(answered(r, "FAILED", "validationError")) << r.body;
    ASSERT_EQ(callsEverywhere("create"), 1u);
    const std::size_t tried = fake(0).callCount("create") == 1 ? 0 : 1;
    EXPECT_TRUE(holders("v1").empty());
    EXPECT_TRUE(answered(call("getMeetingInfo", "meetingID=v1"), "FAILED", "notFound"));
    // Not a create in flight: a browser gets the not-found page, not the retry-join page.
    const auto join = call("join", "meetingID=v1&fullName=Alice&role=VIEWER");
    EXPECT_EQ(join.status, 404) << join.status << " " << join.location;
    // Nothing holds the id on the tried backend any more: with it gone, the create lands on
    // the other one.
    fake(tried).takeDown();
    const auto again = call("create", "meetingID=v1&name=Valid");
    EXPECT_TRUE(answered(again, "SUCCESS")) << again.body;
    EXPECT_EQ(holders("v1"), std::vector<std::size_t>{1 - tried});
}

TEST_F(GatewayConformanceTest, CreateWithoutBackendsIsInternalError) {
    ClusterSetup setup;
    setup.register_backends = false;
    start(setup);
    const auto r = call("create", "meetingID=nb1&name=NoBackend");
    EXPECT_TRUE(answered(r, "FAILED", "internalError")) << r.body;
    EXPECT_EQ(callsEverywhere("create"), 0u);
    EXPECT_TRUE(answered(call("getMeetingInfo", "meetingID=nb1"), "FAILED", "notFound"));
}

TEST_F(GatewayConformanceTest, CreateWithEveryBackendStoppedIsInternalError) {
    ClusterSetup setup;
    setup.register_backends = false;
    start(setup);
    // Registered stopped from the start, then one stopped later by an update.
    core::store::Backend stopped;
    stopped.host = fake(0).baseUrl();
    stopped.secret = fake(0).secret();
    stopped.admin_state = core::store::AdminState::Stopped;
    cluster_->store().insertBackend(stopped);
    auto ready = cluster_->addBackend(1);
    ASSERT_TRUE(cluster_->waitForView(2, 2));
    ready.admin_state = core::store::AdminState::Stopped;
    ASSERT_TRUE(cluster_->store().updateBackend(ready));
    // Until the update arrives a probe create may still land on backend 1; then it must not.
    ASSERT_TRUE(eventually([&, n = 0]() mutable {
        return answered(call("create", q({{"meetingID", "probe" + std::to_string(n++)}, {"name", "Probe"}})), "FAILED",
                        "internalError");
    }));
    fake(1).resetCounters();
    const auto r = call("create", "meetingID=st1&name=Stopped");
    EXPECT_TRUE(answered(r, "FAILED", "internalError")) << r.body;
    EXPECT_EQ(callsEverywhere("create"), 0u);
}

TEST_F(GatewayConformanceTest, CreateWithXmlBodyReachesTheBackend) {
    start();
    const auto r = post("create", "meetingID=x1&name=Slides", kSlidesBody, kXmlType);
    ASSERT_TRUE(answered(r, "SUCCESS")) << r.body;
    EXPECT_EQ(field(r, "meetingID"), "x1");
    const auto h = holder("x1");
    const auto meeting = fake(h).meeting(encodeMeetingId(kKey, "x1"));
    ASSERT_TRUE(meeting);
    ASSERT_EQ(meeting->presentations.size(), 1u);
    EXPECT_EQ(meeting->presentations[0].url, "https://example.org/a.pdf");
    EXPECT_EQ(meeting->presentations[0].filename, "a.pdf");
    ASSERT_EQ(meeting->xmlBodies.size(), 1u);
    EXPECT_EQ(meeting->xmlBodies[0], kSlidesBody);
    const auto request = fake(h).lastRequest("create");
    ASSERT_TRUE(request);
    EXPECT_EQ(request->method, "POST");
    EXPECT_EQ(request->header("Content-Type").value_or("").rfind("application/xml", 0), 0u);
}

TEST_F(GatewayConformanceTest, DefaultPresentationIsAddedOnlyWhenTheCreateHasNone) {
    ClusterSetup setup;
    setup.settings = R"({"default_presentation":{"url":"https://example.org/slides/default.pdf","force":false}})";
    start(setup);
    ASSERT_TRUE(answered(call("create", "meetingID=dp1&name=Default"), "SUCCESS"));
    auto meeting = fake(holder("dp1")).meeting(encodeMeetingId(kKey, "dp1"));
    ASSERT_TRUE(meeting);
    ASSERT_EQ(meeting->presentations.size(), 1u);
    EXPECT_EQ(meeting->presentations[0].url, "https://example.org/slides/default.pdf");
    EXPECT_EQ(meeting->presentations[0].filename, "default.pdf");

    ASSERT_TRUE(answered(post("create", "meetingID=dp2&name=Given", kSlidesBody, kXmlType), "SUCCESS"));
    meeting = fake(holder("dp2")).meeting(encodeMeetingId(kKey, "dp2"));
    ASSERT_TRUE(meeting);
    ASSERT_EQ(meeting->presentations.size(), 1u);
    EXPECT_EQ(meeting->presentations[0].url, "https://example.org/a.pdf");

    // Another tenant's setting is not ours.
    ASSERT_TRUE(answered(callOther("create", "meetingID=dp3&name=Other"), "SUCCESS"));
    meeting = fake(holder("dp3", kOtherKey)).meeting(encodeMeetingId(kOtherKey, "dp3"));
    ASSERT_TRUE(meeting);
    EXPECT_TRUE(meeting->presentations.empty());
}

TEST_F(GatewayConformanceTest, ForcedDefaultPresentationReplacesTheGivenBody) {
    ClusterSetup setup;
    setup.settings = R"({"default_presentation":{"url":"https://example.org/slides/forced.pdf","force":true}})";
    start(setup);
    ASSERT_TRUE(answered(post("create", "meetingID=fp1&name=Forced", kSlidesBody, kXmlType), "SUCCESS"));
    const auto meeting = fake(holder("fp1")).meeting(encodeMeetingId(kKey, "fp1"));
    ASSERT_TRUE(meeting);
    ASSERT_EQ(meeting->presentations.size(), 1u);
    EXPECT_EQ(meeting->presentations[0].url, "https://example.org/slides/forced.pdf");
    EXPECT_EQ(meeting->presentations[0].filename, "forced.pdf");
}

TEST_F(GatewayConformanceTest, CreateDefaultAndOverrideParamsAreApplied) {
    ClusterSetup setup;
    setup.settings = R"({"create_default_params":{"welcome":"Default welcome","disabledFeatures":"polls,chat"},)"
                     R"("create_override_params":{"maxParticipants":"50","meta_b3s-frontend":"spoofed"}})";
    start(setup);
    ASSERT_TRUE(answered(call("create", q({{"meetingID", "cp1"},
                                           {"name", "Params"},
                                           {"welcome", "Mine"},
                                           {"maxParticipants", "10"},
                                           {"disabledFeatures", "chat"},
                                           {"meta_b3s-frontend", "spoofed-too"}})),
                         "SUCCESS"));
    auto meeting = fake(holder("cp1")).meeting(encodeMeetingId(kKey, "cp1"));
    ASSERT_TRUE(meeting);
    EXPECT_EQ(createParam(*meeting, "welcome"), "Mine");                 // default only where absent
    EXPECT_EQ(createParam(*meeting, "maxParticipants"), "50");           // override wins
    EXPECT_EQ(createParam(*meeting, "disabledFeatures"), "chat,polls");  // merged, first kept
    EXPECT_EQ(meeting->maxUsers, 50);
    EXPECT_EQ(meeting->metadata.at("b3s-frontend"), kKey);  // cannot be overridden

    ASSERT_TRUE(answered(call("create", "meetingID=cp2&name=Defaults"), "SUCCESS"));
    meeting = fake(holder("cp2")).meeting(encodeMeetingId(kKey, "cp2"));
    ASSERT_TRUE(meeting);
    EXPECT_EQ(createParam(*meeting, "welcome"), "Default welcome");
    EXPECT_EQ(createParam(*meeting, "maxParticipants"), "50");
    EXPECT_EQ(createParam(*meeting, "disabledFeatures"), "polls,chat");
}

TEST_F(GatewayConformanceTest, RequiredTagsOfTheFrontendLimitPlacementToTaggedBackends) {
    ClusterSetup setup;
    setup.backends = 3;
    setup.tags = std::vector<std::vector<std::string>>{{}, {"gpu"}, {}};
    setup.settings = R"({"required_tags":["gpu"]})";
    setup.other_settings = R"({"required_tags":["tpu"]})";
    start(setup);
    for (int i = 0; i < 3; ++i) {
        const auto id = "rt" + std::to_string(i);
        ASSERT_TRUE(answered(call("create", q({{"meetingID", id}, {"name", "Tagged"}})), "SUCCESS"));
        EXPECT_EQ(holders(id), std::vector<std::size_t>{1}) << id;
    }
    const auto r = callOther("create", "meetingID=rt9&name=NoSuchTag");
    EXPECT_TRUE(answered(r, "FAILED", "internalError")) << r.body;
    EXPECT_TRUE(holders("rt9", kOtherKey).empty());
    EXPECT_EQ(fake(0).callCount("create") + fake(2).callCount("create"), 0u);
}

TEST_F(GatewayConformanceTest, PreferredServerTagPicksTheTaggedBackend) {
    ClusterSetup setup;
    setup.tags = std::vector<std::vector<std::string>>{{}, {"gpu"}};
    start(setup);
    for (int i = 0; i < 3; ++i) {
        const auto id = "pt" + std::to_string(i);
        ASSERT_TRUE(
            answered(call("create", q({{"meetingID", id}, {"name", "Pref"}, {"meta_server-tag", "gpu"}})), "SUCCESS"));
        EXPECT_EQ(holders(id), std::vector<std::size_t>{1}) << id;
    }
}

TEST_F(GatewayConformanceTest, RequiredServerTagPicksTheTaggedBackendOrFailsWithServerTagUnavailable) {
    ClusterSetup setup;
    setup.tags = std::vector<std::vector<std::string>>{{}, {"gpu"}};
    start(setup);
    for (int i = 0; i < 3; ++i) {
        const auto id = "qt" + std::to_string(i);
        ASSERT_TRUE(
            answered(call("create", q({{"meetingID", id}, {"name", "Req"}, {"meta_server-tag", "gpu!"}})), "SUCCESS"));
        EXPECT_EQ(holders(id), std::vector<std::size_t>{1}) << id;
    }
    const auto r = call("create", q({{"meetingID", "qt9"}, {"name", "Req"}, {"meta_server-tag", "tpu!"}}));
    EXPECT_TRUE(answered(r, "FAILED", "serverTagUnavailable")) << r.body;
    EXPECT_TRUE(holders("qt9").empty());
    EXPECT_EQ(fake(0).callCount("create"), 0u);
}

TEST_F(GatewayConformanceTest, UnmatchedPreferredServerTagFallsBackToAnyBackend) {
    ClusterSetup setup;
    setup.tags = std::vector<std::vector<std::string>>{{}, {"gpu"}};
    start(setup);
    std::set<std::size_t> used;
    for (int i = 0; i < 4; ++i) {
        const auto id = "ft" + std::to_string(i);
        const auto r = call("create", q({{"meetingID", id}, {"name", "Fallback"}, {"meta_server-tag", "tpu"}}));
        ASSERT_TRUE(answered(r, "SUCCESS")) << r.body;
        used.insert(holder(id));
    }
    // Not only the untagged backend (Scalelite's fallback): any backend, so least_load spreads
    // the four meetings over both.
    EXPECT_EQ(used, (std::set<std::size_t>{0, 1}));
}

TEST_F(GatewayConformanceTest, CallbackUrlsReachTheBackendOnlyThroughTheCallbackProxy) {
    start();
    const std::map<std::string, std::string> originals = {
        {"meta_endCallbackUrl", "https://frontend.example/end?token=e1"},
        {"meta_bbb-recording-ready-url", "https://frontend.example/recording-ready"},
        {"meetingEndedURL", "https://frontend.example/ended"},
    };
    Params params = {{"meetingID", "cb1"}, {"name", "Callbacks"}};
    for (const auto& [k, v] : originals) params.emplace_back(k, v);
    ASSERT_TRUE(answered(call("create", q(params)), "SUCCESS"));
    const auto h = holder("cb1");
    const auto meeting = fake(h).meeting(encodeMeetingId(kKey, "cb1"));
    ASSERT_TRUE(meeting);
    const std::string proxy = apiUrl() + "/api/v1/callbacks/proxy/";
    for (const auto& [name, original] : originals) {
        const auto sent = createParam(*meeting, name);
        ASSERT_TRUE(sent) << name;
        EXPECT_EQ(sent->rfind(proxy, 0), 0u) << name << " = " << *sent;
        EXPECT_GT(sent->size(), proxy.size()) << name << ": no token";
        EXPECT_EQ(sent->find("frontend.example"), std::string::npos) << name << " = " << *sent;
    }
    EXPECT_EQ(meeting->metadata.at("endcallbackurl").rfind(proxy, 0), 0u);
    EXPECT_EQ(meeting->metadata.at("bbb-recording-ready-url").rfind(proxy, 0), 0u);
    EXPECT_EQ(meeting->meetingEndedUrl.rfind(proxy, 0), 0u);
    const auto request = fake(h).lastRequest("create");
    ASSERT_TRUE(request);
    EXPECT_EQ(request->uri.find("frontend.example"), std::string::npos) << request->uri;
}

// ---------------------------------------------------------------------------------------------
// join

TEST_F(GatewayConformanceTest, JoinWithoutMeetingIdOrFullNameIsRefused) {
    start();
    ASSERT_TRUE(answered(call("create", "meetingID=jn1&name=Join"), "SUCCESS"));
    for (const std::string redirect : {"", "&redirect=false"}) {
        auto r = call("join", "fullName=Alice&role=VIEWER" + redirect);
        EXPECT_TRUE(answered(r, "FAILED", "missingParamMeetingID")) << r.status << " " << r.body;
        r = call("join", "meetingID=jn1&role=VIEWER" + redirect);
        EXPECT_TRUE(answered(r, "FAILED", "missingParamFullName")) << r.status << " " << r.body;
    }
    EXPECT_EQ(callsEverywhere("join"), 0u);
}

TEST_F(GatewayConformanceTest, JoinOfUnknownMeetingShowsBrowsersA404Page) {
    start();
    for (const std::string redirect : {"", "&redirect=true"}) {
        const auto r = call("join", "meetingID=nope&fullName=Alice&role=VIEWER" + redirect);
        EXPECT_EQ(r.status, 404) << r.body;
        EXPECT_TRUE(isHtml(r)) << r.content_type;
        EXPECT_TRUE(r.location.empty()) << r.location;
    }
    EXPECT_EQ(callsEverywhere("join"), 0u);
}

TEST_F(GatewayConformanceTest, JoinOfUnknownMeetingWithoutRedirectIsInvalidMeetingIdentifier) {
    start();
    const auto r = call("join", "meetingID=nope&fullName=Alice&role=VIEWER&redirect=false");
    EXPECT_TRUE(answered(r, "FAILED", "invalidMeetingIdentifier")) << r.status << " " << r.body;
    EXPECT_EQ(callsEverywhere("join"), 0u);
}

TEST_F(GatewayConformanceTest, JoinRedirectsToTheMeetingsBackendWithAJoinUrlItAccepts) {
    start();
    const auto created = call("create", "meetingID=jr1&name=Redirect");
    ASSERT_TRUE(answered(created, "SUCCESS")) << created.body;
    const auto create_time = field(created, "createTime");
    const auto h = holder("jr1");
    const auto encoded = encodeMeetingId(kKey, "jr1");

    const auto r = call("join", q({{"meetingID", "jr1"},
                                   {"fullName", "Alice Example"},
                                   {"role", "MODERATOR"},
                                   {"createTime", create_time},
                                   {"userID", "alice-1"},
                                   {"userdata-bbb_show_public_chat_on_login", "false"}}));
    ASSERT_EQ(r.status, 302) << r.body;
    EXPECT_TRUE(isHtml(r)) << r.content_type;
    EXPECT_EQ(r.location.rfind(fake(h).baseUrl() + "join?", 0), 0u) << r.location;
    EXPECT_EQ(queryParam(r.location, "meetingID"), encoded);
    EXPECT_EQ(queryParam(r.location, "fullName"), "Alice Example");
    EXPECT_EQ(queryParam(r.location, "role"), "MODERATOR");
    EXPECT_EQ(queryParam(r.location, "createTime"), create_time);
    EXPECT_EQ(queryParam(r.location, "userdata-bbb_show_public_chat_on_login"), "false");
    EXPECT_EQ(queryParam(r.location, "checksum").value_or("").size(), 64u) << "sha256 with the backend's secret";
    EXPECT_EQ(r.location.find(kSecret), std::string::npos);
    // b3scale never joins itself: the browser does.
    EXPECT_EQ(callsEverywhere("join"), 0u);

    const auto followed = getUrl(r.location);
    EXPECT_EQ(followed.status, 302) << followed.body;
    EXPECT_NE(followed.location.find("/html5client/join?sessionToken="), std::string::npos) << followed.location;
    const auto attendees = fake(h).attendees(encoded);
    ASSERT_EQ(attendees.size(), 1u);
    EXPECT_EQ(attendees[0].fullName, "Alice Example");
    EXPECT_EQ(attendees[0].role, "MODERATOR");
    EXPECT_EQ(attendees[0].userId, "alice-1");
    EXPECT_EQ(attendees[0].customData.at("bbb_show_public_chat_on_login"), "false");
}

TEST_F(GatewayConformanceTest, JoinDefaultAndOverrideParamsAreApplied) {
    ClusterSetup setup;
    setup.settings = R"({"join_default_params":{"role":"VIEWER","userdata-bbb_auto_join_audio":"true"},)"
                     R"("join_override_params":{"userdata-bbb_skip_check_audio":"true"}})";
    start(setup);
    ASSERT_TRUE(answered(call("create", "meetingID=jd1&name=JoinParams"), "SUCCESS"));
    auto r = call("join", "meetingID=jd1&fullName=Mod&role=MODERATOR&userdata-bbb_skip_check_audio=false");
    ASSERT_EQ(r.status, 302) << r.body;
    EXPECT_EQ(queryParam(r.location, "role"), "MODERATOR");  // default only where absent
    EXPECT_EQ(queryParam(r.location, "userdata-bbb_auto_join_audio"), "true");
    EXPECT_EQ(queryParam(r.location, "userdata-bbb_skip_check_audio"), "true");  // override wins
    r = call("join", "meetingID=jd1&fullName=Viewer");
    ASSERT_EQ(r.status, 302) << r.body;
    EXPECT_EQ(queryParam(r.location, "role"), "VIEWER");
    // The backend accepts the rewritten URL.
    EXPECT_EQ(getUrl(r.location).status, 302);
    const auto attendees = fake(holder("jd1")).attendees(encodeMeetingId(kKey, "jd1"));
    ASSERT_EQ(attendees.size(), 1u);
    EXPECT_EQ(attendees[0].role, "VIEWER");
    EXPECT_EQ(attendees[0].customData.at("bbb_skip_check_audio"), "true");
}

TEST_F(GatewayConformanceTest, JoinWithoutRedirectAnswersTheBackendsXml) {
    start();
    ASSERT_TRUE(answered(call("create", "meetingID=jx1&name=NoRedirect"), "SUCCESS"));
    const auto h = holder("jx1");
    const auto encoded = encodeMeetingId(kKey, "jx1");
    const auto r = call("join", "meetingID=jx1&fullName=Bob&role=VIEWER&redirect=false");
    EXPECT_TRUE(answered(r, "SUCCESS", "successfullyJoined")) << r.body;
    EXPECT_EQ(field(r, "meeting_id"), fake(h).meeting(encoded)->internalMeetingId);
    EXPECT_FALSE(field(r, "session_token").empty()) << r.body;
    EXPECT_EQ(field(r, "url").rfind(fake(h).serverUrl() + "/html5client/join?sessionToken=", 0), 0u) << r.body;
    EXPECT_EQ(r.body.find(encoded), std::string::npos) << r.body;
    EXPECT_EQ(fake(h).callCount("join"), 1u);
    EXPECT_EQ(fake(h).attendees(encoded).size(), 1u);
}

TEST_F(GatewayConformanceTest, JoinOnAnOfflineBackendIsServerUnavailable) {
    start();
    // The meeting requires its backend's tag, so no other backend may re-create it.
    ASSERT_TRUE(answered(createOn(0, "off1"), "SUCCESS"));
    core::store::PollRecord offline;
    offline.node_state = "offline";
    offline.last_error = "unreachable";
    ASSERT_TRUE(cluster_->store().recordObservation(backend_rows_[0].id, offline));
    const std::string join = "meetingID=off1&fullName=Alice&role=VIEWER";
    ASSERT_TRUE(eventually([&] { return call("join", join).status == 503; })) << call("join", join).status;
    const auto page = call("join", join);
    EXPECT_TRUE(isHtml(page)) << page.content_type;
    EXPECT_TRUE(page.location.empty()) << page.location;
    const auto r = call("join", join + "&redirect=false");
    EXPECT_TRUE(answered(r, "FAILED", "serverUnavailable")) << r.body;
    EXPECT_EQ(callsEverywhere("join"), 0u);
}

// b3scale (unlike Scalelite): a stopped (cordoned) backend takes no new meetings but keeps
// serving the ones it has.
TEST_F(GatewayConformanceTest, JoinOnAStoppedBackendStillRedirectsThere) {
    ClusterSetup setup;
    setup.backends = 1;
    start(setup);
    ASSERT_TRUE(answered(call("create", "meetingID=cord1&name=Cordoned"), "SUCCESS"));
    auto row = cluster_->store().findBackend(backend_rows_[0].id);
    ASSERT_TRUE(row);
    row->admin_state = core::store::AdminState::Stopped;
    ASSERT_TRUE(cluster_->store().updateBackend(*row));
    ASSERT_TRUE(eventually([&, n = 0]() mutable {
        return answered(call("create", q({{"meetingID", "probe" + std::to_string(n++)}, {"name", "Probe"}})), "FAILED",
                        "internalError");
    }));
    const auto r = call("join", "meetingID=cord1&fullName=Alice&role=VIEWER");
    ASSERT_EQ(r.status, 302) << r.body;
    EXPECT_EQ(r.location.rfind(fake(0).baseUrl() + "join?", 0), 0u) << r.location;
    const auto repeated = call("create", "meetingID=cord1&name=Cordoned");
    EXPECT_TRUE(answered(repeated, "SUCCESS", "duplicateWarning")) << repeated.body;
}

// ---------------------------------------------------------------------------------------------
// Tenancy

TEST_F(GatewayConformanceTest, AnotherTenantsMeetingIsUnknownWhateverIdIsSent) {
    start();
    ASSERT_TRUE(answered(callOther("create", "meetingID=shared&name=Theirs"), "SUCCESS"));
    const auto theirs = encodeMeetingId(kOtherKey, "shared");
    const auto h = holder("shared", kOtherKey);
    fake(h).setAttendees(theirs, 2);
    fake(h).resetCounters();

    for (const auto& id : {std::string("shared"), theirs}) {
        const auto mid = q({{"meetingID", id}});
        auto r = call("join", mid + "&fullName=Mallory&role=MODERATOR");
        EXPECT_EQ(r.status, 404) << id << ": " << r.status << " " << r.location;
        r = call("join", mid + "&fullName=Mallory&role=MODERATOR&redirect=false");
        EXPECT_TRUE(answered(r, "FAILED", "invalidMeetingIdentifier")) << id << ": " << r.body;
        r = call("end", mid);
        EXPECT_TRUE(answered(r, "FAILED", "notFound")) << id << ": " << r.body;
        r = call("getMeetingInfo", mid);
        EXPECT_TRUE(answered(r, "FAILED", "notFound")) << id << ": " << r.body;
        r = call("isMeetingRunning", mid);
        EXPECT_TRUE(answered(r, "SUCCESS")) << id << ": " << r.body;
        EXPECT_EQ(field(r, "running"), "false") << id;
        r = post("insertDocument", mid, kSlidesBody, kXmlType);
        EXPECT_TRUE(answered(r, "FAILED", "notFound")) << id << ": " << r.body;
        r = call("sendChatMessage", mid + "&message=hello");
        EXPECT_TRUE(answered(r, "FAILED", "notFound")) << id << ": " << r.body;
    }
    EXPECT_EQ(listedIds(call("getMeetings")), std::multiset<std::string>{});
    // Their meeting never heard of any of it.
    EXPECT_EQ(fake(0).totalCalls() + fake(1).totalCalls(), 0u);
    const auto meeting = fake(h).meeting(theirs);
    ASSERT_TRUE(meeting);
    EXPECT_EQ(meeting->attendees.size(), 2u);
    EXPECT_TRUE(meeting->chatMessages.empty());
    EXPECT_EQ(meeting->xmlBodies.size(), 0u);
    EXPECT_TRUE(answered(callOther("getMeetingInfo", "meetingID=shared"), "SUCCESS"));
}

TEST_F(GatewayConformanceTest, SameMeetingIdOfTwoTenantsIsTwoMeetings) {
    start();
    const auto mine = call("create", "meetingID=same&name=Mine");
    const auto theirs = callOther("create", "meetingID=same&name=Theirs");
    ASSERT_TRUE(answered(mine, "SUCCESS")) << mine.body;
    ASSERT_TRUE(answered(theirs, "SUCCESS")) << theirs.body;
    EXPECT_EQ(field(theirs, "messageKey"), "") << "not a duplicate of the other tenant's meeting";
    EXPECT_NE(field(mine, "internalMeetingID"), field(theirs, "internalMeetingID"));
    EXPECT_EQ(holders("same").size(), 1u);
    EXPECT_EQ(holders("same", kOtherKey).size(), 1u);
    const auto my_info = call("getMeetingInfo", "meetingID=same");
    const auto their_info = callOther("getMeetingInfo", "meetingID=same");
    EXPECT_EQ(field(my_info, "meetingName"), "Mine");
    EXPECT_EQ(field(their_info, "meetingName"), "Theirs");
    EXPECT_EQ(metadataOf(my_info, "b3s-frontend"), kKey);
    EXPECT_EQ(metadataOf(their_info, "b3s-frontend"), kOtherKey);
    EXPECT_EQ(field(my_info, "meetingID"), "same");
    EXPECT_EQ(field(their_info, "meetingID"), "same");
}

// ---------------------------------------------------------------------------------------------
// end

TEST_F(GatewayConformanceTest, EndWithoutMeetingIdOrOfUnknownMeetingIsRefusedLocally) {
    start();
    auto r = call("end", "");
    EXPECT_TRUE(answered(r, "FAILED", "missingParamMeetingID")) << r.body;
    r = call("end", "meetingID=");
    EXPECT_TRUE(answered(r, "FAILED", "missingParamMeetingID")) << r.body;
    r = call("end", "meetingID=nope");
    EXPECT_TRUE(answered(r, "FAILED", "notFound")) << r.body;
    r = post("end", "", "meetingID=nope", kFormType);
    EXPECT_TRUE(answered(r, "FAILED", "notFound")) << r.body;
    EXPECT_EQ(callsEverywhere("end"), 0u);
}

TEST_F(GatewayConformanceTest, EndEndsTheMeetingAndFreesItsId) {
    start();
    ASSERT_TRUE(answered(call("create", "meetingID=e1&name=Ending"), "SUCCESS"));
    const auto h = holder("e1");
    const auto encoded = encodeMeetingId(kKey, "e1");
    const auto r = call("end", "meetingID=e1");
    EXPECT_TRUE(answered(r, "SUCCESS", "sentEndMeetingRequest")) << r.body;
    EXPECT_EQ(fake(h).callCount("end"), 1u);
    EXPECT_FALSE(fake(h).meeting(encoded));
    EXPECT_TRUE(answered(call("getMeetingInfo", "meetingID=e1"), "FAILED", "notFound"));
    const auto running = call("isMeetingRunning", "meetingID=e1");
    EXPECT_EQ(field(running, "running"), "false") << running.body;
    EXPECT_EQ(listedIds(call("getMeetings")), std::multiset<std::string>{});
    const auto again = call("create", "meetingID=e1&name=Again");
    EXPECT_TRUE(answered(again, "SUCCESS")) << again.body;
    EXPECT_EQ(field(again, "messageKey"), "") << "a new meeting, not a duplicate";
    EXPECT_EQ(holders("e1").size(), 1u);
    EXPECT_TRUE(answered(call("getMeetingInfo", "meetingID=e1"), "SUCCESS"));
}

// ---------------------------------------------------------------------------------------------
// isMeetingRunning

TEST_F(GatewayConformanceTest, UnknownMeetingIsNotRunningWithoutAskingABackend) {
    start();
    for (const auto& query : {q({{"meetingID", "nope"}}), q({{"meetingID", encodeMeetingId(kKey, "nope")}})}) {
        const auto r = call("isMeetingRunning", query);
        EXPECT_TRUE(answered(r, "SUCCESS")) << r.body;
        EXPECT_EQ(field(r, "running"), "false") << r.body;
    }
    const auto missing = call("isMeetingRunning", "");
    EXPECT_TRUE(answered(missing, "FAILED", "missingParamMeetingID")) << missing.body;
    EXPECT_EQ(callsEverywhere("isMeetingRunning"), 0u);
}

TEST_F(GatewayConformanceTest, IsMeetingRunningIsAnsweredByTheMeetingsBackend) {
    start();
    ASSERT_TRUE(answered(call("create", "meetingID=run1&name=Running"), "SUCCESS"));
    const auto h = holder("run1");
    auto r = call("isMeetingRunning", "meetingID=run1");
    EXPECT_TRUE(answered(r, "SUCCESS")) << r.body;
    EXPECT_EQ(field(r, "running"), "false");
    fake(h).setAttendees(encodeMeetingId(kKey, "run1"), 2);
    r = post("isMeetingRunning", "", "meetingID=run1", kFormType);
    EXPECT_TRUE(answered(r, "SUCCESS")) << r.body;
    EXPECT_EQ(field(r, "running"), "true");
    EXPECT_EQ(fake(h).callCount("isMeetingRunning"), 2u);
    EXPECT_EQ(fake(1 - h).callCount("isMeetingRunning"), 0u);
}

TEST_F(GatewayConformanceTest, IsMeetingRunningOnADownBackendIsInternalError) {
    start();
    ASSERT_TRUE(answered(call("create", "meetingID=down1&name=Down"), "SUCCESS"));
    fake(holder("down1")).takeDown();
    const auto r = call("isMeetingRunning", "meetingID=down1");
    EXPECT_TRUE(answered(r, "FAILED", "internalError")) << r.body;
}

// ---------------------------------------------------------------------------------------------
// getMeetingInfo

TEST_F(GatewayConformanceTest, GetMeetingInfoWithoutIdOrOfUnknownMeetingIsRefusedLocally) {
    start();
    auto r = call("getMeetingInfo", "");
    EXPECT_TRUE(answered(r, "FAILED", "missingParamMeetingID")) << r.body;
    r = call("getMeetingInfo", "meetingID=nope");
    EXPECT_TRUE(answered(r, "FAILED", "notFound")) << r.body;
    EXPECT_EQ(callsEverywhere("getMeetingInfo"), 0u);
}

TEST_F(GatewayConformanceTest, GetMeetingInfoShowsTheBackendsMeetingWithDecodedId) {
    start();
    ASSERT_TRUE(answered(call("create", "meetingID=gi1&name=Info"), "SUCCESS"));
    const auto h = holder("gi1");
    const auto encoded = encodeMeetingId(kKey, "gi1");
    fake(h).setAttendees(encoded, 4, 1, 2, 1, 1);
    const auto r = call("getMeetingInfo", "meetingID=gi1");
    ASSERT_TRUE(answered(r, "SUCCESS")) << r.body;
    EXPECT_EQ(field(r, "meetingID"), "gi1");
    EXPECT_EQ(field(r, "meetingName"), "Info");
    EXPECT_EQ(field(r, "internalMeetingID"), fake(h).meeting(encoded)->internalMeetingId);
    EXPECT_EQ(field(r, "running"), "true");
    EXPECT_EQ(field(r, "participantCount"), "4");
    EXPECT_EQ(field(r, "moderatorCount"), "1");
    EXPECT_EQ(countOf(r, "attendees", "attendee"), 4u);
    EXPECT_EQ(metadataOf(r, "b3s-frontend"), kKey);
    EXPECT_EQ(r.body.find(encoded), std::string::npos) << r.body;
    EXPECT_EQ(fake(h).callCount("getMeetingInfo"), 1u);
}

TEST_F(GatewayConformanceTest, GetMeetingInfoOnAHangingBackendIsInternalErrorWithinASecond) {
    ClusterSetup setup;
    setup.extra_env["B3SCALE_BACKEND_RESPONSE_TIMEOUT_MS"] = "300";
    start(setup);
    ASSERT_TRUE(answered(call("create", "meetingID=hang1&name=Hanging"), "SUCCESS"));
    const auto h = holder("hang1");
    fake(h).setFault(bbb::Fault::hang(std::chrono::seconds(5)));
    const auto started = Clock::now();
    const auto r = call("getMeetingInfo", "meetingID=hang1");
    const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    fake(h).setFault(bbb::Fault::none());
    EXPECT_TRUE(answered(r, "FAILED", "internalError")) << r.body;
    EXPECT_LT(took.count(), 1000) << "took " << took.count() << " ms";
}

// ---------------------------------------------------------------------------------------------
// getMeetings

TEST_F(GatewayConformanceTest, GetMeetingsWithoutMeetingsIsNoMeetingsWithAnEmptyList) {
    start();
    const auto r = call("getMeetings");
    ASSERT_TRUE(answered(r, "SUCCESS", "noMeetings")) << r.body;
    const auto xml = xmlOf(r);
    ASSERT_TRUE(xml && xml->child("meetings")) << r.body;
    EXPECT_TRUE(xml->child("meetings")->children.empty()) << r.body;
    // The other tenant's meetings do not count.
    ASSERT_TRUE(answered(callOther("create", "meetingID=o1&name=Theirs"), "SUCCESS"));
    EXPECT_TRUE(answered(call("getMeetings"), "SUCCESS", "noMeetings"));
    EXPECT_EQ(callsEverywhere("getMeetings"), 0u) << "nothing of ours to ask for";
}

TEST_F(GatewayConformanceTest, GetMeetingsMergesTheTenantsMeetingsOfAllBackendsOnly) {
    start();
    ASSERT_TRUE(answered(createOn(0, "ma"), "SUCCESS"));
    ASSERT_TRUE(answered(createOn(1, "mb"), "SUCCESS"));
    ASSERT_TRUE(answered(createOn(0, "oa", kOtherKey, kOtherSecret), "SUCCESS"));
    ASSERT_TRUE(answered(createOn(1, "ob", kOtherKey, kOtherSecret), "SUCCESS"));
    EXPECT_EQ(holders("ma"), std::vector<std::size_t>{0});
    EXPECT_EQ(holders("mb"), std::vector<std::size_t>{1});
    // Created on the backends directly, not through b3scale — one even with our encoding.
    for (const auto& id : {std::string("direct"), encodeMeetingId(kKey, "sneaky")}) {
        const auto direct = getUrl(fake(0).signedUrl("create", q({{"meetingID", id}, {"name", "Direct"}})));
        ASSERT_EQ(direct.status, 200);
        ASSERT_NE(direct.body.find("SUCCESS"), std::string::npos) << direct.body;
    }
    fake(1).setAttendees(encodeMeetingId(kKey, "mb"), 3);

    for (const bool by_post : {false, true}) {
        const auto r = by_post ? post("getMeetings", "", "", kFormType) : call("getMeetings");
        ASSERT_TRUE(answered(r, "SUCCESS")) << r.body;
        EXPECT_EQ(field(r, "messageKey"), "") << r.body;
        EXPECT_EQ(listedIds(r), (std::multiset<std::string>{"ma", "mb"})) << r.body;
        EXPECT_EQ(r.body.find(encodeMeetingId(kKey, "ma")), std::string::npos) << r.body;
        EXPECT_EQ(r.body.find("Direct"), std::string::npos) << r.body;
        const auto xml = xmlOf(r);
        for (const auto* m : xml->child("meetings")->childrenNamed("meeting")) {
            if (m->childText("meetingID") == "mb") {
                EXPECT_EQ(m->childText("participantCount"), "3");
            }
        }
    }
    const auto theirs = callOther("getMeetings");
    EXPECT_EQ(listedIds(theirs), (std::multiset<std::string>{"oa", "ob"})) << theirs.body;
}

TEST_F(GatewayConformanceTest, GetMeetingsWithADownBackendListsTheOthers) {
    start();
    ASSERT_TRUE(answered(createOn(0, "ua"), "SUCCESS"));
    ASSERT_TRUE(answered(createOn(1, "ub"), "SUCCESS"));
    fake(1).takeDown();
    const auto started = Clock::now();
    const auto r = call("getMeetings");
    const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    EXPECT_TRUE(answered(r, "SUCCESS")) << r.body;
    EXPECT_EQ(listedIds(r), std::multiset<std::string>{"ua"}) << r.body;
    EXPECT_LT(took.count(), 1500);
}

TEST_F(GatewayConformanceTest, GetMeetingsWithAHangingBackendListsTheOthersInTime) {
    ClusterSetup setup;
    setup.extra_env["B3SCALE_GET_MEETINGS_TIMEOUT_MS"] = "300";
    start(setup);
    ASSERT_TRUE(answered(createOn(0, "ha"), "SUCCESS"));
    ASSERT_TRUE(answered(createOn(1, "hb"), "SUCCESS"));
    fake(1).setFault(bbb::Fault::hang(std::chrono::seconds(5)));
    const auto started = Clock::now();
    const auto r = call("getMeetings");
    const auto took = std::chrono::duration_cast<milliseconds>(Clock::now() - started);
    fake(1).setFault(bbb::Fault::none());
    EXPECT_TRUE(answered(r, "SUCCESS")) << r.body;
    EXPECT_EQ(listedIds(r), std::multiset<std::string>{"ha"}) << r.body;
    EXPECT_LT(took.count(), 1500) << "took " << took.count() << " ms";
    EXPECT_EQ(fake(1).callCount("getMeetings"), 1u);
}

// ---------------------------------------------------------------------------------------------
// insertDocument, sendChatMessage

TEST_F(GatewayConformanceTest, InsertDocumentForwardsTheXmlBodyToTheMeetingsBackend) {
    start();
    ASSERT_TRUE(answered(call("create", "meetingID=doc1&name=Docs"), "SUCCESS"));
    const auto h = holder("doc1");
    const auto r = post("insertDocument", "meetingID=doc1", kSlidesBody, kXmlType);
    EXPECT_TRUE(answered(r, "SUCCESS")) << r.body;
    EXPECT_EQ(fake(h).callCount("insertDocument"), 1u);
    const auto meeting = fake(h).meeting(encodeMeetingId(kKey, "doc1"));
    ASSERT_TRUE(meeting);
    ASSERT_EQ(meeting->xmlBodies.size(), 1u);
    EXPECT_EQ(meeting->xmlBodies[0], kSlidesBody);
    ASSERT_EQ(meeting->presentations.size(), 1u);
    EXPECT_EQ(meeting->presentations[0].url, "https://example.org/a.pdf");
    // text/xml is XML too.
    EXPECT_TRUE(answered(post("insertDocument", "meetingID=doc1", kSlidesBody, "text/xml; charset=utf-8"), "SUCCESS"));
    EXPECT_EQ(fake(h).meeting(encodeMeetingId(kKey, "doc1"))->xmlBodies.size(), 2u);
}

TEST_F(GatewayConformanceTest, InsertDocumentRefusalsNeverReachABackend) {
    start();
    ASSERT_TRUE(answered(call("create", "meetingID=doc2&name=Docs"), "SUCCESS"));
    auto r = post("insertDocument", "", kSlidesBody, kXmlType);
    EXPECT_TRUE(answered(r, "FAILED", "missingParamMeetingID")) << r.body;
    r = post("insertDocument", "meetingID=nope", kSlidesBody, kXmlType);
    EXPECT_TRUE(answered(r, "FAILED", "notFound")) << r.body;
    r = post("insertDocument", "meetingID=doc2", "just text", "text/plain");
    EXPECT_TRUE(answered(r, "FAILED", "unsupportedContentType")) << r.body;
    r = post("insertDocument", "meetingID=doc2", kSlidesBody, "");
    EXPECT_TRUE(answered(r, "FAILED", "unsupportedContentType")) << r.body;
    r = call("insertDocument", "meetingID=doc2");
    EXPECT_TRUE(answered(r, "FAILED", "unsupportedRequest")) << r.body;
    EXPECT_EQ(callsEverywhere("insertDocument"), 0u);
}

TEST_F(GatewayConformanceTest, SendChatMessageIsForwardedToTheMeetingsBackend) {
    start();
    ASSERT_TRUE(answered(call("create", "meetingID=chat1&name=Chat"), "SUCCESS"));
    const auto h = holder("chat1");
    const auto r = call("sendChatMessage", q({{"meetingID", "chat1"}, {"message", "Hello all"}, {"userName", "Bot"}}));
    EXPECT_TRUE(answered(r, "SUCCESS")) << r.body;
    const auto meeting = fake(h).meeting(encodeMeetingId(kKey, "chat1"));
    ASSERT_TRUE(meeting);
    ASSERT_EQ(meeting->chatMessages.size(), 1u);
    EXPECT_EQ(meeting->chatMessages[0].userName, "Bot");
    EXPECT_EQ(meeting->chatMessages[0].message, "Hello all");

    const auto unknown = call("sendChatMessage", "meetingID=nope&message=hi");
    EXPECT_TRUE(answered(unknown, "FAILED", "notFound")) << unknown.body;
    const auto missing = call("sendChatMessage", "message=hi");
    EXPECT_TRUE(answered(missing, "FAILED", "missingParamMeetingID")) << missing.body;
    EXPECT_EQ(callsEverywhere("sendChatMessage"), 1u);
}

// ---------------------------------------------------------------------------------------------
// Recordings (no recordings plugin loaded)

TEST_F(GatewayConformanceTest, GetRecordingsWithoutRecordingsIsNoRecordingsWithAnEmptyList) {
    start();
    for (const auto& r : {call("getRecordings"), call("getRecordings", "meetingID=m1,m2&state=any"),
                          post("getRecordings", "", "recordID=abc", kFormType)}) {
        ASSERT_TRUE(answered(r, "SUCCESS", "noRecordings")) << r.body;
        const auto xml = xmlOf(r);
        ASSERT_TRUE(xml && xml->child("recordings")) << r.body;
        EXPECT_TRUE(xml->child("recordings")->children.empty()) << r.body;
    }
}

TEST_F(GatewayConformanceTest, PublishRecordingsNeedsRecordIdAndPublish) {
    start();
    auto r = call("publishRecordings", "publish=true");
    EXPECT_TRUE(answered(r, "FAILED", "missingParamRecordID")) << r.body;
    r = call("publishRecordings", "recordID=rec1");
    EXPECT_TRUE(answered(r, "FAILED", "missingParamPublish")) << r.body;
    r = call("publishRecordings", "recordID=rec1&publish=true");
    EXPECT_TRUE(answered(r, "FAILED", "notFound")) << r.body;
    r = post("publishRecordings", "recordID=rec1&publish=true", "", kFormType);
    EXPECT_TRUE(answered(r, "FAILED", "unsupportedRequest")) << r.body;
}

TEST_F(GatewayConformanceTest, UpdateAndDeleteRecordingsNeedAKnownRecordId) {
    start();
    for (const std::string name : {"updateRecordings", "deleteRecordings"}) {
        auto r = call(name, "meta_presenter=Alice");
        EXPECT_TRUE(answered(r, "FAILED", "missingParamRecordID")) << name << ": " << r.body;
        r = call(name, "recordID=rec1,rec2&meta_presenter=Alice");
        EXPECT_TRUE(answered(r, "FAILED", "notFound")) << name << ": " << r.body;
    }
    auto r = post("updateRecordings", "", "recordID=rec1&meta_presenter=Alice", kFormType);
    EXPECT_TRUE(answered(r, "FAILED", "notFound")) << r.body;
    r = post("deleteRecordings", "recordID=rec1", "", kFormType);
    EXPECT_TRUE(answered(r, "FAILED", "unsupportedRequest")) << r.body;
}

TEST_F(GatewayConformanceTest, GetRecordingTextTracksAnswersJson) {
    start();
    auto json = [](const HttpResult& r) -> Poco::JSON::Object::Ptr {
        try {
            Poco::JSON::Parser parser;
            return parser.parse(r.body).extract<Poco::JSON::Object::Ptr>()->getObject("response");
        } catch (const Poco::Exception&) {
            return nullptr;
        }
    };
    const std::pair<std::string, std::string> cases[] = {{"", "missingParameter"}, {"recordID=rec1", "noRecordings"}};
    for (const auto& [query, key] : cases) {
        const auto r = call("getRecordingTextTracks", query);
        EXPECT_EQ(r.status, 200);
        EXPECT_EQ(r.content_type.rfind("application/json", 0), 0u) << r.content_type;
        const auto response = json(r);
        ASSERT_TRUE(response) << r.body;
        EXPECT_EQ(response->getValue<std::string>("returncode"), "FAILED") << r.body;
        EXPECT_EQ(response->getValue<std::string>("messageKey"), key) << r.body;
    }
}

// ---------------------------------------------------------------------------------------------
// Envelope and log hygiene

TEST_F(GatewayConformanceTest, EveryXmlAnswerIsHttp200TextXmlWithoutCaching) {
    start();
    std::vector<std::pair<std::string, HttpResult>> answers;
    auto add = [&](const std::string& what, HttpResult r) { answers.emplace_back(what, std::move(r)); };
    add("index", raw("GET", "/bbb/" + std::string(kKey) + "/bigbluebutton/api"));
    add("create", call("create", "meetingID=env1&name=Envelope"));
    add("create duplicate", call("create", "meetingID=env1&name=Envelope"));
    add("create missing id", call("create", "name=Envelope"));
    add("create backend refusal", call("create", "meetingID=env2"));
    add("checksum error", raw("GET", GatewayCluster::target(kKey, "wrong-secret", "getMeetings", "")));
    add("unknown key", cluster_->call("nobody", kSecret, "getMeetings"));
    add("unsupported", call("frobnicate"));
    add("join redirect=false", call("join", "meetingID=env1&fullName=A&role=VIEWER&redirect=false"));
    add("join unknown redirect=false", call("join", "meetingID=nope&fullName=A&redirect=false"));
    add("isMeetingRunning", call("isMeetingRunning", "meetingID=env1"));
    add("isMeetingRunning unknown", call("isMeetingRunning", "meetingID=nope"));
    add("getMeetingInfo", call("getMeetingInfo", "meetingID=env1"));
    add("getMeetingInfo unknown", call("getMeetingInfo", "meetingID=nope"));
    add("getMeetings", call("getMeetings"));
    add("insertDocument", post("insertDocument", "meetingID=env1", kSlidesBody, kXmlType));
    add("sendChatMessage", call("sendChatMessage", "meetingID=env1&message=hi"));
    add("getRecordings", call("getRecordings"));
    add("publishRecordings", call("publishRecordings", "recordID=r1&publish=true"));
    add("end", call("end", "meetingID=env1"));
    add("end unknown", call("end", "meetingID=env1"));
    add("getMeetings none", call("getMeetings"));
    for (const auto& [what, r] : answers) EXPECT_TRUE(xmlEnvelope(r)) << what;
}

TEST_F(GatewayConformanceTest, SecretsAndChecksumsNeverReachTheLog) {
    ClusterSetup setup;
    setup.extra_env["B3SCALE_LOG_LEVEL"] = "debug";
    setup.extra_env["B3SCALE_BACKEND_RESPONSE_TIMEOUT_MS"] = "300";
    start(setup);
    std::vector<std::string> checksums;
    auto signedCall = [&](const std::string& name, const std::string& query, const std::string& secret = kSecret) {
        const auto target = GatewayCluster::target(kKey, secret, name, query);
        checksums.push_back(target.substr(target.find("checksum=") + 9));
        return raw("GET", target);
    };
    ASSERT_TRUE(answered(
        signedCall("create", "meetingID=s1&name=Secret&meta_endCallbackUrl=https%3A%2F%2Ff.example%2Fe"), "SUCCESS"));
    const auto join = signedCall("join", "meetingID=s1&fullName=A&role=VIEWER");
    ASSERT_EQ(join.status, 302);
    checksums.push_back(queryParam(join.location, "checksum").value_or(""));
    signedCall("join", "meetingID=s1&fullName=A&role=VIEWER&redirect=false");
    signedCall("getMeetingInfo", "meetingID=s1");
    signedCall("getMeetings", "");
    signedCall("getMeetings", "", "a-wrong-secret");
    signedCall("create", "meetingID=s2");  // refused by the backend
    cluster_->call("nobody", kSecret, "getMeetings");
    const auto h = holder("s1");
    fake(h).setFault(bbb::Fault::hang(std::chrono::seconds(3)));
    signedCall("isMeetingRunning", "meetingID=s1");  // times out
    fake(h).setFault(bbb::Fault::none());
    fake(h).takeDown();
    signedCall("getMeetingInfo", "meetingID=s1");  // unreachable
    signedCall("getMeetings", "");
    fake(h).bringUp();
    fake(h).setFault(bbb::Fault::garbage());
    signedCall("getMeetingInfo", "meetingID=s1");  // unreadable
    fake(h).setFault(bbb::Fault::none());
    signedCall("end", "meetingID=s1");

    const auto log = cluster_->b3scaled().stderrText();
    ASSERT_FALSE(log.empty());
    for (std::size_t i = 0; i < cluster_->backendCount(); ++i)
        EXPECT_EQ(log.find(fake(i).secret()), std::string::npos) << "backend secret " << i << " in:\n" << log;
    EXPECT_EQ(log.find(kSecret), std::string::npos) << log;
    EXPECT_EQ(log.find(kOtherSecret), std::string::npos) << log;
    EXPECT_EQ(log.find(cluster_->env().at("B3SCALE_API_JWT_SECRET")), std::string::npos) << log;
    EXPECT_EQ(log.find("checksum="), std::string::npos) << log;
    for (const auto& c : checksums) {
        ASSERT_GE(c.size(), 40u);
        EXPECT_EQ(log.find(c), std::string::npos) << "checksum " << c << " in:\n" << log;
    }
}

}  // namespace
}  // namespace b3s::test
