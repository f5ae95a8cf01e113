// The BBB recording calls through a real b3scaled with the filesystem recordings plugin on
// temporary folders: two tenants, every call scoped to its caller (mixed lists change
// nothing), files moved on publish and removed on delete, filters and pagination, the
// playback host, and text tracks.

#include "gateway_cluster.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "fakes/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace b3s::test {
namespace {

namespace fs = std::filesystem;
using core::bbb::encodeMeetingId;

constexpr const char* kKeyA = "tenant-a";
constexpr const char* kSecretA = "tenant-a-secret";
constexpr const char* kKeyB = "tenant-b";
constexpr const char* kSecretB = "tenant-b-secret";
constexpr const char* kPlaybackHost = "https://playback.example.org";

std::string metadataXml(const std::string& record_id, const std::string& meeting_id, const std::string& name,
                        long long start_ms, const std::string& format = "presentation") {
    return "<?xml version=\"1.0\"?>\n<recording><id>" + record_id +
           "</id><state>published</state><published>true</published><start_time>" + std::to_string(start_ms) +
           "</start_time><end_time>" + std::to_string(start_ms + 600'000) +
           "</end_time><participants>3</participants><meeting id=\"" + record_id + "\" externalId=\"" + meeting_id +
           "\" name=\"" + name + "\" breakout=\"false\"/><meta><isBreakout>false</isBreakout><meetingId>" + meeting_id +
           "</meetingId><meetingName>" + name + "</meetingName><gl-listed>false</gl-listed></meta><playback><format>" +
           format + "</format><link>https://bbb1.example.org/playback/" + format + "/2.3/" + record_id +
           "</link><processing_time>5000</processing_time><duration>600000</duration><extensions><preview><images>"
           "<image width=\"176\" height=\"136\" alt=\"Welcome\">https://bbb1.example.org/presentation/" +
           record_id +
           "/presentation/d2d9/thumbnails/thumb-1.png</image></images></preview></extensions>"
           "</playback></recording>\n";
}

class GatewayRecordingsTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_.mkdir("published");
        dir_.mkdir("unpublished");
        dir_.mkdir("inbox");
        GatewayClusterOptions options;
        options.backends = 1;
        options.extra_env = {{"B3SCALE_RECORDINGS_PUBLISHED_PATH", (dir_ / "published").string()},
                             {"B3SCALE_RECORDINGS_UNPUBLISHED_PATH", (dir_ / "unpublished").string()},
                             {"B3SCALE_RECORDINGS_INBOX_PATH", (dir_ / "inbox").string()},
                             {"B3SCALE_RECORDINGS_INBOX_SCAN_INTERVAL", "0"},
                             {"B3SCALE_RECORDINGS_PLAYBACK_HOST", kPlaybackHost}};
        cluster_ = std::make_unique<GatewayCluster>(options);
        cluster_->addFrontend(kKeyA, kSecretA);
        cluster_->addFrontend(kKeyB, kSecretB);
        cluster_->addAllBackends();
        cluster_->start();
    }

    // A recording of `key`'s meeting `meeting`, its presentation files dropped into the inbox,
    // imported as a node's post_publish hook does.
    void addRecording(const std::string& key, const std::string& record_id, const std::string& meeting,
                      long long start_ms) {
        const auto xml = metadataXml(record_id, encodeMeetingId(key, meeting), "Room " + meeting, start_ms);
        dir_.write("inbox/presentation/" + record_id + "/metadata.xml", xml);
        dir_.write("inbox/presentation/" + record_id + "/index.html", "<html>" + record_id + "</html>");
        const auto r = httpRequest("POST", "127.0.0.1", cluster_->port(), "/api/v1/recordings-import", xml,
                                   "application/xml", {{"Authorization", "Bearer " + adminToken()}});
        ASSERT_EQ(r.status, 200) << r.body;
    }

    HttpResult call(const char* key, const char* secret, const std::string& name, const std::string& query) {
        return cluster_->call(key, secret, name, query);
    }

    std::vector<std::string> recordIds(const HttpResult& r) {
        std::vector<std::string> ids;
        const auto xml = xmlOf(r);
        if (!xml) return ids;
        if (const auto* recordings = xml->child("recordings"))
            for (const auto* recording : recordings->childrenNamed("recording"))
                ids.push_back(recording->childText("recordID").value_or(""));
        return ids;
    }

