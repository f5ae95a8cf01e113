#include "recordings/recording_query.hpp"

#include "bbb/meeting_id_codec.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace b3s::core::recordings {
namespace {

bbb::ParamList params(std::vector<bbb::Param> entries) {
    return bbb::ParamList::fromEntries(std::move(entries));
}

std::string idList(int n) {
    std::string list;
    for (int i = 0; i < n; ++i) list += (i ? "," : "") + std::string("rec-") + std::to_string(i);
    return list;
}

const std::vector<std::string> kDefaultStates = {"published", "unpublished"};

TEST(RecordingQueryTest, NoParametersQueryPublishedAndUnpublishedOfTheFrontend) {
    const auto q = parseRecordingQuery(params({}), "fe-1", "tenant1");
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q.value->frontend_id, "fe-1");
    EXPECT_TRUE(q.value->record_id_prefixes.empty());
    EXPECT_TRUE(q.value->meeting_ids.empty());
    EXPECT_EQ(q.value->states, kDefaultStates);
    EXPECT_TRUE(q.value->metadata.empty());
    EXPECT_EQ(q.value->offset, 0);
    EXPECT_EQ(q.value->limit, 0);
}

TEST(RecordingQueryTest, RecordIdsArePrefixesAndMeetingIdIsThenIgnored) {
    const auto q = parseRecordingQuery(params({{"recordID", " abc , def,,abc, "}, {"meetingID", "room"}}), "fe", "k");
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q.value->record_id_prefixes, (std::vector<std::string>{"abc", "def"}));
    EXPECT_TRUE(q.value->meeting_ids.empty());
}

TEST(RecordingQueryTest, MeetingIdsAreEncodedForTheFrontend) {
    const auto q = parseRecordingQuery(params({{"recordID", " , "}, {"meetingID", "room-1,,room 2"}}), "fe", "tenant1");
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q.value->meeting_ids, (std::vector<std::string>{bbb::encodeMeetingId("tenant1", "room-1"),
                                                              bbb::encodeMeetingId("tenant1", "room 2")}));
}

TEST(RecordingQueryTest, StateListAndAny) {
    auto q = parseRecordingQuery(params({{"state", "processing, published"}}), "fe", "k");
    EXPECT_EQ(q.value->states, (std::vector<std::string>{"processing", "published"}));
    q = parseRecordingQuery(params({{"state", "published,any"}}), "fe", "k");
    EXPECT_TRUE(q.value->states.empty());
    q = parseRecordingQuery(params({{"state", ""}}), "fe", "k");
    EXPECT_EQ(q.value->states, kDefaultStates);
}

TEST(RecordingQueryTest, MetaFiltersFollowBbbsNameRule) {
    const auto q = parseRecordingQuery(params({{"meta_gl-listed", "true"},
                                               {"meta_bbb-Origin", "Greenlight"},
                                               {"meta_", "x"},
                                               {"meta_1abc", "x"},
                                               {"meta_a_b", "x"},
                                               {"meta_a.b", "x"},
                                               {"meta", "x"},
                                               {"protect", "true"},
                                               {"meta_empty", ""}}),
                                       "fe", "k");
    ASSERT_TRUE(q.ok());
    const std::vector<std::pair<std::string, std::string>> expected = {
        {"gl-listed", "true"}, {"bbb-origin", "Greenlight"}, {"empty", ""}};
    EXPECT_EQ(q.value->metadata, expected);
}

TEST(RecordingQueryTest, OffsetAndLimit) {
    auto q = parseRecordingQuery(params({{"offset", "20"}, {"limit", "100"}}), "fe", "k");
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q.value->offset, 20);
    EXPECT_EQ(q.value->limit, 100);
    q = parseRecordingQuery(params({{"offset", ""}, {"limit", ""}}), "fe", "k");
    ASSERT_TRUE(q.ok());
    EXPECT_EQ(q.value->limit, 0);

    for (const char* offset : {"-1", "abc", "1.5", "+3", " 3", "99999999999999999999"}) {
        q = parseRecordingQuery(params({{"offset", offset}}), "fe", "k");
        ASSERT_FALSE(q.ok()) << offset;
        EXPECT_EQ(q.error.messageKey, "validationError");
        EXPECT_NE(q.error.message.find("offset"), std::string::npos);
    }
    for (const char* limit : {"0", "101", "-5", "ten", "1e2"}) {
        q = parseRecordingQuery(params({{"limit", limit}}), "fe", "k");
        ASSERT_FALSE(q.ok()) << limit;
        EXPECT_EQ(q.error.messageKey, "validationError");
        EXPECT_NE(q.error.message.find("limit"), std::string::npos);
    }
}

