// The real plugins, loaded from the build tree through the production PluginLoader.

#include "load_test_support.hpp"

#include <b3s/plugin/auth.hpp>
#include <b3s/plugin/balancer.hpp>
#include <b3s/plugin/metrics.hpp>
#include <b3s/plugin/recordings.hpp>
#include <b3scaled_process.hpp>
#include <manual_core_clock.hpp>
#include <temp_dir.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

namespace b3s::test {
namespace {

namespace fs = std::filesystem;
using core::plugin::PluginLoader;

constexpr const char* kSecret = "load-test-secret-0123456789abcdefgh";

// One environment under which every real plugin loads; recordings dirs live in `dirs`.
struct ValidSetup {
    TempDir dirs{"b3s-load-recordings"};
    core::config::Environment env;
    ManualCoreClock clock;

    ValidSetup()
        : env(environment({{"B3SCALE_API_JWT_SECRET", kSecret},
                           {"B3SCALE_RECORDINGS_PUBLISHED_PATH", dirs.mkdir("published").string()},
                           {"B3SCALE_RECORDINGS_UNPUBLISHED_PATH", dirs.mkdir("unpublished").string()}})) {}
};

std::string signHs384(const std::string& subject, const std::string& scope, std::int64_t exp) {
    return apiToken(subject, scope, exp, kSecret);
}

plugin::BackendCandidate backend(std::string id, int meetings, int attendees) {
    plugin::BackendCandidate b;
    b.id = std::move(id);
    b.meetings = meetings;
    b.attendees = attendees;
    return b;
}

TEST(RealPlugins, DescriptorsAreCheckedAndComplete) {
    struct Case {
        int line;
        std::string kind;
        std::string name;
        std::set<std::string> keys;
        std::set<std::string> secret_keys;
    };
    const std::vector<Case> cases = {
        {__LINE__, "balancer", "least_load", {"B3SCALE_BALANCER_CPU_LIMIT"}, {}},
        {__LINE__,
         "balancer",
         "reserved_seats",
         {"B3SCALE_BALANCER_RESERVED_SEATS", "B3SCALE_BALANCER_RESERVATION_DECAY", "B3SCALE_BALANCER_SEED"},
         {}},
        {__LINE__, "balancer", "round_robin", {}, {}},
        {__LINE__,
         "auth",
         "jwt",
         {"B3SCALE_API_JWT_SECRET", "B3SCALE_API_JWT_SECRET_PREVIOUS", "B3SCALE_AUTH_JWT_ALGORITHMS",
          "B3SCALE_AUTH_JWT_LEEWAY"},
         {"B3SCALE_API_JWT_SECRET", "B3SCALE_API_JWT_SECRET_PREVIOUS"}},
        {__LINE__, "metrics", "prometheus", {"B3SCALE_METRICS_PROMETHEUS_PROCESS"}, {}},
        {__LINE__,
         "recordings",
         "filesystem",
         {"B3SCALE_RECORDINGS_PUBLISHED_PATH", "B3SCALE_RECORDINGS_UNPUBLISHED_PATH", "B3SCALE_RECORDINGS_INBOX_PATH",
          "B3SCALE_RECORDINGS_DEFAULT_VISIBILITY", "B3SCALE_RECORDINGS_PLAYBACK_HOST",
          "B3SCALE_RECORDINGS_QUARANTINE_PATH", "B3SCALE_RECORDINGS_TEXT_TRACK_MAX_BYTES"},
         {}},
    };
    ValidSetup setup;
    PluginLoader loader(kPluginDir, setup.env, setup.clock);
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line) + ": " + c.kind + "/" + c.name);
        const fs::path file = kPluginDir / ("libb3s_" + c.kind + "_" + c.name + ".so");
        EXPECT_EQ(loader.pathFor(c.kind, c.name), file);
        {
            auto opened = loader.open(c.kind, c.name);
            ASSERT_NE(opened.descriptor, nullptr);
            const auto& d = *opened.descriptor;
            EXPECT_EQ(d.abi_version, plugin::kAbiVersion);
            EXPECT_STREQ(d.abi_hash, plugin::kAbiHash);
            EXPECT_STREQ(d.build_tag, B3S_BUILD_TAG);
            EXPECT_EQ(d.kind, c.kind);
            EXPECT_EQ(d.name, c.name);
            EXPECT_STREQ(d.version, "1.0.0");
            EXPECT_TRUE(d.thread_safe);
            std::set<std::string> keys, secrets;
            for (std::size_t i = 0; i < d.key_count; ++i) {
                keys.insert(d.keys[i].name);
                if (d.keys[i].secret) secrets.insert(d.keys[i].name);
                EXPECT_NE(d.keys[i].description, nullptr);
                EXPECT_GT(std::strlen(d.keys[i].description), 10u);
            }
            EXPECT_EQ(keys, c.keys);
            EXPECT_EQ(secrets, c.secret_keys);
            EXPECT_EQ(opened.path, file);
            EXPECT_TRUE(isMapped(file));
        }
        EXPECT_FALSE(isMapped(file)) << "an opened-but-unconstructed plugin must unmap when dropped";
    }
}

