// The callback proxy through a real b3scaled, mostly as a tenant who wants more from it than
// its own callbacks: callback URLs reach a backend only as proxy URLs and are never shown back
// (getMeetingInfo, getMeetings, getRecordings, the REST API); a token captured from a backend
// delivers once, to its own URL with nothing added but BBB's parameters, for its own meeting
// and kind only, while its meeting runs and for the grace after; forged tokens, other keys'
// tokens and callback tokens used as REST tokens are refused. And the callbacks themselves
// work: end callbacks with the frontend's meeting id, recording-ready re-signed for it, also
// when the backend sends one while the database is away (BBB sends it once).

#include "frontend_receiver.hpp"
#include "gateway_cluster.hpp"
#include "pg_test_database.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/purpose_keys.hpp>
#include "bbb/meeting_id_codec.hpp"
#include "bbb/query_string.hpp"
#include "fake_bbb/sign_query.hpp"
#include "fakes/temp_dir.hpp"

#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>

#include <gtest/gtest.h>

#include <ctime>
#include <set>
#include <thread>

namespace b3s::test {
namespace {

using core::bbb::encodeMeetingId;
using support::JwtAlgorithm;
using support::KeyPurpose;
using test::bbb::formEncode;

constexpr const char* kKey = "tenant";
constexpr const char* kSecret = "tenant-secret-of-the-callback-tests-0123456789";
constexpr std::string_view kProxyPath = "/api/v1/callbacks/proxy/";

class GatewayCallbacksTest : public ::testing::Test {
protected:
    void SetUp() override { start(); }

    void start(Env extra = {}) {
        dir_.mkdir("published");
        dir_.mkdir("unpublished");
        dir_.mkdir("inbox");
        GatewayClusterOptions options;
        options.backends = 1;
        // The receivers listen on loopback, which callbacks may not reach by default (the
        // policy itself is tested in tests/callbacks).
        options.callback_allow = {"127.0.0.1"};
        options.extra_env = {{"B3SCALE_RECORDINGS_PUBLISHED_PATH", (dir_ / "published").string()},
                             {"B3SCALE_RECORDINGS_UNPUBLISHED_PATH", (dir_ / "unpublished").string()},
                             {"B3SCALE_RECORDINGS_INBOX_PATH", (dir_ / "inbox").string()},
                             {"B3SCALE_RECORDINGS_INBOX_SCAN_INTERVAL", "0"}};
        for (auto& [name, value] : extra) options.extra_env[name] = value;
        cluster_.reset();
        cluster_ = std::make_unique<GatewayCluster>(options);
        frontend_ = cluster_->addFrontend(kKey, kSecret);
        cluster_->addAllBackends();
        cluster_->start();
    }
    std::string proxyPrefix() const {
        return "http://127.0.0.1:" + std::to_string(cluster_->port()) + std::string(kProxyPath);
    }
    // The path of a proxy URL on b3scaled, and its token.
    static std::string pathOf(const std::string& url) { return url.substr(url.find("/api/v1/")); }
    static std::string tokenOf(const std::string& url) { return url.substr(url.find(kProxyPath) + kProxyPath.size()); }
    std::string createWith(const std::string& id, const std::string& extra) {
        auto r = cluster_->call(kKey, kSecret, "create", "meetingID=" + id + "&name=Cb" + extra);
        EXPECT_TRUE(answered(r, "SUCCESS")) << r.body;
        return encodeMeetingId(kKey, id);
    }
    // What the backend got in the create: the attacker's capture.
    std::string capturedMeta(const std::string& encoded, const std::string& name) {
        const auto meeting = cluster_->backend(0).meeting(encoded);
        EXPECT_TRUE(meeting) << encoded;
        if (!meeting || !meeting->metadata.contains(name)) return {};
        return meeting->metadata.at(name);
    }
    // What BBB's post_publish script sends: signed_parameters, HS256 with `signing_secret`.
    HttpResult postRecordingReady(const std::string& proxy, const std::string& meeting_id, const std::string& record_id,
                                  const std::string& signing_secret, bool json = false) {
        Poco::JSON::Object claims;
        claims.set("meeting_id", meeting_id);
        claims.set("record_id", record_id);
        const auto jwt = support::signJwt(claims, signing_secret, JwtAlgorithm::Hs256);
        if (json)
            return httpRequest("POST", "127.0.0.1", cluster_->port(), pathOf(proxy),
                               "{\"signed_parameters\":\"" + jwt + "\"}", "application/json");
        return httpRequest("POST", "127.0.0.1", cluster_->port(), pathOf(proxy), "signed_parameters=" + formEncode(jwt),
                           "application/x-www-form-urlencoded");
    }
    HttpResult rest(const std::string& path, const std::string& bearer) {
        return httpRequest("GET", "127.0.0.1", cluster_->port(), path, "", "", {{"Authorization", "Bearer " + bearer}});
    }
    // A token with the claims b3scaled writes, signed with `key`.
    std::string forgedProxyPath(const std::string& key, const std::string& url, const std::string& meeting,
                                std::int64_t exp, const std::string& kind = "end") {
        const auto now = static_cast<std::int64_t>(std::time(nullptr));
        Poco::JSON::Object claims;
        claims.set("sub", frontend_.id);
        Poco::JSON::Array::Ptr aud = new Poco::JSON::Array;
        aud->add(url);
        claims.set("aud", aud);
        claims.set("scope", "b3scale:callback");
        claims.set("jti", "forged-" + std::to_string(++forged_));
        claims.set("iat", now - 10);
        claims.set("exp", exp);
        claims.set("b3s_backend", cluster_->store().listBackends().front().id);
        claims.set("b3s_meeting", meeting);
        claims.set("b3s_kind", kind);
        const auto row = cluster_->store().findMeeting(frontend_.id, meeting);
        claims.set("b3s_since", std::to_string(row ? row->created_at : 1));
        return std::string(kProxyPath) + support::signJwt(claims, key, JwtAlgorithm::Hs384);
    }

