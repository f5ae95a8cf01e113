#include "recordings/import_merge.hpp"

#include "captured_log.hpp"
#include "recordings/metadata_xml.hpp"
#include "recordings/recording_document.hpp"
#include "recordings/visibility.hpp"
#include "sample_metadata.hpp"

#include <gtest/gtest.h>

namespace b3s::core::recordings {
namespace {

using test::sampleMetadataXml;

// The row as the import stored it the first time.
store::Recording stored() {
    auto rec = parseMetadataXml(sampleMetadataXml()).imported->recording;
    rec.frontend_id = "frontend-1";
    rec.created_at = 1;
    rec.updated_at = 2;
    rec.version = 3;
    return rec;
}

store::Recording incoming(const std::string& format = "presentation", const std::string& processing_time = "5429") {
    return parseMetadataXml(sampleMetadataXml(format, processing_time)).imported->recording;
}

TEST(ImportMergeTest, SameDocumentTwiceIsUnchanged) {
    const auto existing = stored();
    const auto merged = mergeImport(existing, incoming());
    EXPECT_FALSE(merged.changed);
    EXPECT_EQ(merged.recording, existing);
}

TEST(ImportMergeTest, UnchangedEvenWhenStoredJsonIsSpelledDifferently) {
    auto existing = stored();
    // Same formats, different key order and spacing: still the same formats.
    const auto formats = parseFormatsJson(existing.formats_json);
    ASSERT_TRUE(formats);
    const auto& f = (*formats)[0];
    std::string preview = "[";
    for (std::size_t i = 0; i < f.preview.size(); ++i) {
        if (i) preview += ", ";
        preview += R"({"height": )" + std::to_string(f.preview[i].height) + R"(, "width": )" +
                   std::to_string(f.preview[i].width) + R"(, "alt": ")" + f.preview[i].alt + R"(", "url": ")" +
                   f.preview[i].url + "\"}";
    }
    preview += "]";
    existing.formats_json = R"([ {"url": ")" + f.url +
                            R"(", "type": "presentation", "length": 1, "size": 1104836, )"
                            R"("processing_time": 5429, "preview": )" +
                            preview + "} ]";
    const auto merged = mergeImport(existing, incoming());
    EXPECT_FALSE(merged.changed);
    EXPECT_EQ(merged.recording.formats_json, existing.formats_json);
}

TEST(ImportMergeTest, NewFormatIsAppended) {
    const auto existing = stored();
    const auto merged = mergeImport(existing, incoming("video", "100"));
    EXPECT_TRUE(merged.changed);
    const auto formats = parseFormatsJson(merged.recording.formats_json);
    ASSERT_TRUE(formats);
    ASSERT_EQ(formats->size(), 2u);
    EXPECT_EQ((*formats)[0].type, "presentation");
    EXPECT_EQ((*formats)[1].type, "video");
    EXPECT_EQ((*formats)[1].processing_time, 100);
    // …and importing the video document again changes nothing more.
    EXPECT_FALSE(mergeImport(merged.recording, incoming("video", "100")).changed);
}

TEST(ImportMergeTest, SameFormatIsReplacedByTheImport) {
    const auto existing = stored();
    const auto merged = mergeImport(existing, incoming("presentation", "9999"));
    EXPECT_TRUE(merged.changed);
    const auto formats = parseFormatsJson(merged.recording.formats_json);
    ASSERT_EQ(formats->size(), 1u);
    EXPECT_EQ((*formats)[0].processing_time, 9999);
}

TEST(ImportMergeTest, StoredValuesWin) {
    auto existing = stored();
    apply(existing, Visibility::Protected);
    existing.meeting_id = "overridden";
    existing.internal_meeting_id = "internal-override";
    existing.name = "Renamed";
    existing.metadata.emplace_back("zz-admin", "kept");
    existing.participants = 7;
    auto in = incoming("video", "100");
    in.state = "unpublished";
    in.published = false;
    const auto merged = mergeImport(existing, in);
    EXPECT_TRUE(merged.changed);
    EXPECT_EQ(merged.recording.meeting_id, "overridden");
    EXPECT_EQ(merged.recording.internal_meeting_id, "internal-override");
    EXPECT_EQ(merged.recording.name, "Renamed");
    EXPECT_EQ(merged.recording.state, "published");
    EXPECT_TRUE(merged.recording.published);
    EXPECT_EQ(merged.recording.metadata, existing.metadata);
    EXPECT_EQ(merged.recording.participants, 7);
    EXPECT_EQ(merged.recording.frontend_id, "frontend-1");
    EXPECT_EQ(merged.recording.version, 3);
}

TEST(ImportMergeTest, ZeroParticipantsAndTimesAreFilledFromTheImport) {
    auto existing = stored();
    existing.participants = 0;
    existing.start_time = 0;
    const auto merged = mergeImport(existing, incoming());
    EXPECT_TRUE(merged.changed);
    EXPECT_EQ(merged.recording.participants, 3);
    EXPECT_EQ(merged.recording.start_time, 1554230749920);
}

TEST(ImportMergeTest, MalformedStoredFormatsAreRepaired) {
    b3s::test::CapturedLog log;
    auto existing = stored();
    existing.formats_json = "{broken";
    const auto merged = mergeImport(existing, incoming());
    EXPECT_TRUE(merged.changed);
    EXPECT_EQ(merged.recording.formats_json, incoming().formats_json);
}

}  // namespace
}  // namespace b3s::core::recordings
