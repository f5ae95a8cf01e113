#include "config/settings_reload.hpp"

#include "config/core_settings.hpp"
#include "config/env_files.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include <unistd.h>

namespace b3s::core::config {
namespace {

using Vars = std::map<std::string, std::string>;
using Names = std::vector<std::string>;

TEST(SettingsReloadTest, ChangedLogAndAccessLogVariablesAreAppliedWithTheFilesValues) {
    const Vars before = {{"B3SCALE_LOG_LEVEL", "info"}, {"B3SCALE_ACCESS_LOG", "all"}, {"B3SCALE_LOG_FORMAT", "plain"}};
    const Vars after = {{"B3SCALE_LOG_LEVEL", "debug"}, {"B3SCALE_ACCESS_LOG", "off"}, {"B3SCALE_LOG_FORMAT", "plain"}};
    const auto plan = planReload(before, after);
    EXPECT_EQ(plan.apply, (Names{"B3SCALE_ACCESS_LOG", "B3SCALE_LOG_LEVEL"}));
    EXPECT_TRUE(plan.restart_required.empty());
    EXPECT_EQ(parseLogLevelSetting(plan.values), log::LogLevel::Debug);
    EXPECT_EQ(parseAccessLogSetting(plan.values).mode, AccessLogPolicy::Mode::Off);
}

TEST(SettingsReloadTest, OtherChangedVariablesNeedARestartAndOnlyTheirNamesAreReported) {
    const Vars before = {{"B3SCALE_API_JWT_SECRET", "old-secret-0123456789abcdef0123456789"},
                         {"B3SCALE_LISTEN_HTTP", "127.0.0.1:42353"}};
    const Vars after = {{"B3SCALE_API_JWT_SECRET", "new-secret-0123456789abcdef0123456789"},
                        {"B3SCALE_POLL_INTERVAL", "2s"}};
    const auto plan = planReload(before, after);
    EXPECT_TRUE(plan.apply.empty());
    EXPECT_EQ(plan.restart_required, (Names{"B3SCALE_API_JWT_SECRET", "B3SCALE_LISTEN_HTTP", "B3SCALE_POLL_INTERVAL"}));
    EXPECT_FALSE(plan.values.get("B3SCALE_API_JWT_SECRET")) << "no value of a restart-only variable is carried";
}

TEST(SettingsReloadTest, UnchangedFilesChangeNothing) {
    const Vars files = {{"B3SCALE_LOG_LEVEL", "debug"}, {"B3SCALE_DB_URL", "postgres://x"}};
    const auto plan = planReload(files, files);
    EXPECT_TRUE(plan.apply.empty());
    EXPECT_TRUE(plan.restart_required.empty());
}

TEST(SettingsReloadTest, AVariableRemovedFromTheFilesReturnsToItsDefault) {
    const auto plan = planReload({{"B3SCALE_LOG_LEVEL", "error"}}, {});
    EXPECT_EQ(plan.apply, (Names{"B3SCALE_LOG_LEVEL"}));
    EXPECT_EQ(parseLogLevelSetting(plan.values), log::LogLevel::Info);
}

TEST(SettingsReloadTest, AnInvalidNewValueIsRefusedByTheParserNamingTheVariable) {
    const auto plan = planReload({}, {{"B3SCALE_LOG_LEVEL", "loud"}});
    ASSERT_EQ(plan.apply, (Names{"B3SCALE_LOG_LEVEL"}));
    try {
        parseLogLevelSetting(plan.values);
        FAIL() << "accepted an invalid level";
    } catch (const ConfigError& e) {
        EXPECT_EQ(e.key(), "B3SCALE_LOG_LEVEL");
    }
}

TEST(SettingsReloadTest, ReadEnvFilesReadsTheFilesAloneLaterOnesWinning) {
    const auto dir = std::filesystem::temp_directory_path() / ("b3s-reload-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "a") << "B3SCALE_LOG_LEVEL=debug\nB3SCALE_ACCESS_LOG=off\n";
    std::ofstream(dir / "b") << "B3SCALE_LOG_LEVEL=warn\n";
    // The process environment does not hide the files' values here (unlike loadEnvFiles).
    ::setenv("B3SCALE_LOG_LEVEL", "trace", 1);
    const auto read = readEnvFiles({(dir / "a").string(), (dir / "missing").string(), (dir / "b").string()});
    ::unsetenv("B3SCALE_LOG_LEVEL");
    EXPECT_EQ(read.variables, (Vars{{"B3SCALE_ACCESS_LOG", "off"}, {"B3SCALE_LOG_LEVEL", "warn"}}));
    EXPECT_EQ(read.files, (Names{(dir / "a").string(), (dir / "b").string()}));
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace b3s::core::config
