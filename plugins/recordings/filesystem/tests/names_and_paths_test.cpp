#include "recording_files.hpp"
#include "safe_paths.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <functional>
#include <string>
#include <vector>

namespace b3s::recordings::filesystem {
namespace {

using namespace test_support;
using plugin::StorageFailure;

const std::string kNul("a\0b", 3);

TEST(Names, RecordIdsAndFormats) {
    for (const auto& good :
         std::vector<std::string>{"a", "presentation", "9d8e1c5a7b3f2e6d4c1a0b9e8f7d6c5b4a3e2f1d-1700000000000",
                                  "A_b-9", std::string(200, 'x')}) {
        EXPECT_TRUE(isValidRecordId(good)) << good;
        EXPECT_TRUE(isValidFormat(good)) << good;
    }
    for (const auto& bad : std::vector<std::string>{"", ".", "..", "../x", "a/b", "/abs", ".hidden", "a b", "a.b", "ä",
                                                    std::string(201, 'x'), kNul, "a\n"}) {
        EXPECT_FALSE(isValidRecordId(bad)) << bad;
        EXPECT_FALSE(isValidFormat(bad)) << bad;
    }
}

TEST(Names, LangsAndKinds) {
    for (const auto& good : std::vector<std::string>{"en", "en-US", "pt-BR", "zh-Hant-TW", std::string(35, 'a')})
        EXPECT_TRUE(isValidLang(good)) << good;
    for (const auto& bad :
         std::vector<std::string>{"", "en_US", "../en", "en/US", std::string(36, 'a'), kNul, "de.vtt"})
        EXPECT_FALSE(isValidLang(bad)) << bad;
    EXPECT_TRUE(isValidKind("subtitles"));
    EXPECT_TRUE(isValidKind("captions"));
    for (const auto& bad : std::vector<std::string>{"", "Subtitles", "chapters", "descriptions", "captions/.."})
        EXPECT_FALSE(isValidKind(bad)) << bad;
}

class HostileNamesTest : public ::testing::Test, protected StoreFixture {};

TEST_F(HostileNamesTest, TraversalAttemptsAreRefusedAndTouchNothing) {
    auto store = make();
    // Something a traversal could reach: a sibling of the trees and a recording in each tree.
    writeFile(dir / "x" / "metadata.xml", "victim");
    makeRecording(inbox, "presentation", "r1");
    makeRecording(published, "presentation", "r2");
    makeRecording(unpublished, "presentation", "r3");
    const auto before = snapshot(dir.path());

    const std::vector<std::string> hostile = {
        "../x", "..", ".", "a/b", "", std::string(201, 'a'), kNul, "../../x", "/etc", "r1/../../x", ".quarantine"};
    for (const auto& name : hostile) {
        SCOPED_TRACE("name '" + name + "'");
        struct Call {
            const char* what;
            std::function<plugin::StorageResult()> run;
        };
        const std::vector<Call> calls = {
            {"import id", [&] { return store->importFormat(name, "presentation", true); }},
            {"import format", [&] { return store->importFormat("r1", name, true); }},
            {"publish id", [&] { return store->setPublished(name, "presentation", true); }},
            {"publish format", [&] { return store->setPublished("r3", name, true); }},
            {"remove id", [&] { return store->remove(name, "presentation"); }},
            {"remove format", [&] { return store->remove("r2", name); }},
            {"quarantine id", [&] { return store->quarantine(name, "presentation", "bad"); }},
            {"quarantine format", [&] { return store->quarantine("r1", name, "bad"); }},
            {"track id",
             [&] {
                 return store->putTextTrack(name, {"subtitles", "en", "", "", ""}, "WEBVTT\n");
             }},
        };
        for (const auto& call : calls) {
            SCOPED_TRACE(call.what);
            auto result = call.run();
            EXPECT_EQ(result.failure, StorageFailure::InvalidName) << result.message;
            EXPECT_FALSE(result.message.empty());
        }
        EXPECT_TRUE(store->thumbnails(name).empty());
        EXPECT_TRUE(store->listTextTracks(name).empty());
        EXPECT_EQ(snapshot(dir.path()), before);
    }
    for (const auto& lang : {std::string("../en"), std::string("en/x"), std::string(""), kNul}) {
        auto result = store->putTextTrack("r2", {"subtitles", lang, "", "", ""}, "WEBVTT\n");
        EXPECT_EQ(result.failure, StorageFailure::InvalidName);
    }
    EXPECT_EQ(store->putTextTrack("r2", {"chapters", "en", "", "", ""}, "WEBVTT\n").failure,
              StorageFailure::InvalidName);
    EXPECT_EQ(store->putTextTrack("r2", {"subtitles", "en", "", "scraped", ""}, "WEBVTT\n").failure,
              StorageFailure::InvalidName);
    EXPECT_EQ(snapshot(dir.path()), before);
}

TEST_F(HostileNamesTest, PlantedSymlinkRecordingIsRefusedAndItsTargetUntouched) {
    auto store = make();
    // An attacker with write access to one tree links a recording name to something outside.
    auto outside = makeRecording(dir.path(), "elsewhere", "victim");
    fs::create_directories(published / "presentation");
    fs::create_directory_symlink(outside, published / "presentation" / "r1");
    makeRecording(inbox, "presentation", "r1");
    const auto before_outside = snapshot(outside);
    const auto before = snapshot(dir.path());

    struct Call {
        int line;
        std::function<plugin::StorageResult()> run;
    };
    const std::vector<Call> calls = {
        {__LINE__, [&] { return store->importFormat("r1", "presentation", true); }},
        {__LINE__, [&] { return store->setPublished("r1", "presentation", false); }},
        {__LINE__, [&] { return store->setPublished("r1", "presentation", true); }},
        {__LINE__, [&] { return store->remove("r1", "presentation"); }},
        {__LINE__,
         [&] {
             return store->putTextTrack("r1", {"subtitles", "en", "", "", ""}, "WEBVTT\n");
         }},
    };
    for (const auto& call : calls) {
        SCOPED_TRACE("call at line " + std::to_string(call.line));
        auto result = call.run();
        EXPECT_EQ(result.failure, StorageFailure::PermissionDenied) << result.message;
        EXPECT_NE(result.message.find("symbolic link"), std::string::npos) << result.message;
        EXPECT_NE(result.message.find((published / "presentation" / "r1").string()), std::string::npos);
        EXPECT_EQ(snapshot(outside), before_outside);
        EXPECT_EQ(snapshot(dir.path()), before);
    }
    EXPECT_TRUE(store->thumbnails("r1").empty());
    EXPECT_TRUE(store->listTextTracks("r1").empty());
}

TEST_F(HostileNamesTest, PlantedSymlinkFormatDirectoryIsRefused) {
    auto store = make();
    auto outside = dir.mkdir("outside");
    fs::create_directory_symlink(outside, unpublished / "presentation");
    makeRecording(inbox, "presentation", "r1");
    makeRecording(published, "presentation", "r2");
    const auto before = snapshot(dir.path());
    EXPECT_EQ(store->importFormat("r1", "presentation", false).failure, StorageFailure::PermissionDenied);
    EXPECT_EQ(store->setPublished("r2", "presentation", false).failure, StorageFailure::PermissionDenied);
    EXPECT_TRUE(fs::is_empty(outside));
    EXPECT_EQ(snapshot(dir.path()), before);
    // The listing skips what it must not follow.
    int visited = 0;
    store->scanStored([&](const plugin::StoredFormat& f) {
        ++visited;
        EXPECT_EQ(f.record_id, "r2");
    });
    EXPECT_EQ(visited, 1);
}

}  // namespace
}  // namespace b3s::recordings::filesystem