TEST(RealPlugins, LeastLoadPicksTheLighterBackend) {
    ValidSetup setup;
    PluginLoader loader(kPluginDir, setup.env, setup.clock);
    auto loaded = loader.load<plugin::BalancerStrategy>("least_load");
    EXPECT_EQ(loaded.kind, "balancer");
    EXPECT_EQ(loaded.name, "least_load");
    EXPECT_EQ(loaded.version, "1.0.0");
    std::vector<plugin::BackendCandidate> candidates = {backend("heavy", 10, 12), backend("light", 2, 20)};
    auto placement = loaded.object->choose({}, candidates);
    ASSERT_TRUE(placement.index.has_value());
    EXPECT_EQ(candidates[*placement.index].id, "light");
    candidates[1].enabled = false;
    EXPECT_EQ(candidates[*loaded.object->choose({}, candidates).index].id, "heavy");
}

TEST(RealPlugins, ReservedSeatsAvoidsAFreshlyFilledBackend) {
    ValidSetup setup;
    PluginLoader loader(kPluginDir, setup.env, setup.clock);
    auto loaded = loader.load<plugin::BalancerStrategy>("reserved_seats");
    EXPECT_EQ(loaded.name, "reserved_seats");
    EXPECT_EQ(loaded.version, "1.0.0");
    // "empty" looks idle, but three meetings were placed on it a second ago: 45 reserved seats.
    std::vector<plugin::BackendCandidate> candidates = {backend("empty", 0, 0), backend("busy", 1, 20)};
    candidates[0].recent_placements.assign(3, {setup.clock.nowMicros() - 1'000'000, 0});
    plugin::PlacementRequest request;
    request.now_us = setup.clock.nowMicros();
    auto placement = loaded.object->choose(request, candidates);
    ASSERT_TRUE(placement.index.has_value()) << placement.reason;
    EXPECT_EQ(candidates[*placement.index].id, "busy") << placement.reason;
    // Without the timestamp the plugin reads the injected clock: same answer.
    EXPECT_EQ(loaded.object->choose({}, candidates).index, placement.index);
    candidates[1].enabled = false;
    EXPECT_EQ(candidates[*loaded.object->choose(request, candidates).index].id, "empty");
}

