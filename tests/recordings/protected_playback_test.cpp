// Protected playback end to end: a real b3scaled with the filesystem recordings plugin on
// temporary trees, and a real nginx serving the published tree with the shipped
// etc/nginx/b3scale-playback.conf locations (auth_request to b3scaled). Two tenants, each
// with a protected recording, plus an unprotected and an unpublished one. What a viewer
// notices: the link in getRecordings, the cookie it sets, which files nginx hands out with
// which cookie, and the page a bad link shows.

#include "gateway_cluster.hpp"
#include "manual_core_clock.hpp"
#include "recordings_itest_support.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "fakes/temp_dir.hpp"
#include "recordings/playback_tokens.hpp"
#include "util/system_clock.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace b3s::test::recordings {
namespace {

namespace fs = std::filesystem;
using core::bbb::encodeMeetingId;

constexpr const char* kKeyA = "uni-north";
constexpr const char* kSecretA = "uni-north-bbb-secret";
constexpr const char* kKeyB = "uni-south";
constexpr const char* kSecretB = "uni-south-bbb-secret";
constexpr const char* kCookieDomain = "b3s.test";
constexpr const char* kPlayerPage = "<html><body>bbb-playback 5.0</body></html>";

struct ListedFormat {
    std::string type;
    std::string url;
    std::size_t images = 0;
};

/// recordID → its formats, as a getRecordings answer lists them.
std::map<std::string, std::vector<ListedFormat>> listedFormats(const HttpResult& r) {
    std::map<std::string, std::vector<ListedFormat>> out;
    const auto xml = xmlOf(r);
    if (!xml) return out;
    const auto* recordings = xml->child("recordings");
    if (!recordings) return out;
    for (const auto* recording : recordings->childrenNamed("recording")) {
        auto& formats = out[recording->childText("recordID").value_or("")];
        const auto* playback = recording->child("playback");
        if (!playback) continue;
        for (const auto* format : playback->childrenNamed("format")) {
            ListedFormat f;
            f.type = format->childText("type").value_or("");
            f.url = format->childText("url").value_or("");
            if (const auto* preview = format->child("preview"))
                if (const auto* images = preview->child("images")) f.images = images->childrenNamed("image").size();
            formats.push_back(f);
        }
    }
    return out;
}

/// "name=value" of a Set-Cookie header.
std::pair<std::string, std::string> cookiePair(const std::string& set_cookie) {
    const auto pair = set_cookie.substr(0, set_cookie.find(';'));
    const auto eq = pair.find('=');
    return {pair.substr(0, eq), eq == std::string::npos ? "" : pair.substr(eq + 1)};
}

/// The path and query of an absolute URL.
std::string pathOf(const std::string& url) {
    const auto scheme = url.find("://");
    const auto slash = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
    return slash == std::string::npos ? "/" : url.substr(slash);
}

struct World {
    TempDir dir{"b3s-rec-playback"};
    std::unique_ptr<GatewayCluster> cluster;
    std::unique_ptr<NginxProcess> nginx;
    core::store::Frontend a;
    core::store::Frontend b;
    std::string protected_a = bbbRecordId(1);
    std::string protected_b = bbbRecordId(2);
    std::string open_a = bbbRecordId(3);
    std::string unpublished_a = bbbRecordId(4);
    int nginx_port = 0;
    std::string setup_error;  ///< why the world could not be built
    std::string skip_reason;  ///< why the tests cannot run here
};

class ProtectedPlaybackTest : public ::testing::Test {
protected:
    // The world is built by the first test's SetUp (not SetUpTestSuite, where a failed
    // start would only skip the tests) and shared by the suite: the tests only read it.
    static void build(World& w) {
        if (nginxBinary().empty()) {
            w.skip_reason = "nginx is not installed (Debian: apt-get install nginx-light)";
            return;
        }
        for (const char* sub : {"published", "unpublished", "inbox", "playroot/playback/presentation/2.3"})
            w.dir.mkdir(sub);
        w.dir.write("playroot/playback/presentation/2.3/index.html", kPlayerPage);
        w.nginx_port = freePort();

        GatewayClusterOptions options;
        options.backends = 1;
        options.extra_env = {
            {"B3SCALE_RECORDINGS_PUBLISHED_PATH", (w.dir / "published").string()},
            {"B3SCALE_RECORDINGS_UNPUBLISHED_PATH", (w.dir / "unpublished").string()},
            {"B3SCALE_RECORDINGS_INBOX_PATH", (w.dir / "inbox").string()},
            {"B3SCALE_RECORDINGS_INBOX_SCAN_INTERVAL", "0"},
            {"B3SCALE_RECORDINGS_PLAYBACK_HOST", "http://play.b3s.test:" + std::to_string(w.nginx_port)},
            {"B3SCALE_RECORDINGS_COOKIE_DOMAIN", kCookieDomain}};
        w.cluster = std::make_unique<GatewayCluster>(options);
        w.a = w.cluster->addFrontend(kKeyA, kSecretA);
        w.b = w.cluster->addFrontend(kKeyB, kSecretB);
        w.cluster->addAllBackends();
        w.cluster->start();
        if (!w.cluster->b3scaled().running()) {
            w.setup_error = "b3scaled did not start";
            return;
        }

        struct Planned {
            std::string id;
            const char* key;
            const char* meeting;
            const char* visibility;  ///< nullptr: as imported (published)
        };
        const std::vector<Planned> planned = {{w.protected_a, kKeyA, "physics-101", "protected"},
                                              {w.protected_b, kKeyB, "chemistry-201", "protected"},
                                              {w.open_a, kKeyA, "open-day", nullptr},
                                              {w.unpublished_a, kKeyA, "draft", "unpublished"}};
        for (const auto& p : planned) {
            MetadataSpec spec;
            spec.record_id = p.id;
            spec.meeting_id = encodeMeetingId(p.key, p.meeting);
            spec.name = p.meeting;
            writeFormat(w.dir / "inbox", spec, "<html>" + p.id + "</html>");
            const auto imported =
                http("POST", w.cluster->port(), "/api/v1/recordings-import",
                     {{"Authorization", "Bearer " + adminToken()}}, metadataXml(spec), "application/xml");
            if (imported.status != 200) {
                w.setup_error = "import of " + p.id + ": " + std::to_string(imported.status) + " " + imported.body;
                return;
            }
            if (!p.visibility) continue;
            const auto set =
                http("POST", w.cluster->port(), "/api/v1/recordings-visibility",
                     {{"Authorization", "Bearer " + adminToken()}},
                     R"({"record_id":")" + p.id + R"(","visibility":")" + p.visibility + R"("})", "application/json");
            if (set.status != 200) {
                w.setup_error = "visibility of " + p.id + ": " + std::to_string(set.status) + " " + set.body;
                return;
            }
        }
        // A stale copy of the unpublished recording left in the published tree (an operator's
        // rsync, a crashed move): nginx finds the file, b3scaled must still refuse it.
        w.dir.write("published/presentation/" + w.unpublished_a + "/index.html", "<html>planted</html>");

        w.nginx = std::make_unique<NginxProcess>(w.dir / "nginx", w.dir / "published", w.dir / "playroot",
                                                 w.cluster->port(), w.nginx_port);
        if (!w.nginx->ready()) w.setup_error = "nginx did not start:\n" + w.nginx->errorLog();
    }