    bool published(const std::string& id) const {
        return fs::exists(dir_ / "published/presentation" / id / "index.html");
    }
    bool unpublished(const std::string& id) const {
        return fs::exists(dir_ / "unpublished/presentation" / id / "index.html");
    }

    TempDir dir_{"b3s-gw-recordings"};
    std::unique_ptr<GatewayCluster> cluster_;
};

TEST_F(GatewayRecordingsTest, ImportMovesFilesAndGetRecordingsAnswersBbbsShape) {
    addRecording(kKeyA, "aaaa-1000", "room1", 1'000'000);
    EXPECT_TRUE(published("aaaa-1000"));
    EXPECT_FALSE(fs::exists(dir_ / "inbox/presentation/aaaa-1000"));

    const auto r = call(kKeyA, kSecretA, "getRecordings", "meetingID=room1");
    ASSERT_TRUE(answered(r, "SUCCESS")) << r.body;
    const auto xml = xmlOf(r);
    const auto* recording = xml->child("recordings")->child("recording");
    ASSERT_NE(recording, nullptr) << r.body;
    EXPECT_EQ(recording->childText("recordID"), "aaaa-1000");
    EXPECT_EQ(recording->childText("meetingID"), "room1") << "the tenant's own meeting id, decoded";
    EXPECT_EQ(recording->childText("published"), "true");
    EXPECT_EQ(recording->childText("state"), "published");
    EXPECT_EQ(recording->child("metadata")->childText("meetingId"), "room1");
    const auto* format = recording->child("playback")->child("format");
    ASSERT_NE(format, nullptr);
    EXPECT_EQ(format->childText("type"), "presentation");
    EXPECT_EQ(format->childText("url"), std::string(kPlaybackHost) + "/playback/presentation/2.3/aaaa-1000")
        << "the playback host replaces the node's";
    EXPECT_EQ(format->childText("length"), "10");
    const auto* image = format->child("preview") ? format->child("preview")->child("images")->child("image") : nullptr;
    ASSERT_NE(image, nullptr) << r.body;
    EXPECT_EQ(image->textContent(),
              std::string(kPlaybackHost) + "/presentation/aaaa-1000/presentation/d2d9/thumbnails/thumb-1.png")
        << "thumbnails are played back from the playback host too";

    const auto none = call(kKeyA, kSecretA, "getRecordings", "meetingID=nothing-here");
    EXPECT_TRUE(answered(none, "SUCCESS", "noRecordings")) << none.body;
}

TEST_F(GatewayRecordingsTest, AnotherTenantsRecordingIsNotFoundForEveryCallAndMixedListsChangeNothing) {
    addRecording(kKeyA, "aaaa-1", "room1", 1'000'000);
    addRecording(kKeyA, "aaaa-2", "room2", 2'000'000);
    addRecording(kKeyB, "bbbb-1", "room1", 3'000'000);  // same meeting name, other tenant

    EXPECT_EQ(recordIds(call(kKeyA, kSecretA, "getRecordings", "")), (std::vector<std::string>{"aaaa-2", "aaaa-1"}));
    EXPECT_EQ(recordIds(call(kKeyB, kSecretB, "getRecordings", "")), (std::vector<std::string>{"bbbb-1"}));
    EXPECT_TRUE(answered(call(kKeyA, kSecretA, "getRecordings", "recordID=bbbb-1"), "SUCCESS", "noRecordings"));
    EXPECT_EQ(recordIds(call(kKeyA, kSecretA, "getRecordings", "meetingID=room1")),
              (std::vector<std::string>{"aaaa-1"}));

    EXPECT_TRUE(answered(call(kKeyA, kSecretA, "publishRecordings", "recordID=aaaa-1,bbbb-1&publish=false"), "FAILED",
                         "notFound"));
    EXPECT_TRUE(published("aaaa-1")) << "a mixed list changes nothing";
    EXPECT_TRUE(published("bbbb-1"));
    EXPECT_TRUE(answered(call(kKeyA, kSecretA, "updateRecordings", "recordID=bbbb-1&meta_x=y"), "FAILED", "notFound"));
    EXPECT_TRUE(answered(call(kKeyA, kSecretA, "deleteRecordings", "recordID=aaaa-2,bbbb-1"), "FAILED", "notFound"));
    EXPECT_TRUE(published("aaaa-2"));
    EXPECT_TRUE(published("bbbb-1"));
    EXPECT_EQ(recordIds(call(kKeyB, kSecretB, "getRecordings", "")), (std::vector<std::string>{"bbbb-1"}));

    const auto tracks = call(kKeyA, kSecretA, "getRecordingTextTracks", "recordID=bbbb-1");
    EXPECT_NE(tracks.body.find("noRecordings"), std::string::npos) << tracks.body;
}

