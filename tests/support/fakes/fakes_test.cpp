// The fakes behave like core's real objects where plugins can tell the difference.

#include "fake_context.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace b3s::test {
namespace {

TEST(MapConfigView, EmptyValuesReadAsUnsetLikeCore) {
    struct Case {
        int line;
        std::string key;
        std::optional<std::string> expected;
    };
    MapConfigView view{{"B3SCALE_A", "1"}, {"B3SCALE_EMPTY", ""}};
    view.set("B3SCALE_B", "two").set("B3SCALE_A", "one");
    const std::vector<Case> cases = {
        {__LINE__, "B3SCALE_A", "one"},
        {__LINE__, "B3SCALE_B", "two"},
        {__LINE__, "B3SCALE_EMPTY", std::nullopt},
        {__LINE__, "B3SCALE_MISSING", std::nullopt},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        EXPECT_EQ(view.get(c.key), c.expected);
    }
    EXPECT_EQ(view.getOr("B3SCALE_EMPTY", "fallback"), "fallback");
    view.erase("B3SCALE_A");
    EXPECT_EQ(view.get("B3SCALE_A"), std::nullopt);
}

TEST(RecordingLogger, RecordsEventsAboveTheThreshold) {
    RecordingLogger logger(plugin::LogLevel::Info);
    EXPECT_FALSE(logger.enabled(plugin::LogLevel::Debug));
    EXPECT_TRUE(logger.enabled(plugin::LogLevel::Warn));
    logger.debug("too_quiet");
    logger.info("started", {{"path", "/srv"}});
    logger.warn("odd", {{"count", "2"}});
    ASSERT_EQ(logger.events().size(), 2u);
    EXPECT_EQ(logger.count("too_quiet"), 0u);
    EXPECT_EQ(logger.find("started")->field("path"), "/srv");
    EXPECT_EQ(logger.find("odd")->level, plugin::LogLevel::Warn);
    EXPECT_TRUE(logger.mentions("/srv"));
    EXPECT_FALSE(logger.mentions("secret"));
    logger.clear();
    EXPECT_TRUE(logger.events().empty());
}

TEST(FakeContext, ExposesItsPartsThroughTheContextInterface) {
    FakeContext context{{"B3SCALE_X", "x"}};
    const plugin::Context& asPlugin = context;
    EXPECT_EQ(asPlugin.config().get("B3SCALE_X"), "x");
    context.manualClock().setSeconds(100);
    context.manualClock().advanceMicros(5);
    EXPECT_EQ(asPlugin.clock().nowMicros(), 100'000'005);
    asPlugin.logger().info("hello");
    EXPECT_EQ(context.recordingLogger().count("hello"), 1u);
}

TEST(TempDir, CreatesAndRemovesItsTree) {
    std::filesystem::path kept;
    {
        TempDir dir;
        kept = dir.path();
        auto file = dir.write("a/b/c.txt", "hi");
        EXPECT_TRUE(std::filesystem::is_regular_file(file));
        auto locked = dir.mkdir("locked");
        std::filesystem::permissions(locked, std::filesystem::perms::owner_read | std::filesystem::perms::owner_exec);
    }
    EXPECT_FALSE(std::filesystem::exists(kept));
}

}  // namespace
}  // namespace b3s::test