    int forged_ = 0;
    TempDir dir_{"b3s-gw-callbacks"};
    std::unique_ptr<GatewayCluster> cluster_;
    core::store::Frontend frontend_;
};

TEST_F(GatewayCallbacksTest, EndCallbacksReachTheFrontendWithItsOwnMeetingId) {
    FrontendReceiver receiver;
    const auto encoded = createWith("m1", "&meta_endCallbackUrl=" + formEncode(receiver.url("/ended?room=7")) +
                                              "&meetingEndedURL=" + formEncode(receiver.url("/gone")));
    const auto meeting = cluster_->backend(0).meeting(encoded);
    ASSERT_TRUE(meeting);
    // The backend only ever sees b3scale's proxy.
    EXPECT_EQ(meeting->metadata.at("endcallbackurl").rfind(proxyPrefix(), 0), 0u)
        << meeting->metadata.at("endcallbackurl");
    EXPECT_EQ(meeting->meetingEndedUrl.rfind(proxyPrefix(), 0), 0u) << meeting->meetingEndedUrl;
    for (const auto& [name, value] : meeting->createParams)
        EXPECT_EQ(value.find(receiver.url("")), std::string::npos) << name << " leaks the frontend's URL";

    ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "end", "meetingID=m1"), "SUCCESS"));
    ASSERT_TRUE(receiver.waitFor(2)) << cluster_->b3scaled().stderrText();
    std::set<std::string> targets;
    for (const auto& r : receiver.requests()) {
        EXPECT_EQ(r.method, "GET");
        targets.insert(r.target);
    }
    // The frontend's URL as it gave it, then BBB's own parameters, the meeting id its own.
    EXPECT_EQ(targets, (std::set<std::string>{"/ended?room=7&meetingID=m1&recordingmarks=false", "/gone"}));
}

