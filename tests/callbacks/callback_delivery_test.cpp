// Callbacks to frontends through real b3scaled processes (PostgreSQL, fake BBB backends, real
// receivers on 127.0.0.1), the way a hostile tenant and an unlucky operator would meet them:
// a callback URL aimed at the operator's loopback admin endpoint is never called, not even
// when the backend's proxy call is replayed, nor through a name that resolves to loopback; a
// frontend whose URL never answers does not hold up another's; a callback queued before a
// kill -9 is delivered once after the restart; two instances deliver each of 200 callbacks
// exactly once; exhausted retries end as a dead letter the REST API and the metrics show
// and an operator can queue again; a URL's password is never logged.

#include "frontend_receiver.hpp"
#include "gateway_cluster.hpp"
#include "pg_test_database.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "fake_bbb/sign_query.hpp"
#include "util/system_clock.hpp"

#include <Poco/Base64Encoder.h>
#include <Poco/JSON/Array.h>
#include <Poco/JSON/Object.h>
#include <Poco/JSON/Parser.h>
#include <Poco/Net/ServerSocket.h>
#include <Poco/Net/StreamSocket.h>

#include <gtest/gtest.h>

#include <atomic>
#include <csignal>
#include <functional>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

namespace b3s::test {
namespace {

using core::bbb::encodeMeetingId;
using test::bbb::formEncode;
using namespace std::chrono_literals;

constexpr const char* kSecret = "callback-tenant-secret-0123456789abcdef";
constexpr const char* kOtherSecret = "callback-other-secret-0123456789abcdef";

/// A frontend endpoint that accepts connections and never says a word.
class SilentListener {
public:
    SilentListener() : socket_(Poco::Net::SocketAddress("127.0.0.1", 0)) {
        thread_ = std::thread([this] {
            while (!stop_) {
                if (!socket_.poll(Poco::Timespan(0, 50'000), Poco::Net::Socket::SELECT_READ)) continue;
                auto connection = socket_.acceptConnection();
                std::lock_guard lock(mutex_);
                held_.push_back(std::move(connection));
            }
        });
    }
    ~SilentListener() {
        stop_ = true;
        thread_.join();
    }
    std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port()) + path; }
    std::string allowEntry() const { return "127.0.0.1:" + std::to_string(port()); }
    int port() const { return socket_.address().port(); }
    std::size_t accepted() const {
        std::lock_guard lock(mutex_);
        return held_.size();
    }

private:
    Poco::Net::ServerSocket socket_;
    std::atomic<bool> stop_{false};
    mutable std::mutex mutex_;
    std::vector<Poco::Net::StreamSocket> held_;
    std::thread thread_;
};

bool eventually(const std::function<bool()>& done, std::chrono::milliseconds timeout = 15s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) return false;
        std::this_thread::sleep_for(100ms);
    }
    return true;
}

std::string base64(const std::string& text) {
    std::ostringstream out;
    Poco::Base64Encoder encoder(out);
    encoder << text;
    encoder.close();
    return out.str();
}

class CallbackDelivery : public ::testing::Test {
protected:
    /// A cluster with one backend and the frontends "tenant" and "other".
    void start(GatewayClusterOptions options) {
        options.backends = 1;
        cluster_ = std::make_unique<GatewayCluster>(options);
        tenant_id_ = cluster_->addFrontend("tenant", kSecret).id;
        cluster_->addFrontend("other", kOtherSecret);
        cluster_->addAllBackends();
        cluster_->start();
    }
    /// Creates `id` for `key` with `extra` parameters and returns what the backend got.
    bbb::MeetingInfo create(const std::string& key, const std::string& id, const std::string& extra) {
        const auto r = cluster_->call(key, key == "tenant" ? kSecret : kOtherSecret, "create",
                                      "meetingID=" + id + "&name=Cb" + extra);
        EXPECT_TRUE(answered(r, "SUCCESS")) << r.body;
        const auto meeting = cluster_->backend(0).meeting(encodeMeetingId(key, id));
        EXPECT_TRUE(meeting);
        return meeting.value_or(bbb::MeetingInfo{});
    }
    void end(const std::string& key, const std::string& id) {
        ASSERT_TRUE(answered(cluster_->call(key, key == "tenant" ? kSecret : kOtherSecret, "end", "meetingID=" + id),
                             "SUCCESS"));
    }
    static std::string pathOf(const std::string& url) { return url.substr(url.find("/api/v1/")); }
    HttpResult api(const std::string& method, const std::string& path, const std::string& token) const {
        std::map<std::string, std::string> headers;
        if (!token.empty()) headers["Authorization"] = "Bearer " + token;
        return httpRequest(method, "127.0.0.1", cluster_->port(), path, "", "", headers);
    }
    std::vector<core::store::OutboxCallback> stored(const std::string& state) {
        return cluster_->store().listCallbacks({state}, 1000);
    }
    /// Queues a GET of `url` for "tenant" straight into the outbox, as another instance's
    /// proxy would; instances find it at their next poll.
    void queue(const std::string& url) {
        core::store::OutboxCallback c;
        c.frontend_id = tenant_id_;
        c.url = url;
        c.next_attempt_at = clock_.nowMicros();
        ASSERT_TRUE(cluster_->store().insertCallback(c));
    }

