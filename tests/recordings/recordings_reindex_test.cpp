// Moving over from b3scale: the recordings are already in the published and unpublished
// trees (b3scale moved directories and never rewrote metadata.xml), the index is empty, and
// the operator runs the real `b3scalectl recordings reindex` against a real b3scaled.

#include "ctl_process.hpp"
#include "gateway_cluster.hpp"
#include "recordings_itest_support.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "fakes/temp_dir.hpp"

#include <Poco/JSON/Array.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

namespace b3s::test::recordings {
namespace {

namespace fs = std::filesystem;
using core::bbb::encodeMeetingId;
using ctl::test::CtlProcess;
using ctl::test::CtlRun;

constexpr const char* kKeyA = "school-a";
constexpr const char* kSecretA = "school-a-bbb-secret";
constexpr const char* kKeyB = "school-b";
constexpr const char* kSecretB = "school-b-bbb-secret";

struct Listed {
    std::string record_id;
    std::string state;
    std::string published;
    std::vector<std::string> formats;
};

std::vector<Listed> listed(const HttpResult& r) {
    std::vector<Listed> out;
    const auto xml = xmlOf(r);
    if (!xml) return out;
    const auto* recordings = xml->child("recordings");
    if (!recordings) return out;
    for (const auto* recording : recordings->childrenNamed("recording")) {
        Listed l{recording->childText("recordID").value_or(""),
                 recording->childText("state").value_or(""),
                 recording->childText("published").value_or(""),
                 {}};
        if (const auto* playback = recording->child("playback"))
            for (const auto* format : playback->childrenNamed("format"))
                l.formats.push_back(format->childText("type").value_or(""));
        std::sort(l.formats.begin(), l.formats.end());
        out.push_back(l);
    }
    std::sort(out.begin(), out.end(), [](const Listed& x, const Listed& y) { return x.record_id < y.record_id; });
    return out;
}

class RecordingsReindexTest : public ::testing::Test {
protected:
    void SetUp() override {
        for (const char* sub : {"published", "unpublished", "inbox"}) dir_.mkdir(sub);
        GatewayClusterOptions options;
        options.backends = 1;
        options.extra_env = {{"B3SCALE_RECORDINGS_PUBLISHED_PATH", (dir_ / "published").string()},
                             {"B3SCALE_RECORDINGS_UNPUBLISHED_PATH", (dir_ / "unpublished").string()},
                             {"B3SCALE_RECORDINGS_INBOX_PATH", (dir_ / "inbox").string()},
                             {"B3SCALE_RECORDINGS_INBOX_SCAN_INTERVAL", "0"}};
        cluster_ = std::make_unique<GatewayCluster>(options);
        cluster_->addFrontend(kKeyA, kSecretA);
        cluster_->addFrontend(kKeyB, kSecretB);
        cluster_->addAllBackends();
        cluster_->start();
        ctl_.env()["B3SCALE_API_URL"] = "http://127.0.0.1:" + std::to_string(cluster_->port());
        ctl_.env()["B3SCALE_DB_URL"] = cluster_->databaseUrl();  // set: b3scalectl reads no env file
        ctl_.env()["B3SCALE_API_JWT_SECRET"] = kBaseJwtSecret;
    }

    MetadataSpec spec(const char* key, int n, const std::string& format = "presentation") const {
        MetadataSpec s;
        s.record_id = bbbRecordId(n);
        s.meeting_id = encodeMeetingId(key, "course-" + std::to_string(n));
        s.name = "Course " + std::to_string(n);
        s.format = format;
        s.start_ms += n * 60'000LL;
        return s;
    }

