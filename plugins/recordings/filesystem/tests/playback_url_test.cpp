#include "playback_url.hpp"
#include "recording_files.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

namespace b3s::recordings::filesystem {
namespace {

TEST(PlaybackUrl, AppliesTheHost) {
    struct Case {
        int line;
        std::optional<std::string> host;
        std::string input;
        std::string expected;
    };
    const std::string link = "https://bbb1.example.com/playback/presentation/2.3/abc-1";
    const std::vector<Case> cases = {
        {__LINE__, std::nullopt, link, link},
        {__LINE__, std::nullopt, "presentation/abc-1/x.png", "presentation/abc-1/x.png"},
        {__LINE__, "https://play.example.com", link, "https://play.example.com/playback/presentation/2.3/abc-1"},
        {__LINE__, "https://play.example.com/", link, "https://play.example.com/playback/presentation/2.3/abc-1"},
        {__LINE__, "http://10.0.0.5:8080", "http://bbb1:8443/playback/x?a=1#t",
         "http://10.0.0.5:8080/playback/x?a=1#t"},
        {__LINE__, "https://play.example.com", "HTTPS://user@bbb1.example.com:443?x=1", "https://play.example.com?x=1"},
        {__LINE__, "https://play.example.com", "https://bbb1.example.com", "https://play.example.com"},
        {__LINE__, "https://play.example.com", "presentation/abc-1/thumb-1.png",
         "https://play.example.com/presentation/abc-1/thumb-1.png"},
        {__LINE__, "https://play.example.com/", "/presentation/abc-1/thumb-1.png",
         "https://play.example.com/presentation/abc-1/thumb-1.png"},
        {__LINE__, "https://play.example.com//", "//presentation/x", "https://play.example.com/presentation/x"},
        {__LINE__, "https://play.example.com", "", "https://play.example.com/"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        EXPECT_EQ(applyPlaybackHost(c.host, c.input), c.expected);
    }
}

TEST(PlaybackUrl, ThroughTheStore) {
    test_support::StoreFixture fixture;
    EXPECT_EQ(fixture.make()->playbackUrl("https://bbb1/playback/x"), "https://bbb1/playback/x");
    fixture.context.mapConfig().set(kPlaybackHostKey, "https://play.example.com");
    auto store = fixture.make();
    EXPECT_EQ(store->playbackUrl("https://bbb1/playback/x"), "https://play.example.com/playback/x");
    EXPECT_EQ(store->playbackUrl("presentation/r1/captions.json"),
              "https://play.example.com/presentation/r1/captions.json");
}

}  // namespace
}  // namespace b3s::recordings::filesystem
