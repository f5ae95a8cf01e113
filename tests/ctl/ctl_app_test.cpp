// b3scalectl in-process against a scripted API: what it sends, what it prints, its exit codes.
#include "ctl_app.hpp"
#include "access_tokens.hpp"
#include "ctl_error.hpp"
#include "stub_api_server.hpp"
#include "time_text.hpp"
#include "token_cache.hpp"

#include <b3s/support/hmac_jwt.hpp>
#include <b3s/support/purpose_keys.hpp>
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <ctime>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

namespace b3s::ctl {
namespace {

using test::StubApiServer;
using test::StubReply;
using test::StubRequest;

constexpr const char* kSecret = "shared-secret-for-the-ctl-tests-0123456789";
constexpr const char* kWrongSecret = "a-wrong-secret-but-long-enough-0123456789";

// b3scaled checks API tokens with this key, derived from kSecret.
const std::string& adminKey() {
    static const std::string key = support::derivePurposeKey(kSecret, support::KeyPurpose::AdminToken);
    return key;
}

std::int64_t nowSeconds() {
    return static_cast<std::int64_t>(std::time(nullptr));
}

// Whether b3scaled (with kSecret) would take `token` at `now_s`.
bool genuine(const std::string& token, std::int64_t now_s = nowSeconds()) {
    return support::verifyJwt(token, adminKey(), {support::JwtAlgorithm::Hs384}, now_s).valid();
}

struct Result {
    int code = -1;
    std::string out;
    std::string err;
};

class Ctl {
public:
    Ctl() : home_("b3s-ctl-home") { env_["HOME"] = home_.path().string(); }
    std::map<std::string, std::string>& env() { return env_; }
    const b3s::test::TempDir& home() const { return home_; }

    /// Runs with a fixed wall clock (seconds since the epoch) from now on.
    void at(std::int64_t now_s) { now_s_ = now_s; }

    Result run(const std::vector<std::string>& args, const std::string& input = "") {
        std::istringstream in(input);
        std::ostringstream out;
        std::ostringstream err;
        auto env = env_;
        const auto now_s = now_s_;
        CtlApp app(
            {in, -1, out, err},
            [env](const std::string& name) -> std::optional<std::string> {
                const auto it = env.find(name);
                if (it == env.end() || it->second.empty()) return std::nullopt;
                return it->second;
            },
            [now_s] { return now_s ? WallClock::time_point(std::chrono::seconds(*now_s)) : WallClock::now(); });
        Result r;
        r.code = app.run(args);
        r.out = out.str();
        r.err = err.str();
        return r;
    }

private:
    b3s::test::TempDir home_;
    std::map<std::string, std::string> env_;
    std::optional<std::int64_t> now_s_;
};

int lines(const std::string& text) {
    return static_cast<int>(std::count(text.begin(), text.end(), '\n'));
}

const std::string kStatus =
    R"({"version":"0.1.0","build":"abc1234","api":"v1","account_ref":"b3scalectl","is_admin":true,
        "database":{"available":true,"database":"b3scale","migrated":true,
        "migration":{"applied_at":"2025-01-01T10:00:00Z","description":"initial tables","version":1},
        "pending_migrations":0,"error":null}})";

std::string backendJson(const std::string& id, const std::string& host, const std::string& secret,
                        const std::string& admin_state = "ready", const std::string& node_state = "ready") {
    return R"({"id":")" + id + R"(","node_state":")" + node_state + R"(","admin_state":")" + admin_state +
           R"(","agent_heartbeat":"2000-01-01T00:00:00Z","agent_ref":null,"last_error":null,"latency":0,)"
           R"("meetings_count":0,"attendees_count":0,"load_factor":1.0,"bbb":{"host":")" +
           host + R"(","secret":")" + secret +
           R"("},"settings":{"tags":null},"created_at":"2025-01-01T10:00:00Z","updated_at":"0001-01-01T00:00:00Z",)"
           R"("synced_at":"0001-01-01T00:00:00Z"})";
}

std::string frontendJson(const std::string& id, const std::string& key, const std::string& secret, bool active = true) {
    return R"({"id":")" + id + R"(","active":)" + (active ? "true" : "false") + R"(,"bbb":{"key":")" + key +
           R"(","secret":")" + secret +
           R"("},"settings":{},"account_ref":null,"created_at":"2025-01-01T10:00:00Z",)"
           R"("updated_at":"0001-01-01T00:00:00Z"})";
}

