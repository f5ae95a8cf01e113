#include "filesystem_store.hpp"

#include <b3s/plugin/errors.hpp>
#include <fake_context.hpp>
#include <temp_dir.hpp>

#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace b3s::recordings::filesystem {
namespace {

namespace fs = std::filesystem;

class FilesystemStoreTest : public ::testing::Test {
protected:
    FilesystemStoreTest()
        : published_(dir_.mkdir("published")), unpublished_(dir_.mkdir("unpublished")), inbox_(dir_.mkdir("inbox")) {
        context_.mapConfig()
            .set(kPublishedPathKey, published_.string())
            .set(kUnpublishedPathKey, unpublished_.string());
    }

    std::unique_ptr<plugin::RecordingsStore> make() { return create(context_); }

    test::TempDir dir_{"b3s-recordings"};
    fs::path published_, unpublished_, inbox_;
    test::FakeContext context_;
};

TEST_F(FilesystemStoreTest, FactoryRefusesMissingOrNonDirectoryPaths) {
    dir_.write("a-file", "x");
    struct Case {
        int line;
        std::string key;
        fs::path value;
        std::string message_contains;
    };
    const std::vector<Case> cases = {
        {__LINE__, kPublishedPathKey, dir_ / "nope", "which does not exist"},
        {__LINE__, kUnpublishedPathKey, dir_ / "nope", "which does not exist"},
        {__LINE__, kPublishedPathKey, dir_ / "a-file", "which is not a directory"},
        {__LINE__, kUnpublishedPathKey, dir_ / "a-file", "which is not a directory"},
        {__LINE__, kInboxPathKey, dir_ / "nope", "which does not exist"},
        {__LINE__, kInboxPathKey, dir_ / "a-file", "which is not a directory"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line));
        test::FakeContext context;
        context.mapConfig().set(kPublishedPathKey, published_.string()).set(kUnpublishedPathKey, unpublished_.string());
        context.mapConfig().set(c.key, c.value.string());
        try {
            create(context);
            ADD_FAILURE() << "expected ConfigError";
        } catch (const plugin::ConfigError& e) {
            EXPECT_EQ(e.key(), c.key);
            std::string message = e.what();
            EXPECT_NE(message.find(c.key), std::string::npos) << message;
            EXPECT_NE(message.find("'" + c.value.string() + "'"), std::string::npos) << message;
            EXPECT_NE(message.find(c.message_contains), std::string::npos) << message;
        }
    }
}

TEST_F(FilesystemStoreTest, FactoryRefusesMissingRequiredKey) {
    context_.mapConfig().erase(kUnpublishedPathKey);
    try {
        make();
        FAIL() << "expected ConfigError";
    } catch (const plugin::ConfigError& e) {
        EXPECT_EQ(e.key(), "B3SCALE_RECORDINGS_UNPUBLISHED_PATH");
    }
}

TEST_F(FilesystemStoreTest, UsableDirectoriesHaveNoProblemsAndNoLeftovers) {
    context_.mapConfig().set(kInboxPathKey, inbox_.string());
    auto store = make();
    EXPECT_TRUE(store->enabled());
    EXPECT_TRUE(store->check().empty());
    for (const auto& d : {published_, unpublished_, inbox_}) EXPECT_FALSE(fs::exists(d / kProbeFileName)) << d;
    auto checked = context_.recordingLogger().find("paths_checked");
    ASSERT_TRUE(checked.has_value());
    EXPECT_EQ(checked->field("directories"), "3");
    EXPECT_EQ(checked->field("problems"), "0");
}