TEST_F(GatewayCallbacksTest, RecordingReadyIsVerifiedAndReSignedForTheFrontendOncePerRecording) {
    FrontendReceiver receiver;
    const auto encoded = createWith("rec", "&meta_bbb-recording-ready-url=" + formEncode(receiver.url("/ready")));
    const auto proxy = capturedMeta(encoded, "bbb-recording-ready-url");
    ASSERT_EQ(proxy.rfind(proxyPrefix(), 0), 0u) << proxy;
    const auto backend_secret = cluster_->backend(0).secret();

    auto answer = postRecordingReady(proxy, encoded, "rec-1", backend_secret);
    EXPECT_EQ(answer.status, 200) << answer.body;
    ASSERT_TRUE(receiver.waitFor(1));
    const auto got = receiver.requests().front();
    EXPECT_EQ(got.method, "POST");
    EXPECT_EQ(got.target, "/ready");
    EXPECT_EQ(got.content_type, "application/x-www-form-urlencoded");
    auto form = core::bbb::parseFormBody(got.body, got.body.size() + 1, {});
    ASSERT_TRUE(form.ok());
    const auto token = form.query.params.get("signed_parameters");
    ASSERT_TRUE(token);
    const auto check = support::verifyJwt(*token, kSecret, {JwtAlgorithm::Hs256}, std::time(nullptr));
    ASSERT_TRUE(check.valid()) << check.reason;
    EXPECT_EQ(check.claims->getValue<std::string>("meeting_id"), "rec");
    EXPECT_EQ(check.claims->getValue<std::string>("record_id"), "rec-1");

    // The same recording again (a replay, or post_publish of a second format): 200, nothing.
    EXPECT_EQ(postRecordingReady(proxy, encoded, "rec-1", backend_secret, true).status, 200);
    // A frontend that fails gets the callback again (the first retry after 2 s); its 410
    // ("gone") stops the retries.
    receiver.answerWith(500);
    EXPECT_EQ(postRecordingReady(proxy, encoded, "rec-2", backend_secret, true).status, 200);
    ASSERT_TRUE(receiver.waitFor(2));
    receiver.answerWith(410);
    ASSERT_TRUE(receiver.waitFor(3, std::chrono::seconds(5)));
    EXPECT_FALSE(receiver.waitFor(4, std::chrono::seconds(5))) << "a 410 must stop the retries";
    std::multiset<std::string> records;
    for (const auto& r : receiver.requests()) {
        auto body = core::bbb::parseFormBody(r.body, r.body.size() + 1, {});
        const auto jwt = body.query.params.get("signed_parameters");
        ASSERT_TRUE(jwt);
        const auto claims = support::verifyJwt(*jwt, kSecret, {JwtAlgorithm::Hs256}, std::time(nullptr)).claims;
        ASSERT_TRUE(claims);
        records.insert(claims->getValue<std::string>("record_id"));
    }
    EXPECT_EQ(records.count("rec-1"), 1u) << "the repeated recording was not delivered again";
    EXPECT_EQ(records.count("rec-2"), 2u) << "the first attempt and its retry";
    const auto dead = cluster_->store().listCallbacks({"dead"}, 10);
    ASSERT_EQ(dead.size(), 1u);
    EXPECT_EQ(dead.front().last_error, "gone: the frontend answered 410");
    // A JWT not signed by the meeting's backend never reaches the frontend, nor one signed by
    // it for another meeting.
    const auto before = receiver.requests().size();
    EXPECT_EQ(postRecordingReady(proxy, encoded, "rec-3", "not-the-backend-secret-0123456789abcdef").status, 401);
    EXPECT_EQ(postRecordingReady(proxy, encoded, "rec-3", kSecret).status, 401);
    EXPECT_EQ(postRecordingReady(proxy, encodeMeetingId(kKey, "other"), "rec-3", backend_secret).status, 403);
    EXPECT_EQ(postRecordingReady(proxy, "rec", "rec-3", backend_secret).status, 403) << "the decoded id is not it";
    EXPECT_EQ(receiver.requests().size(), before);
}