TEST_F(GatewayRecordingsTest, PublishMovesFilesBetweenTreesAndStateFiltersFollow) {
    addRecording(kKeyA, "aaaa-1", "room1", 1'000'000);
    auto r = call(kKeyA, kSecretA, "publishRecordings", "recordID=aaaa-1&publish=false");
    ASSERT_TRUE(answered(r, "SUCCESS")) << r.body;
    EXPECT_EQ(field(r, "published"), "false");
    EXPECT_FALSE(published("aaaa-1"));
    EXPECT_TRUE(unpublished("aaaa-1"));
    EXPECT_EQ(recordIds(call(kKeyA, kSecretA, "getRecordings", "")), (std::vector<std::string>{"aaaa-1"}))
        << "BBB's default state filter lists unpublished recordings too";
    EXPECT_TRUE(answered(call(kKeyA, kSecretA, "getRecordings", "state=published"), "SUCCESS", "noRecordings"));

    r = call(kKeyA, kSecretA, "publishRecordings", "recordID=aaaa-1&publish=true");
    ASSERT_TRUE(answered(r, "SUCCESS")) << r.body;
    EXPECT_TRUE(published("aaaa-1"));
    EXPECT_FALSE(unpublished("aaaa-1"));
    EXPECT_EQ(recordIds(call(kKeyA, kSecretA, "getRecordings", "state=published")),
              (std::vector<std::string>{"aaaa-1"}));
}

TEST_F(GatewayRecordingsTest, UpdateRecordingsSetsAndRemovesMetadataThatFiltersSee) {
    addRecording(kKeyA, "aaaa-1", "room1", 1'000'000);
    addRecording(kKeyA, "aaaa-2", "room2", 2'000'000);
    ASSERT_TRUE(answered(call(kKeyA, kSecretA, "updateRecordings", "recordID=aaaa-1&meta_Course=Math101"), "SUCCESS"));
    EXPECT_EQ(recordIds(call(kKeyA, kSecretA, "getRecordings", "meta_course=Math101")),
              (std::vector<std::string>{"aaaa-1"}));
    ASSERT_TRUE(answered(call(kKeyA, kSecretA, "updateRecordings", "recordID=aaaa-1&meta_course="), "SUCCESS"));
    EXPECT_TRUE(answered(call(kKeyA, kSecretA, "getRecordings", "meta_course=Math101"), "SUCCESS", "noRecordings"));
}

TEST_F(GatewayRecordingsTest, DeleteRemovesTheRowAndThenTheFiles) {
    addRecording(kKeyA, "aaaa-1", "room1", 1'000'000);
    ASSERT_TRUE(answered(call(kKeyA, kSecretA, "deleteRecordings", "recordID=aaaa-1"), "SUCCESS"));
    EXPECT_FALSE(fs::exists(dir_ / "published/presentation/aaaa-1"));
    EXPECT_TRUE(answered(call(kKeyA, kSecretA, "getRecordings", ""), "SUCCESS", "noRecordings"));
    EXPECT_TRUE(answered(call(kKeyA, kSecretA, "deleteRecordings", "recordID=aaaa-1"), "FAILED", "notFound"));
}

