// The embedded SQLite store keeps every tenant's and backend's secret in clear: b3scaled makes
// the database, its -wal and -shm files and its instance lock the owner's alone (0600), under
// the usual umask 022 and also when an earlier start left them readable by everyone.

#include "b3scaled_process.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>
#include <string>

#include <sys/stat.h>

namespace b3s::test {
namespace {

namespace fs = std::filesystem;

// Sets the process umask (inherited by the b3scaled children) for one test.
class UmaskScope {
public:
    explicit UmaskScope(mode_t mask) : previous_(::umask(mask)) {}
    ~UmaskScope() { ::umask(previous_); }
    UmaskScope(const UmaskScope&) = delete;
    UmaskScope& operator=(const UmaskScope&) = delete;

private:
    mode_t previous_;
};

unsigned modeOf(const fs::path& file) {
    struct stat st {};
    if (::lstat(file.c_str(), &st) != 0) return 0;
    return st.st_mode & 07777;
}

class PrivateFilesTest : public ::testing::Test {
protected:
    PrivateFilesTest() : dir_(makeTempDir("private-files")), db_(dir_ / "b3scale.db") {
        env_ = baseEnv();
        env_["B3SCALE_DB_URL"] = "sqlite://" + db_.string();
    }
    // The files that hold or guard the secrets, while b3scaled runs and has written to them.
    std::map<std::string, unsigned> modesWhileRunning() {
        B3scaledProcess server(env_);
        const auto port = server.waitReady();
        EXPECT_TRUE(port) << server.stderrText();
        if (!port) return {};
        const auto created = httpRequest("POST", "127.0.0.1", *port, "/api/v1/frontends",
                                         R"({"bbb":{"key":"tenant","secret":"tenant-secret-0123456789abcdef0123"}})",
                                         "application/json", {{"Authorization", "Bearer " + adminToken()}});
        EXPECT_EQ(created.status, 200) << created.body;
        std::map<std::string, unsigned> modes;
        for (const auto* suffix : {"", "-wal", "-shm", ".lock"}) modes[suffix] = modeOf(db_.string() + suffix);
        return modes;
    }

    fs::path dir_;
    fs::path db_;
    Env env_;
};

TEST_F(PrivateFilesTest, TheStoreAndItsLockAreCreatedPrivateUnderUmask022) {
    const UmaskScope umask(022);
    B3scaledProcess migrate(env_, {"--migrate"});
    ASSERT_EQ(runToExit(migrate), 0) << migrate.stderrText();
    EXPECT_EQ(modeOf(db_), 0600u);

    const auto modes = modesWhileRunning();
    for (const auto& [suffix, mode] : modes) {
        SCOPED_TRACE("b3scale.db" + suffix);
        // -wal and -shm exist while a connection is open in WAL mode: they must be there.
        EXPECT_EQ(mode, 0600u);
    }
    EXPECT_EQ(modes.size(), 4u);
}

TEST_F(PrivateFilesTest, FilesAnEarlierStartLeftReadableAreNarrowed) {
    const UmaskScope umask(022);
    {
        B3scaledProcess migrate(env_, {"--migrate"});
        ASSERT_EQ(runToExit(migrate), 0) << migrate.stderrText();
    }
    // As an older b3scaled left them: readable by everyone.
    for (const auto* suffix : {"", ".lock"}) {
        const fs::path file = db_.string() + suffix;
        ASSERT_TRUE(fs::exists(file)) << file;
        fs::permissions(file, fs::perms(0644));
    }
    // A leftover -wal of an unclean stop, too.
    const fs::path wal = db_.string() + "-wal";
    if (!fs::exists(wal)) {
        std::FILE* f = std::fopen(wal.c_str(), "w");
        ASSERT_NE(f, nullptr);
        std::fclose(f);
    }
    fs::permissions(wal, fs::perms(0644));

    for (const auto& [suffix, mode] : modesWhileRunning()) {
        SCOPED_TRACE("b3scale.db" + suffix);
        EXPECT_EQ(mode, 0600u);
    }
}

}  // namespace
}  // namespace b3s::test
