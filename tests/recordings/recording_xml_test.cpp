#include "recordings/recording_xml.hpp"

#include "bbb/bbb_response.hpp"
#include "bbb/meeting_id_codec.hpp"
#include "bbb/xml_tree.hpp"
#include "recordings/recording_errors.hpp"

#include "captured_log.hpp"

#include <gtest/gtest.h>

#include <string>

namespace b3s::core::recordings {
namespace {

store::Recording twoFormatRecording() {
    store::Recording rec;
    rec.record_id = "rec-1";
    rec.frontend_id = "fe-1";
    rec.meeting_id = bbb::encodeMeetingId("tenant1", "room-42");
    rec.internal_meeting_id = "int-1";
    rec.name = "Fred's Room & <friends>";
    rec.start_time = 1554230749920;
    rec.end_time = 1554230868742;
    rec.participants = 3;
    rec.metadata = {{"gl-listed", "false"},
                    {"isbreakout", "false"},
                    {"meetingid", rec.meeting_id},
                    {"meetingname", "Fred's Room"},
                    {"protect", "true"}};
    rec.formats_json = formatsToJson({
        {"presentation",
         "https://bbb1/playback/presentation/2.3/rec-1",
         5429,
         1,
         1104836,
         {{"https://bbb1/t1.png", "Welcome", 176, 136}, {"rel/t2.png", "", 0, 0}}},
        {"video", "https://bbb1/video/rec-1/", 100, 1, std::nullopt, {}},
    });
    return rec;
}

PlaybackLinks testLinks() {
    PlaybackLinks links;
    links.format_url = [](const store::Recording& rec, const PlaybackFormat& format) {
        return "https://play.example.com/" + format.type + "/" + rec.record_id;
    };
    links.image_url = [](std::string_view path) { return "https://play.example.com/img?a=1&p=" + std::string(path); };
    return links;
}

const std::string kTwoFormatXml =
    "<recording><recordID>rec-1</recordID><meetingID>room-42</meetingID><internalMeetingID>int-1</internalMeetingID>"
    "<name>Fred&apos;s Room &amp; &lt;friends&gt;</name><isBreakout>false</isBreakout><published>true</published>"
    "<state>published</state><startTime>1554230749920</startTime><endTime>1554230868742</endTime>"
    "<participants>3</participants>"
    "<metadata><gl-listed>false</gl-listed><isBreakout>false</isBreakout><meetingId>room-42</meetingId>"
    "<meetingName>Fred&apos;s Room</meetingName><protect>true</protect></metadata>"
    "<playback>"
    "<format><type>presentation</type><url>https://play.example.com/presentation/rec-1</url>"
    "<processingTime>5429</processingTime><length>1</length><size>1104836</size>"
    "<preview><images>"
    "<image alt=\"Welcome\" height=\"136\" "
    "width=\"176\">https://play.example.com/img?a=1&amp;p=https://bbb1/t1.png</image>"
    "<image>https://play.example.com/img?a=1&amp;p=rel/t2.png</image>"
    "</images></preview></format>"
    "<format><type>video</type><url>https://play.example.com/video/rec-1</url>"
    "<processingTime>100</processingTime><length>1</length></format>"
    "</playback></recording>";

TEST(RecordingXmlTest, RecordingWithTwoFormatsIsByteExact) {
    EXPECT_EQ(renderRecording(twoFormatRecording(), testLinks()), kTwoFormatXml);
}

TEST(RecordingXmlTest, GetRecordingsAnswer) {
    const auto body = renderGetRecordings({twoFormatRecording()}, testLinks());
    EXPECT_EQ(body,
              "<response><returncode>SUCCESS</returncode><recordings>" + kTwoFormatXml + "</recordings></response>");
    EXPECT_TRUE(bbb::parseXml(body));
}

TEST(RecordingXmlTest, NoRecordingsAnswerIsTodays) {
    EXPECT_EQ(renderGetRecordings({}),
              "<response><returncode>SUCCESS</returncode><recordings/><messageKey>noRecordings</messageKey>"
              "<message>There are no recordings for the meeting(s).</message></response>");
}

TEST(RecordingXmlTest, WithoutLinksTheStoredUrlsAreShown) {
    const auto xml = renderRecording(twoFormatRecording());
    EXPECT_NE(xml.find("<url>https://bbb1/playback/presentation/2.3/rec-1</url>"), std::string::npos);
    EXPECT_NE(xml.find(">rel/t2.png</image>"), std::string::npos);
}

TEST(RecordingXmlTest, UnencodedMeetingIdsAreShownAsStored) {
    auto rec = twoFormatRecording();
    rec.meeting_id = "legacy-room";
    rec.metadata = {{"meetingid", "legacy-room"}};
    const auto xml = renderRecording(rec);
    EXPECT_NE(xml.find("<meetingID>legacy-room</meetingID>"), std::string::npos);
    EXPECT_NE(xml.find("<metadata><meetingId>legacy-room</meetingId></metadata>"), std::string::npos);
}

TEST(RecordingXmlTest, InvalidMetadataNamesAndMalformedFormatsAreSkipped) {
    b3s::test::CapturedLog log;
    auto rec = twoFormatRecording();
    rec.metadata = {{"1bad", "x"}, {"a b", "y"}, {"ok", "z"}};
    rec.formats_json = "not json";
    bbb::XmlWriter writer;
    writeRecording(writer, rec, {});
    EXPECT_TRUE(writer.ok());
    const auto xml = writer.finish();
    EXPECT_NE(xml.find("<metadata><ok>z</ok></metadata><playback/></recording>"), std::string::npos);
    EXPECT_TRUE(bbb::parseXml(xml));
    EXPECT_NE(log.text().find("recordings.metadata_name_skipped"), std::string::npos);
}

TEST(RecordingXmlTest, PublishUpdateDeleteAnswers) {
    EXPECT_EQ(renderPublishRecordings(true),
              "<response><returncode>SUCCESS</returncode><published>true</published></response>");
    EXPECT_EQ(renderPublishRecordings(false),
              "<response><returncode>SUCCESS</returncode><published>false</published></response>");
    EXPECT_EQ(renderUpdateRecordings(), "<response><returncode>SUCCESS</returncode><updated>true</updated></response>");
    EXPECT_EQ(renderDeleteRecordings(), "<response><returncode>SUCCESS</returncode><deleted>true</deleted></response>");
}

TEST(RecordingXmlTest, TextTracksJson) {
    const std::vector<plugin::TextTrack> tracks = {
        {"captions", "en-US", "English", "live", "presentation/rec-1/captions_en-US.vtt"},
        {"subtitles", "pt-BR", "Português \"BR\"", "upload", "presentation/rec-1/subtitles_pt-BR.vtt"},
    };
    EXPECT_EQ(renderTextTracks(tracks, [](std::string_view p) { return "https://play.example.com/" + std::string(p); }),
              R"({"response":{"returncode":"SUCCESS","tracks":[)"
              R"({"href":"https://play.example.com/presentation/rec-1/captions_en-US.vtt","kind":"captions",)"
              R"("label":"English","lang":"en-US","source":"live"},)"
              R"({"href":"https://play.example.com/presentation/rec-1/subtitles_pt-BR.vtt","kind":"subtitles",)"
              R"("label":"Português \"BR\"","lang":"pt-BR","source":"upload"}]}})");
    EXPECT_EQ(renderTextTracks({}), R"({"response":{"returncode":"SUCCESS","tracks":[]}})");
}