TEST(RealPlugins, ReservedSeatsConfigReachesThePluginAndErrorsNameTheKey) {
    ManualCoreClock clock;
    {
        // With reservations off the idle-looking backend wins again.
        auto env = environment({{"B3SCALE_BALANCER_RESERVED_SEATS", "0"}, {"B3SCALE_BALANCER_SEED", "7"}});
        PluginLoader loader(kPluginDir, env, clock);
        auto loaded = loader.load<plugin::BalancerStrategy>("reserved_seats");
        std::vector<plugin::BackendCandidate> candidates = {backend("empty", 0, 0), backend("busy", 1, 20)};
        candidates[0].recent_placements.assign(3, {clock.nowMicros(), 0});
        EXPECT_EQ(candidates[*loaded.object->choose({}, candidates).index].id, "empty");
    }
    struct Case {
        int line;
        EnvMap env;
        std::string key;
        std::string detail;
    };
    const std::vector<Case> cases = {
        {__LINE__, {{"B3SCALE_BALANCER_RESERVED_SEATS", "-1"}}, "B3SCALE_BALANCER_RESERVED_SEATS", "0 to 10000"},
        {__LINE__, {{"B3SCALE_BALANCER_RESERVATION_DECAY", "0"}}, "B3SCALE_BALANCER_RESERVATION_DECAY", "1 to 86400"},
        {__LINE__, {{"B3SCALE_BALANCER_SEED", "lucky"}}, "B3SCALE_BALANCER_SEED", "'lucky'"},
        {__LINE__, {{"B3SCALE_BALANCER_RESERVED_SEAT", "15"}}, "B3SCALE_BALANCER_RESERVED_SEAT", "does not know"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        auto env = environment(c.env);
        PluginLoader loader(kPluginDir, env, clock);
        std::string message = loadErrorOf([&] { loader.load<plugin::BalancerStrategy>("reserved_seats"); });
        EXPECT_NE(message.find(c.key), std::string::npos) << message;
        EXPECT_NE(message.find(c.detail), std::string::npos) << message;
    }
}

TEST(RealPlugins, RoundRobinRotatesInIdOrder) {
    ValidSetup setup;
    PluginLoader loader(kPluginDir, setup.env, setup.clock);
    auto loaded = loader.load<plugin::BalancerStrategy>("round_robin");
    EXPECT_EQ(loaded.name, "round_robin");
    EXPECT_EQ(loaded.version, "1.0.0");
    std::vector<plugin::BackendCandidate> candidates = {backend("c", 0, 0), backend("a", 9, 900), backend("b", 1, 1)};
    std::vector<std::string> picked;
    for (int i = 0; i < 4; ++i) picked.push_back(candidates[*loaded.object->choose({}, candidates).index].id);
    EXPECT_EQ(picked, (std::vector<std::string>{"a", "b", "c", "a"}));
}

TEST(RealPlugins, JwtAuthorizesTokensWithTheInjectedClock) {
    ValidSetup setup;
    PluginLoader loader(kPluginDir, setup.env, setup.clock);
    auto loaded = loader.load<plugin::Authenticator>("jwt");
    const std::int64_t now = setup.clock.nowSeconds();
    using Outcome = plugin::AccessDecision::Outcome;

    auto valid = loaded.object->authorize(signHs384("b3scalectl", "b3scale:admin b3scale", now + 60),
                                          plugin::ApiAction::BackendsList);
    EXPECT_EQ(valid.outcome, Outcome::Allowed) << valid.reason;
    EXPECT_EQ(valid.subject, "b3scalectl");
    EXPECT_TRUE(valid.is_admin);
    EXPECT_EQ(valid.reach, plugin::AccessDecision::Reach::All);

    auto tenant = loaded.object->authorize(signHs384("acct", "b3scale", now + 60), plugin::ApiAction::BackendsList);
    EXPECT_EQ(tenant.outcome, Outcome::Forbidden) << tenant.reason;

    auto expired =
        loaded.object->authorize(signHs384("b3scalectl", "b3scale:admin", now - 31), plugin::ApiAction::Status);
    EXPECT_EQ(expired.outcome, Outcome::Unauthenticated) << expired.reason;

    auto garbage = loaded.object->authorize("not-a-token", plugin::ApiAction::Status);
    EXPECT_EQ(garbage.outcome, Outcome::Unauthenticated);
}

TEST(RealPlugins, PrometheusRendersProcessMetrics) {
    ValidSetup setup;
    PluginLoader loader(kPluginDir, setup.env, setup.clock);
    auto loaded = loader.load<plugin::MetricsSink>("prometheus");
    auto page = loaded.object->render();
    EXPECT_TRUE(page.available);
    EXPECT_EQ(page.content_type, "text/plain; version=0.0.4; charset=utf-8");
    EXPECT_NE(page.body.find("# TYPE process_resident_memory_bytes gauge\nprocess_resident_memory_bytes "),
              std::string::npos)
        << page.body;
}

TEST(RealPlugins, PrometheusProcessSwitchReachesThePlugin) {
    auto env = environment({{"B3SCALE_METRICS_PROMETHEUS_PROCESS", "no"}});
    ManualCoreClock clock;
    PluginLoader loader(kPluginDir, env, clock);
    EXPECT_EQ(loader.load<plugin::MetricsSink>("prometheus").object->render().body, "");
}

TEST(RealPlugins, FilesystemChecksItsDirectories) {
    ValidSetup setup;
    PluginLoader loader(kPluginDir, setup.env, setup.clock);
    auto loaded = loader.load<plugin::RecordingsStore>("filesystem");
    EXPECT_TRUE(loaded.object->enabled());
    EXPECT_TRUE(loaded.object->check().empty());
    fs::remove_all(setup.dirs / "unpublished");
    auto problems = loaded.object->check();
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].path, (setup.dirs / "unpublished").string());
}

