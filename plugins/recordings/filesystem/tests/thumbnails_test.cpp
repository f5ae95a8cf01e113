#include "thumbnails.hpp"
#include "recording_files.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace b3s::recordings::filesystem {
namespace {

using namespace test_support;

// The first 24 bytes of a PNG: signature, IHDR length and type, width, height.
std::string pngHeader(unsigned width, unsigned height) {
    std::string png("\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR", 16);
    for (unsigned v : {width, height})
        for (int shift = 24; shift >= 0; shift -= 8) png.push_back(static_cast<char>((v >> shift) & 0xff));
    return png + std::string("\x08\x06\0\0\0", 5);
}

TEST(NaturalOrder, ComparesDigitRunsByValue) {
    std::vector<std::string> names = {"thumb-10.png",  "thumb-2.png", "thumb-1.png", "thumb-02.png",
                                      "thumb-100.png", "thumb-9.png", "a",           "thumb-.png"};
    std::sort(names.begin(), names.end(), [](const auto& a, const auto& b) { return naturalLess(a, b); });
    EXPECT_EQ(names, (std::vector<std::string>{"a", "thumb-.png", "thumb-1.png", "thumb-2.png", "thumb-02.png",
                                               "thumb-9.png", "thumb-10.png", "thumb-100.png"}));
    EXPECT_FALSE(naturalLess("x1", "x1"));
    EXPECT_TRUE(naturalLess("x", "x1"));
    EXPECT_TRUE(naturalLess("x99999999999999999999999", "x100000000000000000000000"));
}

class ThumbnailsTest : public ::testing::Test, protected StoreFixture {};

TEST_F(ThumbnailsTest, NaturalOrderRealSizesAndRelativePaths) {
    auto store = make();
    const auto thumbs = published / "presentation" / "r1" / "presentation" / "d2a1" / "thumbnails";
    writeFile(published / "presentation" / "r1" / "metadata.xml", "<recording/>");
    writeFile(thumbs / "thumb-10.png", pngHeader(320, 240));
    writeFile(thumbs / "thumb-2.png", pngHeader(176, 136));
    writeFile(thumbs / "thumb-1.png", "not a png");
    writeFile(thumbs / "notes.txt", "x");
    writeFile(thumbs / ".thumb-0.png", pngHeader(1, 1));
    fs::create_symlink("/etc/passwd", thumbs / "thumb-3.png");
    auto found = store->thumbnails("r1");
    ASSERT_EQ(found.size(), 3u);
    const std::string prefix = "presentation/r1/presentation/d2a1/thumbnails/";
    EXPECT_EQ(found[0].path, prefix + "thumb-1.png");
    EXPECT_EQ(found[0].width, 176);
    EXPECT_EQ(found[0].height, 136);
    EXPECT_EQ(found[1].path, prefix + "thumb-2.png");
    EXPECT_EQ(found[2].path, prefix + "thumb-10.png");
    EXPECT_EQ(found[2].width, 320);
    EXPECT_EQ(found[2].height, 240);
    EXPECT_TRUE(store->thumbnails("r2").empty());
}

TEST_F(ThumbnailsTest, FirstTreeWithThumbnailsWins) {
    auto store = make();
    auto add = [&](const fs::path& tree, const std::string& hash) {
        writeFile(tree / "presentation" / "r1" / "presentation" / hash / "thumbnails" / "thumb-1.png",
                  pngHeader(10, 10));
    };
    add(unpublished, "u");
    EXPECT_EQ(store->thumbnails("r1").at(0).path, "presentation/r1/presentation/u/thumbnails/thumb-1.png");
    add(published, "p");
    EXPECT_EQ(store->thumbnails("r1").at(0).path, "presentation/r1/presentation/p/thumbnails/thumb-1.png");
    fs::create_directories(inbox / "presentation" / "r1");  // no thumbnails: does not win
    EXPECT_EQ(store->thumbnails("r1").at(0).path, "presentation/r1/presentation/p/thumbnails/thumb-1.png");
    add(inbox, "i");
    auto found = store->thumbnails("r1");
    ASSERT_EQ(found.size(), 1u);
    EXPECT_EQ(found[0].path, "presentation/r1/presentation/i/thumbnails/thumb-1.png");
}

TEST(PngSize, ReadsTheHeaderOnly) {
    test::TempDir dir;
    EXPECT_EQ(readPngSize(dir.write("a.png", pngHeader(640, 480))).width, 640);
    EXPECT_EQ(readPngSize(dir.write("b.png", pngHeader(640, 480))).height, 480);
    EXPECT_EQ(readPngSize(dir.write("short.png", pngHeader(640, 480).substr(0, 20))).width, 0);
    EXPECT_EQ(readPngSize(dir.write("zero.png", pngHeader(0, 480))).width, 0);
    EXPECT_EQ(readPngSize(dir / "missing.png").width, 0);
}

}  // namespace
}  // namespace b3s::recordings::filesystem