// The finding: a tenant read its token in its own getMeetingInfo and replayed it.
TEST_F(GatewayCallbacksTest, TheTenantNeverSeesACallbackToken) {
    const std::string end_url = "https://lms.example.org/ended?room=7";
    const std::string ready_url = "https://lms.example.org/ready";
    const auto encoded = createWith("seen", "&meta_endCallbackUrl=" + formEncode(end_url) +
                                                "&meta_bbb-recording-ready-url=" + formEncode(ready_url) +
                                                "&meetingEndedURL=" + formEncode("https://lms.example.org/gone"));
    const auto end_proxy = capturedMeta(encoded, "endcallbackurl");
    const auto ready_proxy = capturedMeta(encoded, "bbb-recording-ready-url");
    ASSERT_NE(end_proxy.find(kProxyPath), std::string::npos) << "the backend holds proxy URLs";

    for (const auto& [call, query] :
         std::vector<std::pair<std::string, std::string>>{{"getMeetingInfo", "meetingID=seen"}, {"getMeetings", ""}}) {
        const auto r = cluster_->call(kKey, kSecret, call, query);
        ASSERT_TRUE(answered(r, "SUCCESS")) << r.body;
        EXPECT_EQ(r.body.find(kProxyPath), std::string::npos) << call << ": " << r.body;
        EXPECT_EQ(r.body.find(tokenOf(end_proxy)), std::string::npos) << call;
        const auto xml = xmlOf(r);
        ASSERT_TRUE(xml);
        const auto* meeting = call == "getMeetings" ? xml->child("meetings")->child("meeting") : &*xml;
        ASSERT_NE(meeting, nullptr) << r.body;
        const auto* metadata = meeting->child("metadata");
        ASSERT_NE(metadata, nullptr) << r.body;
        EXPECT_EQ(metadata->childText("endcallbackurl"), end_url) << call << ": the tenant's own URL instead";
        EXPECT_EQ(metadata->childText("bbb-recording-ready-url"), ready_url) << call;
    }
    const auto admin = adminToken();
    const auto meetings = rest("/api/v1/meetings?frontend_key=tenant", admin);
    ASSERT_EQ(meetings.status, 200) << meetings.body;
    EXPECT_EQ(meetings.body.find(kProxyPath), std::string::npos) << meetings.body;

    // BBB copies the meta_ callbacks into the recording's metadata.xml as it holds them.
    const std::string record_id = "5d41402abc4b2a76b9719d911017c592aaf0e3b1-1700000000000";
    const std::string xml = "<?xml version=\"1.0\"?>\n<recording><id>" + record_id +
                            "</id><state>published</state><published>true</published><start_time>1700000000000"
                            "</start_time><end_time>1700000600000</end_time><participants>2</participants>"
                            "<meeting id=\"" +
                            record_id + "\" externalId=\"" + encoded +
                            "\" name=\"Cb\" breakout=\"false\"/><meta><isBreakout>false</isBreakout><meetingId>" +
                            encoded + "</meetingId><meetingName>Cb</meetingName><endcallbackurl>" + end_proxy +
                            "</endcallbackurl><bbb-recording-ready-url>" + ready_proxy +
                            "</bbb-recording-ready-url></meta><playback><format>presentation</format><link>"
                            "https://bbb1.example.org/playback/presentation/2.3/" +
                            record_id +
                            "</link><processing_time>5000</processing_time><duration>600000</duration></playback>"
                            "</recording>\n";
    dir_.write("inbox/presentation/" + record_id + "/metadata.xml", xml);
    dir_.write("inbox/presentation/" + record_id + "/index.html", "<html></html>");
    const auto imported = httpRequest("POST", "127.0.0.1", cluster_->port(), "/api/v1/recordings-import", xml,
                                      "application/xml", {{"Authorization", "Bearer " + admin}});
    ASSERT_EQ(imported.status, 200) << imported.body;
    const auto recordings = cluster_->call(kKey, kSecret, "getRecordings", "meetingID=seen");
    ASSERT_TRUE(answered(recordings, "SUCCESS")) << recordings.body;
    EXPECT_EQ(recordings.body.find(kProxyPath), std::string::npos) << recordings.body;
    const auto parsed = xmlOf(recordings);
    const auto* recording = parsed->child("recordings")->child("recording");
    ASSERT_NE(recording, nullptr) << recordings.body;
    EXPECT_EQ(recording->child("metadata")->childText("endcallbackurl"), end_url) << recordings.body;
    EXPECT_EQ(recording->child("metadata")->childText("bbb-recording-ready-url"), ready_url);
    const auto listed = rest("/api/v1/recordings?frontend_key=tenant", admin);
    ASSERT_EQ(listed.status, 200) << listed.body;
    EXPECT_EQ(listed.body.find(kProxyPath), std::string::npos) << listed.body;
    EXPECT_NE(listed.body.find(ready_url), std::string::npos) << listed.body;
}

