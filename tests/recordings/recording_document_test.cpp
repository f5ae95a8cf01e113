#include "recordings/recording_document.hpp"

#include "captured_log.hpp"

#include <gtest/gtest.h>

namespace b3s::core::recordings {
namespace {

std::vector<PlaybackFormat> twoFormats() {
    PlaybackFormat presentation{
        "presentation", "https://b/p",
        5429,           2,
        1104836,        {{"https://b/t1.png", "Welcome \"all\"", 176, 136}, {"rel/t2.png", "", 0, 0}}};
    PlaybackFormat video{"video", "https://b/v", 100, 2, std::nullopt, {}};
    return {presentation, video};
}

TEST(RecordingDocumentTest, WritesTheDocumentedShape) {
    EXPECT_EQ(formatsToJson(twoFormats()),
              R"([{"type":"presentation","url":"https://b/p","processing_time":5429,"length":2,"size":1104836,)"
              R"("preview":[{"url":"https://b/t1.png","alt":"Welcome \"all\"","width":176,"height":136},)"
              R"({"url":"rel/t2.png","alt":"","width":0,"height":0}]},)"
              R"({"type":"video","url":"https://b/v","processing_time":100,"length":2,"preview":[]}])");
    EXPECT_EQ(formatsToJson({}), "[]");
}

TEST(RecordingDocumentTest, RoundTrips) {
    const auto formats = twoFormats();
    EXPECT_EQ(parseFormatsJson(formatsToJson(formats)), formats);
}

TEST(RecordingDocumentTest, ReadsMinimalAndNullMembers) {
    const auto formats = parseFormatsJson(R"([{"type":"podcast","url":"u","size":null}])");
    ASSERT_TRUE(formats);
    ASSERT_EQ(formats->size(), 1u);
    EXPECT_EQ((*formats)[0], (PlaybackFormat{"podcast", "u", 0, 0, std::nullopt, {}}));
}

TEST(RecordingDocumentTest, MalformedDocumentsAreRefused) {
    b3s::test::CapturedLog log;
    for (const char* json : {
             "",
             "{}",
             "[1]",
             "not json",
             R"([{"url":"u"}])",
             R"([{"type":1,"url":"u"}])",
             R"([{"type":"t","url":"u","length":"2"}])",
             R"([{"type":"t","url":"u","length":1.5}])",
             R"([{"type":"t","url":"u","preview":{}}])",
             R"([{"type":"t","url":"u","preview":[{"alt":"x"}]}])",
             R"([{"type":"t","url":"u","preview":[{"url":"x","width":-1}]}])",
             R"([{"type":"t","url":"u","size":18446744073709551615}])",
         }) {
        EXPECT_FALSE(parseFormatsJson(json)) << json;
        EXPECT_TRUE(formatsFromJson(json, "rec-1").empty()) << json;
    }
}

TEST(RecordingDocumentTest, MalformedDocumentReadsAsNoFormatsAndIsLogged) {
    b3s::test::CapturedLog log;
    EXPECT_TRUE(formatsFromJson("[{\"type\":", "rec-77").empty());
    const auto text = log.text();
    EXPECT_NE(text.find("recordings.formats_malformed"), std::string::npos) << text;
    EXPECT_NE(text.find("rec-77"), std::string::npos) << text;
    EXPECT_EQ(formatsFromJson("[]", "rec-78"), std::vector<PlaybackFormat>{});
    EXPECT_EQ(log.text().find("rec-78"), std::string::npos);
}

}  // namespace
}  // namespace b3s::core::recordings