TEST(RealPlugins, FilesystemMovesRecordingsThroughTheLoadedLibrary) {
    TempDir dirs{"b3s-load-recfs"};
    auto env = environment({{"B3SCALE_RECORDINGS_PUBLISHED_PATH", dirs.mkdir("published").string()},
                            {"B3SCALE_RECORDINGS_UNPUBLISHED_PATH", dirs.mkdir("unpublished").string()},
                            {"B3SCALE_RECORDINGS_INBOX_PATH", dirs.mkdir("inbox").string()},
                            {"B3SCALE_RECORDINGS_PLAYBACK_HOST", "https://play.example.com"}});
    ManualCoreClock clock;
    PluginLoader loader(kPluginDir, env, clock);
    auto loaded = loader.load<plugin::RecordingsStore>("filesystem");
    auto& store = *loaded.object;
    dirs.write("inbox/presentation/r1/metadata.xml", "<recording/>");
    auto waiting = store.listInbox(10);
    ASSERT_EQ(waiting.size(), 1u);
    EXPECT_EQ(waiting[0].metadata_xml, "<recording/>");
    ASSERT_TRUE(store.importFormat("r1", "presentation", true).ok());
    EXPECT_TRUE(fs::exists(dirs / "published/presentation/r1/metadata.xml"));
    EXPECT_EQ(store.importFormat("../r1", "presentation", true).failure, plugin::StorageFailure::InvalidName);
    ASSERT_TRUE(
        store.putTextTrack("r1", {"subtitles", "en", "English", "upload", ""}, "1\n00:00:01,000 --> 00:00:02,000\nHi\n")
            .ok());
    auto tracks = store.listTextTracks("r1");
    ASSERT_EQ(tracks.size(), 1u);
    EXPECT_EQ(store.playbackUrl(tracks[0].path), "https://play.example.com/presentation/r1/caption_en.vtt");
    ASSERT_TRUE(store.remove("r1", "presentation").ok());
    EXPECT_FALSE(fs::exists(dirs / "published/presentation/r1"));
}