TEST_F(GatewayCallbacksTest, ACapturedTokenReplayedDeliversOnceToItsOwnUrlOnly) {
    FrontendReceiver receiver;
    const auto encoded =
        createWith("replay", "&meta_endCallbackUrl=" + formEncode(receiver.url("/hook?url=safe&token=mine")));
    const auto proxy = capturedMeta(encoded, "endcallbackurl");
    ASSERT_FALSE(proxy.empty());
    const std::string hostile =
        "?url=" + formEncode("http://127.0.0.1:1/internal-admin") + "&extra=drop-me&token=stolen&recordingmarks=1";
    for (int i = 0; i < 5; ++i) {
        const auto r = cluster_->get(pathOf(proxy) + hostile);
        EXPECT_EQ(r.status, 200) << i << ": " << r.body;
    }
    ASSERT_TRUE(receiver.waitFor(1));
    EXPECT_FALSE(receiver.waitFor(2, std::chrono::seconds(2))) << "replays must deliver nothing";
    ASSERT_EQ(receiver.requests().size(), 1u);
    EXPECT_EQ(receiver.requests().front().target, "/hook?url=safe&token=mine")
        << "the URL's own parameters unchanged, nothing added";
}

TEST_F(GatewayCallbacksTest, ATokenIsForItsOwnMeetingAndKindOnly) {
    FrontendReceiver receiver;
    const auto a = createWith("a", "&meta_endCallbackUrl=" + formEncode(receiver.url("/a")) +
                                       "&meta_bbb-recording-ready-url=" + formEncode(receiver.url("/a-ready")));
    const auto b = createWith("b", "&meta_endCallbackUrl=" + formEncode(receiver.url("/b")));
    const auto a_end = capturedMeta(a, "endcallbackurl");
    const auto a_ready = capturedMeta(a, "bbb-recording-ready-url");
    for (const auto& query :
         std::vector<std::string>{"?meetingID=" + formEncode(b), "?meeting_id=" + formEncode(b), "?meetingID=b",
                                  "?meetingid=" + formEncode(b) + "&meetingID=" + formEncode(a)}) {
        const auto r = cluster_->get(pathOf(a_end) + query);
        EXPECT_EQ(r.status, 403) << query << ": " << r.body;
        EXPECT_NE(r.content_type.find("application/json"), std::string::npos);
    }
    // The recording-ready token cannot end a meeting, the meeting-ended one takes no POST.
    EXPECT_EQ(cluster_->get(pathOf(a_ready) + "?meetingID=" + formEncode(a)).status, 403);
    EXPECT_EQ(postRecordingReady(a_end, a, "r", cluster_->backend(0).secret()).status, 403);
    EXPECT_FALSE(receiver.waitFor(1, std::chrono::seconds(1)));

    // Its own meeting still goes through, once.
    EXPECT_EQ(cluster_->get(pathOf(a_end) + "?meetingID=" + formEncode(a)).status, 200);
    ASSERT_TRUE(receiver.waitFor(1));
    EXPECT_EQ(receiver.requests().front().target, "/a?meetingID=a");
}

