#include "token_cache.hpp"
#include "ctl_error.hpp"

#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <map>

#include <sys/stat.h>
#include <unistd.h>

namespace b3s::ctl {
namespace {

EnvLookup envOf(std::map<std::string, std::string> values) {
    return [values](const std::string& name) -> std::optional<std::string> {
        const auto it = values.find(name);
        if (it == values.end() || it->second.empty()) return std::nullopt;
        return it->second;
    };
}

unsigned modeOf(const std::filesystem::path& path) {
    struct stat st {};
    EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
    return st.st_mode & 07777;
}

TEST(TokenCache, FileNameIsSanitisedLikeB3scale) {
    EXPECT_EQ(tokenFileName("https://api.bbb.example.org"), "https_api.bbb.example.org.access_token");
    EXPECT_EQ(tokenFileName("http://127.0.0.1:42352"), "http_127.0.0.1_42352.access_token");
    EXPECT_EQ(tokenFileName("https://b3s.example.org/some--path"), "https_b3s.example.org_some_path.access_token");
}

TEST(TokenCache, DirectoryFollowsXdgThenHome) {
    EXPECT_EQ(tokenCacheDir(envOf({{"XDG_CONFIG_HOME", "/x"}, {"HOME", "/h"}})), "/x/b3scale");
    EXPECT_EQ(tokenCacheDir(envOf({{"HOME", "/h"}})), "/h/.config/b3scale");
    EXPECT_THROW(tokenCacheDir(envOf({})), CtlError);
}

TEST(TokenCache, StoresPrivatelyAndReadsBack) {
    test::TempDir home("b3s-ctl-cache");
    const auto dir = home / ".config" / "b3scale";
    const TokenCache cache(dir, "http://127.0.0.1:42352");
    EXPECT_EQ(cache.load(), std::nullopt);
    cache.store("tok.en.one");
    EXPECT_EQ(cache.load(), "tok.en.one");
    EXPECT_EQ(modeOf(cache.path()), 0600u);
    EXPECT_EQ(modeOf(dir), 0700u);
    EXPECT_EQ(cache.path(), dir / "http_127.0.0.1_42352.access_token");

    // An existing, too open file is replaced by a private one.
    ::chmod(cache.path().c_str(), 0644);
    cache.store("tok.en.two");
    EXPECT_EQ(cache.load(), "tok.en.two");
    EXPECT_EQ(modeOf(cache.path()), 0600u);
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()), 1);

    cache.remove();
    EXPECT_EQ(cache.load(), std::nullopt);
}

std::string contentOf(const std::filesystem::path& file) {
    std::ifstream in(file);
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// Someone who can write into the cache directory plants symlinks at the cache file and at
// the temporary file's name, pointing at files elsewhere: storing a token follows neither,
// and a symlinked cache file is not read as a token.
TEST(TokenCache, PlantedSymlinksAreNeitherFollowedNorRead) {
    test::TempDir home("b3s-ctl-cache");
    const auto outside_cache = home.write("outside/cache-target", "untouched-1\n");
    const auto outside_tmp = home.write("outside/tmp-target", "untouched-2\n");
    const auto dir = home.mkdir("cache");
    const TokenCache cache(dir, "http://127.0.0.1:42352");
    std::filesystem::create_symlink(outside_cache, cache.path());
    const std::filesystem::path tmp = cache.path().string() + ".tmp" + std::to_string(::getpid());
    std::filesystem::create_symlink(outside_tmp, tmp);

    EXPECT_EQ(cache.load(), std::nullopt) << "a symlink is no cached token";
    cache.store("tok.en.new");

    EXPECT_EQ(contentOf(outside_cache), "untouched-1\n");
    EXPECT_EQ(contentOf(outside_tmp), "untouched-2\n");
    EXPECT_FALSE(std::filesystem::is_symlink(cache.path()));
    EXPECT_TRUE(std::filesystem::is_regular_file(cache.path()));
    EXPECT_EQ(modeOf(cache.path()), 0600u);
    EXPECT_EQ(cache.load(), "tok.en.new");
    EXPECT_TRUE(std::filesystem::is_symlink(tmp)) << "the planted link is left alone, not written through";
    // Nothing else was left behind: the cache file and the planted link.
    EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()), 2);
}

TEST(TokenCache, WhitespaceAroundATokenIsIgnored) {
    test::TempDir dir("b3s-ctl-cache");
    const TokenCache cache(dir.path(), "http://x");
    dir.write(cache.path().filename(), "  abc.def.ghi \n\n");
    EXPECT_EQ(cache.load(), "abc.def.ghi");
    dir.write(cache.path().filename(), " \n");
    EXPECT_EQ(cache.load(), std::nullopt);
}

}  // namespace
}  // namespace b3s::ctl