TEST(RecordingXmlTest, PutTextTrackJson) {
    EXPECT_EQ(renderTextTrackUploaded("rec-1"),
              R"({"response":{"returncode":"SUCCESS","messageKey":"upload_text_track_success",)"
              R"("message":"Text track uploaded successfully","recordId":"rec-1"}})");
    EXPECT_EQ(renderTextTrackUploadFailed("rec-1"),
              R"({"response":{"returncode":"FAILED","messageKey":"upload_text_track_failed",)"
              R"("message":"Text track upload failed.","recordId":"rec-1"}})");
    EXPECT_EQ(bbb::renderFailureJson(textTrackParamError("kind")),
              R"({"response":{"returncode":"FAILED","messageKey":"paramError","message":"Missing param kind."}})");
    EXPECT_EQ(bbb::renderFailureJson(invalidKind()),
              R"({"response":{"returncode":"FAILED","messageKey":"invalidKind",)"
              R"("message":"The kind parameter is not set to a permitted value."}})");
    EXPECT_EQ(bbb::renderFailureJson(invalidLang()),
              R"({"response":{"returncode":"FAILED","messageKey":"invalidLang",)"
              R"("message":"The lang parameter is not a well-formed language tag."}})");
    EXPECT_EQ(bbb::renderFailureJson(emptyUploadedTextTrack()),
              R"({"response":{"returncode":"FAILED","messageKey":"empty_uploaded_text_track",)"
              R"("message":"Empty uploaded text track."}})");
    EXPECT_EQ(bbb::renderFailureJson(bbb::ApiError::noRecordings()),
              R"({"response":{"returncode":"FAILED","messageKey":"noRecordings",)"
              R"("message":"There are no recordings for the meeting(s)."}})");
}

}  // namespace
}  // namespace b3s::core::recordings