/// An API that knows one backend (b1 at bbb1) and one frontend (f1 = gl); everything else is
/// answered with what the test expects to be sent.
StubReply smallCluster(const StubRequest& r) {
    if (r.path == "/api/v1") return {200, kStatus};
    if (r.method == "GET" && r.path == "/api/v1/backends") {
        if (r.query.find("bbb1") != std::string::npos || r.query.empty())
            return {200, "[" + backendJson("b1", "https://bbb1.example.org/bigbluebutton/api/", "s1") + "]"};
        return {200, "[]"};
    }
    if (r.path == "/api/v1/backends/b1")
        return {200, backendJson("b1", "https://bbb1.example.org/bigbluebutton/api/", "s1")};
    if (r.method == "POST" && r.path == "/api/v1/backends")
        return {200, backendJson("b2", "https://bbb2.example.org/bigbluebutton/api/", "s2")};
    if (r.method == "GET" && r.path == "/api/v1/frontends") {
        if (r.query == "key=gl" || r.query.empty()) return {200, "[" + frontendJson("f1", "gl", "fs") + "]"};
        return {200, "[]"};
    }
    if (r.path == "/api/v1/frontends/f1") return {200, frontendJson("f1", "gl", "fs")};
    if (r.method == "POST" && r.path == "/api/v1/frontends") return {200, frontendJson("f2", "moodle", "ms")};
    return {404, R"({"error":"not_found","message":"Not Found"})"};
}

class CtlAgainstStub : public ::testing::Test {
protected:
    CtlAgainstStub() : api_(smallCluster) {
        ctl_.env()["B3SCALE_API_URL"] = api_.url();
        ctl_.env()["B3SCALE_API_ACCESS_TOKEN"] = mintAdminToken(kSecret, 1);
    }
    StubApiServer api_;
    Ctl ctl_;
};

TEST(Ctl, EveryCommandHasHelp) {
    Ctl ctl;
    std::istringstream in;
    std::ostringstream sink;
    CtlApp app({in, -1, sink, sink}, [](const std::string&) { return std::nullopt; });
    std::vector<std::vector<std::string>> paths;
    std::function<void(const CommandSpec&, std::vector<std::string>)> walk = [&](const CommandSpec& c,
                                                                                 std::vector<std::string> path) {
        paths.push_back(path);
        for (const auto& sub : c.subcommands) {
            if (sub.hidden) continue;
            auto next = path;
            next.push_back(sub.name);
            walk(sub, next);
        }
    };
    walk(app.commands(), {});
    EXPECT_GE(paths.size(), 30u);
    for (const auto& path : paths) {
        for (const char* help : {"--help", "-h"}) {
            auto args = path;
            args.push_back(help);
            const auto r = ctl.run(args);
            std::string joined;
            for (const auto& w : path) joined += " " + w;
            EXPECT_EQ(r.code, 0) << joined;
            EXPECT_EQ(r.out.rfind("Usage: b3scalectl" + joined, 0), 0u) << joined << "\n" << r.out;
            EXPECT_EQ(r.err, "") << joined;
        }
    }
    const auto r = ctl.run({"help", "set", "backend"});
    EXPECT_EQ(r.code, 0);
    EXPECT_NE(r.out.find("/bigbluebutton/api gets it appended"), std::string::npos) << r.out;
}

TEST(Ctl, UsageErrorsAreOneLineAndExitTwo) {
    Ctl ctl;
    for (const auto& args : std::vector<std::vector<std::string>>{{"show"},
                                                                  {"show", "nothing"},
                                                                  {"show", "backend"},
                                                                  {"set", "backend", "no-url"},
                                                                  {"cm"},
                                                                  {"--api", "ftp://x", "show", "backends"},
                                                                  {"set", "frontend", "gl", "-j", "[1]"},
                                                                  {"auth", "create_access_token", "--sub", "x"},
                                                                  {"frobnicate"},
                                                                  {"show", "backends", "--bogus"}}) {
        const auto r = ctl.run(args);
        EXPECT_EQ(r.code, kExitUsage) << args[0];
        EXPECT_EQ(lines(r.err), 1) << r.err;
        EXPECT_EQ(r.err.rfind("usage error: ", 0), 0u) << r.err;
        EXPECT_NE(r.err.find("--help'"), std::string::npos) << r.err;
    }
}

