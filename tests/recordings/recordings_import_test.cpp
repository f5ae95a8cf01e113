// How recordings arrive, through a real b3scaled with the filesystem recordings plugin on
// temporary trees: POST /api/v1/recordings-import with a node's or an operator's token, and
// the inbox watcher picking up what a BBB node's hook drops into the inbox (quarantining
// what can never be imported).

#include "gateway_cluster.hpp"
#include "recordings_itest_support.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "fakes/temp_dir.hpp"

#include <Poco/JSON/Array.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace b3s::test::recordings {
namespace {

namespace fs = std::filesystem;
using core::bbb::encodeMeetingId;

constexpr const char* kKeyA = "college-a";
constexpr const char* kSecretA = "college-a-bbb-secret";
constexpr const char* kKeyB = "college-b";
constexpr const char* kSecretB = "college-b-bbb-secret";
constexpr const char* kKeyArchive = "archive-tenant";
constexpr const char* kSecretArchive = "archive-tenant-secret";

std::vector<std::string> recordIds(const HttpResult& r) {
    std::vector<std::string> ids;
    const auto xml = xmlOf(r);
    if (!xml) return ids;
    if (const auto* recordings = xml->child("recordings"))
        for (const auto* recording : recordings->childrenNamed("recording"))
            ids.push_back(recording->childText("recordID").value_or(""));
    return ids;
}

/// Lines of b3scaled's log with `event` that mention `text` (from `logger` when given: the
/// plugin logs its own file moves under some of core's event names).
std::size_t logLines(const B3scaledProcess& p, const std::string& event, const std::string& text,
                     const std::string& logger = "") {
    std::size_t n = 0;
    for (const auto& line : p.stderrLines())
        if (line.find("\"" + event + "\"") != std::string::npos && line.find(text) != std::string::npos &&
            (logger.empty() || line.find("\"logger\":\"" + logger + "\"") != std::string::npos))
            ++n;
    return n;
}

/// Entries of a directory (none when it does not exist).
std::vector<std::string> entries(const fs::path& dir) {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir, ec)) out.push_back(e.path().filename().string());
    return out;
}

class RecordingsArrivalTest : public ::testing::Test {
protected:
    explicit RecordingsArrivalTest(std::string scan_interval) : scan_interval_(std::move(scan_interval)) {}

    void SetUp() override {
        for (const char* sub : {"published", "unpublished", "inbox", "node"}) dir_.mkdir(sub);
        GatewayClusterOptions options;
        options.backends = 1;
        options.extra_env = {{"B3SCALE_RECORDINGS_PUBLISHED_PATH", (dir_ / "published").string()},
                             {"B3SCALE_RECORDINGS_UNPUBLISHED_PATH", (dir_ / "unpublished").string()},
                             {"B3SCALE_RECORDINGS_INBOX_PATH", (dir_ / "inbox").string()},
                             {"B3SCALE_RECORDINGS_INBOX_SCAN_INTERVAL", scan_interval_},
                             {"B3SCALE_RECORDINGS_PLAYBACK_HOST", "https://playback.example.org"}};
        cluster_ = std::make_unique<GatewayCluster>(options);
        a_ = cluster_->addFrontend(kKeyA, kSecretA);
        b_ = cluster_->addFrontend(kKeyB, kSecretB);
        archive_ = cluster_->addFrontend(kKeyArchive, kSecretArchive,
                                         R"({"recordings":{"visibility_override":"unpublished"}})");
        cluster_->addAllBackends();
        cluster_->start();
    }

    MetadataSpec spec(const char* key, int n, const std::string& meeting = "seminar") const {
        MetadataSpec s;
        s.record_id = bbbRecordId(n);
        s.meeting_id = encodeMeetingId(key, meeting);
        s.name = "Seminar " + std::to_string(n);
        s.start_ms += n * 60'000LL;
        return s;
    }

    /// A format as the node's hook leaves it in the inbox: copied under a hidden name, then
    /// renamed into place (so the watcher never sees half of it).
    void dropIntoInbox(const MetadataSpec& s, const std::string& page, const std::string& metadata_override = "") {
        const auto staged = writeFormat(dir_ / "node", s, page);
        if (!metadata_override.empty()) std::ofstream(staged / "metadata.xml", std::ios::trunc) << metadata_override;
        fs::create_directories(dir_ / "inbox" / s.format);
        fs::rename(staged, dir_ / "inbox" / s.format / s.record_id);
    }