    core::SystemClock clock_;
    std::string tenant_id_;
    std::unique_ptr<GatewayCluster> cluster_;
};

TEST_F(CallbackDelivery, LoopbackInternalAdminIsNeverCalledWhileAnAllowedReceiverIs) {
    FrontendReceiver internal_admin;  // what the operator runs on 127.0.0.1 and nobody else may call
    FrontendReceiver allowed;
    GatewayClusterOptions options;
    options.callback_allow = {allowed.allowEntry()};
    start(options);

    // First line: an address the policy refuses, written as an address, is refused at create.
    const auto refused = cluster_->call(
        "tenant", kSecret, "create",
        "meetingID=m1&name=Cb&meta_endCallbackUrl=" + formEncode(internal_admin.url("/internal-admin/wipe")));
    EXPECT_TRUE(answered(refused, "FAILED", "invalidCallbackUrl")) << refused.body;
    EXPECT_FALSE(cluster_->backend(0).meeting(encodeMeetingId("tenant", "m1"))) << "nothing was created";

    // Second line: a name that resolves to it ("localhost") passes the create and is refused
    // when connecting, whatever the attacker replays.
    const auto meeting =
        create("tenant", "m2",
               "&meta_endCallbackUrl=" +
                   formEncode("http://localhost:" + std::to_string(internal_admin.port()) + "/internal-admin/wipe") +
                   "&meetingEndedURL=" + formEncode(allowed.url("/ended")));
    const auto proxy = meeting.metadata.at("endcallbackurl");
    for (int i = 0; i < 5; ++i) EXPECT_EQ(cluster_->get(pathOf(proxy)).status, 200);
    end("tenant", "m2");

    ASSERT_TRUE(allowed.waitFor(1)) << cluster_->b3scaled().stderrText();
    EXPECT_EQ(allowed.requests().front().target.rfind("/ended", 0), 0u);
    // The replays and the real end callback are one callback (once per meeting and URL): one
    // dead letter at its first attempt.
    ASSERT_TRUE(eventually([&] {
        return stored("pending").empty() && stored("delivering").empty() && stored("dead").size() == 1;
    })) << stored("dead").size();
    for (const auto& dead : stored("dead")) {
        EXPECT_EQ(dead.last_error.value_or("").rfind("refused: ", 0), 0u) << dead.last_error.value_or("");
        EXPECT_NE(dead.last_error.value_or("").find("loopback"), std::string::npos) << dead.last_error.value_or("");
        EXPECT_EQ(dead.attempts, 1) << "a refused callback is not retried";
    }
    EXPECT_EQ(internal_admin.requests().size(), 0u);
    EXPECT_NE(cluster_->b3scaled().stderrText().find("\"callback_refused\""), std::string::npos);
}

TEST_F(CallbackDelivery, AFrontendThatNeverAnswersDoesNotHoldUpAnother) {
    SilentListener silent;
    FrontendReceiver fast;
    GatewayClusterOptions options;
    options.callback_allow = {silent.allowEntry(), fast.allowEntry()};
    options.extra_env["B3SCALE_CALLBACK_TIMEOUT"] = "60s";  // its attempts hang all through the test
    start(options);

    // Ten callbacks of "tenant" to a URL that accepts and never answers.
    for (int i = 0; i < 10; ++i) queue(silent.url("/never?n=" + std::to_string(i)));
    ASSERT_TRUE(eventually([&] { return silent.accepted() >= 2; })) << cluster_->b3scaled().stderrText();

    create("other", "f1", "&meta_endCallbackUrl=" + formEncode(fast.url("/ended")));
    end("other", "f1");
    // While two attempts of "tenant" hang (and eight more wait behind them), the callback of
    // "other" goes out at once.
    EXPECT_TRUE(fast.waitFor(1, 5s)) << cluster_->b3scaled().stderrText();
    EXPECT_EQ(silent.accepted(), 2u) << "at most B3SCALE_CALLBACK_PER_FRONTEND (2) of one frontend at once";
    // The receiver answered before b3scaled recorded the delivery: wait for that record.
    EXPECT_TRUE(eventually([&] { return stored("delivered").size() == 1; }));
    EXPECT_EQ(stored("delivering").size(), 2u) << "the two attempts of \"tenant\" still hang";
}

TEST_F(CallbackDelivery, ACallbackQueuedBeforeAKillIsDeliveredOnceAfterTheRestart) {
    const int port = freePort();  // the frontend is down: nothing listens here yet
    GatewayClusterOptions options;
    options.callback_allow = {"127.0.0.1:" + std::to_string(port)};
    start(options);
    create("tenant", "r1", "&meta_endCallbackUrl=" + formEncode("http://127.0.0.1:" + std::to_string(port) + "/ended"));
    end("tenant", "r1");
    ASSERT_TRUE(eventually([&] {
        const auto pending = stored("pending");
        return pending.size() == 1 && pending.front().attempts == 1;
    })) << cluster_->b3scaled().stderrText();

    cluster_->b3scaled().signal(SIGKILL);
    ASSERT_TRUE(cluster_->b3scaled().wait());
    FrontendReceiver frontend(port);  // the frontend is back
    cluster_->start();
    ASSERT_TRUE(frontend.waitFor(1, 15s)) << cluster_->b3scaled().stderrText();
    EXPECT_FALSE(frontend.waitFor(2, 3s)) << "delivered twice";
    EXPECT_EQ(frontend.requests().front().target.rfind("/ended?meetingID=r1", 0), 0u)
        << frontend.requests().front().target;
    EXPECT_TRUE(eventually([&] { return stored("delivered").size() == 1; }));
}

// The database goes away while a delivery is on its way: its outcome is recorded once the
// database is back, within the claim, so the frontend gets the callback once, not again when
// the claim would have expired unrecorded.
TEST_F(CallbackDelivery, ADeliveryWhoseOutcomeMeetsADatabaseOutageIsNotRepeated) {
    PgCluster pg;  // declared first: outlives the cluster's database on it
    FrontendReceiver frontend;
    frontend.answerAfter(1500ms);  // the database stops while the frontend takes its time
    GatewayClusterOptions options;
    options.pg_cluster_url = pg.url();
    options.callback_allow = {frontend.allowEntry()};
    // A claim of 2 + 2 x 2 + 5 = 11 s: without the retries it would expire and deliver again.
    options.extra_env = {{"B3SCALE_CALLBACK_TIMEOUT", "2s"}};
    start(options);
    create("tenant", "outage", "&meta_endCallbackUrl=" + formEncode(frontend.url("/ended")));
    end("tenant", "outage");
    ASSERT_TRUE(frontend.waitFor(1, 15s)) << cluster_->b3scaled().stderrText();
    pg.stop();
    std::this_thread::sleep_for(3s);
    pg.start();
    EXPECT_FALSE(frontend.waitFor(2, 14s)) << "delivered again after the outage";
    EXPECT_TRUE(eventually([&] { return stored("delivered").size() == 1; })) << cluster_->b3scaled().stderrText();
}

TEST_F(CallbackDelivery, TwoInstancesDeliverEachOf200CallbacksExactlyOnce) {
    FrontendReceiver frontend;
    GatewayClusterOptions options;
    options.callback_allow = {frontend.allowEntry()};
    options.extra_env["B3SCALE_CALLBACK_PER_FRONTEND"] = "16";  // both instances claim at once
    start(options);
    const auto other = cluster_->startAnother();
    ASSERT_TRUE(other);
    // Queued as the proxies queue them; both instances find them at their next poll and
    // race for every one.
    constexpr int kCallbacks = 200;
    for (int i = 0; i < kCallbacks; ++i) queue(frontend.url("/cb?n=" + std::to_string(i)));
    ASSERT_TRUE(frontend.waitFor(kCallbacks, 60s)) << frontend.requests().size();
    EXPECT_FALSE(frontend.waitFor(kCallbacks + 1, 3s)) << "a callback was delivered twice";
    std::set<std::string> targets;
    for (const auto& r : frontend.requests()) targets.insert(r.target);
    EXPECT_EQ(targets.size(), static_cast<std::size_t>(kCallbacks));
    EXPECT_EQ(cluster_->store().countCallbacks().delivered, kCallbacks);
}

TEST_F(CallbackDelivery, ExhaustedRetriesEndAsADeadLetterShownInTheApiAndMetrics) {
    FrontendReceiver frontend;
    frontend.answerWith(500);
    GatewayClusterOptions options;
    options.callback_allow = {frontend.allowEntry()};
    options.extra_env["B3SCALE_CALLBACK_MAX_ATTEMPTS"] = "2";
    options.extra_env["B3SCALE_METRICS_PLUGIN"] = "prometheus";
    start(options);
    const std::string password = "pa55word-not-for-logs";
    const auto url = "http://hook:" + password + "@127.0.0.1:" + std::to_string(frontend.port()) + "/ended";
    create("tenant", "d1", "&meta_endCallbackUrl=" + formEncode(url));
    end("tenant", "d1");
    ASSERT_TRUE(frontend.waitFor(2, 15s)) << "the first attempt and one retry 2 s later";
    EXPECT_EQ(frontend.requests().front().authorization, "Basic " + base64("hook:" + password));

    Poco::JSON::Array::Ptr dead;
    ASSERT_TRUE(eventually([&] {
        const auto r = api("GET", "/api/v1/callbacks?state=dead", adminToken());
        if (r.status != 200) return false;
        dead = Poco::JSON::Parser().parse(r.body).extract<Poco::JSON::Array::Ptr>();
        return dead->size() == 1;
    }));
    const auto letter = dead->getObject(0);
    EXPECT_EQ(letter->getValue<std::string>("frontend_key"), "tenant");
    EXPECT_EQ(letter->getValue<std::string>("state"), "dead");
    EXPECT_EQ(letter->getValue<int>("attempts"), 2);
    EXPECT_EQ(letter->getValue<std::string>("url").rfind("http://***@127.0.0.1:", 0), 0u)
        << letter->getValue<std::string>("url");
    EXPECT_NE(letter->getValue<std::string>("last_error").find("HTTP 500"), std::string::npos);
    const auto pending = api("GET", "/api/v1/callbacks?state=pending,delivering", adminToken());
    EXPECT_EQ(Poco::JSON::Parser().parse(pending.body).extract<Poco::JSON::Array::Ptr>()->size(), 0u) << pending.body;
    EXPECT_EQ(api("GET", "/api/v1/callbacks?state=dead", "").status, 401);
    EXPECT_EQ(api("GET", "/api/v1/callbacks?state=gone", adminToken()).status, 400);
    EXPECT_FALSE(frontend.waitFor(3, 3s)) << "no attempt after the last one";

    std::string metrics;
    EXPECT_TRUE(eventually([&] {
        metrics = cluster_->get("/metrics").body;
        return metrics.find("b3scale_callbacks_queued{state=\"dead\"} 1") != std::string::npos;
    })) << metrics;
    EXPECT_NE(metrics.find("b3scale_callbacks_dead_lettered_total{frontend=\"tenant\"} 1"), std::string::npos);
    EXPECT_NE(metrics.find("b3scale_callbacks_retried_total{frontend=\"tenant\"} 1"), std::string::npos);

    // The operator queues it again once the frontend is fixed.
    frontend.answerWith(200);
    const auto id = letter->getValue<std::string>("id");
    const auto retried = api("POST", "/api/v1/callbacks/" + id + "/retry", adminToken());
    EXPECT_EQ(retried.status, 200) << retried.body;
    ASSERT_TRUE(frontend.waitFor(3, 10s));
    EXPECT_TRUE(eventually([&] { return stored("delivered").size() == 1; }));
    EXPECT_EQ(api("POST", "/api/v1/callbacks/" + id + "/retry", adminToken()).status, 409);

    const auto log = cluster_->b3scaled().stderrText();
    EXPECT_EQ(log.find(password), std::string::npos) << "a callback URL's password was logged";
    EXPECT_NE(log.find("\"callback_dead_lettered\""), std::string::npos);
}

}  // namespace
}  // namespace b3s::test