TEST(RealPlugins, MissingRequiredKeyIsNamed) {
    TempDir dirs;
    struct Case {
        int line;
        std::string kind;
        std::string name;
        EnvMap env;
        std::string key;
    };
    const std::vector<Case> cases = {
        {__LINE__, "auth", "jwt", {}, "B3SCALE_API_JWT_SECRET"},
        {__LINE__, "auth", "jwt", {{"B3SCALE_API_JWT_SECRET", ""}}, "B3SCALE_API_JWT_SECRET"},
        {__LINE__, "auth", "jwt", {{"B3SCALE_API_JWT_SECRET", "short-secret"}}, "at least 32 are required"},
        {__LINE__,
         "recordings",
         "filesystem",
         {{"B3SCALE_RECORDINGS_UNPUBLISHED_PATH", dirs.path().string()}},
         "B3SCALE_RECORDINGS_PUBLISHED_PATH"},
        {__LINE__,
         "recordings",
         "filesystem",
         {{"B3SCALE_RECORDINGS_PUBLISHED_PATH", dirs.path().string()}},
         "B3SCALE_RECORDINGS_UNPUBLISHED_PATH"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        auto env = environment(c.env);
        ManualCoreClock clock;
        PluginLoader loader(kPluginDir, env, clock);
        std::string message = loadErrorOf([&] {
            if (c.kind == "auth")
                loader.load<plugin::Authenticator>(c.name);
            else
                loader.load<plugin::RecordingsStore>(c.name);
        });
        EXPECT_NE(message.find(c.key), std::string::npos) << message;
    }
}

TEST(RealPlugins, FactoryConfigErrorNamesKeyAndValue) {
    TempDir dirs;
    struct Case {
        int line;
        EnvMap env;
        std::string key;
        std::string detail;
    };
    const std::string good = dirs.mkdir("ok").string();
    const std::string missing = (dirs / "missing").string();
    const std::vector<Case> cases = {
        {__LINE__,
         {{"B3SCALE_RECORDINGS_PUBLISHED_PATH", missing}, {"B3SCALE_RECORDINGS_UNPUBLISHED_PATH", good}},
         "B3SCALE_RECORDINGS_PUBLISHED_PATH",
         missing},
        {__LINE__,
         {{"B3SCALE_RECORDINGS_PUBLISHED_PATH", good},
          {"B3SCALE_RECORDINGS_UNPUBLISHED_PATH", good},
          {"B3SCALE_RECORDINGS_DEFAULT_VISIBILITY", "secret"}},
         "B3SCALE_RECORDINGS_DEFAULT_VISIBILITY",
         "public_protected"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        auto env = environment(c.env);
        ManualCoreClock clock;
        PluginLoader loader(kPluginDir, env, clock);
        std::string message = loadErrorOf([&] { loader.load<plugin::RecordingsStore>("filesystem"); });
        EXPECT_NE(message.find(c.key), std::string::npos) << message;
        EXPECT_NE(message.find(c.detail), std::string::npos) << message;
    }
    // Same path for the auth plugin: its ConfigError must not leak the secret.
    auto env = environment({{"B3SCALE_API_JWT_SECRET", kSecret}, {"B3SCALE_AUTH_JWT_ALGORITHMS", "RS256"}});
    ManualCoreClock clock;
    PluginLoader loader(kPluginDir, env, clock);
    std::string message = loadErrorOf([&] { loader.load<plugin::Authenticator>("jwt"); });
    EXPECT_NE(message.find("B3SCALE_AUTH_JWT_ALGORITHMS"), std::string::npos) << message;
    EXPECT_EQ(message.find(kSecret), std::string::npos) << message;
}

TEST(RealPlugins, UnknownKeyInThePluginsNamespaceIsRefused) {
    auto env = environment({{"B3SCALE_API_JWT_SECRET", kSecret}, {"B3SCALE_AUTH_JWT_LEWAY", "10"}});
    ManualCoreClock clock;
    PluginLoader loader(kPluginDir, env, clock);
    std::string message = loadErrorOf([&] { loader.load<plugin::Authenticator>("jwt"); });
    EXPECT_NE(message.find("B3SCALE_AUTH_JWT_LEWAY"), std::string::npos) << message;
}

// Kea's pattern: load, use, release, twice; the .so must be gone after its last owner.
template <class Interface>
void loadUseReleaseTwice(const PluginLoader& loader, const std::string& name,
                         const std::function<void(Interface&)>& use) {
    const fs::path file =
        kPluginDir / ("libb3s_" + std::string(plugin::KindTraits<Interface>::kKind) + "_" + name + ".so");
    ASSERT_FALSE(isMapped(file)) << "left mapped by an earlier test";
    for (int round = 1; round <= 2; ++round) {
        SCOPED_TRACE("round " + std::to_string(round));
        auto loaded = loader.load<Interface>(name);
        EXPECT_TRUE(isMapped(file));
        use(*loaded.object);
        std::shared_ptr<Interface> copy = loaded.object;
        loaded.object.reset();
        EXPECT_TRUE(isMapped(file)) << "a remaining copy must keep the code mapped";
        use(*copy);
        copy.reset();
        EXPECT_FALSE(isMapped(file)) << "the library must be unmapped once its last object is gone";
    }
}

TEST(RealPlugins, LoadAndReleaseTwiceUnmapsTheLibrary) {
    ValidSetup setup;
    PluginLoader loader(kPluginDir, setup.env, setup.clock);
    {
        SCOPED_TRACE("least_load");
        loadUseReleaseTwice<plugin::BalancerStrategy>(loader, "least_load", [](plugin::BalancerStrategy& s) {
            std::vector<plugin::BackendCandidate> candidates = {backend("a", 1, 1)};
            EXPECT_EQ(s.choose({}, candidates).index, std::optional<std::size_t>(0));
        });
    }
    for (const char* balancer : {"reserved_seats", "round_robin"}) {
        SCOPED_TRACE(balancer);
        loadUseReleaseTwice<plugin::BalancerStrategy>(loader, balancer, [](plugin::BalancerStrategy& s) {
            std::vector<plugin::BackendCandidate> candidates = {backend("a", 1, 1)};
            EXPECT_EQ(s.choose({}, candidates).index, std::optional<std::size_t>(0));
        });
    }
    {
        SCOPED_TRACE("jwt");
        const auto token = signHs384("s", "b3scale", setup.clock.nowSeconds() + 60);
        loadUseReleaseTwice<plugin::Authenticator>(loader, "jwt", [&](plugin::Authenticator& a) {
            EXPECT_EQ(a.authorize(token, plugin::ApiAction::FrontendsList).outcome,
                      plugin::AccessDecision::Outcome::Allowed);
        });
    }
    {
        SCOPED_TRACE("prometheus");
        loadUseReleaseTwice<plugin::MetricsSink>(loader, "prometheus", [](plugin::MetricsSink& m) {
            EXPECT_NE(m.render().body.find("process_threads"), std::string::npos);
        });
    }
    {
        SCOPED_TRACE("filesystem");
        loadUseReleaseTwice<plugin::RecordingsStore>(
            loader, "filesystem", [](plugin::RecordingsStore& r) { EXPECT_TRUE(r.check().empty()); });
    }
}

TEST(RealPlugins, UnknownNameListsTheAvailableOnes) {
    ValidSetup setup;
    PluginLoader loader(kPluginDir, setup.env, setup.clock);
    EXPECT_EQ(loader.available("balancer"), (std::vector<std::string>{"least_load", "reserved_seats", "round_robin"}));
    EXPECT_EQ(loader.available("auth"), std::vector<std::string>{"jwt"});
    std::string message = loadErrorOf([&] { loader.load<plugin::BalancerStrategy>("weighted_random"); });
    EXPECT_NE(message.find("weighted_random"), std::string::npos) << message;
    EXPECT_NE(message.find("least_load, reserved_seats, round_robin"), std::string::npos) << message;
}

}  // namespace
}  // namespace b3s::test