    Reply importXml(const std::string& xml, const std::string& token, const std::string& query = "") {
        return http("POST", cluster_->port(), "/api/v1/recordings-import" + query,
                    {{"Authorization", "Bearer " + token}}, xml, "application/xml");
    }

    Reply getJson(const std::string& path) {
        return http("GET", cluster_->port(), path, {{"Authorization", "Bearer " + adminToken()}});
    }

    bool inTree(const std::string& tree, const MetadataSpec& s) const {
        return fs::exists(dir_ / tree / s.format / s.record_id / "index.html");
    }

    std::string scan_interval_;
    TempDir dir_{"b3s-rec-arrival"};
    std::unique_ptr<GatewayCluster> cluster_;
    core::store::Frontend a_, b_, archive_;
};

class RecordingsImportApiTest : public RecordingsArrivalTest {
protected:
    RecordingsImportApiTest() : RecordingsArrivalTest("0") {}
};

class InboxWatcherTest : public RecordingsArrivalTest {
protected:
    InboxWatcherTest() : RecordingsArrivalTest("1s") {}
};

TEST_F(RecordingsImportApiTest, ANodeOrAnOperatorImportsAndTheFilesMoveOutOfTheInbox) {
    const auto first = spec(kKeyA, 1);
    const auto second = spec(kKeyB, 2);
    dropIntoInbox(first, "<html>first</html>");
    dropIntoInbox(second, "<html>second</html>");

    auto r = importXml(metadataXml(first), apiToken("bbb-node-1", "b3scale:node"));
    ASSERT_EQ(r.status, 200) << r.body;
    auto body = jsonObject(r.body);
    ASSERT_TRUE(body) << r.body;
    EXPECT_EQ(body->getValue<std::string>("RecordID"), first.record_id);
    EXPECT_TRUE(body->getValue<bool>("Published"));
    EXPECT_TRUE(inTree("published", first));
    EXPECT_EQ(readFile(dir_ / "published/presentation" / first.record_id / "index.html"), "<html>first</html>");
    EXPECT_FALSE(fs::exists(dir_ / "inbox/presentation" / first.record_id));

    r = importXml(metadataXml(second), adminToken());
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(inTree("published", second));

    // Each tenant sees its own, at once, with its own meeting id.
    EXPECT_EQ(recordIds(cluster_->call(kKeyA, kSecretA, "getRecordings", "")),
              std::vector<std::string>{first.record_id});
    EXPECT_EQ(recordIds(cluster_->call(kKeyB, kSecretB, "getRecordings", "meetingID=seminar")),
              std::vector<std::string>{second.record_id});

    // A tenant's token or none at all may not import.
    const auto third = spec(kKeyA, 3);
    EXPECT_EQ(importXml(metadataXml(third), apiToken(a_.id, "b3scale")).status, 403);
    EXPECT_EQ(
        http("POST", cluster_->port(), "/api/v1/recordings-import", {}, metadataXml(third), "application/xml").status,
        401);
    EXPECT_EQ(cluster_->store().findRecordingById(third.record_id), std::nullopt);
}

