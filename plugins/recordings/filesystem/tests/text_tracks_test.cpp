#include "text_tracks.hpp"
#include "recording_files.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace b3s::recordings::filesystem {
namespace {

using namespace test_support;
using plugin::StorageFailure;

const std::string kVtt = "WEBVTT\n\n00:00:01.000 --> 00:00:04.000\nHello\n";
const std::string kSrt =
    "1\r\n00:00:01,000 --> 00:00:04,500\r\nHello, world\r\n\r\n2\r\n00:01:02,003 --> 00:01:05,000 X1:10\r\n"
    "Second, cue\r\n";
const std::string kSsa = "[Script Info]\nTitle: x\nScriptType: v4.00+\n\n[Events]\nDialogue: 0,0:00:01.00,...\n";

TEST(WebVttConversion, WebVttIsStoredAsIs) {
    for (const std::string& vtt : {kVtt, std::string("\xEF\xBB\xBFWEBVTT - title\n\n"), std::string("WEBVTT")}) {
        std::string out;
        ASSERT_TRUE(toWebVtt(vtt, out).ok());
        EXPECT_EQ(out, vtt);
    }
}

TEST(WebVttConversion, SrtBecomesWebVtt) {
    std::string out;
    auto result = toWebVtt(kSrt, out);
    ASSERT_TRUE(result.ok()) << result.message;
    EXPECT_EQ(out,
              "WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.500\nHello, world\n\n2\n00:01:02.003 --> 00:01:05.000\n"
              "Second, cue\n");
    // Without cue numbers, with a BOM.
    ASSERT_TRUE(toWebVtt("\xEF\xBB\xBF\n00:00:01,000 --> 00:00:02,000\nHi\n", out).ok());
    EXPECT_EQ(out, "WEBVTT\n\n\n00:00:01.000 --> 00:00:02.000\nHi\n");
}

TEST(WebVttConversion, EverythingElseIsUnsupported) {
    struct Case {
        int line;
        std::string content;
        std::string message_contains;
    };
    const std::vector<Case> cases = {
        {__LINE__, kSsa, "SSA/ASS"},
        {__LINE__, "\n[script info]\n", "SSA/ASS"},
        {__LINE__, std::string("\x89PNG\r\n\x1a\n\0\0", 10), "binary"},
        {__LINE__, "Hello there\n", "neither WebVTT nor SubRip"},
        {__LINE__, "WEBVTTX\n", "neither WebVTT nor SubRip"},
        {__LINE__, "1\n00:00:01 --> 00:00:02\nno millis\n", "neither WebVTT nor SubRip"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        std::string out;
        auto result = toWebVtt(c.content, out);
        EXPECT_EQ(result.failure, StorageFailure::Unsupported);
        EXPECT_NE(result.message.find(c.message_contains), std::string::npos) << result.message;
    }
}

class TextTracksTest : public ::testing::Test, protected StoreFixture {
protected:
    plugin::TextTrack track(std::string kind, std::string lang, std::string label = "", std::string source = "") {
        return {std::move(kind), std::move(lang), std::move(label), std::move(source), "ignored"};
    }
};

TEST_F(TextTracksTest, PutListReplaceDelete) {
    auto store = make();
    makeRecording(published, "video", "r1");
    makeRecording(published, "presentation", "r1");
    const auto home = published / "presentation" / "r1";

    ASSERT_TRUE(store->putTextTrack("r1", track("subtitles", "en", "English"), kVtt).ok());
    ASSERT_TRUE(store->putTextTrack("r1", track("captions", "de", "Deutsch", "live"), kSrt).ok());
    ASSERT_TRUE(store->putTextTrack("r1", track("subtitles", "de"), kVtt).ok());
    EXPECT_EQ(readAll(home / "caption_en.vtt"), kVtt);
    EXPECT_EQ(readAll(home / "caption_captions_de.vtt").substr(0, 8), "WEBVTT\n\n");
    EXPECT_EQ(readAll(home / "captions.json"),
              R"([{"locale":"de","localeName":"Deutsch","kind":"captions","source":"live"},)"
              R"({"locale":"de","localeName":"de","kind":"subtitles","source":"upload"},)"
              R"({"locale":"en","localeName":"English","kind":"subtitles","source":"upload"}])"
              "\n");

    auto tracks = store->listTextTracks("r1");
    ASSERT_EQ(tracks.size(), 3u);
    EXPECT_EQ(tracks[0].kind, "captions");
    EXPECT_EQ(tracks[0].lang, "de");
    EXPECT_EQ(tracks[0].label, "Deutsch");
    EXPECT_EQ(tracks[0].source, "live");
    EXPECT_EQ(tracks[0].path, "presentation/r1/caption_captions_de.vtt");
    EXPECT_EQ(tracks[1].path, "presentation/r1/caption_de.vtt");
    EXPECT_EQ(tracks[2].lang, "en");

    // Replace: same kind and lang.
    const std::string other = "WEBVTT\n\n00:00:05.000 --> 00:00:06.000\nBye\n";
    ASSERT_TRUE(store->putTextTrack("r1", track("subtitles", "en", "English (new)"), other).ok());
    EXPECT_EQ(readAll(home / "caption_en.vtt"), other);
    tracks = store->listTextTracks("r1");
    ASSERT_EQ(tracks.size(), 3u);
    EXPECT_EQ(tracks[2].label, "English (new)");

    // Delete: empty content; deleting again is fine.
    ASSERT_TRUE(store->putTextTrack("r1", track("subtitles", "en"), "").ok());
    ASSERT_TRUE(store->putTextTrack("r1", track("subtitles", "en"), "").ok());
    EXPECT_FALSE(fs::exists(home / "caption_en.vtt"));
    EXPECT_EQ(store->listTextTracks("r1").size(), 2u);
    EXPECT_EQ(context.recordingLogger().count("text_track_deleted"), 2u);
    EXPECT_FALSE(hasStagingLeftovers(dir.path()));
    EXPECT_FALSE(fs::exists(published / "video" / "r1" / "captions.json"));
}

TEST_F(TextTracksTest, TracksMoveWithTheRecording) {
    auto store = make();
    makeRecording(published, "presentation", "r1");
    ASSERT_TRUE(store->putTextTrack("r1", track("subtitles", "fr"), kVtt).ok());
    ASSERT_TRUE(store->setPublished("r1", "presentation", false).ok());
    auto tracks = store->listTextTracks("r1");
    ASSERT_EQ(tracks.size(), 1u);
    EXPECT_TRUE(fs::exists(unpublished / "presentation" / "r1" / "caption_fr.vtt"));
}

TEST_F(TextTracksTest, WithoutPresentationTheFirstFormatHoldsThem) {
    auto store = make();
    makeRecording(unpublished, "video", "r1");
    makeRecording(unpublished, "podcast", "r1");
    ASSERT_TRUE(store->putTextTrack("r1", track("subtitles", "en"), kVtt).ok());
    EXPECT_TRUE(fs::exists(unpublished / "podcast" / "r1" / "caption_en.vtt"));
    EXPECT_EQ(store->listTextTracks("r1").at(0).path, "podcast/r1/caption_en.vtt");
}

TEST_F(TextTracksTest, RefusalsTouchNothing) {
    context.mapConfig().set(kTextTrackMaxBytesKey, "100");
    auto store = make();
    makeRecording(published, "presentation", "r1");
    const auto before = snapshot(dir.path());
    auto result = store->putTextTrack("r1", track("subtitles", "en"), kSsa);
    EXPECT_EQ(result.failure, StorageFailure::Unsupported);
    EXPECT_NE(result.message.find("SSA/ASS"), std::string::npos);
    result = store->putTextTrack("r1", track("subtitles", "en"), "WEBVTT\n\n" + std::string(100, 'x'));
    EXPECT_EQ(result.failure, StorageFailure::TooLarge);
    EXPECT_NE(result.message.find("B3SCALE_RECORDINGS_TEXT_TRACK_MAX_BYTES"), std::string::npos) << result.message;
    result = store->putTextTrack("nothing-here", track("subtitles", "en"), kVtt);
    EXPECT_EQ(result.failure, StorageFailure::NotFound);
    EXPECT_EQ(result.message, "The recording has no files to store a text track with.");
    EXPECT_EQ(snapshot(dir.path()), before);
    EXPECT_TRUE(store->listTextTracks("nothing-here").empty());
}

TEST_F(TextTracksTest, ReadsBbbsOwnCaptionsJson) {
    auto store = make();
    const auto home = makeRecording(published, "presentation", "r1");
    writeFile(
        home / "captions.json",
        R"([{"localeName":"English","locale":"en"},{"locale":"../x"},{"locale":"pt-BR","localeName":"Português"}])");
    writeFile(home / "caption_en.vtt", kVtt);
    auto tracks = store->listTextTracks("r1");
    ASSERT_EQ(tracks.size(), 1u) << "pt-BR has no file, ../x is not a lang";
    EXPECT_EQ(tracks[0].kind, "subtitles");
    EXPECT_EQ(tracks[0].source, "upload");
    EXPECT_EQ(tracks[0].label, "English");
    // Adding one keeps BBB's entry.
    ASSERT_TRUE(store->putTextTrack("r1", track("subtitles", "pt-BR", "Português"), kVtt).ok());
    EXPECT_EQ(store->listTextTracks("r1").size(), 2u);

    writeFile(home / "captions.json", "{not json");
    const auto before = snapshot(dir.path());
    auto result = store->putTextTrack("r1", track("subtitles", "es"), kVtt);
    EXPECT_EQ(result.failure, StorageFailure::Io);
    EXPECT_NE(result.message.find("captions.json is not valid JSON"), std::string::npos) << result.message;
    EXPECT_EQ(snapshot(dir.path()), before);
    EXPECT_TRUE(store->listTextTracks("r1").empty());
}

}  // namespace
}  // namespace b3s::recordings::filesystem