TEST_F(GatewayRecordingsTest, AFrontendWithRecordingsIsNotDeletedUnderThem) {
    addRecording(kKeyB, "bbbb-1", "room1", 1'000'000);
    const auto frontend = cluster_->store().findFrontendByKey(kKeyB);
    ASSERT_TRUE(frontend);
    const std::map<std::string, std::string> admin = {{"Authorization", "Bearer " + adminToken()}};
    auto r = httpRequest("DELETE", "127.0.0.1", cluster_->port(), "/api/v1/frontends/" + frontend->id, "", "", admin);
    EXPECT_EQ(r.status, 409) << r.body;
    EXPECT_NE(r.body.find("recording"), std::string::npos) << r.body;
    EXPECT_TRUE(published("bbbb-1"));
    ASSERT_TRUE(answered(call(kKeyB, kSecretB, "deleteRecordings", "recordID=bbbb-1"), "SUCCESS"));
    r = httpRequest("DELETE", "127.0.0.1", cluster_->port(), "/api/v1/frontends/" + frontend->id, "", "", admin);
    EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(GatewayRecordingsTest, PaginationAndPrefixFilters) {
    for (int i = 0; i < 120; ++i) {
        const auto id = "cafe" + std::to_string(1000 + i) + "-" + std::to_string(i);
        const auto xml = metadataXml(id, encodeMeetingId(kKeyA, "room"), "Room", 1'000'000 + i * 1000LL);
        const auto r = httpRequest("POST", "127.0.0.1", cluster_->port(), "/api/v1/recordings-import", xml,
                                   "application/xml", {{"Authorization", "Bearer " + adminToken()}});
        ASSERT_EQ(r.status, 200) << r.body;
    }
    const auto first = recordIds(call(kKeyA, kSecretA, "getRecordings", "limit=100"));
    ASSERT_EQ(first.size(), 100u);
    EXPECT_EQ(first.front(), "cafe1119-119") << "newest first";
    const auto rest = recordIds(call(kKeyA, kSecretA, "getRecordings", "limit=100&offset=100"));
    ASSERT_EQ(rest.size(), 20u);
    EXPECT_EQ(rest.back(), "cafe1000-0");
    EXPECT_EQ(recordIds(call(kKeyA, kSecretA, "getRecordings", "recordID=cafe111")).size(), 10u)
        << "recordID items are prefixes";
    EXPECT_TRUE(answered(call(kKeyA, kSecretA, "getRecordings", "limit=101"), "FAILED"));
    EXPECT_TRUE(answered(call(kKeyA, kSecretA, "getRecordings", "offset=-1"), "FAILED"));
}

TEST_F(GatewayRecordingsTest, TextTracksAreStoredWithTheRecordingAndListed) {
    addRecording(kKeyA, "aaaa-1", "room1", 1'000'000);
    const std::string boundary = "b3s-boundary-7";
    const std::string body = "--" + boundary +
                             "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"en.vtt\"\r\n"
                             "Content-Type: text/vtt\r\n\r\nWEBVTT\n\n00:00:01.000 --> 00:00:02.000\nHello\n\r\n--" +
                             boundary + "--\r\n";
    auto put = cluster_->post(kKeyA, kSecretA, "putRecordingTextTrack",
                              "recordID=aaaa-1&kind=subtitles&lang=en-US&label=English", body,
                              "multipart/form-data; boundary=" + boundary);
    ASSERT_NE(put.body.find("upload_text_track_success"), std::string::npos) << put.body;

    const auto list = call(kKeyA, kSecretA, "getRecordingTextTracks", "recordID=aaaa-1");
    EXPECT_NE(list.body.find("\"lang\":\"en-US\""), std::string::npos) << list.body;
    EXPECT_NE(list.body.find("\"kind\":\"subtitles\""), std::string::npos) << list.body;
    EXPECT_NE(list.body.find(std::string("\"href\":\"") + kPlaybackHost), std::string::npos) << list.body;

    // The other tenant cannot write to it; bad kinds are refused as bbb-web does.
    put = cluster_->post(kKeyB, kSecretB, "putRecordingTextTrack", "recordID=aaaa-1&kind=subtitles&lang=de", body,
                         "multipart/form-data; boundary=" + boundary);
    EXPECT_NE(put.body.find("noRecordings"), std::string::npos) << put.body;
    put = cluster_->post(kKeyA, kSecretA, "putRecordingTextTrack", "recordID=aaaa-1&kind=karaoke&lang=de", body,
                         "multipart/form-data; boundary=" + boundary);
    EXPECT_NE(put.body.find("invalidKind"), std::string::npos) << put.body;
}

}  // namespace
}  // namespace b3s::test