TEST_F(RecordingsImportApiTest, ImportingTheSameMetadataTwiceChangesNothing) {
    const auto s = spec(kKeyA, 10);
    dropIntoInbox(s, "<html>once</html>");
    const auto xml = metadataXml(s);
    const auto node = apiToken("bbb-node-1", "b3scale:node");

    const auto first = importXml(xml, node);
    ASSERT_EQ(first.status, 200) << first.body;
    const auto shown = getJson("/api/v1/recordings/" + s.record_id);
    ASSERT_EQ(shown.status, 200) << shown.body;
    const auto before = cluster_->store().findRecordingById(s.record_id);
    ASSERT_TRUE(before);

    std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // a changed updated_at would show
    const auto second = importXml(xml, node);
    ASSERT_EQ(second.status, 200) << second.body;
    EXPECT_EQ(jsonObject(second.body)->getValue<std::string>("RecordID"), s.record_id);
    EXPECT_EQ(second.body, first.body) << "the same recording, reported the same way";
    const auto shown_again = getJson("/api/v1/recordings/" + s.record_id);
    EXPECT_EQ(jsonObject(shown_again.body)->getValue<std::string>("updated_at"),
              jsonObject(shown.body)->getValue<std::string>("updated_at"));
    const auto after = cluster_->store().findRecordingById(s.record_id);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->version, before->version);
    EXPECT_EQ(after->updated_at, before->updated_at);
    EXPECT_EQ(logLines(cluster_->b3scaled(), "recording_indexed", s.record_id, "b3s.core.recordings"), 1u)
        << "indexed once";
    EXPECT_TRUE(inTree("published", s));
    EXPECT_FALSE(inTree("unpublished", s));
    EXPECT_EQ(recordIds(cluster_->call(kKeyA, kSecretA, "getRecordings", "")), std::vector<std::string>{s.record_id});

    // An operator's visibility survives the node importing the recording again.
    const auto set =
        http("POST", cluster_->port(), "/api/v1/recordings-visibility", {{"Authorization", "Bearer " + adminToken()}},
             R"({"record_id":")" + s.record_id + R"(","visibility":"unpublished"})", "application/json");
    ASSERT_EQ(set.status, 200) << set.body;
    EXPECT_TRUE(inTree("unpublished", s));
    ASSERT_EQ(importXml(xml, node).status, 200);
    const auto kept = jsonObject(getJson("/api/v1/recordings/" + s.record_id).body);
    ASSERT_TRUE(kept);
    EXPECT_EQ(kept->getValue<std::string>("visibility"), "unpublished");
    EXPECT_TRUE(inTree("unpublished", s));
    EXPECT_FALSE(inTree("published", s));
}

TEST_F(RecordingsImportApiTest, ABrokenMetadataXmlIsA400WithAJsonErrorAndIndexesNothing) {
    const auto s = spec(kKeyA, 20);
    auto xml = metadataXml(s);
    const std::vector<std::pair<std::string, std::string>> broken = {
        {"cut off", xml.substr(0, xml.size() / 2)},
        {"not XML", "this is not a metadata.xml"},
        {"no record id", "<recording><state>published</state><published>true</published></recording>"},
        {"a record id that is a path",
         [&] {
             auto copy = xml;
             copy.replace(copy.find(s.record_id), s.record_id.size(), "../../etc");
             return copy;
         }()},
        {"a DOCTYPE", "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x \"y\">]><recording><id>&x;</id></recording>"},
    };
    for (const auto& [what, body] : broken) {
        const auto r = importXml(body, adminToken());
        EXPECT_EQ(r.status, 400) << what << ": " << r.body;
        const auto error = jsonObject(r.body);
        ASSERT_TRUE(error) << what << ": " << r.body;
        EXPECT_EQ(error->optValue<std::string>("error", ""), "bad_request") << what;
        EXPECT_FALSE(error->optValue<std::string>("message", "").empty()) << what;
    }
    const auto empty = importXml("", adminToken());
    EXPECT_EQ(empty.status, 400) << empty.body;
    const auto list = getJson(std::string("/api/v1/recordings?frontend_key=") + kKeyA);
    ASSERT_EQ(list.status, 200) << list.body;
    EXPECT_EQ(list.body.find(s.record_id), std::string::npos);
    EXPECT_TRUE(answered(cluster_->call(kKeyA, kSecretA, "getRecordings", ""), "SUCCESS", "noRecordings"));
    EXPECT_TRUE(cluster_->b3scaled().running());
}

TEST_F(RecordingsImportApiTest, AMeetingOfNoFrontendIsA404NamingIt) {
    auto s = spec("closed-tenant", 30);
    auto r = importXml(metadataXml(s), adminToken());
    EXPECT_EQ(r.status, 404) << r.body;
    auto error = jsonObject(r.body);
    ASSERT_TRUE(error) << r.body;
    EXPECT_NE(error->optValue<std::string>("message", "").find(s.meeting_id), std::string::npos) << r.body;

    s.meeting_id = "legacy-room-from-2019";  // not one of b3scale's encoded ids
    r = importXml(metadataXml(s), apiToken("bbb-node-1", "b3scale:node"));
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_EQ(cluster_->store().findRecordingById(s.record_id), std::nullopt);
}