TEST(RecordingQueryTest, AtMostAHundredIds) {
    EXPECT_TRUE(parseRecordingQuery(params({{"recordID", idList(100)}}), "fe", "k").ok());
    auto q = parseRecordingQuery(params({{"recordID", idList(101)}}), "fe", "k");
    ASSERT_FALSE(q.ok());
    EXPECT_EQ(q.error.messageKey, "validationError");
    EXPECT_NE(q.error.message.find("recordID"), std::string::npos);
    q = parseRecordingQuery(params({{"meetingID", idList(101)}}), "fe", "k");
    ASSERT_FALSE(q.ok());
    EXPECT_NE(q.error.message.find("meetingID"), std::string::npos);
}

TEST(RecordingQueryTest, RecordIdLists) {
    auto ids = parseRecordIds(params({{"recordID", " a, b ,,a,c "}}));
    ASSERT_TRUE(ids.ok());
    EXPECT_EQ(*ids.value, (std::vector<std::string>{"a", "b", "c"}));
    for (const char* empty : {"", " , ,"}) {
        ids = parseRecordIds(params({{"recordID", empty}}));
        ASSERT_FALSE(ids.ok());
        EXPECT_EQ(ids.error, bbb::ApiError::missingParamRecordID());
    }
    EXPECT_EQ(parseRecordIds(params({})).error, bbb::ApiError::missingParamRecordID());
    EXPECT_TRUE(parseRecordIds(params({{"recordID", idList(100)}})).ok());
    EXPECT_EQ(parseRecordIds(params({{"recordID", idList(101)}})).error.messageKey, "validationError");
}

TEST(RecordingQueryTest, PublishNeedsIdsThenPublish) {
    EXPECT_EQ(parsePublishRecordings(params({{"publish", "true"}})).error, bbb::ApiError::missingParamRecordID());
    EXPECT_EQ(parsePublishRecordings(params({{"recordID", "a"}})).error, bbb::ApiError::missingParamPublish());
    auto p = parsePublishRecordings(params({{"recordID", "a,b"}, {"publish", "TRUE"}}));
    ASSERT_TRUE(p.ok());
    EXPECT_TRUE(p.value->publish);
    EXPECT_EQ(p.value->record_ids.size(), 2u);
    p = parsePublishRecordings(params({{"recordID", "a"}, {"publish", "yes"}}));
    ASSERT_TRUE(p.ok());
    EXPECT_FALSE(p.value->publish);
}

TEST(RecordingQueryTest, UpdatePatchLowerCasesAndDeletesOnEmpty) {
    const auto u = parseUpdateRecordings(params(
        {{"recordID", "a"}, {"meta_Protect", "true"}, {"meta_gl-listed", ""}, {"meta_bad_name", "x"}, {"other", "y"}}));
    ASSERT_TRUE(u.ok());
    EXPECT_EQ(u.value->record_ids, std::vector<std::string>{"a"});
    const MetadataPatch expected{{{"protect", "true"}, {"gl-listed", std::nullopt}}};
    EXPECT_EQ(u.value->patch, expected);
    EXPECT_EQ(parseUpdateRecordings(params({{"meta_a", "b"}})).error, bbb::ApiError::missingParamRecordID());
}

TEST(RecordingQueryTest, TextTrackUpload) {
    auto t = parseTextTrackUpload(params({{"recordID", " rec-1 "}, {"kind", "subtitles"}, {"lang", "pt-BR"}}));
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t.value->record_id, "rec-1");
    EXPECT_EQ(t.value->track.kind, "subtitles");
    EXPECT_EQ(t.value->track.lang, "pt-BR");
    EXPECT_EQ(t.value->track.label, "pt-BR");
    EXPECT_EQ(t.value->track.source, "upload");
    t = parseTextTrackUpload(params({{"recordID", "r"}, {"kind", "captions"}, {"lang", "en"}, {"label", " English "}}));
    EXPECT_EQ(t.value->track.label, "English");

    EXPECT_EQ(parseTextTrackUpload(params({{"kind", "captions"}, {"lang", "en"}})).error.message,
              "Missing param recordID.");
    EXPECT_EQ(parseTextTrackUpload(params({{"recordID", "r"}, {"lang", "en"}})).error.message, "Missing param kind.");
    EXPECT_EQ(parseTextTrackUpload(params({{"recordID", "r"}, {"kind", "captions"}})).error.messageKey, "paramError");
    EXPECT_EQ(parseTextTrackUpload(params({{"recordID", "r"}, {"kind", "chapters"}, {"lang", "en"}})).error.messageKey,
              "invalidKind");
    const std::vector<std::string> bad_langs = {
        "e", "en_US", "en--US", "1en", "en-", "toolongsubtag-x", std::string(36, 'a')};
    for (const auto& lang : bad_langs)
        EXPECT_EQ(
            parseTextTrackUpload(params({{"recordID", "r"}, {"kind", "captions"}, {"lang", lang}})).error.messageKey,
            "invalidLang")
            << lang;
    for (const char* lang : {"en", "en-US", "zh-Hant-TW", "de-CH-1996", "es-419"})
        EXPECT_TRUE(isValidLanguageTag(lang)) << lang;
}

}  // namespace
}  // namespace b3s::core::recordings