TEST(Ctl, CreateAccessTokenPrintsOnlyTheTokenOnStdout) {
    Ctl ctl;
    const auto r = ctl.run(
        {"auth", "create_access_token", "--sub", "node42", "--scopes", "b3scale, b3scale:admin", "--secret", kSecret});
    ASSERT_EQ(r.code, 0) << r.err;
    ASSERT_EQ(lines(r.out), 1);
    const std::string token = r.out.substr(0, r.out.size() - 1);
    const auto check = support::verifyJwt(token, adminKey(), {support::JwtAlgorithm::Hs384}, nowSeconds());
    ASSERT_TRUE(check.valid()) << check.reason;
    EXPECT_EQ(check.claims->getValue<std::string>("scope"), "b3scale b3scale:admin");
    EXPECT_EQ(check.claims->getValue<std::string>("sub"), "node42");
    EXPECT_NE(r.err.find("** Creating access token **"), std::string::npos);
    EXPECT_EQ(r.err.find(kSecret), std::string::npos);
}

TEST(Ctl, SecretsComeFromTheEnvironmentOrStdin) {
    Ctl ctl;
    ctl.env()["B3SCALE_API_JWT_SECRET"] = kSecret;
    auto r = ctl.run({"auth", "authorize_node_agent", "--ref", "node-7"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(support::peekJwtClaims(r.out.substr(0, r.out.size() - 1))->getValue<std::string>("scope"),
              "b3scale:node");
    ctl.env().erase("B3SCALE_API_JWT_SECRET");
    r = ctl.run({"auth", "authorize_node_agent"}, std::string(kSecret) + "\n");
    ASSERT_EQ(r.code, 0) << r.err;
    const auto token = r.out.substr(0, r.out.size() - 1);
    EXPECT_TRUE(genuine(token));
    // The generated ref is on stderr (b3scale did not print it) and is the token's subject.
    std::smatch ref;
    ASSERT_TRUE(std::regex_search(r.err, ref, std::regex("Agent ref: ([a-z]+-[a-z]+-[a-z]+)\n"))) << r.err;
    EXPECT_EQ(support::peekJwtClaims(token)->getValue<std::string>("sub"), ref[1].str());

    r = ctl.run({"auth", "authorize_node_agent"}, "");
    EXPECT_EQ(r.code, kExitError);
    EXPECT_EQ(r.err,
              "error: no shared secret: none on stdin and B3SCALE_API_JWT_SECRET is not set (or set "
              "B3SCALE_API_ACCESS_TOKEN)\n");
}

TEST(Ctl, OpenApiDocumentNeedsNoServer) {
    Ctl ctl;
    const auto r = ctl.run({"--api", "http://127.0.0.1:1", "export-openapi-schema"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("{\n  \"", 0), 0u) << "indented for a person: " << r.out.substr(0, 200);
    EXPECT_NE(r.out.find("\n  \"openapi\": \"3."), std::string::npos) << r.out.substr(0, 200);
    EXPECT_NE(r.out.find("\"/backends/{id}\""), std::string::npos);
    EXPECT_EQ(r.err, "");
}

TEST(Ctl, UnreachableApiIsOneLine) {
    Ctl ctl;
    ctl.env()["B3SCALE_API_ACCESS_TOKEN"] = "x.y.z";
    const auto r = ctl.run({"--api", "http://127.0.0.1:1", "show", "backends"});
    EXPECT_EQ(r.code, kExitError);
    EXPECT_EQ(r.err, "error: cannot reach b3scaled at http://127.0.0.1:1: connection refused\n");
    EXPECT_EQ(r.out, "");
}

TEST(Ctl, FirstUseMintsChecksAndCachesAnAdminToken) {
    std::string seen_token;
    StubApiServer api([&](const StubRequest& r) -> StubReply {
        const std::string token = r.authorization.substr(std::string("Bearer ").size());
        if (!genuine(token)) return {401, R"({"error":"unauthorized","message":"invalid or expired jwt"})"};
        seen_token = token;
        if (r.path == "/api/v1") return {200, kStatus};
        return {200, "[]"};
    });
    Ctl ctl;
    ctl.env()["B3SCALE_API_URL"] = api.url();
    // A wrong secret: refused, nothing cached.
    auto r = ctl.run({"show", "backends"}, std::string(kWrongSecret) + "\n");
    EXPECT_EQ(r.code, kExitError);
    EXPECT_EQ(r.err, "error: b3scaled did not accept a token signed with this secret (401: invalid or expired jwt)\n");
    const auto cache = ctl.home() / ".config" / "b3scale" / tokenFileName(api.url());
    EXPECT_FALSE(std::filesystem::exists(cache));

    r = ctl.run({"show", "backends"}, std::string(kSecret) + "\n");
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "no backends\n");
    EXPECT_EQ(r.err, "");  // nobody at a terminal: no notes on stderr
    ASSERT_TRUE(std::filesystem::exists(cache));
    struct stat st {};
    ASSERT_EQ(::stat(cache.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    const auto claims = support::peekJwtClaims(seen_token);
    EXPECT_EQ(claims->getValue<std::string>("scope"), "b3scale:admin");
    EXPECT_EQ(claims->getValue<std::string>("sub"), "b3scalectl");
    EXPECT_EQ(claims->getValue<Poco::Int64>("exp") - claims->getValue<Poco::Int64>("iat"), 3600) << "an hour";

    // Later runs use the cache without asking.
    r = ctl.run({"show", "frontends"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.err, "");
}

// Symlinks planted in the cache directory, at the token file and at the name of its temporary
// file, point at files elsewhere: authorizing writes through neither.
TEST(Ctl, AuthorizingNeverWritesThroughPlantedSymlinks) {
    StubApiServer api([](const StubRequest& r) -> StubReply {
        if (!genuine(r.authorization.substr(std::string("Bearer ").size())))
            return {401, R"({"error":"unauthorized","message":"invalid or expired jwt"})"};
        return {200, kStatus};
    });
    Ctl ctl;
    ctl.env()["B3SCALE_API_URL"] = api.url();
    const auto dir = ctl.home().mkdir(".config/b3scale");
    const auto victim = ctl.home().write("victim/authorized_keys", "ssh-ed25519 AAAA victim\n");
    const auto cache = dir / tokenFileName(api.url());
    std::filesystem::create_symlink(victim, cache);
    std::filesystem::create_symlink(victim, cache.string() + ".tmp" + std::to_string(::getpid()));

    const auto r = ctl.run({"auth", "authorize"}, std::string(kSecret) + "\n");
    ASSERT_EQ(r.code, 0) << r.err;

    std::ifstream in(victim);
    EXPECT_EQ(std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()),
              "ssh-ed25519 AAAA victim\n");
    EXPECT_FALSE(std::filesystem::is_symlink(cache));
    struct stat st {};
    ASSERT_EQ(::lstat(cache.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    const auto cached = TokenCache(dir, api.url()).load();
    ASSERT_TRUE(cached);
    EXPECT_TRUE(genuine(*cached));
    for (const auto& request : api.requests())
        EXPECT_EQ(request.authorization.find("victim"), std::string::npos) << "the link was read as a token";
}

TEST(Ctl, ARefusedCachedTokenSaysHowToRecover) {
    StubApiServer api([](const StubRequest&) -> StubReply {
        return {401, R"({"error":"unauthorized","message":"invalid or expired jwt"})"};
    });
    Ctl ctl;
    ctl.env()["B3SCALE_API_URL"] = api.url();
    const TokenCache cache(ctl.home() / ".config" / "b3scale", api.url());
    cache.store(mintAdminToken(kWrongSecret, nowSeconds()));  // current, but b3scaled refuses it
    const auto r = ctl.run({"show", "backends"});
    EXPECT_EQ(r.code, kExitError);
    EXPECT_EQ(r.err,
              "error: the API refused the access token (401: invalid or expired jwt); run 'b3scalectl auth "
              "authorize' again (the cached token is " +
                  cache.path().string() + ")\n");
}

// b3scalectl's own token lives an hour. A cached one is reused while it has more than five
// minutes left; one that ran out (or is about to, or has no expiry at all) is minted again,
// unasked when B3SCALE_API_JWT_SECRET is set, else after asking for the secret.
TEST(Ctl, TheCachedOwnTokenIsMintedAgainWhenItRunsOut) {
    constexpr std::int64_t kNow = 1'900'000'000;
    std::atomic<std::int64_t> server_now{kNow};
    StubApiServer api([&](const StubRequest& r) -> StubReply {
        if (!genuine(r.authorization.substr(std::string("Bearer ").size()), server_now.load()))
            return {401, R"({"error":"unauthorized","message":"invalid or expired jwt"})"};
        if (r.path == "/api/v1") return {200, kStatus};
        return {200, "[]"};
    });
    Ctl ctl;
    ctl.env()["B3SCALE_API_URL"] = api.url();
    const TokenCache cache(ctl.home() / ".config" / "b3scale", api.url());
    const auto expOf = [](const std::string& token) {
        return support::peekJwtClaims(token)->getValue<Poco::Int64>("exp");
    };
    const auto lastBearer = [&] { return api.requests().back().authorization.substr(std::string("Bearer ").size()); };
    const auto at = [&](std::int64_t t) {
        ctl.at(t);
        server_now = t;
    };

    at(kNow);
    ASSERT_EQ(ctl.run({"show", "backends"}, std::string(kSecret) + "\n").code, 0);
    const auto first = cache.load();
    ASSERT_TRUE(first);
    EXPECT_EQ(expOf(*first), kNow + 3600);

    // Half an hour later: the same token, nothing asked.
    at(kNow + 1800);
    auto r = ctl.run({"show", "frontends"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(lastBearer(), *first);
    EXPECT_EQ(cache.load(), first);

    // A minute before its end, with the secret in the environment: a new one, unasked.
    ctl.env()["B3SCALE_API_JWT_SECRET"] = kSecret;
    at(kNow + 3540);
    r = ctl.run({"show", "frontends"});
    ASSERT_EQ(r.code, 0) << r.err;
    const auto second = cache.load();
    ASSERT_TRUE(second);
    EXPECT_NE(*second, *first);
    EXPECT_EQ(expOf(*second), kNow + 3540 + 3600);
    EXPECT_EQ(lastBearer(), *second);
    EXPECT_TRUE(genuine(*second, kNow + 3540));

    // Hours after its end, without the secret at hand: the status says so, a command asks.
    ctl.env().erase("B3SCALE_API_JWT_SECRET");
    at(kNow + 5 * 3600);
    r = ctl.run({});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("b3scalectl is not authorized: the access token for this host has expired."),
              std::string::npos)
        << r.out;
    r = ctl.run({"show", "backends"}, "");
    EXPECT_EQ(r.code, kExitError);
    EXPECT_NE(r.err.find("no shared secret"), std::string::npos) << r.err;
    r = ctl.run({"show", "backends"}, std::string(kSecret) + "\n");
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(expOf(*cache.load()), kNow + 5 * 3600 + 3600);

    // A cached token without expiry (what b3scalectl cached before its tokens expired) is
    // replaced, not used for ever.
    cache.store(mintAccessToken(kSecret, kAdminSubject, {kAdminScope}, kNow));
    ctl.env()["B3SCALE_API_JWT_SECRET"] = kSecret;
    r = ctl.run({"show", "backends"});
    ASSERT_EQ(r.code, 0) << r.err;
    ASSERT_TRUE(support::peekJwtClaims(*cache.load())->has("exp"));
    EXPECT_EQ(expOf(*cache.load()), kNow + 5 * 3600 + 3600);
    EXPECT_EQ(lastBearer(), *cache.load());
}

// `--expires-in` on the commands that print tokens for other tools: 30 days unless said
// otherwise, `never` for a token without `exp`.
TEST(Ctl, PrintedTokensExpireAfter30DaysUnlessToldOtherwise) {
    constexpr std::int64_t kNow = 1'900'000'000;
    Ctl ctl;
    ctl.at(kNow);
    ctl.env()["B3SCALE_API_JWT_SECRET"] = kSecret;
    struct Case {
        std::vector<std::string> flags;
        std::optional<std::int64_t> lifetime;
    };
    const std::vector<Case> cases = {
        {{}, 30 * 24 * 3600},
        {{"--expires-in", "90m"}, 90 * 60},
        {{"--expires-in=12h"}, 12 * 3600},
        {{"--expires-in", "30d"}, 30 * 24 * 3600},
        {{"--expires-in", "45s"}, 45},
        {{"--expires-in", "3650d"}, 3650LL * 24 * 3600},
        {{"--expires-in", "never"}, std::nullopt},
    };
    for (const auto& command : std::vector<std::vector<std::string>>{
             {"auth", "create_access_token", "--sub", "acct-9", "--scopes", "b3scale"},
             {"auth", "authorize_node_agent", "--ref", "node-9"}}) {
        for (const auto& c : cases) {
            auto args = command;
            args.insert(args.end(), c.flags.begin(), c.flags.end());
            SCOPED_TRACE(args[1] + (c.flags.empty() ? "" : " " + c.flags.back()));
            const auto r = ctl.run(args);
            ASSERT_EQ(r.code, 0) << r.err;
            ASSERT_EQ(lines(r.out), 1) << r.out;
            const std::string token = r.out.substr(0, r.out.size() - 1);
            EXPECT_TRUE(genuine(token, kNow));
            const auto claims = support::peekJwtClaims(token);
            EXPECT_EQ(claims->getValue<Poco::Int64>("iat"), kNow);
            if (c.lifetime) {
                EXPECT_EQ(claims->getValue<Poco::Int64>("exp"), kNow + *c.lifetime);
                EXPECT_FALSE(genuine(token, kNow + *c.lifetime + 60)) << "b3scaled refuses it once expired";
                EXPECT_NE(r.err.find("Expires: " +
                                     formatTimestamp(WallClock::time_point(std::chrono::seconds(kNow + *c.lifetime)))),
                          std::string::npos)
                    << r.err;
            } else {
                EXPECT_FALSE(claims->has("exp"));
                EXPECT_NE(r.err.find("Expires: never"), std::string::npos) << r.err;
            }
        }
    }
    const auto help = ctl.run({"auth", "create_access_token", "--help"});
    EXPECT_NE(help.out.find("--expires-in DURATION"), std::string::npos) << help.out;
    EXPECT_NE(help.out.find("default 30d"), std::string::npos) << help.out;
}

TEST(Ctl, ExpiresInRefusesWhatIsNotADurationBeforeAskingForTheSecret) {
    Ctl ctl;
    for (const std::string bad : {"", "30", "d", "0d", "-1h", "+1h", "1.5h", "1y", "12 h", " 12h", "12H", "Never",
                                  "never ", "3651d", "87601h", "99999999999999999999d"}) {
        SCOPED_TRACE("'" + bad + "'");
        for (const auto& command : std::vector<std::vector<std::string>>{
                 {"auth", "create_access_token", "--sub", "x", "--scopes", "b3scale", "--expires-in", bad},
                 {"auth", "authorize_node_agent", "--expires-in", bad}}) {
            const auto r = ctl.run(command, std::string(kSecret) + "\n");
            EXPECT_EQ(r.code, kExitUsage) << r.err;
            EXPECT_EQ(lines(r.err), 1) << r.err;
            EXPECT_EQ(r.err.rfind("usage error: --expires-in", 0), 0u) << r.err;
            EXPECT_NE(r.err.find("90m, 12h, 30d, or never"), std::string::npos) << r.err;
            EXPECT_EQ(r.out, "");
        }
    }
}

// b3scaled refuses to start with a secret under 32 bytes; b3scalectl says so instead of
// minting a token nothing would accept.
TEST(Ctl, AShortSecretIsRefusedWithTheRule) {
    const std::string sentence =
        "error: B3SCALE_API_JWT_SECRET is 5 bytes long; at least 32 are required (make one with `openssl rand -hex "
        "32`)\n";
    Ctl ctl;
    auto r = ctl.run({"auth", "create_access_token", "--sub", "x", "--scopes", "b3scale", "--secret", "short"});
    EXPECT_EQ(r.code, kExitError);
    EXPECT_EQ(r.err, sentence);
    EXPECT_EQ(r.out, "");
    ctl.env()["B3SCALE_API_JWT_SECRET"] = "short";
    r = ctl.run({"auth", "authorize_node_agent"});
    EXPECT_EQ(r.code, kExitError);
    EXPECT_EQ(r.err, sentence);
    ctl.env().erase("B3SCALE_API_JWT_SECRET");

    StubApiServer api([](const StubRequest&) -> StubReply { return {200, kStatus}; });
    ctl.env()["B3SCALE_API_URL"] = api.url();
    r = ctl.run({"show", "backends"}, "short\n");
    EXPECT_EQ(r.code, kExitError);
    EXPECT_EQ(r.err, sentence);
    EXPECT_TRUE(api.requests().empty()) << "no token was tried";
}

TEST_F(CtlAgainstStub, ShowJsonIsTheApisJsonReindented) {
    const auto r = ctl_.run({"show", "--json", "frontends"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("[\n  {\n    \"id\": \"f1\",\n    \"active\": true,", 0), 0u) << r.out;
    const auto again = ctl_.run({"show", "frontends", "--json"});
    EXPECT_EQ(again.out, r.out);
}

TEST_F(CtlAgainstStub, SetBackendCreatesWithOnePost) {
    const auto r = ctl_.run({"set", "backend", "-s", "s2", "-j", R"({"tags":["bbb_26"]})", "https://bbb2.example.org"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "created backend: b2 https://bbb2.example.org/bigbluebutton/api/\n");
    const auto writes = api_.writes();
    ASSERT_EQ(writes.size(), 1u);
    EXPECT_EQ(writes[0].path, "/api/v1/backends");
    EXPECT_EQ(
        writes[0].body,
        R"({"bbb":{"host":"https://bbb2.example.org/bigbluebutton/api/","secret":"s2"},"settings":{"tags":["bbb_26"]},"admin_state":"ready"})");
}

TEST_F(CtlAgainstStub, SetBackendWithoutSecretForANewHostFails) {
    const auto r = ctl_.run({"add", "backend", "https://bbb9.example.org"});
    EXPECT_EQ(r.code, kExitError);
    EXPECT_EQ(r.err, "error: need secret to create host (--secret)\n");
    EXPECT_TRUE(api_.writes().empty());
    // The secret may come from stdin instead of the command line.
    const auto piped = ctl_.run({"add", "backend", "https://bbb9.example.org"}, "from-stdin\n");
    EXPECT_EQ(piped.code, 0) << piped.err;
    ASSERT_EQ(api_.writes().size(), 1u);
    EXPECT_NE(api_.writes()[0].body.find(R"("secret":"from-stdin")"), std::string::npos);
}

TEST_F(CtlAgainstStub, SetBackendSendsSecretAndSettingsTogether) {
    const auto r = ctl_.run({"u", "backend", "--secret", "new", "-j", R"({"tags":null})", "https://bbb1.example.org"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "updated backend\n");
    const auto writes = api_.writes();
    ASSERT_EQ(writes.size(), 1u);
    EXPECT_EQ(writes[0].method, "PATCH");
    EXPECT_EQ(writes[0].path, "/api/v1/backends/b1");
    EXPECT_EQ(
        writes[0].body,
        R"({"bbb":{"host":"https://bbb1.example.org/bigbluebutton/api/","secret":"new"},"settings":{"tags":null}})");
}

TEST_F(CtlAgainstStub, NothingToChangeExits64) {
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"set", "backend", "https://bbb1.example.org/bigbluebutton/api/"},
                                               {"set", "backend", "--secret", "s1", "https://bbb1.example.org"},
                                               {"set", "frontend", "gl", "--secret", "fs"},
                                               {"enable", "backend", "https://bbb1.example.org"},
                                               {"start", "frontend", "gl"}}) {
        const auto r = ctl_.run(args);
        EXPECT_EQ(r.code, kExitNoChange) << args[0] << " " << args[1] << ": " << r.err;
        EXPECT_NE(r.out.find("no changes\n"), std::string::npos) << r.out;
    }
    EXPECT_TRUE(api_.writes().empty());
}

TEST_F(CtlAgainstStub, DryRunsChangeNothing) {
    for (const auto& args :
         std::vector<std::vector<std::string>>{{"set", "--dry", "backend", "-s", "x", "https://bbb7.example.org"},
                                               {"set", "backend", "--dry", "-s", "x", "https://bbb1.example.org"},
                                               {"rm", "--dry", "-f", "backend", "https://bbb1.example.org"},
                                               {"rm", "backend", "https://bbb1.example.org", "--dry"},
                                               {"disable", "--dry", "backend", "https://bbb1.example.org"},
                                               {"stop", "frontend", "gl", "--dry"},
                                               {"rm", "frontend", "gl", "--dry"}}) {
        const auto r = ctl_.run(args);
        EXPECT_EQ(r.code, 0) << r.err;
        EXPECT_NE(r.out.find("skip"), std::string::npos) << r.out;
    }
    EXPECT_TRUE(api_.writes().empty());
}

TEST_F(CtlAgainstStub, SetFrontendCreateIsOnePost) {
    const auto r = ctl_.run({"add", "frontend", "--secret", "ms", "-j", R"({"required_tags":["bbb_26"]})", "moodle"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "getting frontend: moodle\ncreating frontend\ncreated frontend: f2 moodle\n");
    const auto writes = api_.writes();
    ASSERT_EQ(writes.size(), 1u);  // b3scale followed with a redundant PATCH
    EXPECT_EQ(writes[0].body, R"({"bbb":{"key":"moodle","secret":"ms"},"settings":{"required_tags":["bbb_26"]}})");
}

TEST_F(CtlAgainstStub, SetFrontendUpdatesSettingsOnly) {
    const auto r = ctl_.run({"set", "frontend", "gl", "-j", R"({"create_default_params":{"welcome":""}})"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "getting frontend: gl\nupdated frontend\n");
    ASSERT_EQ(api_.writes().size(), 1u);
    EXPECT_EQ(api_.writes()[0].path, "/api/v1/frontends/f1");
    EXPECT_EQ(api_.writes()[0].body, R"({"settings":{"create_default_params":{"welcome":""}}})");
}

TEST_F(CtlAgainstStub, UnknownFrontendIsOneLine) {
    for (const auto& args : std::vector<std::vector<std::string>>{
             {"show", "frontend", "nope"}, {"rm", "frontend", "nope"}, {"enable", "frontend", "nope"}}) {
        const auto r = ctl_.run(args);
        EXPECT_EQ(r.code, kExitError);
        EXPECT_EQ(r.err, "error: frontend with key nope not found\n");
    }
    const auto r = ctl_.run({"show", "backend", "https://bbb9.example.org"});
    EXPECT_EQ(r.err, "error: backend not found: https://bbb9.example.org/bigbluebutton/api/\n");
}

TEST_F(CtlAgainstStub, DeleteBackendSaysWhatItDid) {
    auto r = ctl_.run({"rm", "-f", "backend", "https://bbb1.example.org"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "deleting backend\ndeleted backend: b1 https://bbb1.example.org/bigbluebutton/api/\n");
    ASSERT_EQ(api_.writes().size(), 1u);
    EXPECT_EQ(api_.writes()[0].method, "DELETE");
    EXPECT_EQ(api_.writes()[0].query, "force=true");

    r = ctl_.run({"delete", "backend", "https://bbb1.example.org"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "backend marked for decommissioning\n");
    ASSERT_EQ(api_.writes().size(), 2u);
    EXPECT_EQ(api_.writes()[1].query, "");
}

TEST_F(CtlAgainstStub, EnableAndDisableSendTheState) {
    auto r = ctl_.run({"disable", "backend", "https://bbb1.example.org"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "updated backend admin state\n");
    r = ctl_.run({"dis", "frontend", "gl"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "disable frontend: f1\n");
    const auto writes = api_.writes();
    ASSERT_EQ(writes.size(), 2u);
    EXPECT_EQ(writes[0].body, R"({"admin_state":"stopped"})");
    EXPECT_EQ(writes[1].body, R"({"active":false})");
}

TEST_F(CtlAgainstStub, ApiValidationErrorsAreOneLine) {
    StubApiServer api([](const StubRequest& r) -> StubReply {
        if (r.method == "GET") return {200, "[]"};
        return {400, R"({"error":"validation_error","message":"validation failed with input",
                         "fields":{"bbb.secret":["this field is required"]}})"};
    });
    ctl_.env()["B3SCALE_API_URL"] = api.url();
    const auto r = ctl_.run({"set", "backend", "--secret", " ", "https://bbb3.example.org"});
    EXPECT_EQ(r.code, kExitError);
    EXPECT_EQ(r.err,
              "error: validation failed with input: bbb.secret: this field is required (400 validation_error)\n");
}

TEST_F(CtlAgainstStub, DbMigrateReportsErrors) {
    StubApiServer api([](const StubRequest&) -> StubReply {
        return {500, R"({"error":"internal","message":"Internal Server Error"})"};
    });
    ctl_.env()["B3SCALE_API_URL"] = api.url();
    const auto r = ctl_.run({"db", "migrate"});
    EXPECT_EQ(r.code, kExitError);
    EXPECT_EQ(r.err, "error: Internal Server Error (500 internal)\n");
}

TEST_F(CtlAgainstStub, DbMigrateWithNothingPending) {
    const auto r = ctl_.run({"db", "migrate"});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out, "There are currently no migrations to apply.\nThe database is up to date.\n");
}

TEST_F(CtlAgainstStub, StatusWithoutACommand) {
    auto r = ctl_.run({});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_EQ(r.out.rfind("Usage: b3scalectl", 0), 0u);
    EXPECT_NE(r.out.find("b3scale @ " + api_.url()), std::string::npos) << r.out;
    ctl_.env().erase("B3SCALE_API_ACCESS_TOKEN");
    r = ctl_.run({});
    EXPECT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("b3scalectl is not authorized: An API access token for this host is not present."),
              std::string::npos);
}

TEST_F(CtlAgainstStub, CompletionOffersHostsAndKeys) {
    auto r = ctl_.run({"__complete", "show", "backend", "--", "https://bb"});
    EXPECT_EQ(r.out, "https://bbb1.example.org/bigbluebutton/api/\n");
    r = ctl_.run({"__complete", "create-meeting", "--frontend", "--", ""});
    EXPECT_EQ(r.out, "gl\n");
    r = ctl_.run({"show", "--generate-bash-completion"});
    EXPECT_NE(r.out.find("backends\n"), std::string::npos);
    r = ctl_.run({"completions", "bash"});
    EXPECT_NE(r.out.find("complete -o default -F _b3scalectl_complete b3scalectl"), std::string::npos);
    r = ctl_.run({"completions", "zsh"});
    EXPECT_NE(r.out.find("compdef _b3scalectl_complete b3scalectl"), std::string::npos);
}

}  // namespace
}  // namespace b3s::ctl
