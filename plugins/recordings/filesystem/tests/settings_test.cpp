#include "settings.hpp"

#include <b3s/plugin/errors.hpp>
#include <map_config_view.hpp>

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

namespace b3s::recordings::filesystem {
namespace {

using Values = std::map<std::string, std::string>;

test::MapConfigView viewOf(const Values& values) {
    test::MapConfigView view;
    for (const auto& [k, v] : values) view.set(k, v);
    return view;
}

const Values kBase = {{kPublishedPathKey, "/srv/pub"}, {kUnpublishedPathKey, "/srv/unpub"}};

Values with(Values values, const std::string& key, const std::string& value) {
    values[key] = value;
    return values;
}

TEST(FilesystemSettings, ParsesValidConfiguration) {
    struct Case {
        int line;
        Values values;
        std::string inbox;
        bool inbox_configured;
        Visibility visibility;
        std::optional<std::string> playback_host;
    };
    const std::vector<Case> cases = {
        {__LINE__, kBase, "/srv/pub", false, Visibility::Published, std::nullopt},
        {__LINE__, with(kBase, kDefaultVisibilityKey, "unpublished"), "/srv/unpub", false, Visibility::Unpublished,
         std::nullopt},
        {__LINE__, with(kBase, kDefaultVisibilityKey, "protected"), "/srv/pub", false, Visibility::Protected,
         std::nullopt},
        {__LINE__, with(kBase, kDefaultVisibilityKey, "public"), "/srv/pub", false, Visibility::Public, std::nullopt},
        {__LINE__, with(kBase, kDefaultVisibilityKey, "public_protected"), "/srv/pub", false,
         Visibility::PublicProtected, std::nullopt},
        {__LINE__, with(with(kBase, kDefaultVisibilityKey, "unpublished"), kInboxPathKey, "/srv/inbox"), "/srv/inbox",
         true, Visibility::Unpublished, std::nullopt},
        {__LINE__, with(kBase, kDefaultVisibilityKey, ""), "/srv/pub", false, Visibility::Published, std::nullopt},
        {__LINE__, with(kBase, kPlaybackHostKey, "https://playback.example.com"), "/srv/pub", false,
         Visibility::Published, "https://playback.example.com"},
        {__LINE__, with(kBase, kPlaybackHostKey, "http://10.0.0.5:8080"), "/srv/pub", false, Visibility::Published,
         "http://10.0.0.5:8080"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        Settings s = parseSettings(viewOf(c.values));
        EXPECT_EQ(s.published_path, "/srv/pub");
        EXPECT_EQ(s.unpublished_path, "/srv/unpub");
        EXPECT_EQ(s.inbox_path, c.inbox);
        EXPECT_EQ(s.inbox_configured, c.inbox_configured);
        EXPECT_EQ(s.default_visibility, c.visibility);
        EXPECT_EQ(s.playback_host, c.playback_host);
    }
}

TEST(FilesystemSettings, RejectsInvalidConfigurationNamingTheKey) {
    Values noPublished = kBase;
    noPublished.erase(kPublishedPathKey);
    Values noUnpublished = kBase;
    noUnpublished.erase(kUnpublishedPathKey);
    struct Case {
        int line;
        Values values;
        std::string key;
        std::string message_contains;
    };
    const std::vector<Case> cases = {
        {__LINE__, noPublished, kPublishedPathKey, "required"},
        {__LINE__, noUnpublished, kUnpublishedPathKey, "required"},
        {__LINE__, with(kBase, kPublishedPathKey, ""), kPublishedPathKey, "required"},
        {__LINE__, with(kBase, kDefaultVisibilityKey, "private"), kDefaultVisibilityKey,
         "unpublished, published, protected, public or public_protected; got 'private'"},
        {__LINE__, with(kBase, kDefaultVisibilityKey, "Published"), kDefaultVisibilityKey, "got 'Published'"},
        {__LINE__, with(kBase, kPlaybackHostKey, "playback.example.com"), kPlaybackHostKey, "http or https URL"},
        {__LINE__, with(kBase, kPlaybackHostKey, "ftp://playback.example.com"), kPlaybackHostKey,
         "got 'ftp://playback.example.com'"},
        {__LINE__, with(kBase, kPlaybackHostKey, "https://"), kPlaybackHostKey, "http or https URL"},
        {__LINE__, with(kBase, kPlaybackHostKey, "https://exa mple.com:port"), kPlaybackHostKey, "http or https URL"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        try {
            parseSettings(viewOf(c.values));
            ADD_FAILURE() << "expected ConfigError";
        } catch (const plugin::ConfigError& e) {
            EXPECT_EQ(e.key(), c.key);
            EXPECT_NE(std::string(e.what()).find(c.message_contains), std::string::npos) << e.what();
        }
    }
}

TEST(FilesystemSettings, QuarantineAndTextTrackLimit) {
    Settings s = parseSettings(viewOf(kBase));
    EXPECT_EQ(s.quarantine_path, "/srv/pub/.quarantine");
    EXPECT_EQ(s.text_track_max_bytes, 8u * 1024 * 1024);
    s = parseSettings(viewOf(with(kBase, kInboxPathKey, "/srv/inbox")));
    EXPECT_EQ(s.quarantine_path, "/srv/inbox/.quarantine");
    s = parseSettings(viewOf(with(with(kBase, kQuarantinePathKey, "/srv/broken"), kTextTrackMaxBytesKey, "1024")));
    EXPECT_EQ(s.quarantine_path, "/srv/broken");
    EXPECT_EQ(s.text_track_max_bytes, 1024u);
    for (const std::string bad : {"0", "-1", "8M", " 12", "1e6", "9999999999999"}) {
        SCOPED_TRACE("max bytes '" + bad + "'");
        try {
            parseSettings(viewOf(with(kBase, kTextTrackMaxBytesKey, bad)));
            ADD_FAILURE() << "expected ConfigError";
        } catch (const plugin::ConfigError& e) {
            EXPECT_EQ(e.key(), kTextTrackMaxBytesKey);
            EXPECT_NE(std::string(e.what()).find("positive number of bytes"), std::string::npos) << e.what();
        }
    }
}

TEST(FilesystemSettings, DeclaresEveryKeyItReads) {
    std::vector<std::string> names;
    for (const auto& key : kConfigKeys) names.push_back(key.name);
    EXPECT_EQ(names,
              (std::vector<std::string>{kPublishedPathKey, kUnpublishedPathKey, kInboxPathKey, kDefaultVisibilityKey,
                                        kPlaybackHostKey, kQuarantinePathKey, kTextTrackMaxBytesKey}));
}

TEST(FilesystemSettings, VisibilityNamesRoundTrip) {
    for (auto v : {Visibility::Unpublished, Visibility::Published, Visibility::Protected, Visibility::Public,
                   Visibility::PublicProtected}) {
        SCOPED_TRACE(std::string(toString(v)));
        EXPECT_EQ(parseVisibility(toString(v)), v);
    }
    EXPECT_EQ(parseVisibility(""), std::nullopt);
}

}  // namespace
}  // namespace b3s::recordings::filesystem
