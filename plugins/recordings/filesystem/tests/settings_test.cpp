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