TEST_F(GatewayCallbacksTest, ForgedTokensAndTokensOfOtherPurposesAreRefused) {
    FrontendReceiver receiver;
    const auto encoded = createWith("t1", "&meta_endCallbackUrl=" + formEncode(receiver.url("/ended")));
    const auto proxy = capturedMeta(encoded, "endcallbackurl");
    std::string tampered = pathOf(proxy);
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    auto r = cluster_->get(tampered);
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.content_type.find("application/json"), std::string::npos);

    const auto now = static_cast<std::int64_t>(std::time(nullptr));
    const auto callback_key = support::derivePurposeKey(kBaseJwtSecret, KeyPurpose::CallbackToken);
    const auto target = receiver.url("/forged");
    EXPECT_EQ(cluster_->get(forgedProxyPath(kBaseJwtSecret, target, encoded, now + 60)).status, 401)
        << "signed with the raw master secret";
    for (const auto purpose : {KeyPurpose::AdminToken, KeyPurpose::RetryJoinLink, KeyPurpose::RecordingLink}) {
        const auto key = support::derivePurposeKey(kBaseJwtSecret, purpose);
        EXPECT_EQ(cluster_->get(forgedProxyPath(key, target, encoded, now + 60)).status, 401)
            << support::toString(purpose);
    }
    EXPECT_EQ(cluster_->get(forgedProxyPath(callback_key, target, encoded, now - 1)).status, 401) << "expired";
    // The Go b3scale's tokens: no binding, no exp.
    Poco::JSON::Object go;
    go.set("sub", frontend_.id);
    go.set("aud", target);
    go.set("scope", "b3scale:callback");
    go.set("jti", "go");
    go.set("iat", now);
    for (const auto& key : {kBaseJwtSecret, callback_key})
        EXPECT_EQ(cluster_->get(std::string(kProxyPath) + support::signJwt(go, key, JwtAlgorithm::Hs384)).status, 401);
    EXPECT_FALSE(receiver.waitFor(1, std::chrono::seconds(1))) << "nothing forged is delivered";
    // The key itself works (this is what the refusals above are measured against).
    EXPECT_EQ(cluster_->get(forgedProxyPath(callback_key, target, encoded, now + 60)).status, 200);
    ASSERT_TRUE(receiver.waitFor(1));
    EXPECT_EQ(receiver.requests().front().target, "/forged");

    // Never logged: the token, the secrets.
    const auto log = cluster_->b3scaled().stderrText();
    EXPECT_EQ(log.find(kBaseJwtSecret), std::string::npos);
    EXPECT_EQ(log.find(tokenOf(proxy)), std::string::npos);
}

TEST_F(GatewayCallbacksTest, ACallbackTokenIsNoRestToken) {
    const auto encoded = createWith("rest", "&meta_endCallbackUrl=" + formEncode("https://lms.example.org/e"));
    const auto token = tokenOf(capturedMeta(encoded, "endcallbackurl"));
    ASSERT_FALSE(token.empty());
    for (const auto* path : {"/api/v1/meetings", "/api/v1/frontends", "/api/v1/backends", "/api/v1/recordings"}) {
        const auto r = rest(path, token);
        EXPECT_EQ(r.status, 401) << path << ": " << r.body;
    }
    EXPECT_EQ(rest("/api/v1/frontends", adminToken()).status, 200) << "the route itself works";
}

TEST_F(GatewayCallbacksTest, ACreateWithACallbackThatIsNoHttpUrlOrAnInternalAddressIsRefused) {
    // The last two: addresses the policy refuses (this fixture allows 127.0.0.1 only), refused
    // from the URL alone at create; names are judged on what they resolve to when connecting.
    for (const auto* url : {"ftp://lms.example.org/e", "javascript:alert(1)", "lms.example.org/e", "https://",
                            "http://169.254.169.254/latest/meta-data", "http://[::1]:8080/internal-admin"}) {
        for (const auto* param : {"meta_endCallbackUrl", "meetingEndedURL", "meta_bbb-recording-ready-url"}) {
            const auto r = cluster_->call(kKey, kSecret, "create",
                                          std::string("meetingID=bad&name=Bad&") + param + "=" + formEncode(url));
            EXPECT_TRUE(answered(r, "FAILED", "invalidCallbackUrl")) << param << "=" << url << ": " << r.body;
        }
    }
    EXPECT_FALSE(cluster_->backend(0).meeting(encodeMeetingId(kKey, "bad"))) << "nothing was created";
    EXPECT_FALSE(cluster_->store().findMeeting(frontend_.id, encodeMeetingId(kKey, "bad"))) << "nor placed";
}