TEST_F(RecordingsImportApiTest, OverrideFrontendKeyAttributesALegacyRecording) {
    auto s = spec(kKeyA, 40);
    s.meeting_id = "legacy-room-7";  // from the BBB server before b3scale
    dropIntoInbox(s, "<html>legacy</html>");
    auto r = importXml(metadataXml(s), adminToken(), std::string("?override_frontend_key=") + kKeyB);
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_TRUE(inTree("published", s));
    EXPECT_EQ(recordIds(cluster_->call(kKeyB, kSecretB, "getRecordings", "meetingID=legacy-room-7")),
              std::vector<std::string>{s.record_id})
        << "listed for the tenant under its own (legacy) meeting id";
    EXPECT_TRUE(answered(cluster_->call(kKeyA, kSecretA, "getRecordings", "meetingID=legacy-room-7"), "SUCCESS",
                         "noRecordings"));
    EXPECT_EQ(cluster_->store().findRecordingById(s.record_id)->frontend_id, b_.id);

    // With the original meeting id replaced too.
    auto t = spec(kKeyA, 41);
    t.meeting_id = "some-id-the-node-made-up";
    r = importXml(metadataXml(t), adminToken(),
                  std::string("?override_frontend_key=") + kKeyA + "&override_original_meeting_id=room-101");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(recordIds(cluster_->call(kKeyA, kSecretA, "getRecordings", "meetingID=room-101")),
              std::vector<std::string>{t.record_id});

    // An unknown key is a 404 naming it, as b3scale words it.
    auto u = spec(kKeyA, 42);
    u.meeting_id = "legacy-room-8";
    r = importXml(metadataXml(u), adminToken(), "?override_frontend_key=no-such-tenant");
    EXPECT_EQ(r.status, 404) << r.body;
    EXPECT_NE(r.body.find("override_frontend_key: A frontend with key 'no-such-tenant' could not be found."),
              std::string::npos)
        << r.body;
}

TEST_F(RecordingsImportApiTest, AFrontendsVisibilityOverrideLandsImportsInTheUnpublishedTree) {
    const auto s = spec(kKeyArchive, 50);
    dropIntoInbox(s, "<html>archived</html>");
    const auto r = importXml(metadataXml(s), apiToken("bbb-node-1", "b3scale:node"));
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_FALSE(jsonObject(r.body)->getValue<bool>("Published"));
    EXPECT_TRUE(inTree("unpublished", s));
    EXPECT_FALSE(inTree("published", s));
    EXPECT_FALSE(fs::exists(dir_ / "inbox/presentation" / s.record_id));
    const auto listed = cluster_->call(kKeyArchive, kSecretArchive, "getRecordings", "state=unpublished");
    EXPECT_EQ(recordIds(listed), std::vector<std::string>{s.record_id}) << listed.body;
    EXPECT_TRUE(answered(cluster_->call(kKeyArchive, kSecretArchive, "getRecordings", "state=published"), "SUCCESS",
                         "noRecordings"));
    // Another tenant's import is not touched by it.
    const auto other = spec(kKeyA, 51);
    dropIntoInbox(other, "<html>open</html>");
    ASSERT_EQ(importXml(metadataXml(other), adminToken()).status, 200);
    EXPECT_TRUE(inTree("published", other));
}

TEST_F(InboxWatcherTest, AFormatDroppedIntoTheInboxIsListedWithinSecondsAndMoved) {
    const auto s = spec(kKeyA, 60);
    dropIntoInbox(s, "<html>arrived</html>");
    EXPECT_TRUE(eventually([&] { return recordIds(cluster_->call(kKeyA, kSecretA, "getRecordings", "")).size() == 1; },
                           std::chrono::seconds(8)))
        << cluster_->b3scaled().stderrText();
    EXPECT_TRUE(eventually([&] { return inTree("published", s); }, std::chrono::seconds(3)));
    EXPECT_EQ(readFile(dir_ / "published/presentation" / s.record_id / "index.html"), "<html>arrived</html>");
    EXPECT_TRUE(fs::exists(dir_ / "published/presentation" / s.record_id / thumbnailRelativePath()));
    EXPECT_FALSE(fs::exists(dir_ / "inbox/presentation" / s.record_id));
    EXPECT_TRUE(answered(cluster_->call(kKeyB, kSecretB, "getRecordings", ""), "SUCCESS", "noRecordings"));

    // A later format of the same recording joins it.
    auto video = s;
    video.format = "video";
    dropIntoInbox(video, "<html>video</html>");
    EXPECT_TRUE(eventually([&] { return inTree("published", video); }, std::chrono::seconds(8)));
    const auto xml = xmlOf(cluster_->call(kKeyA, kSecretA, "getRecordings", "recordID=" + s.record_id));
    ASSERT_TRUE(xml);
    const auto* recording = xml->child("recordings")->child("recording");
    ASSERT_NE(recording, nullptr);
    EXPECT_EQ(recording->child("playback")->childrenNamed("format").size(), 2u);
    EXPECT_TRUE(inTree("published", s)) << "the earlier format stays";
}

