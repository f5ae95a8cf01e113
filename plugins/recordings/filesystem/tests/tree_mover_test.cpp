#include "tree_mover.hpp"
#include "recording_files.hpp"

#include <recording_logger.hpp>

#include <gtest/gtest.h>

#include <cerrno>
#include <filesystem>
#include <string>
#include <vector>

namespace b3s::recordings::filesystem {
namespace {

using namespace test_support;

class TreeMoverTest : public ::testing::Test {
protected:
    TreeMoverTest() : from_tree_(dir_.mkdir("from")), to_tree_(dir_.mkdir("to")) {}

    TreeMover mover(MoverOptions options = {}) { return TreeMover(std::move(options), logger_); }

    test::TempDir dir_{"b3s-mover"};
    fs::path from_tree_, to_tree_;
    test::RecordingLogger logger_;
};

TEST_F(TreeMoverTest, RenamesWithinOneFileSystem) {
    auto source = makeRecording(from_tree_, "presentation", "r1");
    const auto before = snapshot(source);
    auto result = mover().move(source, to_tree_ / "presentation" / "r1", false, 0755);
    ASSERT_TRUE(result.ok()) << result.message;
    EXPECT_FALSE(fs::exists(source));
    EXPECT_EQ(snapshot(to_tree_ / "presentation" / "r1"), before);
    EXPECT_EQ(fs::status(to_tree_ / "presentation").permissions(), fs::perms(0755));
    EXPECT_FALSE(hasStagingLeftovers(dir_.path()));
}

TEST_F(TreeMoverTest, ForcedCopyKeepsContentModesTimesAndLinks) {
    auto source = makeRecording(from_tree_, "presentation", "r1", 200000);
    fs::create_symlink("video/webcams.webm", source / "link-inside");
    fs::create_symlink("/etc/passwd", source / "link-outside");
    fs::permissions(source / "slides_new.xml", fs::perms(0640));
    const auto mtime = fs::last_write_time(source / "metadata.xml");
    const auto before = snapshot(source);

    auto result = mover(copyPath()).move(source, to_tree_ / "presentation" / "r1", false, 0755);
    ASSERT_TRUE(result.ok()) << result.message;
    const auto target = to_tree_ / "presentation" / "r1";
    EXPECT_FALSE(fs::exists(source));
    EXPECT_EQ(snapshot(target), before);
    // Links are copied as links, never followed.
    EXPECT_TRUE(fs::is_symlink(fs::symlink_status(target / "link-outside")));
    EXPECT_EQ(fs::read_symlink(target / "link-outside"), "/etc/passwd");
    EXPECT_EQ(fs::status(target / "slides_new.xml").permissions(), fs::perms(0640));
    EXPECT_EQ(fs::last_write_time(target / "metadata.xml"), mtime);
    EXPECT_FALSE(hasStagingLeftovers(dir_.path()));
}

TEST_F(TreeMoverTest, ConflictWithoutReplaceTouchesNothing) {
    auto source = makeRecording(from_tree_, "presentation", "r1");
    makeRecording(to_tree_, "presentation", "r1", 5);
    const auto before_from = snapshot(from_tree_);
    const auto before_to = snapshot(to_tree_);
    auto result = mover().move(source, to_tree_ / "presentation" / "r1", false, 0755);
    EXPECT_EQ(result.failure, plugin::StorageFailure::Conflict);
    EXPECT_EQ(snapshot(from_tree_), before_from);
    EXPECT_EQ(snapshot(to_tree_), before_to);
}

TEST_F(TreeMoverTest, ReplaceSwapsInTheNewCopy) {
    for (bool force_copy : {false, true}) {
        SCOPED_TRACE(force_copy ? "copy" : "rename");
        auto source = makeRecording(from_tree_, "presentation", "r1", 77);
        makeRecording(to_tree_, "presentation", "r1", 5);
        writeFile(to_tree_ / "presentation" / "r1" / "stale.txt", "old");
        const auto expected = snapshot(source);
        auto result = mover(copyPath(force_copy)).move(source, to_tree_ / "presentation" / "r1", true, 0755);
        ASSERT_TRUE(result.ok()) << result.message;
        EXPECT_EQ(snapshot(to_tree_ / "presentation" / "r1"), expected);
        EXPECT_FALSE(fs::exists(source));
        EXPECT_FALSE(hasStagingLeftovers(dir_.path()));
    }
}

TEST_F(TreeMoverTest, InjectedFailuresLeaveTheSourceAndNoStagingCopy) {
    struct Case {
        int line;
        int error;
        int fail_at;  // the n-th created entry fails
        plugin::StorageFailure failure;
        std::string message_contains;
    };
    const std::vector<Case> cases = {
        {__LINE__, ENOSPC, 3, plugin::StorageFailure::NoSpace, "No space left on device"},
        {__LINE__, EDQUOT, 2, plugin::StorageFailure::NoSpace, "quota"},
        {__LINE__, EACCES, 1, plugin::StorageFailure::PermissionDenied, "Permission denied"},
        {__LINE__, EROFS, 4, plugin::StorageFailure::PermissionDenied, "Read-only file system"},
        {__LINE__, EIO, 2, plugin::StorageFailure::Io, "Input/output error"},
    };
    for (const auto& c : cases) {
        for (bool replacing : {false, true}) {
            SCOPED_TRACE("case at line " + std::to_string(c.line) + (replacing ? " replacing" : ""));
            fs::remove_all(from_tree_);
            fs::remove_all(to_tree_);
            fs::create_directories(to_tree_);
            auto source = makeRecording(from_tree_, "presentation", "r1", 3000);
            if (replacing) makeRecording(to_tree_, "presentation", "r1", 5);
            const auto before_from = snapshot(from_tree_);
            const auto before_to = snapshot(to_tree_);
            int created = 0;
            auto options = copyPath(true, [&](const fs::path&) { return ++created == c.fail_at ? c.error : 0; });
            auto result = mover(options).move(source, to_tree_ / "presentation" / "r1", replacing, 0755);
            EXPECT_EQ(result.failure, c.failure) << result.message;
            EXPECT_NE(result.message.find(c.message_contains), std::string::npos) << result.message;
            EXPECT_NE(result.message.find(to_tree_.string()), std::string::npos) << result.message;
            EXPECT_EQ(snapshot(from_tree_), before_from);
            if (replacing) {
                EXPECT_EQ(snapshot(to_tree_), before_to);
            }
            EXPECT_FALSE(hasStagingLeftovers(dir_.path()));
            EXPECT_FALSE(fs::exists(to_tree_ / "presentation" / "r1") && !replacing);
        }
    }
}

TEST_F(TreeMoverTest, RefusesASymlinkedFormatDirectory) {
    auto source = makeRecording(from_tree_, "presentation", "r1");
    auto outside = dir_.mkdir("outside");
    fs::create_directories(to_tree_);
    fs::create_directory_symlink(outside, to_tree_ / "presentation");
    const auto before = snapshot(from_tree_);
    auto result = mover().move(source, to_tree_ / "presentation" / "r1", false, 0755);
    EXPECT_EQ(result.failure, plugin::StorageFailure::PermissionDenied);
    EXPECT_NE(result.message.find("symbolic link"), std::string::npos) << result.message;
    EXPECT_TRUE(fs::is_empty(outside));
    EXPECT_EQ(snapshot(from_tree_), before);
}

TEST_F(TreeMoverTest, RefusesSpecialFilesWhenCopying) {
    auto source = makeRecording(from_tree_, "presentation", "r1");
    ASSERT_EQ(::mkfifo((source / "pipe").c_str(), 0600), 0);
    const auto before = snapshot(from_tree_);
    auto result = mover(copyPath()).move(source, to_tree_ / "presentation" / "r1", false, 0755);
    EXPECT_EQ(result.failure, plugin::StorageFailure::Io);
    EXPECT_NE(result.message.find("not a regular file"), std::string::npos) << result.message;
    EXPECT_EQ(snapshot(from_tree_), before);
    EXPECT_FALSE(hasStagingLeftovers(dir_.path()));
}

}  // namespace
}  // namespace b3s::recordings::filesystem
