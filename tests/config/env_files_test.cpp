#include "config/env_files.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace b3s::core::config {
namespace {

TEST(EnvFilesTest, ParsesB3scaleStyleLines) {
    auto vars = parseEnvFile(
        "# a comment\n"
        "\n"
        "B3SCALE_DB_URL=postgres://a:b@c/d?x=1\n"
        "  B3SCALE_LOG_LEVEL = \"debug\" \n"
        "B3SCALE_API_URL='https://lb.example.org'\n"
        "export B3SCALE_LOG_FORMAT=plain\n"
        "no equals sign here\n"
        "B3SCALE_EMPTY=\n");
    EXPECT_EQ(vars["B3SCALE_DB_URL"], "postgres://a:b@c/d?x=1");
    EXPECT_EQ(vars["B3SCALE_LOG_LEVEL"], "debug");
    EXPECT_EQ(vars["B3SCALE_API_URL"], "https://lb.example.org");
    EXPECT_EQ(vars["B3SCALE_LOG_FORMAT"], "plain");
    EXPECT_EQ(vars["B3SCALE_EMPTY"], "");
    EXPECT_EQ(vars.size(), 5u);
}

TEST(EnvFilesTest, LaterFilesOverrideEarlierOnesButNotTheEnvironment) {
    namespace fs = std::filesystem;
    fs::path dir = fs::temp_directory_path() / ("b3s-envfiles-" + std::to_string(::getpid()));
    fs::create_directories(dir);
    std::ofstream(dir / "a") << "B3SCALE_T_ONE=a\nB3SCALE_T_TWO=a\nB3SCALE_T_THREE=a\n";
    std::ofstream(dir / "b") << "B3SCALE_T_TWO=b\nB3SCALE_T_THREE=b\n";
    ::setenv("B3SCALE_T_THREE", "env", 1);
    auto used = loadEnvFiles({(dir / "a").string(), (dir / "missing").string(), (dir / "b").string()});
    EXPECT_EQ(used.size(), 2u);
    EXPECT_STREQ(std::getenv("B3SCALE_T_ONE"), "a");
    EXPECT_STREQ(std::getenv("B3SCALE_T_TWO"), "b");
    EXPECT_STREQ(std::getenv("B3SCALE_T_THREE"), "env");
    fs::remove_all(dir);
}

TEST(EnvFilesTest, DefaultOrderIsB3scales) {
    auto files = defaultEnvFiles();
    ASSERT_EQ(files.size(), 3u);
    EXPECT_EQ(files[0], ".env");
    EXPECT_EQ(files[1], "/etc/default/b3scale");
    EXPECT_EQ(files[2], "/etc/sysconfig/b3scale");
}

}  // namespace
}  // namespace b3s::core::config