TEST_F(InboxWatcherTest, ABrokenFormatIsQuarantinedWithItsReasonAndNotRetried) {
    const auto broken = spec(kKeyA, 70);
    dropIntoInbox(broken, "<html>broken</html>", "<recording><id>" + broken.record_id + "</id><meta>");
    const auto orphan = spec("tenant-that-left", 71);
    dropIntoInbox(orphan, "<html>orphan</html>");
    const auto good = spec(kKeyA, 72);
    dropIntoInbox(good, "<html>good</html>");

    const fs::path quarantine = dir_ / "inbox/.quarantine/presentation";
    ASSERT_TRUE(eventually(
        [&] {
            return fs::exists(quarantine / (broken.record_id + ".reason.txt")) &&
                   fs::exists(quarantine / (orphan.record_id + ".reason.txt"));
        },
        std::chrono::seconds(8)))
        << cluster_->b3scaled().stderrText();
    EXPECT_EQ(readFile(quarantine / broken.record_id / "index.html"), "<html>broken</html>") << "kept for the operator";
    const auto reason = readFile(quarantine / (broken.record_id + ".reason.txt"));
    EXPECT_NE(reason.find("record_id: " + broken.record_id), std::string::npos) << reason;
    EXPECT_NE(reason.find("reason: "), std::string::npos) << reason;
    EXPECT_NE(reason.find("metadata.xml"), std::string::npos) << reason;
    const auto orphan_reason = readFile(quarantine / (orphan.record_id + ".reason.txt"));
    EXPECT_NE(orphan_reason.find(orphan.meeting_id), std::string::npos) << orphan_reason;

    EXPECT_TRUE(eventually([&] { return inTree("published", good); }, std::chrono::seconds(5)))
        << "a broken neighbour does not hold up a good recording";
    EXPECT_TRUE(entries(dir_ / "inbox/presentation").empty());

    const auto quarantined = logLines(cluster_->b3scaled(), "recording_quarantined", broken.record_id);
    EXPECT_GE(quarantined, 1u);
    std::this_thread::sleep_for(std::chrono::milliseconds(3500));  // three more scans
    EXPECT_EQ(logLines(cluster_->b3scaled(), "recording_quarantined", broken.record_id), quarantined)
        << "never retried";
    EXPECT_TRUE(fs::exists(quarantine / broken.record_id));
    EXPECT_EQ(recordIds(cluster_->call(kKeyA, kSecretA, "getRecordings", "")),
              std::vector<std::string>{good.record_id});
    EXPECT_EQ(cluster_->store().findRecordingById(orphan.record_id), std::nullopt);
}

TEST_F(InboxWatcherTest, AFrontendsVisibilityOverrideAppliesToWhatTheInboxBrings) {
    const auto s = spec(kKeyArchive, 80);
    dropIntoInbox(s, "<html>archive</html>");
    EXPECT_TRUE(eventually([&] { return inTree("unpublished", s); }, std::chrono::seconds(8)))
        << cluster_->b3scaled().stderrText();
    EXPECT_FALSE(inTree("published", s));
    const auto xml = xmlOf(cluster_->call(kKeyArchive, kSecretArchive, "getRecordings", "recordID=" + s.record_id));
    ASSERT_TRUE(xml);
    const auto* recording = xml->child("recordings")->child("recording");
    ASSERT_NE(recording, nullptr);
    EXPECT_EQ(recording->childText("published"), "false");
    EXPECT_EQ(recording->childText("state"), "unpublished");
}

}  // namespace
}  // namespace b3s::test::recordings
