// Any change of the SDK headers changes kAbiHash; this test makes sure each such change is
// a deliberate one, recorded with its kAbiVersion in core/include/b3s/plugin/abi_versions.txt.

#include <b3s/plugin/abi.hpp>

#include <unistd.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace b3s::test {
namespace {

TEST(AbiVersion, AbiVersionIsRecorded) {
    std::ifstream file(B3S_ABI_VERSIONS_FILE);
    ASSERT_TRUE(file) << B3S_ABI_VERSIONS_FILE << " is missing";
    const std::string wanted = std::to_string(plugin::kAbiVersion) + " " + plugin::kAbiHash;
    std::string line;
    bool versionSeen = false;
    while (std::getline(file, line)) {
        if (line.empty() || line.front() == '#') continue;
        if (line == wanted) return;
        std::istringstream fields(line);
        std::uint32_t version = 0;
        if (fields >> version && version == plugin::kAbiVersion) versionSeen = true;
    }
    if (versionSeen)
        FAIL() << "the SDK headers changed but kAbiVersion " << plugin::kAbiVersion
               << " is still recorded with another hash: bump kAbiVersion in core/include/b3s/plugin/abi.hpp and "
                  "add the line '"
               << plugin::kAbiVersion + 1 << " <new hash>' to " << B3S_ABI_VERSIONS_FILE;
    FAIL() << "add the line '" << wanted << "' to " << B3S_ABI_VERSIONS_FILE;
}

namespace fs = std::filesystem;

// Runs cmake/abi_hash.cmake, the build step that writes abi_hash.hpp, over `sdk_dir` and
// returns the hash it wrote.
std::string hashOf(const fs::path& sdk_dir, const fs::path& work) {
    const fs::path out = work / "abi_hash.hpp";
    fs::remove(out);
    const std::string command = std::string("'") + B3S_CMAKE_COMMAND + "' -DSDK_DIR='" + sdk_dir.string() +
                                "' -DTEMPLATE='" + B3S_ABI_HASH_TEMPLATE + "' -DOUTPUT='" + out.string() + "' -P '" +
                                B3S_ABI_HASH_SCRIPT + "'";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    std::ifstream in(out);
    std::stringstream text;
    text << in.rdbuf();
    const auto body = text.str();
    const auto start = body.find("kAbiHash = \"");
    if (start == std::string::npos) return "";
    return body.substr(start + 12, 64);
}

fs::path freshDir(const std::string& tag) {
    auto dir = fs::temp_directory_path() / ("b3s-abi-" + tag + "-" + std::to_string(::getpid()));
    fs::remove_all(dir);
    fs::create_directories(dir);
    return dir;
}

TEST(AbiVersion, CompiledHashIsTheHashOfTheHeadersAsTheyAreNow) {
    // A hash computed once at configure time went stale after the next SDK edit; the build step
    // recomputes it from the headers, so what core and the plugins carry is today's.
    const auto work = freshDir("now");
    EXPECT_EQ(hashOf(B3S_SDK_DIR, work), plugin::kAbiHash);
    fs::remove_all(work);
}

TEST(AbiVersion, EditingAnSdkHeaderMovesTheHash) {
    const auto work = freshDir("edit");
    const auto copy = work / "sdk";
    fs::copy(B3S_SDK_DIR, copy);
    const auto original = hashOf(copy, work);
    ASSERT_EQ(original.size(), 64u);

    const auto header = copy / "balancer.hpp";
    std::string text;
    {
        std::ifstream in(header);
        std::stringstream buffer;
        buffer << in.rdbuf();
        text = buffer.str();
    }
    std::ofstream(header, std::ios::app) << "// one more comment is still another SDK\n";
    const auto edited = hashOf(copy, work);
    EXPECT_NE(edited, original);

    std::ofstream(header, std::ios::trunc) << text;
    EXPECT_EQ(hashOf(copy, work), original) << "the hash depends on the text only";

    std::ofstream(copy / "extra.hpp") << "#pragma once\n";
    EXPECT_NE(hashOf(copy, work), original) << "a new SDK header is an SDK change";
    fs::remove_all(work);
}

}  // namespace
}  // namespace b3s::test