TEST_F(FilesystemStoreTest, DerivedInboxIsProbedOnce) {
    struct Case {
        int line;
        std::string visibility;
        fs::path broken;   // made unusable after construction
        std::string keys;  // expected in the single problem's reason
    };
    const std::vector<Case> cases = {
        {__LINE__, "published", published_, "B3SCALE_RECORDINGS_INBOX_PATH, B3SCALE_RECORDINGS_PUBLISHED_PATH"},
        {__LINE__, "unpublished", unpublished_, "B3SCALE_RECORDINGS_INBOX_PATH, B3SCALE_RECORDINGS_UNPUBLISHED_PATH"},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE("case at line " + std::to_string(c.line) + ": " + c.visibility);
        context_.mapConfig().set(kDefaultVisibilityKey, c.visibility);
        auto store = make();
        fs::remove_all(c.broken);
        auto problems = store->check();
        fs::create_directories(c.broken);
        ASSERT_EQ(problems.size(), 1u);
        EXPECT_EQ(problems[0].path, c.broken.string());
        EXPECT_NE(problems[0].reason.find(c.keys), std::string::npos) << problems[0].reason;
    }
}

TEST_F(FilesystemStoreTest, ReportsOneProblemPerUnusablePath) {
    context_.mapConfig().set(kInboxPathKey, inbox_.string());
    auto store = make();
    struct Case {
        int line;
        std::string what;
        std::function<void(const fs::path&)> breakIt;
        std::string reason_contains;
    };
    const std::vector<Case> cases = {
        {__LINE__, "removed", [](const fs::path& p) { fs::remove_all(p); }, "does not exist"},
        {__LINE__, "replaced by a file",
         [&](const fs::path& p) {
             fs::remove_all(p);
             dir_.write(p.filename(), "not a directory");
         },
         "is not a directory"},
        // Even root cannot open a directory for writing, so this blocks the probe everywhere.
        {__LINE__, "probe name taken by a directory",
         [](const fs::path& p) { fs::create_directories(p / kProbeFileName); }, "cannot create .rwtest.b3scale"},
    };
    for (const auto& c : cases) {
        for (const auto& target : {inbox_, published_, unpublished_}) {
            SCOPED_TRACE("case at line " + std::to_string(c.line) + ": " + target.filename().string() + " " + c.what);
            c.breakIt(target);
            auto problems = store->check();
            fs::remove_all(target);
            fs::create_directories(target);
            ASSERT_EQ(problems.size(), 1u);
            EXPECT_EQ(problems[0].path, target.string());
            EXPECT_NE(problems[0].reason.find(c.reason_contains), std::string::npos) << problems[0].reason;
            EXPECT_TRUE(store->check().empty());
        }
    }
}

TEST_F(FilesystemStoreTest, ReportsReadOnlyDirectory) {
    if (test::permissionBitsAreBypassed())
        GTEST_SKIP() << "running with permission bits bypassed (root or CAP_DAC_OVERRIDE): a 0555 directory "
                        "stays writable; ReportsOneProblemPerUnusablePath covers unwritable paths another way";
    auto store = make();
    fs::permissions(unpublished_, fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                      fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
    auto problems = store->check();
    fs::permissions(unpublished_, fs::perms::owner_all);
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_EQ(problems[0].path, unpublished_.string());
    EXPECT_NE(problems[0].reason.find("cannot create .rwtest.b3scale: Permission denied"), std::string::npos)
        << problems[0].reason;
}

TEST_F(FilesystemStoreTest, ConcurrentChecksDoNotTripOverEachOther) {
    auto store = make();
    std::vector<std::thread> threads;
    threads.reserve(4);
    std::atomic<int> problems{0};
    for (int t = 0; t < 4; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 50; ++i) problems += static_cast<int>(store->check().size());
        });
    for (auto& t : threads) t.join();
    EXPECT_EQ(problems.load(), 0);
}

TEST_F(FilesystemStoreTest, FactoryLogsPaths) {
    make();
    auto ready = context_.recordingLogger().find("store_ready");
    ASSERT_TRUE(ready.has_value());
    EXPECT_EQ(ready->field("published"), published_.string());
    EXPECT_EQ(ready->field("inbox"), published_.string());
    EXPECT_EQ(ready->field("default_visibility"), "published");
}

}  // namespace
}  // namespace b3s::recordings::filesystem