    static void TearDownTestSuite() {
        delete world_;
        world_ = nullptr;
    }

    void SetUp() override {
        if (world_ == nullptr) {
            world_ = new World;
            try {
                build(*world_);
            } catch (const std::exception& e) {
                world_->setup_error = e.what();
            }
            if (HasFatalFailure() && world_->setup_error.empty()) world_->setup_error = "the cluster did not start";
        }
        if (!world_->skip_reason.empty()) GTEST_SKIP() << world_->skip_reason;
        ASSERT_TRUE(world_->setup_error.empty()) << world_->setup_error;
    }

    World& w() { return *world_; }

    HttpResult getRecordings(const char* key, const char* secret, const std::string& query = "") {
        return w().cluster->call(key, secret, "getRecordings", query);
    }

    /// The protected link getRecordings gives `key` for `record_id`'s presentation format.
    std::string linkFor(const char* key, const char* secret, const std::string& record_id) {
        auto formats = listedFormats(getRecordings(key, secret, "recordID=" + record_id));
        if (formats[record_id].empty()) return {};
        return formats[record_id].front().url;
    }

    /// Follows a link on b3scaled; returns the answer.
    Reply follow(const std::string& link) { return http("GET", w().cluster->port(), pathOf(link)); }

    /// "name=value" cookie that following `record_id`'s link sets.
    std::pair<std::string, std::string> cookieFor(const char* key, const char* secret, const std::string& record_id) {
        const auto reply = follow(linkFor(key, secret, record_id));
        const auto set = reply.all("set-cookie");
        if (set.size() != 1) return {};
        return cookiePair(set.front());
    }

