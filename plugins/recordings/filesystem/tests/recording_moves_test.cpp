#include "format_scan.hpp"
#include "recording_files.hpp"

#include <gtest/gtest.h>

#include <sys/stat.h>
#include <sys/time.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

namespace b3s::recordings::filesystem {
namespace {

using namespace test_support;
using plugin::RecordingTree;
using plugin::StorageFailure;

// Sets a file's mtime to `seconds` after the epoch, for ordering the inbox.
void setMtime(const fs::path& file, long seconds) {
    const timeval times[2] = {{seconds, 0}, {seconds, 0}};
    ASSERT_EQ(::utimes(file.c_str(), times), 0);
}

class RecordingMovesTest : public ::testing::Test, protected StoreFixture {};

TEST_F(RecordingMovesTest, ImportPublishUnpublishRemoveRoundTrip) {
    auto store = make();
    const auto expected = snapshot(makeRecording(inbox, "presentation", "r1"));

    auto imported = store->importFormat("r1", "presentation", true);
    ASSERT_TRUE(imported.ok()) << imported.message;
    EXPECT_FALSE(fs::exists(inbox / "presentation" / "r1"));
    EXPECT_EQ(snapshot(published / "presentation" / "r1"), expected);
    EXPECT_EQ(fs::status(published / "presentation").permissions(), fs::perms(0755));
    auto logged = context.recordingLogger().find("recording_imported");
    ASSERT_TRUE(logged.has_value());
    EXPECT_EQ(logged->field("tree"), "published");

    ASSERT_TRUE(store->setPublished("r1", "presentation", false).ok());
    EXPECT_FALSE(fs::exists(published / "presentation" / "r1"));
    EXPECT_EQ(snapshot(unpublished / "presentation" / "r1"), expected);
    EXPECT_TRUE(store->setPublished("r1", "presentation", false).ok()) << "already there is ok";
    EXPECT_EQ(context.recordingLogger().count("recording_moved"), 1u);

    ASSERT_TRUE(store->setPublished("r1", "presentation", true).ok());
    EXPECT_EQ(snapshot(published / "presentation" / "r1"), expected);
    EXPECT_FALSE(fs::exists(unpublished / "presentation" / "r1"));

    ASSERT_TRUE(store->remove("r1", "presentation").ok());
    EXPECT_FALSE(fs::exists(published / "presentation" / "r1"));
    EXPECT_TRUE(store->remove("r1", "presentation").ok()) << "nothing there is ok";
    EXPECT_EQ(store->setPublished("r1", "presentation", true).failure, StorageFailure::NotFound);
    EXPECT_EQ(store->importFormat("r1", "presentation", true).failure, StorageFailure::NotFound);
    EXPECT_FALSE(hasStagingLeftovers(dir.path()));
}

TEST_F(RecordingMovesTest, ImportingTwiceChangesNothing) {
    auto store = make();
    makeRecording(inbox, "presentation", "r1");
    makeRecording(inbox, "video", "r1");
    ASSERT_TRUE(store->importFormat("r1", "presentation", false).ok());
    ASSERT_TRUE(store->importFormat("r1", "video", false).ok());
    const auto before = snapshot(dir.path());
    context.recordingLogger().clear();
    for (bool published : {false, true}) {
        EXPECT_TRUE(store->importFormat("r1", "presentation", published).ok());
        EXPECT_TRUE(store->importFormat("r1", "video", published).ok());
    }
    EXPECT_EQ(snapshot(dir.path()), before);
    EXPECT_EQ(context.recordingLogger().count("recording_imported"), 0u);
}

TEST_F(RecordingMovesTest, RebuiltRecordingInTheInboxReplacesTheImportedOne) {
    auto store = make();
    makeRecording(inbox, "presentation", "r1", 10);
    ASSERT_TRUE(store->importFormat("r1", "presentation", true).ok());
    ASSERT_TRUE(store->setPublished("r1", "presentation", false).ok());
    // BBB rebuilds and publishes the recording again.
    const auto rebuilt = snapshot(makeRecording(inbox, "presentation", "r1", 99));
    ASSERT_TRUE(store->importFormat("r1", "presentation", true).ok());
    EXPECT_EQ(snapshot(published / "presentation" / "r1"), rebuilt);
    EXPECT_FALSE(fs::exists(inbox / "presentation" / "r1"));
    EXPECT_FALSE(fs::exists(unpublished / "presentation" / "r1")) << "one tree holds a format";
    EXPECT_EQ(context.recordingLogger().find("recording_imported")->field("replaced"), "false");
    auto events = context.recordingLogger().events();
    EXPECT_EQ(events.back().field("replaced"), "true");
    EXPECT_FALSE(hasStagingLeftovers(dir.path()));
}

TEST_F(RecordingMovesTest, InboxThatIsTheDestinationIsANoOp) {
    context.mapConfig().erase(kInboxPathKey);  // b3scale's default: the inbox is the published tree
    auto store = make();
    makeRecording(published, "presentation", "r1");
    const auto before = snapshot(dir.path());
    EXPECT_TRUE(store->importFormat("r1", "presentation", true).ok());
    EXPECT_EQ(snapshot(dir.path()), before);
    EXPECT_TRUE(store->listInbox(10).empty()) << "an inbox that is a tree has nothing waiting in it";
    EXPECT_EQ(store->importFormat("r2", "presentation", true).failure, StorageFailure::NotFound);
    // Importing as unpublished moves it out of the (published) inbox.
    ASSERT_TRUE(store->importFormat("r1", "presentation", false).ok());
    EXPECT_TRUE(fs::exists(unpublished / "presentation" / "r1" / "metadata.xml"));
    EXPECT_FALSE(fs::exists(published / "presentation" / "r1"));
}

TEST_F(RecordingMovesTest, QuarantineMovesAsideWithAReason) {
    auto store = make();
    const auto expected = snapshot(makeRecording(inbox, "presentation", "r1"));
    context.manualClock().setSeconds(1'704'067'200 + 3661);  // 2024-01-01T01:01:01Z
    auto result = store->quarantine("r1", "presentation", "metadata.xml does not parse\nforged: line");
    ASSERT_TRUE(result.ok()) << result.message;
    const auto quarantine = inbox / ".quarantine";
    EXPECT_FALSE(fs::exists(inbox / "presentation" / "r1"));
    EXPECT_EQ(snapshot(quarantine / "presentation" / "r1"), expected);
    EXPECT_EQ(readAll(quarantine / "presentation" / "r1.reason.txt"),
              "record_id: r1\nformat: presentation\nquarantined_at: 2024-01-01T01:01:01Z\n"
              "reason: metadata.xml does not parse forged: line\n");
    EXPECT_EQ(fs::status(quarantine).permissions(), fs::perms(0750));
    ASSERT_TRUE(context.recordingLogger().find("recording_quarantined").has_value());
    // The quarantine is no format: listings never see it.
    EXPECT_TRUE(store->listInbox(10).empty());

    // A second broken copy replaces the older quarantined one.
    const auto second = snapshot(makeRecording(inbox, "presentation", "r1", 7));
    ASSERT_TRUE(store->quarantine("r1", "presentation", "again").ok());
    EXPECT_EQ(snapshot(quarantine / "presentation" / "r1"), second);
    EXPECT_NE(readAll(quarantine / "presentation" / "r1.reason.txt").find("reason: again\n"), std::string::npos);
    EXPECT_EQ(store->quarantine("r1", "presentation", "gone").failure, StorageFailure::NotFound);
    EXPECT_FALSE(hasStagingLeftovers(dir.path()));
}

TEST_F(RecordingMovesTest, ConfiguredQuarantinePath) {
    const auto elsewhere = dir.mkdir("broken");
    context.mapConfig().set(kQuarantinePathKey, elsewhere.string());
    auto store = make();
    makeRecording(inbox, "video", "r1");
    ASSERT_TRUE(store->quarantine("r1", "video", "why").ok());
    EXPECT_TRUE(fs::exists(elsewhere / "video" / "r1" / "metadata.xml"));
    EXPECT_TRUE(fs::exists(elsewhere / "video" / "r1.reason.txt"));
}

TEST_F(RecordingMovesTest, ListInboxOldestFirstWithProblemsAndLimit) {
    auto store = make();
    makeRecording(inbox, "presentation", "new");
    makeRecording(inbox, "presentation", "old");
    makeRecording(inbox, "video", "middle");
    fs::create_directories(inbox / "presentation" / "writing");  // no metadata.xml yet
    makeRecording(inbox, "presentation", ".hidden");
    makeRecording(inbox, "bad.format", "r9");
    makeRecording(inbox, "presentation", ".r1.b3s-tmp");
    writeFile(inbox / "presentation" / "big" / "metadata.xml", std::string(kMetadataMaxBytes + 1, 'x'));
    fs::create_directories(inbox / "presentation" / "dirmeta" / "metadata.xml");
    setMtime(inbox / "presentation" / "old" / "metadata.xml", 1000);
    setMtime(inbox / "video" / "middle" / "metadata.xml", 2000);
    setMtime(inbox / "presentation" / "big" / "metadata.xml", 3000);
    setMtime(inbox / "presentation" / "new" / "metadata.xml", 4000);
    setMtime(inbox / "presentation" / "dirmeta" / "metadata.xml", 5000);

    auto listed = store->listInbox(100);
    ASSERT_EQ(listed.size(), 5u);
    EXPECT_EQ(listed[0].record_id, "old");
    EXPECT_EQ(listed[0].metadata_xml, metadataXml("old"));
    EXPECT_TRUE(listed[0].problem.empty());
    EXPECT_EQ(listed[0].tree, RecordingTree::Inbox);
    EXPECT_EQ(listed[1].record_id, "middle");
    EXPECT_EQ(listed[1].format, "video");
    EXPECT_EQ(listed[2].record_id, "big");
    EXPECT_EQ(listed[2].problem, "metadata.xml is larger than 1 MiB");
    EXPECT_TRUE(listed[2].metadata_xml.empty());
    EXPECT_EQ(listed[3].record_id, "new");
    EXPECT_EQ(listed[4].record_id, "dirmeta");
    EXPECT_EQ(listed[4].problem, "metadata.xml is not a regular file");

    auto two = store->listInbox(2);
    ASSERT_EQ(two.size(), 2u);
    EXPECT_EQ(two[0].record_id, "old");
    EXPECT_EQ(two[1].record_id, "middle");
    EXPECT_TRUE(store->listInbox(0).empty());
}

TEST_F(RecordingMovesTest, ScanStoredVisitsBothTreesInAStableOrder) {
    auto store = make();
    makeRecording(unpublished, "video", "b");
    makeRecording(published, "presentation", "b");
    makeRecording(published, "presentation", "a");
    fs::create_directories(published / "podcast" / "nometa");
    makeRecording(inbox, "presentation", "waiting");
    std::vector<std::string> seen;
    auto count = store->scanStored([&](const plugin::StoredFormat& f) {
        seen.push_back(std::string(f.tree == RecordingTree::Published ? "P:" : "U:") + f.format + "/" + f.record_id +
                       (f.problem.empty() ? "" : " (" + f.problem + ")"));
    });
    EXPECT_EQ(count, 4u);
    EXPECT_EQ(seen, (std::vector<std::string>{"P:podcast/nometa (metadata.xml is missing)", "P:presentation/a",
                                              "P:presentation/b", "U:video/b"}));
}

TEST_F(RecordingMovesTest, ForcedCopyPathThroughTheStore) {
    auto store = make(copyPath());
    const auto expected = snapshot(makeRecording(inbox, "presentation", "r1", 300000));
    ASSERT_TRUE(store->importFormat("r1", "presentation", true).ok());
    EXPECT_EQ(snapshot(published / "presentation" / "r1"), expected);
    EXPECT_FALSE(fs::exists(inbox / "presentation" / "r1"));
    ASSERT_TRUE(store->setPublished("r1", "presentation", false).ok());
    EXPECT_EQ(snapshot(unpublished / "presentation" / "r1"), expected);
    EXPECT_FALSE(hasStagingLeftovers(dir.path()));
}

TEST_F(RecordingMovesTest, NoSpaceThroughTheSeamLeavesTheSourceIntact) {
    int created = 0;
    auto store = make(copyPath(true, [&](const fs::path&) { return ++created == 3 ? ENOSPC : 0; }));
    makeRecording(inbox, "presentation", "r1");
    const auto before = snapshot(dir.path());
    auto result = store->importFormat("r1", "presentation", true);
    EXPECT_EQ(result.failure, StorageFailure::NoSpace);
    EXPECT_NE(result.message.find(published.string()), std::string::npos) << result.message;
    EXPECT_NE(result.message.find("No space left on device"), std::string::npos) << result.message;
    auto after = snapshot(dir.path());
    after.erase("published/presentation");  // the empty format directory may stay
    EXPECT_EQ(after, before);
    EXPECT_FALSE(hasStagingLeftovers(dir.path()));
}

TEST_F(RecordingMovesTest, PermissionDeniedThroughTheSeamLeavesTheSourceIntact) {
    auto store = make(copyPath(true, [](const fs::path&) { return EACCES; }));
    makeRecording(published, "presentation", "r1");
    const auto before = snapshot(dir.path());
    auto result = store->setPublished("r1", "presentation", false);
    EXPECT_EQ(result.failure, StorageFailure::PermissionDenied) << result.message;
    auto after = snapshot(dir.path());
    after.erase("unpublished/presentation");
    EXPECT_EQ(after, before);
}

// The real thing: the published tree is another file system, so rename(2) says EXDEV.
TEST_F(RecordingMovesTest, MovesAcrossFileSystemsOnARealTmpfs) {
    TmpfsMount mount(published, "size=8m,mode=0755");
    if (!mount.mounted())
        GTEST_SKIP() << "cannot mount a tmpfs here (" << mount.error() << "); the seam tests cover the copy path";
    auto store = make();
    makeRecording(inbox, "presentation", "r1", 500000);
    fs::create_symlink("metadata.xml", inbox / "presentation" / "r1" / "link");
    const auto expected_with_link = snapshot(inbox / "presentation" / "r1");
    auto result = store->importFormat("r1", "presentation", true);
    ASSERT_TRUE(result.ok()) << result.message;
    EXPECT_EQ(snapshot(published / "presentation" / "r1"), expected_with_link);
    EXPECT_FALSE(fs::exists(inbox / "presentation" / "r1"));
    // And back again.
    ASSERT_TRUE(store->setPublished("r1", "presentation", false).ok());
    EXPECT_EQ(snapshot(unpublished / "presentation" / "r1"), expected_with_link);
    EXPECT_FALSE(fs::exists(published / "presentation" / "r1"));
    EXPECT_FALSE(hasStagingLeftovers(dir.path()));
}

TEST_F(RecordingMovesTest, DiskFullOnARealTmpfs) {
    TmpfsMount mount(published, "size=256k");
    if (!mount.mounted())
        GTEST_SKIP() << "cannot mount a tmpfs here (" << mount.error() << "); NoSpaceThroughTheSeam covers it";
    auto store = make();
    makeRecording(inbox, "presentation", "r1", 1024 * 1024);
    const auto before = snapshot(inbox);
    auto result = store->importFormat("r1", "presentation", true);
    EXPECT_EQ(result.failure, StorageFailure::NoSpace) << result.message;
    EXPECT_NE(result.message.find(published.string()), std::string::npos) << result.message;
    EXPECT_EQ(snapshot(inbox), before);
    EXPECT_FALSE(hasStagingLeftovers(published));
    EXPECT_FALSE(fs::exists(published / "presentation" / "r1"));
    // The space is free again: the staging copy is gone, not just hidden.
    const auto space = fs::space(published);
    EXPECT_GE(space.free + 16 * 1024, space.capacity);
}

TEST_F(RecordingMovesTest, ReadOnlyDestinationOnARealTmpfs) {
    TmpfsMount mount(unpublished, "size=1m");
    if (!mount.mounted())
        GTEST_SKIP() << "cannot mount a tmpfs here (" << mount.error() << "); the seam tests cover it";
    makeRecording(published, "presentation", "r1");
    auto store = make();
    auto expectRefused = [&] {
        const auto before = snapshot(dir.path());
        auto result = store->setPublished("r1", "presentation", false);
        EXPECT_EQ(result.failure, StorageFailure::PermissionDenied) << result.message;
        EXPECT_NE(result.message.find(unpublished.string()), std::string::npos) << result.message;
        EXPECT_NE(result.message.find("Read-only file system"), std::string::npos) << result.message;
        EXPECT_EQ(snapshot(dir.path()), before);
    };
    {
        SCOPED_TRACE("format directory missing: creating it fails");
        ASSERT_TRUE(mount.remount(true, "size=1m")) << std::strerror(errno);
        expectRefused();
    }
    {
        SCOPED_TRACE("format directory present: the copy fails");
        ASSERT_TRUE(mount.remount(false, "size=1m")) << std::strerror(errno);
        fs::create_directories(unpublished / "presentation");
        ASSERT_TRUE(mount.remount(true, "size=1m")) << std::strerror(errno);
        expectRefused();
    }
}

TEST_F(RecordingMovesTest, ConcurrentCallsOnOneRecordingNeverLoseIt) {
    auto store = make();
    const auto expected = snapshot(makeRecording(inbox, "presentation", "r1"));
    ASSERT_TRUE(store->importFormat("r1", "presentation", true).ok());
    std::vector<std::thread> threads;
    std::atomic<int> failures{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&, t] {
            for (int i = 0; i < 50; ++i) {
                if (!store->setPublished("r1", "presentation", (i + t) % 2 == 0).ok()) ++failures;
                if (!store->importFormat("r1", "presentation", true).ok()) ++failures;
                store->thumbnails("r1");
                store->listTextTracks("r1");
            }
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(failures.load(), 0);
    const bool in_published = fs::exists(published / "presentation" / "r1");
    const bool in_unpublished = fs::exists(unpublished / "presentation" / "r1");
    EXPECT_NE(in_published, in_unpublished);
    EXPECT_EQ(snapshot((in_published ? published : unpublished) / "presentation" / "r1"), expected);
    EXPECT_FALSE(hasStagingLeftovers(dir.path()));
}

}  // namespace
}  // namespace b3s::recordings::filesystem