    TempDir dir_{"b3s-rec-reindex"};
    std::unique_ptr<GatewayCluster> cluster_;
    CtlProcess ctl_;
};

TEST_F(RecordingsReindexTest, B3scalectlIndexesTheTreesAsTheyAreAndIsSafeToRunAgain) {
    // What an operator's b3scale left behind.
    const auto a_published = spec(kKeyA, 1);
    auto a_published_video = spec(kKeyA, 1, "video");
    const auto a_unpublished = spec(kKeyA, 2);  // metadata.xml still says published: the tree decides
    const auto b_published = spec(kKeyB, 3);
    const auto orphan = spec("tenant-gone", 4);
    writeFormat(dir_ / "published", a_published, "<html>a1</html>");
    writeFormat(dir_ / "published", a_published_video, "<html>a1 video</html>");
    writeFormat(dir_ / "unpublished", a_unpublished, "<html>a2</html>");
    writeFormat(dir_ / "published", b_published, "<html>b3</html>");
    writeFormat(dir_ / "published", orphan, "<html>orphan</html>");
    ASSERT_TRUE(answered(cluster_->call(kKeyA, kSecretA, "getRecordings", ""), "SUCCESS", "noRecordings"));

    auto r = ctl_.run({"recordings", "reindex"});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Formats found: 5, indexed: 4, already indexed: 0, skipped: 1"), std::string::npos) << r.out;
    EXPECT_NE(r.out.find("skipped presentation/" + orphan.record_id), std::string::npos)
        << "what could not be attributed is listed: " << r.out;

    const auto a = listed(cluster_->call(kKeyA, kSecretA, "getRecordings", ""));
    ASSERT_EQ(a.size(), 2u);
    EXPECT_EQ(a[0].record_id, a_published.record_id);
    EXPECT_EQ(a[0].published, "true");
    EXPECT_EQ(a[0].state, "published");
    EXPECT_EQ(a[0].formats, (std::vector<std::string>{"presentation", "video"}));
    EXPECT_EQ(a[1].record_id, a_unpublished.record_id);
    EXPECT_EQ(a[1].published, "false") << "published by the tree it is in";
    EXPECT_EQ(a[1].state, "unpublished");
    const auto b = listed(cluster_->call(kKeyB, kSecretB, "getRecordings", ""));
    ASSERT_EQ(b.size(), 1u);
    EXPECT_EQ(b[0].record_id, b_published.record_id);
    EXPECT_EQ(cluster_->store().findRecordingById(orphan.record_id), std::nullopt);

    // Reindex never moves files.
    EXPECT_TRUE(fs::exists(dir_ / "published/presentation" / a_published.record_id / "index.html"));
    EXPECT_TRUE(fs::exists(dir_ / "unpublished/presentation" / a_unpublished.record_id / "index.html"));
    EXPECT_TRUE(fs::exists(dir_ / "published/presentation" / orphan.record_id / "index.html"));

    const auto before = cluster_->store().findRecordingById(a_published.record_id);
    r = ctl_.run({"recordings", "reindex"});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    EXPECT_NE(r.out.find("Formats found: 5, indexed: 0, already indexed: 4, skipped: 1"), std::string::npos) << r.out;
    EXPECT_EQ(cluster_->store().findRecordingById(a_published.record_id), before) << "unchanged, row for row";

    // The machine-readable report.
    r = ctl_.run({"recordings", "reindex", "--json"});
    ASSERT_EQ(r.code, 0) << r.out << r.err;
    const auto report = jsonObject(r.out);
    ASSERT_TRUE(report) << r.out;
    EXPECT_EQ(report->getValue<int>("formats_seen"), 5);
    EXPECT_EQ(report->getValue<int>("unchanged"), 4);
    ASSERT_TRUE(report->getArray("skipped"));
    EXPECT_EQ(report->getArray("skipped")->size(), 1u);
}

TEST_F(RecordingsReindexTest, AnOperatorsLaterChangesSurviveAReindex) {
    const auto s = spec(kKeyA, 10);
    writeFormat(dir_ / "published", s, "<html>a10</html>");
    ASSERT_EQ(ctl_.run({"recordings", "reindex"}).code, 0);
    const auto set =
        http("POST", cluster_->port(), "/api/v1/recordings-visibility", {{"Authorization", "Bearer " + adminToken()}},
             R"({"record_id":")" + s.record_id + R"(","visibility":"public_protected"})", "application/json");
    ASSERT_EQ(set.status, 200) << set.body;
    const auto r = ctl_.run({"recordings", "reindex"});
    ASSERT_EQ(r.code, 0) << r.err;
    EXPECT_NE(r.out.find("indexed: 0, already indexed: 1"), std::string::npos) << r.out;
    const auto shown = jsonObject(http("GET", cluster_->port(), "/api/v1/recordings/" + s.record_id,
                                       {{"Authorization", "Bearer " + adminToken()}})
                                      .body);
    ASSERT_TRUE(shown);
    EXPECT_EQ(shown->getValue<std::string>("visibility"), "public_protected");
}

TEST_F(RecordingsReindexTest, AB3scaledWithoutTheRecordingsPluginSaysSo) {
    Env env = cluster_->env();
    for (auto it = env.begin(); it != env.end();)
        it = it->first.rfind("B3SCALE_RECORDINGS_", 0) == 0 ? env.erase(it) : std::next(it);
    cluster_->stop();
    env["B3SCALE_LISTEN_HTTP"] = "127.0.0.1:0";
    B3scaledProcess plain(env);
    const auto port = plain.waitReady();
    ASSERT_TRUE(port) << plain.stderrText();
    ctl_.env()["B3SCALE_API_URL"] = "http://127.0.0.1:" + std::to_string(*port);
    const auto r = ctl_.run({"recordings", "reindex"});
    EXPECT_NE(r.code, 0);
    EXPECT_NE(r.err.find("no recordings plugin"), std::string::npos) << r.out << r.err;
}

}  // namespace
}  // namespace b3s::test::recordings