class GatewayCallbackGraceTest : public GatewayCallbacksTest {
protected:
    void SetUp() override { start({{"B3SCALE_CALLBACK_GRACE", "2s"}}); }
};

TEST_F(GatewayCallbackGraceTest, TokensCountWhileTheirMeetingRunsAndForTheGraceAfterOnly) {
    FrontendReceiver receiver;
    const auto encoded = createWith("g", "&meta_bbb-recording-ready-url=" + formEncode(receiver.url("/ready")));
    const auto first = capturedMeta(encoded, "bbb-recording-ready-url");
    const auto secret = cluster_->backend(0).secret();
    EXPECT_EQ(postRecordingReady(first, encoded, "while-running", secret).status, 200);
    ASSERT_TRUE(answered(cluster_->call(kKey, kSecret, "end", "meetingID=g"), "SUCCESS"));
    EXPECT_EQ(postRecordingReady(first, encoded, "just-ended", secret).status, 200) << "within the grace";
    ASSERT_TRUE(receiver.waitFor(2));

    // The same id again: another incarnation with its own token.
    ASSERT_EQ(encoded, createWith("g", "&meta_bbb-recording-ready-url=" + formEncode(receiver.url("/ready"))));
    const auto second = capturedMeta(encoded, "bbb-recording-ready-url");
    ASSERT_NE(tokenOf(second), tokenOf(first));
    std::this_thread::sleep_for(std::chrono::milliseconds(2500));
    const auto late = postRecordingReady(first, encoded, "after-the-grace", secret);
    EXPECT_EQ(late.status, 401) << "the first incarnation ended more than the grace ago, though its id runs again: "
                                << late.body;
    EXPECT_EQ(postRecordingReady(second, encoded, "second-running", secret).status, 200) << "its own meeting runs";
    ASSERT_TRUE(receiver.waitFor(3));
    EXPECT_FALSE(receiver.waitFor(4, std::chrono::seconds(1)));
}

// BBB sends its meeting-ended callback once: a 503 while PostgreSQL restarts would lose it.
TEST(GatewayCallbacksOutageTest, ACallbackSentWhileTheDatabaseIsAwayReachesTheFrontendWhenItIsBack) {
    PgCluster pg;  // declared first: outlives the cluster's database on it
    GatewayClusterOptions options;
    options.backends = 1;
    options.pg_cluster_url = pg.url();
    options.callback_allow = {"127.0.0.1"};
    GatewayCluster cluster(options);
    cluster.addFrontend(kKey, kSecret);
    cluster.addAllBackends();
    cluster.start();
    FrontendReceiver receiver;
    ASSERT_TRUE(
        answered(cluster.call(kKey, kSecret, "create",
                              "meetingID=outage&name=Outage&meta_endCallbackUrl=" + formEncode(receiver.url("/ended"))),
                 "SUCCESS"));
    const auto encoded = encodeMeetingId(kKey, "outage");
    const auto meeting = cluster.backend(0).meeting(encoded);
    ASSERT_TRUE(meeting);
    const auto proxy = meeting->metadata.at("endcallbackurl");
    const auto path = proxy.substr(proxy.find("/api/v1/"));

    pg.stop();
    auto tampered = path;
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    EXPECT_EQ(cluster.get(tampered + "?meetingID=" + formEncode(encoded)).status, 401)
        << "a forged token is refused without the database";
    const auto sent = cluster.get(path + "?meetingID=" + formEncode(encoded));
    EXPECT_EQ(sent.status, 200) << sent.body;
    EXPECT_FALSE(receiver.waitFor(1, std::chrono::seconds(1))) << "nothing can be checked or queued yet";

    pg.start();
    ASSERT_TRUE(receiver.waitFor(1, std::chrono::seconds(20))) << cluster.b3scaled().stderrText();
    EXPECT_EQ(receiver.requests().front().target, "/ended?meetingID=outage");
    EXPECT_FALSE(receiver.waitFor(2, std::chrono::seconds(2))) << "once";
    EXPECT_NE(cluster.b3scaled().stderrText().find("callback_spooled"), std::string::npos);
}

}  // namespace
}  // namespace b3s::test