    /// GET on the playback host (nginx), with an optional Cookie header.
    Reply playback(const std::string& path, const std::string& cookie = "") {
        std::map<std::string, std::string> headers = {{"Host", "play.b3s.test:" + std::to_string(w().nginx_port)}};
        if (!cookie.empty()) headers["Cookie"] = cookie;
        return http("GET", w().nginx_port, path, headers);
    }

    static std::string file(const std::string& record_id) { return "/presentation/" + record_id + "/index.html"; }
    static std::string page(const std::string& record_id) { return "<html>" + record_id + "</html>"; }

    /// b3scaled still answers (no crash, no hang).
    bool b3scaledAlive() { return w().cluster->b3scaled().running() && w().cluster->get("/readyz").status == 200; }

    static World* world_;
};

World* ProtectedPlaybackTest::world_ = nullptr;

TEST_F(ProtectedPlaybackTest, GetRecordingsListsProtectedFormatsAsLinksToB3scaledWithoutThumbnails) {
    const std::string api = "http://127.0.0.1:" + std::to_string(w().cluster->port());
    auto listed = listedFormats(getRecordings(kKeyA, kSecretA));
    ASSERT_EQ(listed.size(), 3u) << "the tenant's own three recordings, the other tenant's not";
    ASSERT_EQ(listed[w().protected_a].size(), 1u);
    const auto& prot = listed[w().protected_a].front();
    EXPECT_EQ(prot.type, "presentation");
    EXPECT_EQ(prot.url.rfind(api + "/api/v1/protected/recordings/", 0), 0u) << prot.url;
    EXPECT_EQ(prot.images, 0u) << "a protected recording's slides must not leak as thumbnails";

    ASSERT_EQ(listed[w().open_a].size(), 1u);
    const auto& open = listed[w().open_a].front();
    EXPECT_EQ(open.url,
              "http://play.b3s.test:" + std::to_string(w().nginx_port) + "/playback/presentation/2.3/" + w().open_a)
        << "an unprotected recording plays straight from the playback host";
    EXPECT_EQ(open.images, 1u) << "an unprotected recording keeps its thumbnail";

    listed = listedFormats(getRecordings(kKeyB, kSecretB));
    ASSERT_EQ(listed.size(), 1u);
    EXPECT_EQ(listed[w().protected_b].front().url.rfind(api + "/api/v1/protected/recordings/", 0), 0u);

    // Every getRecordings hands out fresh links; each one works.
    const auto again = linkFor(kKeyA, kSecretA, w().protected_a);
    EXPECT_EQ(follow(again).status, 302);
}

TEST_F(ProtectedPlaybackTest, FollowingALinkSetsThatRecordingsCookieAndRedirectsToThePlaybackHost) {
    const auto reply = follow(linkFor(kKeyA, kSecretA, w().protected_a));
    ASSERT_EQ(reply.status, 302) << reply.body;
    EXPECT_EQ(reply.header("location"), "http://play.b3s.test:" + std::to_string(w().nginx_port) +
                                            "/playback/presentation/2.3/" + w().protected_a);
    const auto cookies = reply.all("set-cookie");
    ASSERT_EQ(cookies.size(), 1u);
    const auto& cookie = cookies.front();
    EXPECT_EQ(cookie.rfind("b3s_rec_" + w().protected_a + "=", 0), 0u) << cookie;
    EXPECT_NE(cookie.find("; HttpOnly"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("; Domain=b3s.test"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("; Path=/"), std::string::npos) << cookie;
    EXPECT_NE(cookie.find("SameSite=Lax"), std::string::npos) << cookie;
    EXPECT_EQ(cookie.find("Secure"), std::string::npos) << "plain http API: a Secure cookie would never be sent";
    EXPECT_EQ(reply.header("referrer-policy"), "no-referrer");
    EXPECT_NE(reply.header("cache-control").find("no-store"), std::string::npos);

    // The browser, redirected with its cookie, gets the player and then the recording.
    const auto [name, value] = cookiePair(cookie);
    const auto player = playback(pathOf(reply.header("location")), name + "=" + value);
    EXPECT_EQ(player.status, 200);
    EXPECT_EQ(player.body, kPlayerPage);
}

TEST_F(ProtectedPlaybackTest, NginxServesAProtectedRecordingOnlyWithItsOwnValidCookie) {
    const auto [name_a, value_a] = cookieFor(kKeyA, kSecretA, w().protected_a);
    const auto [name_b, value_b] = cookieFor(kKeyB, kSecretB, w().protected_b);
    ASSERT_FALSE(value_a.empty());
    ASSERT_FALSE(value_b.empty());
    ASSERT_EQ(name_a, "b3s_rec_" + w().protected_a);

    EXPECT_EQ(playback(file(w().protected_a)).status, 403) << "no cookie";
    EXPECT_EQ(playback("/playback/presentation/2.3/" + w().protected_a).status, 403) << "the player path too";
    EXPECT_EQ(playback("/presentation/" + w().protected_a + "/" + thumbnailRelativePath()).status, 403)
        << "nor its slides";

    auto ok = playback(file(w().protected_a), name_a + "=" + value_a);
    EXPECT_EQ(ok.status, 200);
    EXPECT_EQ(ok.body, page(w().protected_a));
    ok = playback("/presentation/" + w().protected_a + "/" + thumbnailRelativePath(),
                  "other=1; " + name_a + "=" + value_a + "; theme=dark");
    EXPECT_EQ(ok.status, 200) << "among the browser's other cookies";
    EXPECT_EQ(ok.body, thumbnailBytes());

    // The other tenant's cookie, as is and renamed to this recording's name.
    EXPECT_EQ(playback(file(w().protected_a), name_b + "=" + value_b).status, 403);
    EXPECT_EQ(playback(file(w().protected_a), name_a + "=" + value_b).status, 403);
    // And this tenant's cookie does not open the other tenant's recording.
    EXPECT_EQ(playback(file(w().protected_b), name_b + "=" + value_a).status, 403);
    EXPECT_EQ(playback(file(w().protected_b), name_b + "=" + value_b).status, 200);

    // Tampered: one character of the MAC changed; the expiry pushed into the future.
    auto tampered = value_a;
    tampered.back() = tampered.back() == 'A' ? 'B' : 'A';
    EXPECT_EQ(playback(file(w().protected_a), name_a + "=" + tampered).status, 403);
    const auto dot = value_a.find('.');
    ASSERT_NE(dot, std::string::npos) << value_a;
    EXPECT_EQ(playback(file(w().protected_a), name_a + "=" + "9999999999" + value_a.substr(dot)).status, 403);
    EXPECT_EQ(playback(file(w().protected_a), name_a + "=").status, 403);
    EXPECT_EQ(playback(file(w().protected_a), name_a + "=garbage").status, 403);

    // Expired: a cookie b3scaled really issued (same secret), nine hours ago with an 8 h TTL.
    ManualCoreClock past;
    past.setMicros(core::SystemClock().nowMicros() - 9LL * 3600 * 1'000'000);
    const core::recordings::PlaybackTokens old_tokens(kBaseJwtSecret, past, 3600, 8 * 3600);
    const auto expired = old_tokens.cookieValue(w().a.id, w().protected_a);
    EXPECT_EQ(playback(file(w().protected_a), name_a + "=" + expired).status, 403);
    // The same recipe with a current clock is accepted: the test forges exactly what b3scaled issues.
    const core::SystemClock now;
    const core::recordings::PlaybackTokens current_tokens(kBaseJwtSecret, now, 3600, 8 * 3600);
    EXPECT_EQ(
        playback(file(w().protected_a), name_a + "=" + current_tokens.cookieValue(w().a.id, w().protected_a)).status,
        200);
    // Issued for the right recording but the wrong owner.
    EXPECT_EQ(
        playback(file(w().protected_a), name_a + "=" + current_tokens.cookieValue(w().b.id, w().protected_a)).status,
        403);
}

TEST_F(ProtectedPlaybackTest, NginxServesAnUnprotectedRecordingWithoutACookie) {
    auto r = playback(file(w().open_a));
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, page(w().open_a));
    r = playback("/presentation/" + w().open_a + "/" + thumbnailRelativePath());
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, thumbnailBytes());
    EXPECT_EQ(playback("/playback/presentation/2.3/" + w().open_a).body, kPlayerPage);
}

TEST_F(ProtectedPlaybackTest, NginxNeverServesUnpublishedOrUnknownRecordings) {
    ASSERT_TRUE(fs::exists(w().dir / "unpublished/presentation" / w().unpublished_a / "index.html"))
        << "the visibility change moved the files into the unpublished tree";
    EXPECT_EQ(playback(file(w().unpublished_a)).status, 403) << "the stale copy in the published tree";
    // Not even with a cookie b3scaled would issue for it.
    const core::SystemClock now;
    const core::recordings::PlaybackTokens tokens(kBaseJwtSecret, now, 3600, 8 * 3600);
    EXPECT_EQ(playback(file(w().unpublished_a),
                       "b3s_rec_" + w().unpublished_a + "=" + tokens.cookieValue(w().a.id, w().unpublished_a))
                  .status,
              403);
    // The unpublished tree has no location on the playback host.
    EXPECT_EQ(playback("/unpublished/presentation/" + w().unpublished_a + "/index.html").status, 404);

    // A record id b3scaled does not know, with a file there.
    const auto unknown = bbbRecordId(99);
    w().dir.write("published/presentation/" + unknown + "/index.html", "<html>unknown</html>");
    EXPECT_EQ(playback(file(unknown)).status, 403);
    EXPECT_EQ(playback("/presentation/" + bbbRecordId(98) + "/index.html").status, 403);

    // Anything else on the playback host is not a recording.
    EXPECT_EQ(playback("/").status, 404);
    EXPECT_EQ(playback("/api/v1/protected/recordings/auth").status, 404);
}

TEST_F(ProtectedPlaybackTest, BadLinksShowTheForbiddenPageAndSetNoCookie) {
    const core::SystemClock now;
    ManualCoreClock past;
    past.setMicros(now.nowMicros() - 2LL * 3600 * 1'000'000);
    const core::recordings::PlaybackTokens other_secret("not-the-cluster-secret-0123456789", now);
    const core::recordings::PlaybackTokens old_tokens(kBaseJwtSecret, past, 3600);
    const core::recordings::PlaybackTokens tokens(kBaseJwtSecret, now, 3600);
    const std::string base = "/api/v1/protected/recordings/";

    const std::map<std::string, std::string> bad = {
        {"signed with another secret", base + other_secret.linkToken(w().a.id, w().protected_a, "presentation")},
        {"expired an hour ago", base + old_tokens.linkToken(w().a.id, w().protected_a, "presentation")},
        {"for another frontend's recording", base + tokens.linkToken(w().a.id, w().protected_b, "presentation")},
        {"an API token", base + adminToken()},
        {"garbage", base + "not-a-token"},
        {"a truncated link", pathOf(linkFor(kKeyA, kSecretA, w().protected_a)).substr(0, 60)},
    };
    for (const auto& [what, target] : bad) {
        const auto reply = http("GET", w().cluster->port(), target);
        EXPECT_EQ(reply.status, 403) << what << ": " << reply.body;
        EXPECT_EQ(reply.header("content-type").rfind("text/html", 0), 0u) << what;
        EXPECT_NE(reply.body.find("You are not allowed to access this recording."), std::string::npos) << what;
        EXPECT_TRUE(reply.all("set-cookie").empty()) << what;
    }
    // The genuine link of the same recording works (the forged ones were refused for their flaw).
    EXPECT_EQ(
        http("GET", w().cluster->port(), base + tokens.linkToken(w().a.id, w().protected_a, "presentation")).status,
        302);
    // A link to a format the recording does not have.
    const auto missing = http("GET", w().cluster->port(), base + tokens.linkToken(w().a.id, w().protected_a, "video"));
    EXPECT_EQ(missing.status, 404) << missing.body;
    EXPECT_TRUE(missing.all("set-cookie").empty());
    EXPECT_TRUE(b3scaledAlive());
}

TEST_F(ProtectedPlaybackTest, PathTricksThroughNginxDoNotOpenAProtectedRecording) {
    const auto& prot = w().protected_a;
    const auto& open = w().open_a;
    // nginx resolves the dot segments and serves the protected file; b3scaled must judge that
    // file, not the unprotected recording named first in the raw request line.
    auto r = playback("/presentation/" + open + "/../" + prot + "/index.html");
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_NE(r.body, page(prot));
    r = playback("/presentation/" + open + "/./../" + prot + "/index.html");
    EXPECT_EQ(r.status, 403) << r.body;
    // Percent-encoded characters in the record id: nginx decodes them, b3scaled must too.
    char escaped[4];
    std::snprintf(escaped, sizeof escaped, "%%%02X", static_cast<unsigned char>(prot[0]));
    r = playback("/presentation/" + std::string(escaped) + prot.substr(1) + "/index.html");
    EXPECT_EQ(r.status, 403) << r.body;
    EXPECT_NE(r.body, page(prot));
    r = playback("/presentation/" + prot.substr(0, prot.size() - 1) + "%" + std::to_string(30 + (prot.back() - '0')) +
                 "/index.html");  // last digit as %3N
    EXPECT_EQ(r.status, 403) << r.body;
    // Doubled slashes and a query naming another recording.
    r = playback("//presentation//" + prot + "//index.html");
    EXPECT_EQ(r.status, 403) << r.body;
    r = playback(file(prot) + "?/presentation/" + open + "/");
    EXPECT_EQ(r.status, 403) << r.body;
    // The unprotected recording itself, reached through dot segments, still plays.
    r = playback("/presentation/" + prot + "/../" + open + "/index.html");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.body, page(open));
}

