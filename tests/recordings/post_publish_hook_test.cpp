// The BBB node's side: etc/bbb/post_publish_b3scale.rb, run as BBB runs it after publishing a
// format (-m <recordID> -f <format>), against a real b3scaled with the recordings plugin.
// Needs ruby (BBB nodes have it); skipped without.

#include "gateway_cluster.hpp"
#include "recordings_itest_support.hpp"

#include "bbb/meeting_id_codec.hpp"
#include "fakes/temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include <unistd.h>

namespace b3s::test::recordings {
namespace {

namespace fs = std::filesystem;
using core::bbb::encodeMeetingId;

constexpr const char* kKey = "hook-tenant";
constexpr const char* kSecret = "hook-tenant-bbb-secret";

std::string rubyBinary() {
    for (const char* candidate : {"/usr/bin/ruby", "/usr/local/bin/ruby"})
        if (::access(candidate, X_OK) == 0) return candidate;
    return {};
}

class PostPublishHookTest : public ::testing::Test {
protected:
    void SetUp() override {
        ruby_ = rubyBinary();
        if (ruby_.empty())
            GTEST_SKIP() << "ruby is not installed (Debian: apt-get install ruby); BBB nodes run the hook with it";
        for (const char* sub : {"published", "unpublished", "inbox", "node/published", "node/log", "node/home"})
            dir_.mkdir(sub);
        GatewayClusterOptions options;
        options.backends = 1;
        options.extra_env = {{"B3SCALE_RECORDINGS_PUBLISHED_PATH", (dir_ / "published").string()},
                             {"B3SCALE_RECORDINGS_UNPUBLISHED_PATH", (dir_ / "unpublished").string()},
                             {"B3SCALE_RECORDINGS_INBOX_PATH", (dir_ / "inbox").string()},
                             {"B3SCALE_RECORDINGS_INBOX_SCAN_INTERVAL", "0"}};
        cluster_ = std::make_unique<GatewayCluster>(options);
        cluster_->addFrontend(kKey, kSecret);
        cluster_->addAllBackends();
        cluster_->start();

        token_ = apiToken("bbb-node-7", "b3scale:node");
        dir_.write("node/b3scale-token", token_ + "\n");
        dir_.write("node/b3scale-hook",
                   "# /etc/default/b3scale-hook\n"
                   "B3SCALE_INBOX=" +
                       (dir_ / "inbox").string() + "\n" +
                       "B3SCALE_URL=\"http://127.0.0.1:" + std::to_string(cluster_->port()) + "\"\n" +
                       "B3SCALE_TOKEN_FILE=" + (dir_ / "node/b3scale-token").string() + "\n");
    }

    ProcessRun hook(const std::vector<std::string>& args) {
        std::vector<std::string> argv = {postPublishHookPath().string()};
        argv.insert(argv.end(), args.begin(), args.end());
        return runProcess(ruby_, argv,
                          {{"B3SCALE_HOOK_CONFIG", (dir_ / "node/b3scale-hook").string()},
                           {"B3SCALE_HOOK_PUBLISHED", (dir_ / "node/published").string()},
                           {"B3SCALE_HOOK_LOG", (dir_ / "node/log/post_publish.log").string()}},
                          dir_ / "node/home", std::chrono::seconds(60));
    }

    std::string hookLog() const { return readFile(dir_ / "node/log/post_publish.log"); }

    std::string ruby_;
    std::string token_;
    TempDir dir_{"b3s-rec-hook"};
    std::unique_ptr<GatewayCluster> cluster_;
};

TEST_F(PostPublishHookTest, APublishedFormatIsImportedAndItsFilesEndUpInThePublishedTree) {
    MetadataSpec s;
    s.record_id = bbbRecordId(1);
    s.meeting_id = encodeMeetingId(kKey, "weekly-standup");
    s.name = "Weekly standup";
    writeFormat(dir_ / "node/published", s, "<html>standup</html>");

    const auto run = hook({"-m", s.record_id, "-f", "presentation"});
    ASSERT_EQ(run.code, 0) << run.out << run.err << hookLog();

    // Listed at once (the inbox is never scanned here: the import call did it).
    const auto listed = cluster_->call(kKey, kSecret, "getRecordings", "meetingID=weekly-standup");
    EXPECT_NE(listed.body.find("<recordID>" + s.record_id + "</recordID>"), std::string::npos) << listed.body;
    EXPECT_EQ(readFile(dir_ / "published/presentation" / s.record_id / "index.html"), "<html>standup</html>");
    EXPECT_TRUE(fs::exists(dir_ / "published/presentation" / s.record_id / thumbnailRelativePath()));
    EXPECT_FALSE(fs::exists(dir_ / "inbox/presentation" / s.record_id));
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dir_ / "inbox/presentation", ec))
        ADD_FAILURE() << "left in the inbox: " << e.path();
    EXPECT_TRUE(fs::exists(dir_ / "node/published/presentation" / s.record_id / "index.html"))
        << "the node keeps its own copy";

    const auto log = hookLog();
    EXPECT_NE(log.find("answered HTTP 200"), std::string::npos) << log;
    EXPECT_EQ(log.find(token_), std::string::npos) << "the token never reaches the log";
    EXPECT_EQ((run.out + run.err).find(token_), std::string::npos);

    // BBB runs the hook again (a rebuilt recording): still one recording, still exit 0.
    const auto again = hook({"-m", s.record_id, "-f", "presentation"});
    EXPECT_EQ(again.code, 0) << again.err << hookLog();
    EXPECT_TRUE(fs::exists(dir_ / "published/presentation" / s.record_id / "index.html"));
}

TEST_F(PostPublishHookTest, ABadRecordIdOrFormatIsRefusedWithExitStatus2) {
    for (const auto& args : std::vector<std::vector<std::string>>{{"-m", "../../etc", "-f", "presentation"},
                                                                  {"-m", "abc def", "-f", "presentation"},
                                                                  {"-m", "", "-f", "presentation"},
                                                                  {"-m", bbbRecordId(2), "-f", "../presentation"},
                                                                  {"-f", "presentation"}}) {
        const auto run = hook(args);
        EXPECT_EQ(run.code, 2) << args[1] << ": " << run.err << hookLog();
    }
    EXPECT_NE(hookLog().find("refusing record id"), std::string::npos) << hookLog();
    EXPECT_TRUE(fs::is_empty(dir_ / "inbox"));
}

TEST_F(PostPublishHookTest, AFormatWithoutMetadataIsAnErrorAndNothingIsCopied) {
    const auto id = bbbRecordId(3);
    dir_.write("node/published/presentation/" + id + "/index.html", "<html>no metadata</html>");
    const auto run = hook({"-m", id, "-f", "presentation"});
    EXPECT_EQ(run.code, 1) << run.err << hookLog();
    EXPECT_NE(hookLog().find("metadata.xml is missing"), std::string::npos) << hookLog();
    EXPECT_TRUE(fs::is_empty(dir_ / "inbox"));
}

}  // namespace
}  // namespace b3s::test::recordings
