// The embedded SQLite store admits one b3scaled process: a second one is refused at open
// with a sentence naming the holder, and the lock goes with the last store (or the process).
// A second process is played by fork(); these tests run single-threaded up to the fork.

#include "store/store.hpp"
#include "store_test_support.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>

namespace b3s::test {
namespace {

using store::StoreError;

struct ChildResult {
    int exit_code = -1;
    std::string output;
};

// Runs `body` in a forked child and returns what it reported. `after_start` runs in the
// parent while the child is alive (the child waits for it when `hold` is set).
ChildResult inChild(const std::function<std::string()>& body, bool hold = false,
                    const std::function<void(pid_t)>& after_start = {}) {
    int out[2], go[2];
    if (::pipe(out) != 0 || ::pipe(go) != 0) throw std::runtime_error("pipe failed");
    const pid_t pid = ::fork();
    if (pid < 0) throw std::runtime_error("fork failed");
    if (pid == 0) {
        ::close(out[0]);
        ::close(go[1]);
        std::string report;
        int code = 0;
        try {
            report = body();
        } catch (const std::exception& e) {
            report = std::string("exception: ") + e.what();
            code = 2;
        }
        report += '\n';
        (void)!::write(out[1], report.data(), report.size());
        if (hold) {
            char c;
            (void)!::read(go[0], &c, 1);  // returns when the parent closes its end
        }
        ::_exit(code);  // no destructors: as if the process died holding the store
    }
    ::close(out[1]);
    ::close(go[0]);
    ChildResult result;
    char c;
    while (::read(out[0], &c, 1) == 1 && c != '\n') result.output += c;
    if (after_start) after_start(pid);
    ::close(go[1]);
    ::close(out[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return result;
}

std::string tryOpen(const std::string& url) {
    ManualCoreClock clock;
    try {
        auto s = store::openStore(optionsFor(url), clock);
        s->ping();
        return "opened";
    } catch (const StoreError& e) {
        return std::string(store::toString(e.kind())) + ": " + e.what();
    }
}

std::string refusal(const std::string& path, pid_t holder) {
    return "invalid: the embedded SQLite store " + path + " is in use by another b3scaled (pid " +
           std::to_string(holder) + "); several instances need PostgreSQL (B3SCALE_DB_URL=postgres://…)";
}

class SqliteInstanceLock : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = TestDatabase::create(Engine::Sqlite);
        url_ = db_->url();
        path_ = url_.substr(std::string("sqlite://").size());
    }
    std::unique_ptr<store::Store> open() { return store::openStore(optionsFor(url_), clock_); }

    ManualCoreClock clock_;
    std::unique_ptr<TestDatabase> db_;
    std::string url_;
    std::string path_;
};

// Why the store shares its lock within a process: flock locks belong to an open file
// description, so two opens in one process conflict just like two processes do.
TEST_F(SqliteInstanceLock, FlockConflictsBetweenTwoOpensOfOneProcess) {
    open()->ping();  // creates the directory
    const auto file = path_ + ".probe";
    const int a = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    const int b = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    ASSERT_GE(a, 0);
    ASSERT_GE(b, 0);
    EXPECT_EQ(::flock(a, LOCK_EX | LOCK_NB), 0);
    EXPECT_NE(::flock(b, LOCK_EX | LOCK_NB), 0);
    EXPECT_EQ(errno, EWOULDBLOCK);
    ::close(a);
    EXPECT_EQ(::flock(b, LOCK_EX | LOCK_NB), 0);
    ::close(b);
}

TEST_F(SqliteInstanceLock, SecondProcessIsRefusedUntilTheLastStoreIsDestroyed) {
    auto first = open();
    first->migrate();
    auto second = open();  // same process: shares the lock
    second->ping();
    std::string pid_in_file;
    std::getline(std::ifstream(path_ + ".lock"), pid_in_file);
    EXPECT_EQ(pid_in_file, std::to_string(::getpid()));

    auto child = inChild([&] { return tryOpen(url_); });
    EXPECT_EQ(child.exit_code, 0);
    EXPECT_EQ(child.output, refusal(path_, ::getpid()));

    first.reset();
    EXPECT_EQ(inChild([&] { return tryOpen(url_); }).output, refusal(path_, ::getpid()))
        << "released while another store of this process still has the file open";
    second.reset();
    EXPECT_EQ(inChild([&] { return tryOpen(url_); }).output, "opened");
    EXPECT_EQ(tryOpen(url_), "opened");
}

TEST_F(SqliteInstanceLock, LockOfAProcessThatDiedIsGone) {
    open()->migrate();
    std::string refused_here;
    pid_t holder = 0;
    const auto child = inChild(
        [&] {
            auto s = store::openStore(optionsFor(url_), clock_);
            s->ping();
            [[maybe_unused]] auto* kept = s.release();  // the child _exit()s with it open, like a crash
            return std::string("holding");
        },
        /*hold=*/true,
        [&](pid_t pid) {
            holder = pid;
            refused_here = tryOpen(url_);
        });
    EXPECT_EQ(child.output, "holding");
    EXPECT_EQ(refused_here, refusal(path_, holder));
    EXPECT_EQ(tryOpen(url_), "opened");
}

}  // namespace
}  // namespace b3s::test