TEST_F(ProtectedPlaybackTest, TheAuthEndpointAnswersHandWrittenPathsSensibly) {
    const int port = w().cluster->port();
    auto ask = [&](const std::string& resource_path, const std::string& cookie = "") {
        std::string request =
            "GET /api/v1/protected/recordings/auth HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "X-Resource-Path: " +
            resource_path + "\r\n";
        if (!cookie.empty()) request += "Cookie: " + cookie + "\r\n";
        request += "Connection: close\r\n\r\n";
        return rawExchange(port, request);
    };
    auto status = [](const std::string& answer) { return answer.substr(0, answer.find("\r\n")); };
    const auto& prot = w().protected_a;

    EXPECT_EQ(status(ask("/presentation/../../../etc/passwd")), "HTTP/1.1 403 Forbidden")
        << "resolves to /etc/passwd: a file of no recording b3scaled knows";
    EXPECT_EQ(status(ask("/favicon.ico")), "HTTP/1.1 200 OK") << "one segment: no recording's file";
    EXPECT_EQ(status(ask("/presentation/" + w().open_a + "/../" + prot + "/index.html")), "HTTP/1.1 403 Forbidden");
    EXPECT_EQ(status(ask("/presentation/" + prot + "/../../../../" + prot + "/x")), "HTTP/1.1 403 Forbidden");
    EXPECT_EQ(status(ask("/presentation/" + prot + "/index.html")), "HTTP/1.1 403 Forbidden");
    EXPECT_EQ(status(ask("/presentation/" + w().open_a + "/index.html")), "HTTP/1.1 200 OK");
    EXPECT_EQ(status(ask("/presentation/%zz/" + prot + "/%")), "HTTP/1.1 403 Forbidden");
    EXPECT_EQ(status(ask(std::string(2000, '/') + "..")), "HTTP/1.1 200 OK");
    EXPECT_EQ(status(ask(std::string(300, '.') + "/" + prot)), "HTTP/1.1 403 Forbidden");
    // Without the header at all, and with an empty one.
    const auto bare = rawExchange(
        port, "GET /api/v1/protected/recordings/auth HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    EXPECT_EQ(status(bare), "HTTP/1.1 200 OK");
    EXPECT_EQ(status(ask("")), "HTTP/1.1 200 OK");
    EXPECT_TRUE(b3scaledAlive());
}

TEST_F(ProtectedPlaybackTest, TheCookieDomainIsTheParentTheApiAndPlaybackHostsShare) {
    // A second instance on the same database, its API on api.b3s.test and no
    // B3SCALE_RECORDINGS_COOKIE_DOMAIN: the cookie goes to the shared parent, b3s.test.
    auto derived = w().cluster->startAnother(
        {{"B3SCALE_API_URL", "http://api.b3s.test:8443"}, {"B3SCALE_RECORDINGS_COOKIE_DOMAIN", ""}});
    ASSERT_TRUE(derived && derived->running());
    const auto listed = listedFormats(
        w().cluster->call(kKeyA, kSecretA, "getRecordings", "recordID=" + w().protected_a, derived.get()));
    ASSERT_EQ(listed.count(w().protected_a), 1u);
    const auto link = listed.at(w().protected_a).front().url;
    EXPECT_EQ(link.rfind("http://api.b3s.test:8443/api/v1/protected/recordings/", 0), 0u) << link;
    const auto reply = http("GET", derived->port(), pathOf(link));
    ASSERT_EQ(reply.status, 302) << reply.body;
    ASSERT_EQ(reply.all("set-cookie").size(), 1u);
    EXPECT_NE(reply.all("set-cookie").front().find("; Domain=b3s.test;"), std::string::npos)
        << reply.all("set-cookie").front();
    // The cookie it sets opens the recording through nginx (which asks the first instance).
    const auto [name, value] = cookiePair(reply.all("set-cookie").front());
    EXPECT_EQ(playback(file(w().protected_a), name + "=" + value).status, 200);

    // API on 127.0.0.1, playback on play.b3s.test, no setting: no domain to share. The link
    // fails loudly (500, logged with a hint) rather than setting a cookie nginx never gets.
    auto none = w().cluster->startAnother({{"B3SCALE_RECORDINGS_COOKIE_DOMAIN", ""}});
    ASSERT_TRUE(none && none->running());
    const auto link2 =
        listedFormats(w().cluster->call(kKeyA, kSecretA, "getRecordings", "recordID=" + w().protected_a, none.get()))
            .at(w().protected_a)
            .front()
            .url;
    const auto failed = http("GET", none->port(), pathOf(link2));
    EXPECT_EQ(failed.status, 500);
    EXPECT_TRUE(failed.all("set-cookie").empty());
    EXPECT_TRUE(
        eventually([&] { return none->stderrText().find("playback_cookie_domain_missing") != std::string::npos; },
                   std::chrono::seconds(3)));
}

// Imports accept any [A-Za-z0-9_-]{1,200} id (legacy or hand-made recordings, upper-case
// hex), not only BBB's shape: once protected, such a recording's files need the cookie too.
TEST_F(ProtectedPlaybackTest, AProtectedRecordingWhoseIdIsNotShapedLikeBbbsNeedsItsCookieToo) {
    for (const std::string id : {"Lecture_2019-intro", "5EED00AA000000000000000000000000000000B3-1700000000000"}) {
        MetadataSpec spec;
        spec.record_id = id;
        spec.meeting_id = encodeMeetingId(kKeyB, "legacy-" + id);
        writeFormat(w().dir / "inbox", spec, page(id));
        ASSERT_EQ(http("POST", w().cluster->port(), "/api/v1/recordings-import",
                       {{"Authorization", "Bearer " + adminToken()}}, metadataXml(spec), "application/xml")
                      .status,
                  200);
        ASSERT_EQ(http("POST", w().cluster->port(), "/api/v1/recordings-visibility",
                       {{"Authorization", "Bearer " + adminToken()}},
                       R"({"record_id":")" + id + R"(","visibility":"protected"})", "application/json")
                      .status,
                  200);
        const auto r = playback(file(id));
        EXPECT_EQ(r.status, 403) << id;
        EXPECT_NE(r.body, page(id)) << id;
        // Leave the shared world as it was.
        EXPECT_TRUE(answered(w().cluster->call(kKeyB, kSecretB, "deleteRecordings", "recordID=" + id), "SUCCESS"));
    }
}

}  // namespace
}  // namespace b3s::test::recordings
